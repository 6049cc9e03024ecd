"""Deliberately broken coroutine wrappers: each one a realistic bug of the kind tracing, retry, timeout and
context-propagation wrappers have, for `coroconf check --kind wrapper` to find.

`BROKEN` maps a name to (wrapper factory, the bug in words, the oldest Python whose model can show it).
`benchmarks/detection.py` checks every one and `tests/test_broken_wrappers.py` asserts each is detected;
`Forwarding` itself is correct, and is checked too, as the control.
"""

import sys
import types


class AwaitIterator:
    """What `Forwarding.__await__()` returns: an iterator (iter() gives itself) whose calls go to the wrapper."""

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


class SlottedForwarding:
    """The three calls forwarded to the wrapped coroutine, and nothing else: no attributes, no weak references."""

    __slots__ = ("_coro",)

    def __init__(self, coro):
        self._coro = coro

    def send(self, value):
        return self._coro.send(value)

    def throw(self, *args):
        return self._coro.throw(*args)

    def close(self):
        return self._coro.close()


class Forwarding(SlottedForwarding):
    """A correct, transparent wrapper: every call and attribute goes to the wrapped coroutine."""

    iterator_class = AwaitIterator  # what __await__() returns

    def __await__(self):
        # As CPython's await does for a coroutine: refuse a second awaiter while the coroutine is suspended in
        # an await. The iterator passes every call back through this wrapper; the wrapper itself is no iterator.
        if self._coro.cr_await is not None:
            raise RuntimeError("coroutine is being awaited already")
        return self.iterator_class(self)

    cr_running = property(lambda self: self._coro.cr_running)
    cr_frame = property(lambda self: self._coro.cr_frame)
    cr_await = property(lambda self: self._coro.cr_await)
    cr_code = property(lambda self: self._coro.cr_code)
    cr_origin = property(lambda self: self._coro.cr_origin)
    if sys.version_info >= (3, 11):
        cr_suspended = property(lambda self: self._coro.cr_suspended)


class LostReturnValue(Forwarding):
    def send(self, value):
        try:
            return self._coro.send(value)
        except StopIteration:
            raise StopIteration  # a new StopIteration: the coroutine's return value is gone


class ThrowNotForwarded(Forwarding):
    def throw(self, *args):
        raise args[0]  # "cancel" by raising here: the body's except/finally never runs


class CloseNotForwarded(Forwarding):
    def close(self):
        self._closed = True  # marks itself closed, never closes the coroutine: its finally is skipped


class GeneratorExitSwallowed(Forwarding):
    def throw(self, *args):
        try:
            return self._coro.throw(*args)
        except GeneratorExit:
            return None  # "shutting down is not an error"


class SendValueDropped(Forwarding):
    def send(self, value):
        return self._coro.send(None)  # steps the coroutine, but the sent value never arrives


class ReentrantCallQueued(Forwarding):
    """A retry wrapper with its own busy flag: a call while busy is queued and answered with None,
    where a coroutine refuses it."""

    def __init__(self, coro):
        super().__init__(coro)
        self._busy, self._queued = False, []

    def send(self, value):
        if self._busy:
            self._queued.append(value)
            return None
        self._busy = True
        try:
            return self._coro.send(value)
        finally:
            self._busy = False


class StopIterationLeaking(Forwarding):
    """An "unwrap chained errors" helper: RuntimeError('... raised StopIteration') becomes the StopIteration
    again, which the caller reads as a normal return."""

    def send(self, value):
        try:
            return self._coro.send(value)
        except RuntimeError as error:
            if isinstance(error.__cause__, StopIteration):
                raise error.__cause__
            raise


class FrameCached(Forwarding):
    """Caches cr_frame when made: inspect.getcoroutinestate() never sees it close."""

    def __init__(self, coro):
        super().__init__(coro)
        self._frame = coro.cr_frame

    cr_frame = property(lambda self: self._frame)


class CloseReturnDropped(Forwarding):
    def close(self):
        self._coro.close()  # no `return`: close() of Python 3.13 returns the body's return value


class ThreeArgumentThrowBroken(Forwarding):
    def throw(self, exception):  # only the one-argument form; throw(type, value, tb) is a TypeError
        return self._coro.throw(exception)


class ResultMemoized(Forwarding):
    """An "await it twice" convenience: after it finishes, each send answers the result again."""

    _result = None

    def send(self, value):
        if getattr(self, "_finished", False):
            raise StopIteration(self._result)
        try:
            return self._coro.send(value)
        except StopIteration as stop:
            self._finished, self._result = True, stop.value
            raise


class CloseErrorsSwallowed(Forwarding):
    def close(self):
        try:
            return self._coro.close()
        except Exception:  # "close must never fail" hides what the body raised while closing
            return None


class ErrorsWrapped(Forwarding):
    class TracedError(Exception):
        pass

    def send(self, value):
        try:
            return self._coro.send(value)
        except (StopIteration, GeneratorExit):
            raise
        except Exception as error:  # adds context, changes the type every caller catches
            raise self.TracedError(f"in traced coroutine: {error}") from error


class NoAwait(Forwarding):
    __await__ = None  # send/throw/close only: `await wrapper` is a TypeError


class EagerStart(Forwarding):
    """Starts the coroutine at once ("so it begins before the first await"), and hides the first value."""

    def __init__(self, coro):
        super().__init__(coro)
        self._first = coro.send(None)


class NeverAwaitedSilenced(Forwarding):
    def __del__(self):
        self._coro.close()  # "no noisy warnings": a forgotten coroutine no longer says so


class CancelTranslated(Forwarding):
    """Every thrown exception becomes a KeyError (say, a library's own cancellation type)."""

    def throw(self, *args):
        error = args[0] if isinstance(args[0], BaseException) else None
        if isinstance(error, Exception):
            return self._coro.throw(KeyError(str(error)))
        return self._coro.throw(*args)


class ThrowValidatedEarly(Forwarding):
    """Checks throw()'s argument itself, as CPython does for a coroutine awaiting a plain iterator. But where
    the coroutine awaits an object with a throw() of its own, CPython raises the TypeError inside the body, at
    its await, so the body's handlers run: this wrapper skips them."""

    def throw(self, *args):
        kind = args[0]
        if not (isinstance(kind, BaseException) or (isinstance(kind, type) and issubclass(kind, BaseException))):
            raise TypeError(f"exceptions must be classes or instances deriving from BaseException, not "
                            f"{type(kind).__name__}")
        return self._coro.throw(*args)


class TwoAwaiters(Forwarding):
    """Its own iterator, the usual way (`return self`, with __iter__/__next__): a second awaiter of a suspended
    coroutine is accepted and resumes it, and iter(wrapper) works where a coroutine refuses."""

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)


class CopyingIterator(AwaitIterator):
    def __iter__(self):
        return CopyingIterator(self._wrapper)


class AwaitIteratorCopied(Forwarding):
    """iter() of its __await__() iterator returns a new iterator, not the iterator itself."""

    iterator_class = CopyingIterator


class ResultRebuilt(Forwarding):
    """Not itself broken: the base of wrappers that rebuild the StopIteration of a finished coroutine (to drop
    the wrapper's frames from its traceback, say), each with its own mistake in `rebuilt`. The new exception
    is raised outside the except block, so it has no __context__, as the coroutine's own has none."""

    def send(self, value):
        return self._resumed(self._coro.send, value)

    def throw(self, *args):
        return self._resumed(self._coro.throw, *args)

    def _resumed(self, method, *args):
        try:
            return method(*args)
        except StopIteration as stop:
            finished = stop
        raise self.rebuilt(finished)

    def rebuilt(self, stop):
        return StopIteration(stop.value)


class StopArgsIndexed(ResultRebuilt):
    """Rebuilds the StopIteration from its first argument: a coroutine that returns None raises StopIteration()
    with no args, so this raises IndexError."""

    def rebuilt(self, stop):
        return StopIteration(stop.args[0])


class ReturnedExceptionRaised(ResultRebuilt):
    """A result unwrapper that takes a returned exception for a failure and raises it: a body that *returns*
    an exception instance (a value, as asyncio.gather(return_exceptions=True) results are) raises instead."""

    def rebuilt(self, stop):
        return stop.value if isinstance(stop.value, BaseException) else StopIteration(stop.value)


class ReturnedTupleUnpacked(ResultRebuilt):
    """The classic C-level mistake: the result goes into StopIteration's args unpacked, so a returned tuple
    becomes its first item (or None for the empty tuple)."""

    def rebuilt(self, stop):
        result = stop.value
        return StopIteration(*result) if isinstance(result, tuple) else StopIteration(result)


class YieldedNoneSkipped(Forwarding):
    """A poller that reads a yielded None as "nothing happened yet" and steps the coroutine again (a few
    times), where the caller should have received the None."""

    def send(self, value):
        result = self._coro.send(value)
        for _ in range(3):
            if result is not None:
                break
            result = self._coro.send(None)
        return result


def generator_based(coro):
    """The pre-`async def` way: a types.coroutine generator that `yield from`s the coroutine. It is a
    generator, so its errors say "generator" and inspect.getcoroutinestate() cannot read it."""

    @types.coroutine
    def wrapper():
        return (yield from coro)

    return wrapper()


BROKEN = {
    "lost-return-value": (LostReturnValue, "re-raises a new StopIteration, losing the return value", None),
    "throw-not-forwarded": (ThrowNotForwarded, "throw() raises in the wrapper; the body never sees it", None),
    "close-not-forwarded": (CloseNotForwarded, "close() does not close the coroutine: finally skipped", None),
    "generator-exit-swallowed": (GeneratorExitSwallowed, "throw(GeneratorExit) swallowed, returns None", None),
    "send-value-dropped": (SendValueDropped, "send(x) sends None", None),
    "reentrant-call-queued": (ReentrantCallQueued, "a re-entrant send is queued instead of refused", None),
    "stop-iteration-leaking": (StopIterationLeaking, "unwraps PEP 479's RuntimeError into StopIteration", None),
    "frame-cached": (FrameCached, "cr_frame cached: the state attributes lie after the coroutine ends", None),
    "close-return-dropped": (CloseReturnDropped, "close() drops the body's return value", (3, 13)),
    "three-argument-throw": (ThreeArgumentThrowBroken, "throw() accepts only the one-argument form", None),
    "result-memoized": (ResultMemoized, "a finished wrapper answers its result again instead of refusing", None),
    "close-errors-swallowed": (CloseErrorsSwallowed, "close() hides what the body raised while closing", None),
    "errors-wrapped": (ErrorsWrapped, "the body's exceptions come out as another type", None),
    "no-await": (NoAwait, "no __await__: it cannot be awaited", None),
    "eager-start": (EagerStart, "starts the coroutine when wrapped", None),
    "never-awaited-silenced": (NeverAwaitedSilenced, "__del__ closes it: no never-awaited warning", None),
    "cancel-translated": (CancelTranslated, "every thrown exception becomes another type", None),
    "generator-based": (generator_based, "a types.coroutine generator: generator messages, no cr_*", None),
    "throw-validated-early": (ThrowValidatedEarly, "refuses throw(42) itself; CPython raises it in the body when "
                              "the body awaits an object with throw()", None),
    "two-awaiters": (TwoAwaiters, "__await__ returns the wrapper: a second awaiter is accepted, iter() works", None),
    "await-iterator-copied": (AwaitIteratorCopied, "iter() of its __await__() iterator is a new object", None),
    "stop-args-indexed": (StopArgsIndexed, "re-raises StopIteration(stop.args[0]): IndexError for a None result",
                          None),
    "yielded-none-skipped": (YieldedNoneSkipped, "a yielded None is read as nothing happened: steps again", None),
    "returned-exception-raised": (ReturnedExceptionRaised, "raises an exception the body returned as a value",
                                  None),
    "returned-tuple-unpacked": (ReturnedTupleUnpacked, "raise StopIteration(*result): a returned tuple unpacked",
                                None),
}

CORRECT = Forwarding


class ForwardingInACycle(Forwarding):
    """A correct wrapper that refers to itself: only the collector frees it, and its coroutine with it."""

    def __init__(self, coro):
        super().__init__(coro)
        self.myself = self


class ForwardingWithItsCoroutineInACycle(Forwarding):
    """A correct wrapper that leaves its coroutine in a cycle of its own: the wrapper goes at once, the
    coroutine only when the collector runs."""

    def __init__(self, coro):
        super().__init__(coro)
        self.box = [coro]
        self.box.append(self.box)


class SlottedForwardingInACycle(SlottedForwarding):
    """The same, referring to itself: only the collector frees it, and no weak reference tells when."""

    __slots__ = ("myself",)

    def __init__(self, coro):
        super().__init__(coro)
        self.myself = self


# Correct wrappers that only the collector frees, or whose coroutine only the collector frees: a check that
# skipped the collector at `collect` would blame them for CPython's own finalization. Each one's base class is
# the same wrapper without the cycle.
COLLECTED_ONLY = [ForwardingInACycle, ForwardingWithItsCoroutineInACycle, SlottedForwardingInACycle]

# `coroconf check benchmarks.broken_wrappers:<attribute> --kind wrapper` names, one per entry.
for _name, (_factory, _bug, _since) in BROKEN.items():
    globals()[_name.replace("-", "_")] = _factory

# Wrappers whose re-entrant calls land in a delegating frame: CPython 3.10/3.11 can crash on them (a throw
# into, or cr_await of, a coroutine or generator that is running an inner one), so they are checked with
# --isolate, in child processes, where a crash is a verdict.
ISOLATE = {"generator-based"}
