"""A correct coroutine wrapper: it records every call, and forwards everything else untouched.

    coroconf check examples.tracing:traced --kind wrapper        # conforms

Forwarding is the whole trick: send, throw and close go to the wrapped coroutine and their results
(values, exceptions, close()'s return value) come back unchanged; the cr_* attributes are read through,
so `inspect.getcoroutinestate` works on the wrapper too.
"""

import collections.abc


class Traced(collections.abc.Coroutine):
    """Wraps a coroutine and appends each call it forwards to `calls`."""

    def __init__(self, coro, calls=None):
        self._coro = coro
        self.calls = calls if calls is not None else []

    def send(self, value):
        self.calls.append(("send", value))
        return self._coro.send(value)

    def throw(self, *args):
        self.calls.append(("throw", args[0]))
        return self._coro.throw(*args)

    def close(self):
        self.calls.append(("close",))
        return self._coro.close()

    def __await__(self):
        # As CPython's await does for a coroutine: refuse a second awaiter while the coroutine is suspended in
        # an await (cr_await is what it awaits). The iterator passes every call through this wrapper, which
        # is itself no iterator: iter(wrapper) and next(wrapper) are TypeErrors, as for a coroutine.
        if self._coro.cr_await is not None:
            raise RuntimeError("coroutine is being awaited already")
        return TracedAwait(self)

    # Introspection, read through so that inspect.getcoroutinestate() sees the wrapped coroutine's state.
    @property
    def cr_running(self):
        return self._coro.cr_running

    @property
    def cr_suspended(self):
        return self._coro.cr_suspended

    @property
    def cr_frame(self):
        return self._coro.cr_frame

    @property
    def cr_await(self):
        return self._coro.cr_await

    @property
    def cr_code(self):
        return self._coro.cr_code

    def __getattr__(self, name):
        return getattr(self._coro, name)


class TracedAwait:
    """The iterator `Traced.__await__()` returns: iter() gives itself, and send, throw, close and next() go
    through the wrapper (so they are traced too)."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def __iter__(self):
        return self

    def __next__(self):
        return self._wrapper.send(None)

    def send(self, value):
        return self._wrapper.send(value)

    def throw(self, *args):
        return self._wrapper.throw(*args)

    def close(self):
        return self._wrapper.close()


def traced(coro):
    """The wrapper `coroconf check` calls: traced(coro) -> a coroutine-like object."""
    return Traced(coro)
