# Nuitka only (python -m nuitka --module FILE, then python -c "import nuitka_await_expression"); plain CPython
# runs it too, for comparison. The await expression on Nuitka-compiled coroutines:
# 1. a second coroutine awaiting one that is suspended in an await: CPython raises
#    RuntimeError('coroutine is being awaited already'); Nuitka 4.x lets it resume the coroutine.
# 2. `yield from` a coroutine inside a types.coroutine generator: CPython allows it (the generator delegates);
#    Nuitka raises TypeError("cannot 'yield from' a coroutine object in a non-coroutine generator").
import types


class Pause:
    def __init__(self, value):
        self.value, self.passed = value, False

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, received):
        if self.passed:
            raise StopIteration(received)
        self.passed = True
        return self.value


async def body():
    return await Pause(21)


async def awaiter(thing):
    return await thing


@types.coroutine
def decorated(coro):
    return (yield from coro)


def called(coro):
    return (yield from coro)


def step(coro, value=None):
    try:
        return "suspended, yielding %r" % (coro.send(value),)
    except StopIteration as stop:
        return "finished, returning %r" % (stop.value,)


def show(label, attempt):
    try:
        print("%s: %s" % (label, attempt()))
    except Exception as error:
        print("%s: %s(%r)" % (label, type(error).__name__, str(error)))


def second_awaiter():
    coro = body()
    first = awaiter(coro)
    first.send(None)
    return step(awaiter(coro))


def through(generator):
    return step(generator, None) + "; then " + step(generator, 5)


show("second awaiter", second_awaiter)
show("yield from in @types.coroutine generator", lambda: through(decorated(body())))
show("yield from in types.coroutine(f) generator", lambda: through(types.coroutine(called)(body())))
# CPython: second awaiter: RuntimeError('coroutine is being awaited already')
#          yield from in @types.coroutine generator: suspended, yielding 21; then finished, returning 5
#          yield from in types.coroutine(f) generator: suspended, yielding 21; then finished, returning 5
