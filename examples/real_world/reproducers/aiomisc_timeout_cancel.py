"""On CPython 3.11 aiomisc.timeout runs the function through asyncio.wait_for, i.e. in a Task of its own:
seen from inside, the decorated coroutine is SUSPENDED instead of RUNNING, and when the task is cancelled and
the function swallows the cancellation and returns, the caller still gets CancelledError (the return value
is lost). CPython 3.12's wait_for awaits in the same task: no difference there."""
import asyncio
import inspect
import sys

import aiomisc


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


library, baseline = outcome(aiomisc.timeout(60)), outcome(native)
print("aiomisc.timeout: %s; native wrapper: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
