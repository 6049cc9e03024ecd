"""The `decorator` package with an async caller, the documented way to decorate coroutine functions."""

from decorator import decorator


@decorator
async def _logged(func, *args, **kwargs):
    return await func(*args, **kwargs)


def logged(fn):
    """@decorator-made decorator from an `async def` caller: a coroutine awaiting the caller awaiting fn."""
    return _logged(fn)
