"""A buggy coroutine wrapper, the kind that looks right in every happy-path test.

    coroconf check examples.buggy_tracing:timed --kind wrapper     # deviates, exit code 1

It times each step, and when the coroutine finishes it re-raises a *new* StopIteration, so the return
value of the wrapped coroutine is lost: `await timed(coro)` always gives None.
"""

import time

from examples.tracing import Traced


class Timed(Traced):
    def send(self, value):
        started = time.perf_counter()
        try:
            return self._coro.send(value)
        except StopIteration:
            self.calls.append(("finished", time.perf_counter() - started))
            raise StopIteration  # the bug: should be a bare `raise`, which keeps the value


def timed(coro):
    return Timed(coro)
