"""Decorators of async functions, checked with `coroconf check ... --kind decorator`.

`logged` is the usual way: an `async def` wrapper that awaits the decorated function. It keeps
`inspect.iscoroutinefunction` true, but it is not quite transparent: calls reach the real coroutine
through an awaiting coroutine, so throw(GeneratorExit) closes the inner coroutine instead of throwing into
it (the model's delegation route). The check reports exactly that.

`traced` returns the decorated function's coroutine wrapped in the forwarding `Traced` object, which is
transparent; `inspect.iscoroutinefunction` is then false unless marked (Python 3.12+).
"""

import functools
import inspect

from examples.tracing import Traced


def logged(function):
    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        return await function(*args, **kwargs)

    return wrapper


def traced(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return Traced(function(*args, **kwargs))

    mark = getattr(inspect, "markcoroutinefunction", None)
    return mark(wrapper) if mark else wrapper
