# Nuitka only (compile this file as a module: python -m nuitka --module FILE, then
# python -c "import nuitka_close_failed_return_none"; under CPython simply: python FILE): close() on a coroutine
# awaiting a generator that ignores GeneratorExit (yields again), so closing the generator raises
# RuntimeError('generator ignored GeneratorExit') at the body's await; the body catches that and returns.
# CPython 3.6-3.13 print "close() returned None" for a body returning 309 (3.13: 309) and for one returning None,
# then "done". A Nuitka 4.3.3 build on CPython 3.11 prints the first line and dies with SIGSEGV (exit status 139)
# in the second close(): as in nuitka_close_return_none.py, a body that returns None while closing crashes it.
import sys


def ignores_exit():
    while True:
        try:
            yield 207
        except GeneratorExit:
            pass


class AwaitsGenerator:
    def __await__(self):
        return ignores_exit()


async def body(result):
    try:
        await AwaitsGenerator()
    except RuntimeError:
        return result


for result in (309, None):
    coro = body(result)
    coro.send(None)
    print("close() returned %r" % (coro.close(),))
    sys.stdout.flush()
print("done")
