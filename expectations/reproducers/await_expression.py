# The await expression and the iterator surface (the model's [[probe]] rows), without coroconf. Runs on
# CPython, PyPy (pypy3 FILE) and MicroPython (node node/run_script.mjs micropython FILE).
# CPython 3.6-3.13 print:
#   await 1: TypeError("object int can't be used in 'await' expression")      (3.14: "'int' object can't be awaited")
#   __await__ gives int: TypeError("__await__() returned non-iterator of type 'int'")
#   __await__ gives coroutine: TypeError('__await__() returned a coroutine')
#   second awaiter: RuntimeError('coroutine is being awaited already')
#   await finished: RuntimeError('cannot reuse already awaited coroutine')
#   yield from in generator: TypeError("cannot 'yield from' a coroutine object in a non-coroutine generator")
#   iter(coro): TypeError("'coroutine' object is not iterable")
#   next(coro): TypeError("'coroutine' object is not an iterator")
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


async def await_int():
    return await 1


class GivesInt:
    def __await__(self):
        return 1


class GivesCoroutine:
    def __await__(self):
        return body()


def plain(coro):
    return (yield from coro)


def step(coro):
    try:
        return "suspended, yielding %r" % (coro.send(None),)
    except StopIteration as stop:
        return "finished, returning %r" % (getattr(stop, "value", None),)


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


def await_finished():
    coro = body()
    coro.send(None)
    try:
        coro.send(5)
    except StopIteration:
        pass
    return step(awaiter(coro))


show("await 1", lambda: step(await_int()))
show("__await__ gives int", lambda: step(awaiter(GivesInt())))
show("__await__ gives coroutine", lambda: step(awaiter(GivesCoroutine())))
show("second awaiter", second_awaiter)
show("await finished", await_finished)
show("yield from in generator", lambda: step(plain(body())))
def iter_coroutine():
    return "returned a %s" % (type(iter(body())).__name__,)


def next_coroutine():
    return "returned %r" % (next(body()),)


show("iter(coro)", iter_coroutine)
show("next(coro)", next_coroutine)
