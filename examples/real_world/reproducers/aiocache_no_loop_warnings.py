"""aiocache.cached, driven by send() outside a running asyncio loop, still returns the function's result, but its
cache get/set fail inside asyncio.wait_for (logged) and leave 'BaseCache.get'/'BaseCache.set' coroutines never
awaited (RuntimeWarning); a native `return await fn()` wrapper warns nothing. Differs on CPython 3.11 and 3.12
(inside a running loop the two behave alike)."""
import gc
import logging
import sys
import warnings

from aiocache import cached

logging.disable(logging.CRITICAL)


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
        gc.collect()
    return result, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


library, baseline = outcome(cached(ttl=60)(body)), outcome(native(body))
print("aiocache.cached: %s; native wrapper: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
