"""The asyncio driver: a real event loop runs the coroutine as a Task.

A loop can produce only two calls: a step of the task (send(None)) and a cancellation (throw of a
CancelledError, a BaseException that is not an Exception). The body may only pass None out at an await,
which asyncio reads as "run me again soon". What a step returned or raised is read back from the task.

Loop passes are not part of the protocol: a wrapper may await other asyncio machinery (a lock, a timeout)
before the scripted body runs, so a step runs the loop until the body has reached its next await point or
the task is done.
"""

from __future__ import annotations

import asyncio
import time

from conformance.drivers.base import InProcessDriver
from conformance.protocol.observation import HANG, SubjectFailure
from conformance.subject import body

body.EXCEPTIONS.setdefault("CancelledError", asyncio.CancelledError)
CANCEL_MESSAGE = "cancelled by coroutine-conformance"
STEP_SECONDS = 5.0  # how long a step may run the loop before the body reaches its await point


def new_loop(exception_handler) -> asyncio.AbstractEventLoop:
    """A new event loop (made quietly: body.new_quiet_loop) whose exception handler is `exception_handler`."""
    loop = body.new_quiet_loop()
    loop.set_exception_handler(exception_handler)
    return loop


class AsyncioDriver(InProcessDriver):
    name = "asyncio"
    route = "asyncio-task"
    # Task level: results, exceptions, cancellation and the state between steps. What the body sees of the
    # object its caller holds is not asked: a wrapper may run the body in another task (asyncio.wait_for).
    observes_inside = False
    description = "an asyncio event loop runs the coroutine as a Task: steps, cancellation, result retrieval"
    calls = frozenset({("send", "none"), ("throw", "base-exception")})
    awaitees = ("generator", "coroutine")  # a Future is the loop's own business: it wakes the task itself
    awaitee_gap = ((3, 11), "before 3.11 a Task replaces a CancelledError that leaves the coroutine with a new "
                            "one, and the model's row for it (asyncio-task.exception.propagate) cannot yet tell the "
                            "cancellation from an exception the awaited object raised")

    def payload_override(self, call, argument):
        return ["CancelledError", CANCEL_MESSAGE] if argument == "base-exception" else None

    def yielded_values(self):
        return [None]

    loop = None  # one loop for the whole run, as a program has: caches keyed on the loop stay valid
    task = None

    def begin(self) -> None:
        super().begin()
        if self.loop is None:
            self.loop = new_loop(lambda loop, context: None)
        self.task = None

    def deliver(self, step):
        if self.task is None:
            self.task = self.loop.create_task(self.subject)
        if step.call == "throw":
            self.task.cancel(step.payload[1])
        elif step.call != "send":
            raise ValueError(f"an event loop cannot make {step.call}()")
        if self.task.done():
            # A finished task is not stepped again; the coroutine itself is what refuses reuse.
            return body.perform(self.subject, step.call, step.argument, step.payload)
        self.run_until_paused()
        if not self.task.done():
            return ["returned", None]
        try:
            result = self.task.result()
        except BaseException as error:  # noqa: BLE001 - the task's outcome, whatever it is
            return ["raised", body.describe_exception(error)]
        return ["raised", body.describe_exception(StopIteration(result))]

    def run_until_paused(self) -> None:
        """Run loop passes until the scripted body reaches an await point again or the task ends."""
        pauses = self.script.pauses
        if not self.run_passes(lambda: self.task.done() or self.script.pauses != pauses):
            raise SubjectFailure(HANG, f"the task neither finished nor reached the body's await point "
                                       f"within {STEP_SECONDS:g} s of loop passes")

    def run_passes(self, reached) -> bool:
        """Run loop passes until `reached()` or STEP_SECONDS have gone by; whether it was reached."""
        deadline = time.monotonic() + STEP_SECONDS
        while True:
            self.loop.call_soon(self.loop.stop)
            self.loop.run_forever()
            if reached():
                return True
            if time.monotonic() > deadline:
                return False

    def end(self) -> None:
        """Let an unfinished task end (cancelled) before the next subject, so nothing of it runs later."""
        task, self.task = self.task, None
        if task is not None and not task.done() and self.loop is not None:
            self.let_go()
            task.cancel()
            self.run_passes(task.done)
        super().end()

    def finish(self) -> None:
        if self.loop is not None:
            self.loop.close()
            self.loop = None
