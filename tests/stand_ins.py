"""Coroutine stand-ins for the tests: a faithful wrapper around a real native coroutine, and wrappers that
each break one rule of the protocol on purpose (the engine must catch every one)."""

from __future__ import annotations


class Forwarding:
    """A faithful wrapper: every call and cr_* attribute goes to the coroutine."""

    def __init__(self, coroutine):
        self.coroutine = coroutine

    def send(self, value):
        return self.coroutine.send(value)

    def throw(self, *arguments):
        return self.coroutine.throw(*arguments)

    def close(self):
        return self.coroutine.close()

    def __getattr__(self, name):
        if name.startswith("cr_"):
            return getattr(self.coroutine, name)
        raise AttributeError(name)


class DropsSentValue(Forwarding):
    def send(self, value):
        return self.coroutine.send(None) if self.coroutine.cr_frame is not None and \
            self.coroutine.cr_await is not None else self.coroutine.send(value)


class ThrowNeverReachesBody(Forwarding):
    def throw(self, *arguments):
        self.coroutine.close()
        error = arguments[0] if isinstance(arguments[0], BaseException) else arguments[0]()
        raise error


class CloseSkipsFinally(Forwarding):
    def close(self):
        return None


class SwallowsIgnoredExit(Forwarding):
    def close(self):
        try:
            return self.coroutine.close()
        except RuntimeError:
            return None


class LosesReturnValue(Forwarding):
    def send(self, value):
        try:
            return self.coroutine.send(value)
        except StopIteration:
            raise StopIteration(None) from None


class RewordsErrors(Forwarding):
    """Same exception types, other messages: a message-only difference."""

    def send(self, value):
        try:
            return self.coroutine.send(value)
        except (TypeError, RuntimeError, ValueError) as error:
            reworded = type(error)("something went wrong")
            links = error.__cause__, error.__context__
        # Raised outside the handler, with the original's cause and context: only the text differs. The
        # original is not kept (its traceback would keep the coroutine alive past its collection).
        reworded.__cause__, reworded.__context__ = links
        try:
            raise reworded
        finally:
            reworded = links = None


class HidesIntrospection(Forwarding):
    """Faithful calls but no cr_* attributes: inspect cannot read its state."""

    def __getattr__(self, name):
        raise AttributeError(name)


class AwaitsElsewhere(Forwarding):
    """Faithful calls, but cr_await is a stand-in of its own rather than the object the body awaits."""

    def __getattr__(self, name):
        value = super().__getattr__(name)
        return [value] if name == "cr_await" and value is not None else value


class DropsSuspended(Forwarding):
    """Faithful, with cr_running and cr_frame but no cr_suspended (as wrappers written before 3.11 are):
    inspect.getcoroutinestate raises AttributeError on it from 3.11 on."""

    def __getattr__(self, name):
        if name == "cr_suspended":
            raise AttributeError(name)
        return super().__getattr__(name)


class SuspendedIsNoise(Forwarding):
    """Faithful, but cr_suspended reads a constant, whatever the state (as Nuitka's reads a byte of a pointer)."""

    def __init__(self, coroutine, reading=False):
        super().__init__(coroutine)
        self.reading = reading

    def __getattr__(self, name):
        value = super().__getattr__(name)
        return self.reading if name == "cr_suspended" else value


class OriginElsewhere(Forwarding):
    """cr_origin names a place the coroutine was not made at (the warning it gives names the real one)."""

    def __getattr__(self, name):
        value = super().__getattr__(name)
        return (("elsewhere.py", 1, "nowhere"),) if name == "cr_origin" and value is not None else value


class HidesOrigin(Forwarding):
    """Faithful, but without cr_origin: where it was made cannot be seen."""

    def __getattr__(self, name):
        if name == "cr_origin":
            raise AttributeError(name)
        return super().__getattr__(name)


class RepeatedSendAnsweredFromCache(Forwarding):
    """A "memoizing" wrapper: a send of the value it was sent last time is answered with what the coroutine
    answered then, and never reaches the coroutine. One sent value per sequence shows nothing; two do."""

    def send(self, value):
        if value is not None and value == getattr(self, "last_sent", None):
            return self.last_answer
        self.last_sent, self.last_answer = value, None
        self.last_answer = self.coroutine.send(value)
        return self.last_answer
