"""wrapt.AutoObjectProxy(agen).__anext__() is an `async def` awaiting agen.__anext__(): throw(GeneratorExit())
into it, while the body is paused at an await, closes the inner awaitable instead of throwing into the body, so
the body never sees GeneratorExit and the generator is left counting as running. Differs on 3.11 and 3.12."""
import sys
import types

import wrapt


@types.coroutine
def pause(value):
    return (yield value)


def run(wrap):
    seen = []

    async def agen():
        try:
            await pause(207)
        except GeneratorExit:
            seen.append("GeneratorExit")
            raise
        yield 1

    generator = agen()
    operation = wrap(generator).__anext__()
    operation.send(None)
    try:
        operation.throw(GeneratorExit())
        outcome = "returned"
    except BaseException as error:
        outcome = type(error).__name__
    return outcome, list(seen), generator.ag_running, generator.ag_frame is None  # a copy, as finalizing adds


library, baseline = run(wrapt.AutoObjectProxy), run(lambda agen: agen)
print("AutoObjectProxy(agen): %s; agen: %s (outcome, what the body saw, ag_running, frame gone)" % (library, baseline))
sys.exit(1 if library != baseline else 0)
