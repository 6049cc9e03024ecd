"""Wrappers for the `coroconf check` tests that the examples and benchmarks do not cover."""

import ctypes


class Bare:
    """Forwards send/throw/close and can be awaited, but offers no cr_* attributes to inspect."""

    def __init__(self, coro):
        self._coro = coro

    def send(self, value):
        return self._coro.send(value)

    def throw(self, *args):
        return self._coro.throw(*args)

    def close(self):
        return self._coro.close()

    def __await__(self):
        if self._coro.cr_await is not None:  # as CPython's await: no second awaiter of a suspended coroutine
            raise RuntimeError("coroutine is being awaited already")
        return self._coro.__await__()


class CrashOnThrow(Bare):
    """Reads address 0 when thrown into: the interpreter dies with SIGSEGV."""

    def throw(self, *args):
        ctypes.string_at(0)


class CrashOnNonException(Bare):
    """Reads address 0 when thrown something that is not an exception (throw(42)); otherwise transparent."""

    def throw(self, *args):
        if not isinstance(args[0], BaseException) and not (isinstance(args[0], type)
                                                           and issubclass(args[0], BaseException)):
            ctypes.string_at(0)
        return self._coro.throw(*args)


class HangsOnValue(Bare):
    """Spins forever when sent a value that is not None (a retry loop that never gives up)."""

    def send(self, value):
        while value is not None:
            pass
        return self._coro.send(value)
