"""The scripted async generator, and the operations a caller drives it with by hand.

Kept apart from body.py because `async def` with `yield` is a syntax error on interpreters without async
generators (MicroPython): they can still import body.py and say this module is unavailable. Like body.py it
runs unchanged on CPython 3.6+ and PyPy, and imports nothing but body (the agent runs its text after body.py's,
in the same namespace, where an interpreter can compile it: see agent.py's ASYNCGEN_PROBLEM).

An async generator is driven through *operations*: asend(v), __anext__(), athrow(...) and aclose() each make
an awaitable, and its send/throw/close move the generator. A caller "by hand" makes an operation and starts
it in one step (`ag.asend(v).send(None)`); a later send/throw/close goes to the operation still in flight
(one whose send returned a value: the body paused at an await and passed that value out).
"""

try:
    from conformance.subject.body import (
        Unplanned,
        describe_exception,
        make_exception,
        make_value,
        perform,
        throw_arguments,
    )
except ImportError:  # inside the agent, which runs this text after body.py's: the names are defined already
    pass

# The calls that make an operation and start it, and the argument classes each takes (athrow takes throw()'s).
OPERATION_CALLS = ("asend", "anext", "athrow", "aclose")

# The reactions an async generator's body has beyond a coroutine's: `yield` a value (the operation ends with
# StopIteration carrying it), `end` (fall off the end or a bare `return`: an async generator returns no value),
# and raise StopAsyncIteration (which PEP 525 turns into RuntimeError).
PAUSES = ("yield", "await")  # the reactions after which the body is resumed again
REACTIONS = ("yield", "await", "end", "raise", "raise-stop-iteration", "raise-stop-async-iteration", "propagate")


def make_operation(generator, call, argument, payload):
    """The awaitable of one operation, made but not started."""
    if call == "asend":
        return generator.asend(make_value(payload) if argument == "value" else None)
    if call == "anext":
        return generator.__anext__()
    if call == "athrow":
        return generator.athrow(*throw_arguments(argument, payload))
    if call == "aclose":
        return generator.aclose()
    raise ValueError("not an operation: %r" % (call,))


class Operations:
    """The generator a caller holds, and the operation it has in flight (None: none is)."""

    def __init__(self, generator):
        self.generator = generator
        self.in_flight = None

    def perform(self, call, argument, payload):
        """Make one call and describe what happened (body.perform's words). An operation call makes the
        operation and sends None to it; send/throw/close go to the operation in flight. An operation stays in
        flight while its calls return (the body passed a value out at an await); a refused new operation
        leaves the one in flight as it was."""
        if call in OPERATION_CALLS:
            try:
                operation = make_operation(self.generator, call, argument, payload)
            except Exception as error:  # noqa: BLE001 - refusing the arguments is the generator's answer
                return ["raised", describe_exception(error)]
            outcome = perform(operation, "send", "none", None)
        else:
            operation = self.in_flight
            if operation is None:
                raise Unplanned("%s() with no operation in flight: the model offers it only while one is" % (call,))
            outcome = perform(operation, call, argument, payload)
        if in_flight_after(self.in_flight is not None, call, outcome):
            self.in_flight = operation if outcome[0] == "returned" else self.in_flight
        else:
            self.in_flight = None
        return outcome


def in_flight_after(in_flight, call, outcome):
    """Whether an operation is in flight after a call with this outcome: one whose call returned a value (the
    body paused at an await) is, until a call on it raises or closes it; a new operation that was refused
    leaves the one in flight, if any, as it was."""
    if outcome is None:
        return False
    if call in OPERATION_CALLS:
        return outcome[0] == "returned" or in_flight
    return outcome[0] == "returned" and call != "close"


async def scripted_asyncgen(script):
    """An async generator driven by `script`: each resumption follows one plan (see body.py), whose reaction
    may also be `yield` (pass the plan's value to the operation's caller) or `end`. As in body.scripted_body,
    a body that caught an exception and does not pause again ends while it handles it."""
    try:
        plan = script.started()
        while plan["reaction"] in PAUSES:
            try:
                if plan["reaction"] == "yield":
                    received = yield make_value(plan["value"])
                else:
                    received = await script.pause(plan["value"])
            except BaseException as thrown:
                plan = script.caught(thrown)
                if plan["reaction"] == "propagate":
                    raise
                if plan["reaction"] not in PAUSES:
                    finish(plan)
                    return
            else:
                plan = script.received(received)
        finish(plan)
    finally:
        script.ended()


def finish(plan):
    """End the body as a plan that neither yields nor awaits says to."""
    reaction = plan["reaction"]
    if reaction == "end":
        return
    if reaction == "raise":
        raise make_exception(plan["value"])
    if reaction == "raise-stop-iteration":
        raise StopIteration(make_value(plan["value"]))
    if reaction == "raise-stop-async-iteration":
        raise StopAsyncIteration()
    raise Unplanned("the body was resumed with a value, but its plan was made for an exception that arrived "
                    "(reaction %r)" % (reaction,))
