# Nuitka only (compile this file as a module: python -m nuitka --module FILE, then
# python -c "import nuitka_suspended_while_delegating"; under CPython simply: python FILE): a coroutine awaits a
# generator (an __await__ written as a generator) or another coroutine; send() reaches the awaited object, which
# passes out a value again, so the awaiting coroutine stays suspended without its body running.
# CPython 3.11-3.13 print, for all three: cr_suspended True after the first and after the second send(), and
# cr_await is the awaited object (for the generator: the iterator __await__ returned). A Nuitka 4.3.3 build on
# CPython 3.11 prints cr_suspended False for all three (the attribute exists but is never set), and for the
# awaited coroutine cr_await is another object, of the type printed last, not the coroutine it awaits.
import types


def passes_out_twice():
    yield 1
    yield 2


class AwaitsGenerator:
    def __init__(self):
        self.iterator = passes_out_twice()

    def __await__(self):
        return self.iterator


@types.coroutine
def pause(value):
    yield value


async def awaited():
    await pause(1)
    await pause(2)


async def body(awaitable):
    await awaitable


class Suspend:  # an iterator with send() only
    def __init__(self):
        self.values = [1, 2]

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, received):
        if not self.values:
            raise StopIteration(received)
        return self.values.pop(0)


for label, make in (("iterator", Suspend), ("generator", AwaitsGenerator), ("coroutine", awaited)):
    awaitable = make()
    target = awaitable.iterator if label == "generator" else awaitable
    coro = body(awaitable)
    coro.send(None)
    before = coro.cr_suspended
    coro.send(None)  # the awaited object passes out 2: the body does not run
    print(label, "cr_suspended:", before, coro.cr_suspended, "cr_await is the awaited object:", coro.cr_await is target,
          type(coro.cr_await).__name__)
    coro.close()
