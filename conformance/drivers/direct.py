"""In-process drivers that call the protocol methods themselves: directly, through `__await__()`,
through an awaiting coroutine, and on a generator-based coroutine."""

from __future__ import annotations

import gc
import types

from conformance.drivers.base import InProcessDriver
from conformance.subject import body


class DirectDriver(InProcessDriver):
    name = "direct"
    description = "send/throw/close called on the coroutine itself"
    awaitees = ("generator", "coroutine")


class AwaitIteratorDriver(InProcessDriver):
    name = "await"
    route = "await-iterator"
    description = "send/throw/close called on the iterator that coroutine.__await__() returns"
    awaitees = ("generator", "coroutine")

    def begin(self) -> None:
        super().begin()
        self._target = self.subject.__await__()

    def call_target(self):
        return self._target


async def delegate(inner):
    """The outer coroutine of the delegation driver: it only awaits the subject."""
    return await inner


class DelegationDriver(InProcessDriver):
    name = "delegation"
    route = "delegation"
    description = "the coroutine is awaited by an outer coroutine; send/throw/close called on the outer one"

    def begin(self) -> None:
        super().begin()
        self._target = delegate(self.subject)

    def call_target(self):
        return self._target

    def collect(self) -> None:
        # An outer coroutine that never started is scaffolding: close it quietly, so that only the
        # subject's own finalization (and its warning) is observed.
        if self._target is not None and self._target.cr_frame is not None and not self._target.cr_running \
                and self._target.cr_await is None:
            self._target.close()
        super().collect()

    def end(self) -> None:
        target, self._target = getattr(self, "_target", None), None
        if target is not None:
            target.close()
        super().end()


class GeneratorDriver(InProcessDriver):
    name = "generator"
    model_name = "generator"
    description = "a generator-based coroutine (types.coroutine, `yield from`) as the subject, called directly"
    subject_name = "scripted_generator"

    def make_subject(self, script):
        return types.coroutine(body.scripted_generator)(script)


__all__ = ["DirectDriver", "AwaitIteratorDriver", "DelegationDriver", "GeneratorDriver", "gc"]
