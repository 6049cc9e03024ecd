"""asyncstdlib's lru_cache and cache on an async function (each checked call has new arguments: a miss)."""

import asyncstdlib


def lru_cached(fn):
    """@asyncstdlib.lru_cache(maxsize=128): an `async def` that awaits fn inside `except KeyError:`."""
    return asyncstdlib.lru_cache(maxsize=128)(fn)


def uncached(fn):
    """@asyncstdlib.lru_cache(maxsize=0): the no-cache variant, an `async def` that just awaits fn."""
    return asyncstdlib.lru_cache(maxsize=0)(fn)
