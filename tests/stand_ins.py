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


class RepeatedSendAnsweredFromCache(Forwarding):
    """A "memoizing" wrapper: a send of the value it was sent last time is answered with what the coroutine
    answered then, and never reaches the coroutine. One sent value per sequence shows nothing; two do."""

    def send(self, value):
        if value is not None and value == getattr(self, "last_sent", None):
            return self.last_answer
        self.last_sent, self.last_answer = value, None
        self.last_answer = self.coroutine.send(value)
        return self.last_answer
