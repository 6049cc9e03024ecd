# Nuitka only (compile this file as a module: python -m nuitka --module FILE, then
# python -c "import nuitka_close_return_none"; under CPython simply: python FILE): close() on a coroutine
# suspended at `await` whose body catches GeneratorExit and returns. CPython 3.6-3.13 print "close() returned
# None" for the body that returns 309 (3.13: "close() returned 309"), then "close() returned None" for the body
# that returns None, then "done". A Nuitka 4.3.3 build on CPython 3.11 prints the first line and then dies with
# SIGSEGV (exit status 139) inside the second close(): only a body that returns None crashes it (309, a tuple or
# the empty tuple do not).
import sys
import types


@types.coroutine
def suspend():
    yield 207


async def body(result):
    try:
        await suspend()
    except GeneratorExit:
        return result


for result in (309, None):
    coro = body(result)
    coro.send(None)
    print("close() returned %r" % (coro.close(),))
    sys.stdout.flush()
print("done")
