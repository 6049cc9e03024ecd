"""`await wrapt.ObjectProxy(coro)` raises TypeError (the proxy has no am_await slot), while `await coro`
works; send/throw/close and cr_* attributes are forwarded. Differs on CPython 3.11 and 3.12."""
import sys

import wrapt


async def body():
    return 42


async def outer(awaitable):
    return await awaitable


def outcome(make):
    coro = body()
    try:
        outer(make(coro)).send(None)
    except StopIteration as stop:
        return "returned %r" % (stop.value,)
    except Exception as error:
        return "%s: %s" % (type(error).__name__, error)
    finally:
        coro.close()


library, baseline = outcome(wrapt.ObjectProxy), outcome(lambda coro: coro)
print("await ObjectProxy(coro): %s; await coro: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
