"""aiomisc.timeout awaits asyncio.wait_for(fn(...), 60), which on 3.11 runs the function as a Task of its own:
while the function is suspended at an await, following cr_await down from the decorated coroutine ends at an
asyncio future instead of reaching the object the function awaits, as it does for a native `return await fn()`
wrapper (tools that walk cr_await to show what a task waits for, such as asyncio's call-graph functions on 3.14
or awaitwhat, lose the function). Differs on CPython 3.11; from 3.12 wait_for awaits it in the caller's task."""
import asyncio
import sys

import aiomisc


def native(fn):
    async def wrapper(*a, **kw):
        return await fn(*a, **kw)
    return wrapper


class Pause:
    """What the function awaits (its own __await__() iterator, so cr_await is the Pause itself): it passes None
    out (asyncio's "run me again soon") until released."""

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        if released:
            raise StopIteration
        return None


def reaches_pause(decorate):
    """Whether the decorated coroutine's cr_await chain reaches the Pause while the function waits on it."""
    global released
    released, seen = False, {}

    async def fn():
        seen["pause"] = pause = Pause()
        await pause

    async def main():
        subject = decorate(fn)()
        task = asyncio.ensure_future(subject)
        for _ in range(10):  # enough loop passes for the function to reach its await, however it is run
            await asyncio.sleep(0)
        holder, chain = subject.cr_await, []
        while holder is not None and holder is not seen.get("pause") and len(chain) < 8:
            chain.append(type(holder).__name__)
            holder = getattr(holder, "cr_await", None) or getattr(holder, "gi_yieldfrom", None)
        global released
        released = True
        await task
        return holder is seen["pause"], chain

    return asyncio.run(main())


library, baseline = reaches_pause(aiomisc.timeout(60)), reaches_pause(native)
print("aiomisc.timeout: reaches the awaited object %s via %s; native wrapper: %s via %s"
      % (library[0], library[1], baseline[0], baseline[1]))
sys.exit(1 if library[0] != baseline[0] else 0)
