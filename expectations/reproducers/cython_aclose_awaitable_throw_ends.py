# Cython only (cythonize -i -3 FILE, then python -c "import cython_aclose_awaitable_throw_ends"); plain CPython runs it
# too, for comparison. An aclose() awaitable in flight (the body awaits while it cleans up) is ended by a throw() that
# the body lets through; then the awaitable is sent to again. CPython 3.8-3.12 do not mark an awaitable that a
# throw() ended as used up: the send finds the generator finished and ends with StopIteration. CPython 3.13 (gh-117894)
# and the Cython build on 3.11 mark it used up and refuse: RuntimeError('cannot reuse already awaited aclose()/athrow()').
# Exit 0 on the CPython 3.8-3.12 behaviour, 1 otherwise.
import sys
import types


@types.coroutine
def passout(value):
    return (yield value)


async def agen():
    try:
        yield "first"
    finally:
        await passout("cleaning up")


def outcome(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:  # noqa: BLE001 - what the awaitable answers is the point
        return "%s(%r)" % (type(error).__name__, str(error))


generator = agen()
outcome(lambda: generator.asend(None).send(None))
closing = generator.aclose()
steps = [outcome(lambda: closing.send(None)), outcome(lambda: closing.throw(KeyError("ends it"))),
         outcome(lambda: closing.send(None))]
print(steps)
sys.exit(0 if steps[2] == "StopIteration(None)" else 1)
