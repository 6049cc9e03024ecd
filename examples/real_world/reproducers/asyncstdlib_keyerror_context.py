"""asyncstdlib.lru_cache awaits the function inside `except KeyError:`, so every exception leaving the
decorated coroutine gets __context__ = KeyError; a native `return await fn()` wrapper adds none.
Differs on CPython 3.11 and 3.12 (lru_cache with maxsize > 0 or None; maxsize=0 does not)."""
import sys

import asyncstdlib


async def body():
    raise ValueError("body failed")


def native(fn):
    async def wrapper(*a, **kw):
        return await fn(*a, **kw)
    return wrapper


def context_of(decorated):
    try:
        decorated().send(None)
    except ValueError as error:
        return type(error.__context__).__name__ if error.__context__ is not None else None


library, baseline = context_of(asyncstdlib.lru_cache(maxsize=128)(body)), context_of(native(body))
print("asyncstdlib.lru_cache: __context__=%s; native wrapper: __context__=%s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
