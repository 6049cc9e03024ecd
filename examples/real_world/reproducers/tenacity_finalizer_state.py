"""CPython 3.11 only: after throw(42) (a TypeError) into a coroutine made by tenacity.retry (two awaiting
levels), the function's coroutine is finalized while the decorated coroutine is still RUNNING; with a native
one-level `return await fn()` wrapper it sees SUSPENDED. On CPython 3.12 both see RUNNING: no difference."""
import inspect
import sys

import tenacity



def native(fn):
    async def wrapper(*a, **kw):
        return await fn(*a, **kw)
    return wrapper


class Step:
    """An await point with no throw(): a thrown exception lands in the awaiting frame."""

    def __await__(self):
        return iter([None])


def seen_from_inside(decorate):
    seen = []
    holder = {}

    async def body():
        try:
            await Step()
        except GeneratorExit:
            seen.append(inspect.getcoroutinestate(holder["subject"]))
            raise

    holder["subject"] = coro = decorate(body)()
    coro.send(None)
    try:
        coro.throw(42)
    except TypeError:
        pass
    return seen


library, baseline = seen_from_inside(tenacity.retry(stop=tenacity.stop_after_attempt(1), reraise=True)), seen_from_inside(native)
print("tenacity.retry: %s; native wrapper: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
