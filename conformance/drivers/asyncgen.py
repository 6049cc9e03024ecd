"""The async generator driven by hand: each operation is made and started in one call, and send/throw/close
go to the operation in flight (conformance/subject/asyncgen_body.py)."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from conformance.drivers.base import InProcessDriver
from conformance.protocol.observation import HANG, SubjectFailure
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


class AsyncGenSubjectDriver(InProcessDriver):
    """What the drivers of a scripted async generator share: no asyncgen hooks while a call is made, and an
    aclose() that releases the generator at the end."""

    model_name = "asyncgen"
    subject_name = "scripted_asyncgen"

    def hooks(self):
        """The asyncgen hooks in effect while the driver makes a call: none."""
        return asyncgen_hooks()

    def make_subject(self, script):
        if self.subject_factory is not None:
            return self.subject_factory(script)
        return asyncgen_body.scripted_asyncgen(script)

    def collect(self) -> None:
        self.script.detach()  # first: dropping a handle may run the body at once
        self.release_handles()
        with self.hooks():
            super().collect()

    def release_handles(self) -> None:
        """Drop what the driver holds besides the generator (the awaitables it made)."""

    def close_subject(self) -> None:
        self.release_handles()
        with self.hooks():
            closing = self.subject.aclose()
            for _ in range(CLOSING_SENDS):
                closing.send(None)  # raises once the generator is closed (or refuses to be)


class AsyncGenDriver(AsyncGenSubjectDriver):
    name = "asyncgen"
    description = ("an async generator driven by hand: asend/__anext__/athrow/aclose make an operation and send "
                   "None to it; send/throw/close go to the operation in flight")
    operations = None

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

    def release_handles(self) -> None:
        self.operations = None  # it holds the generator and the operation in flight


class AsendAwaitableDriver(AsyncGenSubjectDriver):
    """One awaitable of an async generator as the subject (model/asyncgen-awaitable.toml): the generator is run
    to its first yield, then `operation` (call, argument class, payload) makes the awaitable every call goes to.
    The route names the method that made it."""

    name = "asend-awaitable"
    model_name = "asyncgen-awaitable"
    description = "the awaitable of ag.asend(None), made at the generator's first yield: send/throw/close go to it"
    makes = ("asend", "none", None)  # what body.awaitable_at_first_yield makes: (call, argument class, payload)
    _target = None

    @classmethod
    def operation(cls, model) -> tuple:
        """(call, argument class, payload) of the operation that makes the subject."""
        return cls.makes

    def begin(self) -> None:
        super().begin()
        with self.hooks():
            self._target = body.awaitable_at_first_yield(self.subject, self.script, *self.operation(self.model))

    def call_target(self):
        return self._target

    def deliver(self, step):
        with self.hooks():
            return super().deliver(step)

    def release_handles(self) -> None:
        self._target = None


class AnextAwaitableDriver(AsendAwaitableDriver):
    name = "anext-awaitable"
    route = "anext"
    description = "the awaitable of ag.__anext__(), made at the generator's first yield: send/throw/close go to it"
    makes = ("anext", "none", None)


class AthrowAwaitableDriver(AsendAwaitableDriver):
    name = "athrow-awaitable"
    route = "athrow"
    description = ("the awaitable of ag.athrow(ValueError(...)), made at the generator's first yield: send/throw/close "
                   "go to it")

    @classmethod
    def operation(cls, model) -> tuple:
        """athrow() of the ValueError the model's athrow route says arrives (its message is the model's `athrown`)."""
        return ("athrow", "instance", ["ValueError", model.messages["athrown"]])


class AcloseAwaitableDriver(AsendAwaitableDriver):
    name = "aclose-awaitable"
    route = "aclose"
    description = "the awaitable of ag.aclose(), made at the generator's first yield: send/throw/close go to it"
    makes = ("aclose", "none", None)


class AwaitedAnextDriver(AsendAwaitableDriver):
    """`await anext(ag)` in a native coroutine: the calls go to the coroutine, which passes them on to the
    __anext__() awaitable it awaits, and finishes when that does."""

    name = "awaited-anext"
    route = "awaited"
    description = ("ag.__anext__() awaited by a native coroutine (`return await anext(ag)`), made at the generator's "
                   "first yield: send/throw/close go to the coroutine")
    makes = ("awaited-anext", "none", None)


class AsyncForDriver(AsendAwaitableDriver):
    """`async for` in a native coroutine that hands each item out to its caller: the calls go to the coroutine."""

    name = "async-for"
    route = "async-for"
    description = ("an `async for` loop over the generator in a native coroutine that passes each item out to its "
                   "caller, started at the generator's first yield: send/throw/close go to the coroutine")
    makes = ("async-for", "none", None)


def hook_recorder(events, name):
    """A hook that records that it ran, as the event ["hook", name], and keeps no reference to the generator
    (nor to the script, whose survival tells that a body is alive)."""
    return lambda generator: events.append(["hook", name])


class AsyncGenHooksDriver(AsyncGenDriver):
    name = "asyncgen-hooks"
    route = "hooks"
    description = ("an async generator driven by hand with sys.set_asyncgen_hooks(firstiter, finalizer) in effect, "
                   "as an event loop installs them: each records that it ran")

    def hooks(self):
        events = self.script.events
        return asyncgen_hooks(hook_recorder(events, "firstiter"), hook_recorder(events, "finalizer"))


class AsyncGenLoopDriver(AsyncGenDriver):
    """The calls made by hand, each inside one pass of a real asyncio event loop, so that the loop's own asyncgen
    hooks are in effect, as for a generator a program iterates inside the loop: firstiter registers the generator
    with the loop, and the finalizer hands a collected generator to a task that closes it. A collect runs the loop
    until that task is done; what the loop's exception handler receives is recorded. Each subject has a loop of
    its own (body.SubjectLoop, which the agent uses too), so that nothing an earlier subject left behind runs, or
    reports, during its steps."""

    name = "asyncgen-asyncio"
    route = "asyncio"
    description = ("an async generator driven by hand inside a running asyncio event loop: the loop's own asyncgen "
                   "hooks are in effect, and a collected generator is closed by the task the loop's finalizer makes")
    ending = "collect"  # the final call that ends each sequence: the generator is dropped while the loop runs
    loop = None  # the subject's body.SubjectLoop

    def begin(self) -> None:
        super().begin()
        self.loop = body.SubjectLoop()

    def hooks(self):
        """No hooks of the driver's own: the loop's are in effect while a call runs inside it."""
        return asyncgen_hooks()

    def deliver(self, step):
        if step.call == "shutdown":
            outcome = self.loop.shut_down()
        else:
            outcome = self.loop.run(lambda: self.operations.perform(step.call, step.argument, step.payload))
        self.script.events.extend(self.loop.take_reports())
        return outcome

    def collect(self) -> None:
        """Drop the generator, then run the loop until the finalizer's task has closed it, and the collector only
        where something is still alive after that (in a reference cycle), then the loop again."""
        events = self.script.events
        self.release_handles()
        alive = self.drop_subject()
        self.settle_after_collection()
        if alive():
            self.run_collector(alive)
            self.settle_after_collection()
        events.extend(self.loop.take_reports())

    def settle_after_collection(self) -> None:
        if not self.loop.settle():
            raise SubjectFailure(HANG, body.UNSETTLED)

    def close_subject(self) -> None:
        self.loop.run(super().close_subject)

    def end(self) -> None:
        super().end()
        if self.loop is not None:
            self.loop.close()
            self.loop = None


class AsyncGenShutdownDriver(AsyncGenLoopDriver):
    name = "asyncgen-shutdown"
    ending = "shutdown"
    description = ("as asyncgen-asyncio, but each sequence ends as a program does, with loop.shutdown_asyncgens() "
                   "while the generator is still held, instead of a collection")

