"""asyncstdlib.borrow(agen) inside an asyncio loop, dropped while its __anext__() is in flight (the body paused at an
await): the loop's exception handler gets the "aclose(): asynchronous generator is already running" failure of its
finalizer's aclose() task twice, once for the generator and once more for the borrowed view, which is an async
generator of its own that the loop registered too; the generator alone gets it once. Differs on 3.8 and later."""
import asyncio
import gc
import sys
import types

import asyncstdlib


@types.coroutine
def pause():
    yield "paused"


async def agen():
    await pause()
    yield 1


def run(wrap):
    loop = asyncio.new_event_loop()
    reported = []
    loop.set_exception_handler(lambda loop, context: reported.append(repr(context.get("exception"))))
    held = {}

    def start():  # inside the loop, as a program iterates it: the loop's asyncgen hooks are in effect
        held["it"] = wrap(agen())
        held["step"] = held["it"].__anext__()
        held["step"].send(None)  # the body passes "paused" out: __anext__() stays in flight

    loop.call_soon(start)
    loop.call_soon(loop.stop)
    loop.run_forever()
    held.clear()  # drop it, and the __anext__() in flight
    gc.collect()
    for _ in range(5):  # the finalizer's callback makes the aclose() task, which runs one pass later
        loop.call_soon(loop.stop)
        loop.run_forever()
    loop.close()
    return reported


library, baseline = run(asyncstdlib.borrow), run(lambda generator: generator)
print("borrow(agen): %s\nagen: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
