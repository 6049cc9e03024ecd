"""asyncio.Future as an awaitable, on a loop of its own (the check sends results in itself)."""

import asyncio

_loop = asyncio.new_event_loop()


def future():
    """asyncio.Future(loop=...): the C implementation (_asyncio.Future)."""
    return asyncio.Future(loop=_loop)


def py_future():
    """asyncio.futures._PyFuture(loop=...): the pure-Python implementation of the same class."""
    return asyncio.futures._PyFuture(loop=_loop)
