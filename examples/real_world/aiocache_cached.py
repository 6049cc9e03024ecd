"""aiocache's @cached on an async function, with the default in-memory cache."""

from aiocache import cached as _cached


def cached(fn):
    """@aiocache.cached(ttl=60): an `async def` that looks the key up, awaits fn, stores the result."""
    return _cached(ttl=60)(fn)
