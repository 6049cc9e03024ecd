# Nuitka only (compile this file as a module: python -m nuitka --module FILE, then
# python -c "import nuitka_collect_after_future_exit"; under CPython simply: python FILE): throw(GeneratorExit())
# into a coroutine suspended at `await` on an asyncio Future (no event loop runs; the Future stays pending), the
# body catching it and re-raising it with a bare `raise`, then dropping the coroutine and collecting, several
# times. CPython 3.7-3.13 print "GeneratorExit()" for each and "done". A Nuitka 4.3.3 build on CPython 3.11 dies:
# the throw() already misbehaves at such an await (nuitka_throw_at_await.py, case 2: RuntimeError('No active
# exception to reraise')) and the process is damaged after it (nuitka_crash_after_generator_exit.py).
import gc
import sys
from asyncio import futures


class StandInLoop:  # the little a Future asks of its loop while nobody adds callbacks
    def get_debug(self):
        return False

    def call_exception_handler(self, context):
        pass


async def body(future):
    try:
        await future
    except BaseException:
        raise


for kind in ("_CFuture", "_PyFuture") * 3:
    coro = body(getattr(futures, kind)(loop=StandInLoop()))
    coro.send(None)
    try:
        coro.throw(GeneratorExit())
    except BaseException as error:
        print(kind, repr(error))
    sys.stdout.flush()
    del coro
    gc.collect()
print("done")
