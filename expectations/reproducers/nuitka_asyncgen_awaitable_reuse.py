# Nuitka only (python -m nuitka --module FILE, then python -c "import nuitka_asyncgen_awaitable_reuse"); plain
# CPython runs it too, for comparison. An asend() awaitable that already finished (the body yielded) is reused:
# CPython 3.7+ refuses both send() and throw() with RuntimeError('cannot reuse already awaited __anext__()/asend()');
# the Nuitka-compiled awaitable refuses send() the same way, but answers throw() with a bare StopIteration.


async def agen():
    yield 1
    yield 2


def outcome(call):
    try:
        return "returned %r" % (call(),)
    except BaseException as error:  # noqa: BLE001 - what the awaitable answers is the point
        return "raised %s(%r)" % (type(error).__name__, str(error))


generator = agen()
awaitable = generator.asend(None)
print("first send: %s" % outcome(lambda: awaitable.send(None)))
print("send again: %s" % outcome(lambda: awaitable.send(None)))
print("throw again: %s" % outcome(lambda: awaitable.throw(KeyError("again"))))
