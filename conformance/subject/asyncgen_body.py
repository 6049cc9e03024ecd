"""The scripted async generator: body.py's scripted body, with `yield` as a reaction.

Kept apart from body.py because `async def` with `yield` is a syntax error on interpreters without async
generators (MicroPython): they can still run body.py and say this driver is unavailable. Like body.py it runs
unchanged on CPython 3.6+ and PyPy and imports nothing: everything it needs comes through the script (the agent
runs its text after body.py's where an interpreter can compile it: see agent.py's ASYNCGEN_PROBLEM). The
operations a caller drives it with by hand are body.Operations.
"""

# The reactions an async generator's body has beyond a coroutine's: `yield` a value (the operation ends with
# StopIteration carrying it), `end` (fall off the end or a bare `return`: an async generator returns no value),
# and raise StopAsyncIteration (which PEP 525 turns into RuntimeError). body.Script.finish ends the body for
# the others; the operations that drive it are body.Operations.
ASYNCGEN_PAUSES = ("yield", "await")  # the reactions after which the body is resumed again
ASYNCGEN_REACTIONS = ("yield", "await", "end", "raise", "raise-stop-iteration", "raise-stop-async-iteration", "propagate")


async def scripted_asyncgen(script):
    """An async generator driven by `script`: each resumption follows one plan (see body.py), whose reaction
    may also be `yield` (pass the plan's value to the operation's caller) or `end`. As in body.scripted_body,
    a body that caught an exception and does not pause again ends while it handles it."""
    try:
        plan = script.started()
        while plan["reaction"] in ASYNCGEN_PAUSES:
            try:
                if plan["reaction"] == "yield":
                    received = yield script.value(plan["value"])
                else:
                    received = await script.pause(plan["value"])
            except BaseException as thrown:
                plan = script.caught(thrown)
                if plan["reaction"] == "propagate":
                    raise
                if plan["reaction"] not in ASYNCGEN_PAUSES:
                    script.finish(plan)
                    return
            else:
                plan = script.received(received)
        script.finish(plan)
    finally:
        script.ended()
