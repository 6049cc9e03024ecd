"""Wrappers and decorators of async generators from PyPI libraries, applied as their users apply them."""

import asyncstdlib
import decorator
import wrapt


def borrowed(agen):
    """asyncstdlib.borrow(agen): an iterator over agen that does not close it."""
    return asyncstdlib.borrow(agen)


def proxied(agen):
    """wrapt.ObjectProxy(agen): a proxy forwarding every attribute to the async generator."""
    return wrapt.ObjectProxy(agen)


def auto_proxied(agen):
    """wrapt.AutoObjectProxy(agen): the proxy that also gives its class the special methods agen has."""
    return wrapt.AutoObjectProxy(agen)


@decorator.decorator
def _passthrough(func, *args, **kwargs):
    return func(*args, **kwargs)


def passthrough(fn):
    """A plain @decorator.decorator around an async generator function: the call returns fn's own generator."""
    return _passthrough(fn)
