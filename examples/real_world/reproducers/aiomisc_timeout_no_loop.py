"""aiomisc.timeout needs a running asyncio loop: driven by send() outside one, the decorated coroutine raises
RuntimeError('no running event loop') and leaves the function's coroutine never awaited (RuntimeWarning),
where a native `return await fn()` wrapper just runs it. Differs on CPython 3.11 and 3.12."""
import sys
import warnings

import aiomisc


async def body():
    return 42


def native(fn):
    async def wrapper(*a, **kw):
        return await fn(*a, **kw)
    return wrapper


def outcome(decorated):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            decorated().send(None)
        except StopIteration as stop:
            result = "returned %r" % (stop.value,)
        except Exception as error:
            result = "%s(%s)" % (type(error).__name__, error)
        import gc; gc.collect()
    return result, [str(w.message) for w in caught]


library, baseline = outcome(aiomisc.timeout(60)(body)), outcome(native(body))
print("aiomisc.timeout: %s; native wrapper: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
