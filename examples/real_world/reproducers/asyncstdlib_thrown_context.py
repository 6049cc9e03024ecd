"""asyncstdlib.lru_cache awaits the function inside `except KeyError:`: an exception the body raises while
handling one thrown into it (throw(ValueError) at an await, the body's `except` raising ValueError('raised'))
gets __context__ = KeyError instead of the thrown exception; a native `return await fn()` wrapper and the bare
coroutine give the thrown ValueError. (A thrown KeyError hides it: the context is then KeyError either way.)
Differs on CPython 3.11 and 3.12."""
import sys
import types

import asyncstdlib


@types.coroutine
def suspend():
    yield 200


async def body(key):
    try:
        await suspend()
    except BaseException:
        raise ValueError("raised")


def native(fn):
    async def wrapper(*a, **kw):
        return await fn(*a, **kw)
    return wrapper


def context_after_throw(decorated, key):
    coro = decorated(key)
    coro.send(None)
    try:
        coro.throw(ValueError)
    except ValueError as error:
        return type(error.__context__).__name__ if error.__context__ is not None else None


library = context_after_throw(asyncstdlib.lru_cache(maxsize=128)(body), 1)
baseline = context_after_throw(native(body), 2)
print("asyncstdlib.lru_cache: __context__=%s; native wrapper: __context__=%s; bare coroutine: __context__=%s"
      % (library, baseline, context_after_throw(body, 3)))
sys.exit(1 if library != baseline else 0)
