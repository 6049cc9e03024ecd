"""The async generator driven by hand: each operation is made and started in one call, and send/throw/close
go to the operation in flight (conformance/subject/asyncgen_body.py)."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from conformance.drivers.base import InProcessDriver
from conformance.subject import asyncgen_body, body

# How many sends end() gives the aclose() that releases a generator whose body keeps pausing.
CLOSING_SENDS = 8


@contextmanager
def asyncgen_hooks(firstiter=None, finalizer=None):
    """These firstiter/finalizer hooks (by default none) while a call is made: an event loop of the process
    running the suite (a pytest plugin's) must not adopt the generator, whose first iteration and finalization
    the driver's route describes."""
    hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(firstiter, finalizer)
    try:
        yield
    finally:
        sys.set_asyncgen_hooks(*hooks)


class AsyncGenDriver(InProcessDriver):
    name = "asyncgen"
    model_name = "asyncgen"
    description = ("an async generator driven by hand: asend/__anext__/athrow/aclose make an operation and send "
                   "None to it; send/throw/close go to the operation in flight")
    subject_name = "scripted_asyncgen"
    operations = None

    def hooks(self):
        """The asyncgen hooks in effect while the driver makes a call: none."""
        return asyncgen_hooks()

    def make_subject(self, script):
        if self.subject_factory is not None:
            return self.subject_factory(script)
        return asyncgen_body.scripted_asyncgen(script)

    def begin(self) -> None:
        super().begin()
        self.operations = body.Operations(self.subject)
        self.script.reenter = self.operations.perform

    def deliver(self, step):
        with self.hooks():
            return self.operations.perform(step.call, step.argument, step.payload)

    def holds_up(self, state: str, history) -> bool:
        """A state with an operation in flight (where the model offers send()) needs one: after a subject
        that ended an operation the model kept in flight, there is nothing left to send to."""
        in_flight = False
        for record in history:
            in_flight = body.in_flight_after(in_flight, record.step.call, record.observation.outcome)
        return in_flight or state not in self.model.calls["send"].states

    def collect(self) -> None:
        self.script.reenter = None
        self.operations = None  # it holds the generator and the operation in flight
        with self.hooks():
            super().collect()

    def close_subject(self) -> None:
        self.operations = None
        with self.hooks():
            closing = self.subject.aclose()
            for _ in range(CLOSING_SENDS):
                closing.send(None)  # raises once the generator is closed (or refuses to be)


def hook_recorder(script, name):
    """A hook that records that it ran, as the event ["hook", name], and keeps no reference to the generator."""
    return lambda generator: script.events.append(["hook", name])


class AsyncGenHooksDriver(AsyncGenDriver):
    name = "asyncgen-hooks"
    route = "hooks"
    description = ("an async generator driven by hand with sys.set_asyncgen_hooks(firstiter, finalizer) in effect, "
                   "as an event loop installs them: each records that it ran")

    def hooks(self):
        return asyncgen_hooks(hook_recorder(self.script, "firstiter"), hook_recorder(self.script, "finalizer"))
