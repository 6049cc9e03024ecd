"""Decorators of async functions, checked with `coroconf check ... --kind decorator`.

`logged` is the usual way: an `async def` wrapper that awaits the decorated function (`plain` is the same
without functools.wraps). It keeps `inspect.iscoroutinefunction` true. Calls reach the real coroutine through
the awaiting coroutine, so CPython's delegation rules apply (throw(GeneratorExit) closes the inner coroutine
instead of throwing into it, say); the check judges it against that baseline, "a native coroutine that
awaits it", and it conforms. `--baseline coroutine` holds it to a leaf coroutine's rules instead, where those
differences show.

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


def plain(function):
    async def wrapper(*args, **kwargs):
        return await function(*args, **kwargs)

    return wrapper


def traced(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return Traced(function(*args, **kwargs))

    mark = getattr(inspect, "markcoroutinefunction", None)
    return mark(wrapper) if mark else wrapper
