"""Awaitables that break the protocol in ways the awaitable checks must find."""


class Ticker:
    """A hand-written iterator with only __next__: yields once, then finishes with 7. Correct."""

    def __init__(self):
        self.steps = 0

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        self.steps += 1
        if self.steps == 1:
            return "tick"
        raise StopIteration(7)


class Restarting(Ticker):
    """Forgets that it finished: every other __next__ yields again."""

    def __next__(self):
        self.steps += 1
        if self.steps % 2:
            return "tick"
        raise StopIteration(7)


class CloseIgnored:
    """Has close(), but close() does not finish it: it keeps yielding."""

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return "tick"

    def send(self, value):
        return "tick"

    def close(self):
        pass
