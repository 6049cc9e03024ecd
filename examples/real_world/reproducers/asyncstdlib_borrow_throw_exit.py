"""asyncstdlib.borrow(agen).__anext__() runs through an inner `async for`: throw(GeneratorExit()) into that
awaitable, while the body is paused at an await, closes the inner awaitable instead of reaching the body, which
never sees GeneratorExit and stays alive. Differs on 3.11 and 3.12."""
import sys
import types

import asyncstdlib


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
    return outcome, list(seen), generator.ag_frame is None  # a copy: finalizing the generator later adds to seen


library, baseline = run(asyncstdlib.borrow), run(lambda agen: agen)
print("borrow(agen): %s; agen: %s (outcome, what the body saw, frame gone)" % (library, baseline))
sys.exit(1 if library != baseline else 0)
