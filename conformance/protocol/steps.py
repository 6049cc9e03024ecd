"""A step of a run: one call made by the test, and the plan its body follows if the call resumes it.

Steps are plain data so that they print as words, cross a JSON pipe to the agent, and shrink well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.protocol.vocabulary import PAYLOAD_CALL
from conformance.subject.body import OPERATION_CALLS, is_exception_value, value_text


@dataclass(frozen=True)
class Reentry:
    """A call the running body makes on its own coroutine."""

    call: str
    argument: str
    payload: object = None

    def describe(self) -> str:
        return describe_call(self.call, self.argument, self.payload)


@dataclass(frozen=True)
class Plan:
    """What the body does on one resumption: re-entrant calls first, then its reaction. Where the call reaches
    the object the body awaits first, `awaitee` is that object's reaction (with `awaitee_value`)."""

    reaction: str
    value: object = None
    reentries: tuple[Reentry, ...] = ()
    awaitee: str | None = None
    awaitee_value: object = None

    def to_script(self) -> dict:
        script = {"reaction": self.reaction, "value": _listify(self.value),
                  "reenter": [[r.call, r.argument, _listify(r.payload)] for r in self.reentries]}
        if self.awaitee is not None:
            script["awaitee"] = [self.awaitee, _listify(self.awaitee_value)]
        return script

    def describe(self) -> str:
        return ", then ".join(self.awaitee_words() + self.body_words())

    def label(self) -> str:
        """What a printed plan is introduced by: the body, or the awaited object that reacts first."""
        return "body" if self.awaitee is None else "then"

    def awaitee_words(self) -> list[str]:
        """What the awaited object does, in words (nothing where the call does not reach it)."""
        value = self.awaitee_value
        if self.awaitee == "pass":
            return ["the awaited object passes it on"]
        if self.awaitee == "await":
            return [f"the awaited object catches it and passes out {value!r} (the body does not run)"]
        if self.awaitee == "return":
            return [f"the awaited object returns {value!r}"]
        if self.awaitee == "raise":
            return [f"the awaited object raises {_exception_text(value)}"]
        return []

    def body_words(self) -> list[str]:
        if self.awaitee == "await":
            return []
        words = [f"calls {r.describe()} on itself" for r in self.reentries]
        value = self.value
        if self.reaction == "await":
            words.append(f"awaits again, passing out {_as_value(value)}")
        elif self.reaction == "yield":
            words.append(f"yields {_as_value(value)}")
        elif self.reaction == "end":
            words.append("returns (no value)")
        elif self.reaction == "raise-stop-async-iteration":
            words.append("raises StopAsyncIteration()")
        elif self.reaction == "return":
            words.append(f"returns {_as_value(value)}")
        elif self.reaction == "raise":
            words.append(f"raises {_exception_text(value)}")
        elif self.reaction == "raise-stop-iteration":
            words.append(f"raises StopIteration({value_text(value)})")
        elif self.reaction == "propagate":
            words.append("lets the exception through")
        else:
            words.append(self.reaction)
        if self.awaitee is not None:  # after the awaited object's words, say whose these are
            words[0] = "the body " + words[0]
        return words


@dataclass(frozen=True)
class Step:
    """One call of the test on the subject (or the final `collect`), with the body's plan."""

    call: str
    argument: str
    payload: object = None
    plan: Plan | None = None

    def describe(self) -> str:
        return describe_call(self.call, self.argument, self.payload)

    def to_json(self) -> dict:
        return {"call": self.call, "argument": self.argument, "payload": _listify(self.payload),
                "plan": self.plan.to_script() if self.plan else None}

    @classmethod
    def from_json(cls, data: dict) -> "Step":
        """The step `to_json` wrote (read from a report or a journal: plain JSON, never evaluated)."""
        plan = data.get("plan")
        if isinstance(plan, dict):
            reentries = tuple(Reentry(str(r[0]), str(r[1]), r[2]) for r in plan.get("reenter", ()))
            awaitee = plan.get("awaitee") or [None, None]
            plan = Plan(str(plan.get("reaction")), plan.get("value"), reentries,
                        str(awaitee[0]) if awaitee[0] is not None else None, awaitee[1])
        else:
            plan = None
        return cls(str(data.get("call")), str(data.get("argument")), data.get("payload"), plan)

    def brief(self) -> str:
        """The call and, where it resumes the body, what the body does, on one line."""
        return self.describe() + (f" [{self.plan.label()} {self.plan.describe()}]" if self.plan is not None else "")


@dataclass
class Prediction:
    """What the model says one step does."""

    observation: "Observation"  # noqa: F821 - see observation.py
    next_state: str
    transitions: list[str] = field(default_factory=list)
    event_rows: list[str] = field(default_factory=list)  # the row behind each predicted event


def sequence_lines(entries, here: int | None) -> list[str]:
    """The numbered lines of a call sequence: `entries` are (step, state before, state after, whether the call
    resumed the body); the entry at index `here` is marked as the one that went wrong."""
    lines = []
    for number, (step, before, after, resumed) in enumerate(entries, 1):
        mark = "  <-- here" if number - 1 == here else ""
        lines.append(f"  {number}. {step.describe():<38} [{before} -> {after}]{mark}")
        if resumed and step.plan is not None:
            lines.append(f"       {step.plan.label()}: {step.plan.describe()}")
    return lines


def avoidance_key(transitions: list[str]) -> list[str]:
    """What a later child must not do again: a step's leading rows (its call's row and its re-entrant calls'
    rows), whatever the body did after them; a call answered at once is its one row."""
    return list(transitions[:-1] if len(transitions) > 1 else transitions)


def describe_call(call: str, argument: str, payload) -> str:
    """The call as Python code; an async generator's operation is made and started in one go."""
    if call in OPERATION_CALLS:  # asend/athrow take send()'s/throw()'s arguments: written the same way
        shared = PAYLOAD_CALL.get(call)
        arguments = describe_call(shared, argument, payload)[len(shared):] if shared else "()"
        return f"ag.{'__anext__' if call == 'anext' else call}{arguments}.send(None)"
    if call == "send":
        return "send(None)" if argument == "none" else f"send({value_text(payload)})"
    if call == "close":
        return "close()"
    if call == "collect":
        return "drop it; gc.collect()"
    if call == "shutdown":
        return "loop.run_until_complete(loop.shutdown_asyncgens())"
    if argument in ("instance", "base-exception"):
        return f"throw({_exception_text(payload)})"
    if argument == "class":
        return f"throw({payload[0]})"
    if argument == "three-argument":
        return f"throw({payload[0]}, {_exception_text(payload)}, None)"
    if argument == "stop-iteration":
        return f"throw(StopIteration({value_text(payload)}))"
    if argument == "generator-exit":
        return "throw(GeneratorExit())"
    return f"throw({payload!r})"


def _as_value(spec) -> str:
    """A value spec in words; an exception instance or class is marked as a value, so that it does not read as
    something raised."""
    return value_text(spec) + (" as a value" if is_exception_value(spec) else "")


def _exception_text(spec) -> str:
    return f"{spec[0]}({spec[1]!r})" if spec and len(spec) > 1 else f"{spec[0]}()"


def _listify(value):
    return list(value) if isinstance(value, tuple) else value
