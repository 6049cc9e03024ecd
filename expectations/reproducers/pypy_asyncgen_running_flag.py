# PyPy 7.3 (language 3.9) has no "running async" flag on async generators, which CPython has from 3.8
# (bpo-30773): while an asend() awaitable is in flight (the body paused at an await), CPython 3.8+ shows
# ag_running True and refuses a second operation with RuntimeError('anext(): asynchronous generator is already
# running'); PyPy shows ag_running False and lets the second operation resume the pending await, as CPython 3.6
# and 3.7 did. Exit 1 where the second operation is let through.
import sys
import types


@types.coroutine
def pause(value):
    return (yield value)


async def agen():
    received = await pause("x")
    yield ("got", received)


def attempt(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:
        return "%s(%r)" % (type(error).__name__, str(error))


generator = agen()
print("asend(None).send(None): %s; ag_running %r" % (attempt(lambda: generator.asend(None).send(None)),
                                                       generator.ag_running))
second = attempt(lambda: generator.asend("second").send(None))
print("a second asend('second').send(None): %s" % (second,))
sys.exit(0 if second.startswith("RuntimeError") else 1)
