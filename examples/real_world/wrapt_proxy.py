"""wrapt's transparent proxies and decorators around coroutines and async functions."""

import wrapt


def proxied(coro):
    """wrapt.ObjectProxy(coro): a proxy object forwarding every attribute to the coroutine."""
    return wrapt.ObjectProxy(coro)


@wrapt.decorator
def _passthrough(wrapped, instance, args, kwargs):
    return wrapped(*args, **kwargs)


def passthrough(fn):
    """A plain @wrapt.decorator: calling the result returns fn's own coroutine."""
    return _passthrough(fn)


@wrapt.decorator
async def _awaiting(wrapped, instance, args, kwargs):
    return await wrapped(*args, **kwargs)


def awaiting(fn):
    """An `async def` @wrapt.decorator: calling the result returns a coroutine that awaits fn's."""
    return _awaiting(fn)
