"""Deliberately broken async-generator wrappers: each one a realistic bug of the kind tracing, logging, "safe
iteration", priming and proxy wrappers have, for `coroconf check --kind asyncgen-wrapper` to find.

`BROKEN` maps a name to (wrapper factory, the bug in words). `tests/test_broken_wrappers.py` asserts each is
found by a default check and that `AsyncGenForwarding`, the correct wrapper they vary, is not;
`benchmarks/detection.py --kind asyncgen-wrapper` times the finding.
"""


class AsyncGenForwarding:
    """A correct, transparent wrapper: every operation and attribute goes to the wrapped async generator."""

    def __init__(self, agen):
        self._agen = agen

    def __aiter__(self):
        return self

    def __anext__(self):
        return self._agen.__anext__()

    def asend(self, value):
        return self._agen.asend(value)

    def athrow(self, *args):
        return self._agen.athrow(*args)

    def aclose(self):
        return self._agen.aclose()

    ag_running = property(lambda self: self._agen.ag_running)
    ag_frame = property(lambda self: self._agen.ag_frame)
    ag_await = property(lambda self: self._agen.ag_await)
    ag_suspended = property(lambda self: self._agen.ag_suspended)
    ag_code = property(lambda self: self._agen.ag_code)


async def reyielding(agen):
    """A logging wrapper written as an async generator: `async for` never passes asend()'s value or athrow()'s
    exception on to the wrapped generator."""
    async for item in agen:
        yield item


class AsendAsAnext(AsyncGenForwarding):
    """asend(v) treated as "next": the value never reaches the body."""

    def asend(self, value):
        return self._agen.__anext__()


class AthrowClosesFirst(AsyncGenForwarding):
    """athrow() that closes the generator and raises the exception itself: the body never sees it."""

    def athrow(self, *args):
        return self._close_then_raise(args)

    async def _close_then_raise(self, args):
        await self._agen.aclose()
        raise args[1] if len(args) > 1 and args[1] is not None else args[0]


class AcloseSwallows(AsyncGenForwarding):
    """aclose() that hides whatever closing raises ("closing must never fail")."""

    async def _aclose(self):
        try:
            await self._agen.aclose()
        except Exception:  # noqa: BLE001 - the bug
            pass

    def aclose(self):
        return self._aclose()


class AcloseForgotten(AsyncGenForwarding):
    """aclose() that only marks the wrapper closed: the generator's finally never runs."""

    async def _aclose(self):
        self.closed = True

    def aclose(self):
        return self._aclose()


class ClosedFlagFirst(AsyncGenForwarding):
    """A wrapper that remembers aclose() and answers every later operation itself with StopAsyncIteration,
    although a body that ignored GeneratorExit is still alive (and asend() would resume it)."""

    closed = False

    def aclose(self):
        self.closed = True
        return self._agen.aclose()

    async def _finished(self):
        raise StopAsyncIteration

    def asend(self, value):
        return self._finished() if self.closed else self._agen.asend(value)

    def __anext__(self):
        return self._finished() if self.closed else self._agen.__anext__()


class SafeAsend(AsyncGenForwarding):
    """A "safe" asend() that turns the end of the generator into a None item instead of StopAsyncIteration."""

    async def _asend(self, value):
        try:
            return await self._agen.asend(value)
        except StopAsyncIteration:
            return None

    def asend(self, value):
        return self._asend(value)


class SingleArgumentAthrow(AsyncGenForwarding):
    """athrow(exc) with one parameter, written before anyone passed (type, value, traceback)."""

    def athrow(self, exc):
        return self._agen.athrow(exc)


class RunningLies(AsyncGenForwarding):
    """A proxy that reports ag_running from its own bookkeeping, False unless one of its own calls is running:
    it cannot see an operation in flight at an await."""

    ag_running = False


class Primed(AsyncGenForwarding):
    """The classic priming decorator, applied to an async generator: it runs the body to its first yield at
    once, so the first value a caller asks for is the second."""

    def __init__(self, agen):
        super().__init__(agen)
        try:
            agen.asend(None).send(None)
        except StopIteration:
            pass


class CachedAnext(AsyncGenForwarding):
    """__anext__() that hands out the same awaitable while the previous item is "pending", and so hands out a
    finished one again."""

    _pending = None

    def __anext__(self):
        if self._pending is None:
            self._pending = self._agen.__anext__()
        return self._pending


class StopIterationLeaks(AsyncGenForwarding):
    """A wrapper whose asend() is a plain generator-based awaitable that returns the item: correct for a
    yield, but it turns the generator's StopAsyncIteration into a StopIteration-free return of None."""

    def asend(self, value):
        return _send_returning_none_at_end(self._agen, value)


class _ReturningNone:
    def __init__(self, operation):
        self.operation = operation

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, value):
        try:
            return self.operation.send(value)
        except StopAsyncIteration:
            raise StopIteration(None) from None

    def throw(self, *args):
        return self.operation.throw(*args)

    def close(self):
        return self.operation.close()


def _send_returning_none_at_end(agen, value):
    return _ReturningNone(agen.asend(value))


class AttributeProxy:
    """A proxy that forwards every attribute through __getattr__, as generic object proxies do: asend, athrow and
    aclose work, but `async for` and anext() look __anext__ up on the type, which has none."""

    def __init__(self, agen):
        self._agen = agen

    def __getattr__(self, name):
        return getattr(self._agen, name)


BROKEN = {
    "reyielding": (reyielding, "an `async for` re-yielding wrapper: asend() values and athrow() exceptions never reach the body"),
    "asend-as-anext": (AsendAsAnext, "asend(v) forwarded as __anext__(): the value is lost"),
    "athrow-closes-first": (AthrowClosesFirst, "athrow() closes the generator and raises the exception itself"),
    "aclose-swallows": (AcloseSwallows, "aclose() hides what closing raised"),
    "aclose-forgotten": (AcloseForgotten, "aclose() never closes the generator"),
    "closed-flag-first": (ClosedFlagFirst, "after aclose() the wrapper answers StopAsyncIteration itself, though the body may live on"),
    "safe-asend": (SafeAsend, "asend() turns StopAsyncIteration into a None item"),
    "single-argument-athrow": (SingleArgumentAthrow, "athrow() takes one argument only: the (type, value, traceback) form fails"),
    "running-lies": (RunningLies, "ag_running is the wrapper's own False, even while an operation is in flight"),
    "primed": (Primed, "the wrapper runs the body to its first yield when made: the first item is lost"),
    "cached-anext": (CachedAnext, "__anext__() hands out a finished awaitable again"),
    "attribute-proxy": (AttributeProxy, "__anext__ only through __getattr__: anext() and `async for` refuse the object"),
    "stop-iteration-leaks": (StopIterationLeaks, "asend()'s awaitable ends with StopIteration(None) instead of StopAsyncIteration"),
}
CORRECT = AsyncGenForwarding
