"""The awaitable checks: a user's object with __await__ has its own body, so the suite cannot script it.
Instead it checks the protocol, differentially, on pairs of fresh objects from the user's factory:

  * one object's __await__() iterator is called directly (the generator-iterator protocol);
  * the other's is awaited by a native coroutine, and the same calls are made on that coroutine.

What the awaiting coroutine must do with each answer of the iterator comes from the coroutine model: the
iterator yielding is its body awaiting again (`value.await`: the yielded value passes out), the iterator
finishing is its body returning the StopIteration value (`value.return`: the result of `await`), the iterator
raising is its body raising. A throw() or close() reaches the iterator where it has that method; where it
has not, the call lands in the awaiting frame (`exception.propagate`, `close.propagate`) and the iterator is
left alone. Once exhausted, the iterator must stay exhausted: a further send(None) answers as the CLOSED
row of the generator model (model/generator.toml, the protocol of a generator-iterator) or of the coroutine
model's await-iterator route (what a coroutine's own __await__() does) says.

The generator model serves as the iterator's model: its CLOSED rows are exactly "exhausted stays exhausted",
and its other rows depend on a body the suite cannot script here, so a smaller file would only copy them.
"""

from __future__ import annotations

import itertools
import time

from conformance.checking.subjects import (
    Subject,
    call_with_timeout,
    check_await_iterator,
    quietly_close,
)
from conformance.protocol.model import load_model
from conformance.protocol.observation import CONFORMS, DEVIATES
from conformance.protocol.steps import describe_call
from conformance.subject import body

# The calls a pair is driven with: they cover passing values in, throwing, closing and plain stepping.
CALLS = (("send", "none", None), ("send", "value", 101), ("throw", "instance", ["ValueError", "thrown 1"]),
         ("close", "none", None))
CHECKS = {
    "send": "awaiting it passes yielded values out, sent values in, and its StopIteration value back",
    "throw": "throw() reaches its iterator where it has throw(), and lands in the awaiting frame where not",
    "close": "close() reaches its iterator where it has close(), and closes the awaiting frame where not",
    "exhausted": "once exhausted, its iterator stays exhausted",
    "protocol": "__await__() returns an iterator, not a coroutine",
}
MAX_CALLS = 3


async def awaiting(awaitable):
    """The native coroutine that awaits the user's object; the model drives it."""
    return await awaitable


class Held:
    """Hands CPython the very iterator the check already holds, so that both sides can be inspected."""

    def __init__(self, iterator):
        self.iterator = iterator

    def __await__(self):
        return self.iterator


def check_awaitable(subject: Subject, options, progress=None) -> list[dict]:
    started = time.perf_counter()
    coroutine_model, generator_model = load_model("coroutine"), load_model("generator")
    version = options.version
    exhausted_types = {row.raises.type for row in (
        generator_model.call_row(version, "CLOSED", "send", "none"),
        coroutine_model.call_row(version, "CLOSED", "send", "none", "await-iterator")) if row and row.raises}
    findings = {"protocol": {"check": CHECKS["protocol"], "verdict": CONFORMS, "text": "", "steps": []}}
    for name in ("send", "throw", "close", "exhausted"):
        findings[name] = {"check": CHECKS[name], "verdict": CONFORMS, "text": "", "steps": []}
    sequences = [s for n in range(1, MAX_CALLS + 1) for s in itertools.product(CALLS, repeat=n)]
    if progress:
        progress(f"awaitable: {len(sequences)} call sequences, each on a directly driven and an awaited object")
    for sequence in sequences:
        failure = run_pair(subject, options, coroutine_model, exhausted_types, sequence)
        if failure is not None:
            kind, text, steps = failure
            finding = findings[kind]
            if finding["verdict"] == CONFORMS:
                finding.update(verdict=DEVIATES, text=text, steps=steps, seconds=time.perf_counter() - started)
    return list(findings.values())


def fresh_iterator(subject: Subject, options):
    made = call_with_timeout(subject.factory, (), options.timeout, f"{subject.spec}()")
    return made, check_await_iterator(made, subject.spec, options.timeout)


def normalize(value, made, iterator):
    """Values compare across the two objects: the object itself and its iterator by role, others by type."""
    if value is made:
        return "<the awaitable>"
    if value is iterator:
        return "<its iterator>"
    described = body.describe_value(value)
    return described if not (isinstance(described, dict) and "object" in described) else f"<{described['object']}>"


def answer(function, arguments, made, iterator) -> list:
    """["returned", value] | ["stopped", value] | ["raised", type name]."""
    try:
        result = function(*arguments)
    except StopIteration as stop:
        return ["stopped", normalize(stop.value, made, iterator)]
    except BaseException as error:  # noqa: BLE001 - the subject's answer
        return ["raised", type(error).__name__]
    return ["returned", normalize(result, made, iterator)]


def direct_call(iterator, call, argument, payload, made) -> tuple[list, bool]:
    """Call the iterator itself; the second item says whether the call reached it at all."""
    if call == "send":
        if argument == "none" and not hasattr(iterator, "send"):
            return answer(next, (iterator,), made, iterator), True
        return answer(lambda: iterator.send(payload), (), made, iterator), True
    method = getattr(iterator, call, None)
    if method is None:
        return None, False
    arguments = body.throw_arguments(argument, payload) if call == "throw" else ()
    return answer(method, arguments, made, iterator), True


def run_pair(subject, options, model, exhausted_types, sequence):
    """Drive one pair through `sequence`; the first disagreement as (check, text, steps), or None."""
    made_a, iterator_a = fresh_iterator(subject, options)
    made_b, iterator_b = fresh_iterator(subject, options)
    outer = awaiting(Held(iterator_b))
    state, finished_a, lines, steps = model.initial, False, [], []
    try:
        for number, (call, argument, payload) in enumerate(sequence, 1):
            steps.append({"call": call, "argument": argument, "payload": payload})
            row = model.call_row(options.version, state, call, argument)
            lines.append(f"  {number}. {body_text(call, argument, payload)}")
            observed = outer_call(outer, call, argument, payload, made_b, iterator_b)
            reached = False
            if row.enters is None:
                expected, target = expected_from_row(row, payload), row.target
            else:
                direct, reached = direct_call(iterator_a, call, argument, payload, made_a)
                expected, target = translate(model, options.version, row, call, direct, reached)
                if reached and (direct[0] != "returned" or call == "close"):  # close() must exhaust it
                    finished_a = True
            if not same(expected, observed):
                kind = "send" if call == "send" else call
                text = explain(subject, lines, expected, observed, reached, call)
                return kind, text, steps
            state = target
        if finished_a:
            for attempt in range(2):
                again, _ = direct_call(iterator_a, "send", "none", None, made_a)
                if again[0] == "returned" or (again[0] == "raised" and again[1] not in exhausted_types) \
                        or (again[0] == "stopped" and "StopIteration" not in exhausted_types):
                    lines.append("  then, on the directly driven iterator after it finished: send(None)")
                    text = (f"{subject.spec}(): its iterator did not stay exhausted.\nCalls:\n" + "\n".join(lines)
                            + f"\nExpected: raises one of {', '.join(sorted(exhausted_types))} (the CLOSED rows of "
                              f"the generator model and of the coroutine model's await-iterator route)\n"
                              f"Observed: {words(again)}")
                    return "exhausted", text, steps
        return None
    finally:
        quietly_close(outer, iterator_a, iterator_b)


def outer_call(outer, call, argument, payload, made, iterator) -> list:
    if call == "send":
        return answer(outer.send, (payload if argument == "value" else None,), made, iterator)
    if call == "throw":
        return answer(outer.throw, body.throw_arguments(argument, payload), made, iterator)
    return answer(outer.close, (), made, iterator)


def expected_from_row(row, payload) -> list:
    """A call that does not reach the awaitable: the awaiting coroutine answers as its own row says."""
    if row.returns is not None:
        return ["returned", None]
    kind = row.raises.type
    if kind == "thrown":
        return ["raised", payload[0]]
    if kind == "StopIteration":
        return ["stopped", None]
    return ["raised", kind]


def translate(model, version, row, call, direct, reached):
    """What the awaiting coroutine must answer, given what the iterator itself answered."""
    if not reached:  # no throw()/close() on the iterator: the call lands in the awaiting frame
        reaction = model.reaction_row(version, row.enters, "propagate")
        if reaction.returns is not None:
            return ["returned", None], reaction.target
        return ["raised", direct_thrown(row, call)], reaction.target
    kind, value = direct
    if kind == "returned":
        if call == "close":
            reaction = model.reaction_row(version, row.enters, "propagate")
            return ["returned", None], reaction.target
        reaction = model.reaction_row(version, "value", "await")
        return ["returned", value], reaction.target
    if kind == "stopped":
        reaction = model.reaction_row(version, "value", "return")
        if call == "close":  # the iterator finished on close: the awaiting frame still gets GeneratorExit
            reaction = model.reaction_row(version, row.enters, "propagate")
            return ["returned", None], reaction.target
        return ["stopped", value], reaction.target
    reaction = model.reaction_row(version, "value", "raise")
    return ["raised", value], reaction.target


def direct_thrown(row, call) -> str:
    return "ValueError" if call == "throw" else "GeneratorExit"


def same(expected, observed) -> bool:
    return expected[0] == observed[0] and expected[1] == observed[1]


def words(outcome) -> str:
    kind, value = outcome
    return {"returned": f"returns {value!r}", "stopped": f"raises StopIteration({value!r})",
            "raised": f"raises {value}"}[kind]


def body_text(call, argument, payload) -> str:
    return describe_call(call, argument, payload)


def explain(subject, lines, expected, observed, reached, call) -> str:
    how = "the call reached its iterator" if reached else f"its iterator has no {call}(), so the call " \
                                                            f"lands in the awaiting coroutine"
    return (f"{subject.spec}() awaited by a native coroutine does not answer as its own iterator does "
            f"({how}).\nCalls on a fresh pair of objects:\n" + "\n".join(lines)
            + f"\nExpected (from the iterator, through the coroutine model): {words(expected)}"
            + f"\nObserved on the awaiting coroutine: {words(observed)}")
