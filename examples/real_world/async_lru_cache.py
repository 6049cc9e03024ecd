"""async-lru's @alru_cache on an async function (each checked call has new arguments, so every call misses)."""

from async_lru import alru_cache


def cached(fn):
    """@alru_cache(maxsize=None): an `async def` that runs fn as its own asyncio Task and awaits it shielded."""
    return alru_cache(maxsize=None)(fn)
