# What PyPy's missing "running async" flag (see pypy_asyncgen_running_flag.py) does inside an asyncio event loop.
# An async generator is left with __anext__() in flight (its body paused at an await the loop never wakes), then
# closed by the loop: once by the finalizer's aclose() task after the generator is dropped, once by
# loop.shutdown_asyncgens(). CPython 3.8+ refuse both aclose() calls, since the generator counts as running, and
# the loop reports RuntimeError('aclose(): asynchronous generator is already running'); the body never sees
# GeneratorExit. PyPy 7.3 (language 3.9) lets aclose() throw GeneratorExit into the paused body, which closes, and
# nothing is reported, as CPython 3.6/3.7 do. Exit 1 where the body is closed.
import asyncio
import gc
import sys
import types


@types.coroutine
def pause():
    yield "paused"


async def agen(seen):
    try:
        await pause()
        yield 1
    except GeneratorExit:
        seen.append("body caught GeneratorExit")
        raise


def in_flight(loop, seen):
    """A generator the loop registered (firstiter), with __anext__() started inside the loop and left in flight."""
    generator = agen(seen)
    held = []

    def start():
        awaitable = generator.__anext__()
        awaitable.send(None)  # the body pauses at its await
        held.append(awaitable)

    loop.call_soon(start)
    loop.call_soon(loop.stop)
    loop.run_forever()
    return generator, held


def run(ending):
    loop = asyncio.new_event_loop()
    seen = []
    loop.set_exception_handler(lambda loop, context: seen.append("loop reported %r" % (context.get("exception"),)))
    generator, held = in_flight(loop, seen)
    if ending == "dropped":
        del generator, held
        gc.collect()
        for _ in range(5):
            loop.call_soon(loop.stop)
            loop.run_forever()
    else:
        loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    return seen


closed = False
for ending in ("dropped", "shutdown_asyncgens()"):
    seen = run(ending)
    print("%s with __anext__() in flight: %s" % (ending, seen))
    closed = closed or "body caught GeneratorExit" in seen
sys.exit(1 if closed else 0)
