# Standalone (python FILE; CPython 3.8+, PyPy, or compiled: python -m nuitka --module FILE, then python -c "import
# athrow_awaitable_reuse"). An athrow() awaitable is reused in two ways:
# (1) it finished on its first send (the body caught the exception and yielded): CPython 3.8+ refuse a second send
#     and a throw() with RuntimeError('cannot reuse already awaited aclose()/athrow()');
# (2) it went through an await before it finished: CPython (every version) does not mark it used up, so a second
#     send resumes the generator and hands out its next value.
# Prints what each reuse gives; exit 0 when both match CPython 3.8+.
import sys
import types


@types.coroutine
def passout(value):
    return (yield value)


async def agen(pause):
    while True:
        try:
            yield "value"
        except KeyError:
            if pause:
                await passout("paused")
            yield "caught"


def outcome(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:  # noqa: BLE001 - what the awaitable answers is the point
        return "%s(%r)" % (type(error).__name__, str(error))


def reuse(pause):
    generator = agen(pause)
    outcome(lambda: generator.asend(None).send(None))
    awaitable = generator.athrow(KeyError("athrown"))
    steps = [outcome(lambda: awaitable.send(None))]
    if pause:
        steps.append(outcome(lambda: awaitable.send(None)))
    steps.append(outcome(lambda: awaitable.send(None)))
    steps.append(outcome(lambda: awaitable.throw(KeyError("again"))))
    return steps


first, through_await = reuse(False), reuse(True)
print("finished on its first send, then send and throw:", first)
print("went through an await, then send and throw:", through_await)
refused = "RuntimeError('cannot reuse already awaited aclose()/athrow()')"
ok = first[1:] == [refused, refused] and through_await[2] == "StopIteration('value')"
sys.exit(0 if ok else 1)
