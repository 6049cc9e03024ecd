"""async_lru.alru_cache runs the function as a Task of its own and awaits it through asyncio.shield: seen from
inside, the decorated coroutine is SUSPENDED instead of RUNNING, and when the caller's task is cancelled and the
function swallows the cancellation and returns, the caller still gets CancelledError (the return value is
lost). Differs on CPython 3.11 and 3.12."""
import asyncio
import inspect
import sys

from async_lru import alru_cache


def native(fn):
    async def wrapper(*a, **kw):
        return await fn(*a, **kw)
    return wrapper


def outcome(decorate):
    seen = {}

    async def body():
        seen["state"] = inspect.getcoroutinestate(seen["subject"])
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return "swallowed"

    async def main():
        seen["subject"] = decorate(body)()
        task = asyncio.ensure_future(seen["subject"])
        await asyncio.sleep(0.01)
        task.cancel()
        try:
            return "returned %r" % (await task,)
        except asyncio.CancelledError:
            return "CancelledError"

    return asyncio.run(main()), seen["state"]


library, baseline = outcome(alru_cache(maxsize=None)), outcome(native)
print("alru_cache: %s; native wrapper: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
