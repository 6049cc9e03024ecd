"""The driver interface, and the in-process machinery the concrete drivers share."""

from __future__ import annotations

import gc
import inspect
import linecache
import platform
import sys
import warnings
import weakref

from conformance.protocol.model import RUNNING, Model
from conformance.protocol.observation import Observation
from conformance.protocol.steps import Step
from conformance.subject import body


class DriverUnavailable(Exception):
    """This driver cannot run here (say, a subject with no __await__); the message says why."""


class Driver:
    """Delivers a step's call to a fresh subject and reports what it observed.

    `route` names the model's route whose rows predict what this driver sees; `calls` lists the
    (call, argument class) pairs it can deliver (None: all of them). The engine knows nothing else.
    """

    name = "driver"
    route = "direct"
    model_name = "coroutine"
    description = ""
    calls: frozenset | None = None
    ending: str | None = None  # of the model's final calls, the one that ends this driver's sequences (None: any)
    subject_name = "scripted_body"
    observes_inside = True  # the body reports its own coroutine's state when it resumes
    awaitees: tuple[str, ...] = ()  # the model's awaitee kinds this driver also runs with (see with_awaitee)
    awaitee_gap: tuple | None = None  # (modelled_since, modelled_why) for those variants, where they have one
    awaitee: str | None = None  # the kind this driver's body awaits; None: the model's first (a plain iterator)
    base_name: str | None = None  # for a driver made by with_awaitee: the driver it varies
    remote = False  # the subject lives in a child interpreter, which says itself what it can await
    # Where a version profile older than `modelled_since` leaves part of what the driver reaches undescribed,
    # the driver is not run on it: a run there would blame the subject for the model's gap (`modelled_why`).
    modelled_since: tuple[int, int] | None = None
    modelled_why = ""

    @classmethod
    def unmodelled(cls, version: tuple[int, int]) -> str | None:
        """Why the model cannot judge this driver on the `version` profile, or None where it can."""
        if cls.modelled_since is None or tuple(version) >= cls.modelled_since:
            return None
        return (f"the {version[0]}.{version[1]} profile does not describe all it reaches (from "
                f"{cls.modelled_since[0]}.{cls.modelled_since[1]} on it does): {cls.modelled_why}")

    def awaitee_route(self, model: Model) -> None:
        """Add the awaitee kind's rows to the route (a kind the model does not have is the suite's bug)."""
        if self.awaitee is None:
            return
        if self.awaitee not in model.awaitee_kinds():
            raise body.SuiteError(f"driver {self.name!r}: the {model.name} model has no awaitee kind "
                                  f"{self.awaitee!r}; it has: {', '.join(model.awaitee_kinds()) or 'none'}")
        self.route = f"{self.route}+{self.awaitee}"
        if not self.remote:
            reason = body.awaitee_unavailable(self.awaitee)
            if reason is not None:
                raise DriverUnavailable(reason)
    origin_tracking = 0  # the subjects are made under sys.set_coroutine_origin_tracking_depth(this), if > 0
    origin = None  # the current subject's cr_origin when made under tracking (body.origin_frames), if seen

    def begin(self) -> None:
        """Make a fresh subject in its initial state."""
        raise NotImplementedError

    def perform(self, step: Step) -> Observation:
        raise NotImplementedError

    def end(self) -> None:
        """Release the subject without observing anything (after a failure, or between examples)."""

    def finish(self) -> None:
        """Release what the driver kept for the whole run (an event loop, a child process)."""

    def renew(self) -> None:
        """Make the next subjects in a fresh process, where the driver has one of its own (after a subject did
        what the model does not allow, it may have damaged its process). Nothing to do in process."""

    def track_origins(self, depth: int) -> None:
        """Make the next subjects under sys.set_coroutine_origin_tracking_depth(depth) (0: as the process is)."""
        self.origin_tracking = depth

    def holds_up(self, state: str, history) -> bool:
        """Whether the subject may be in the model's `state` after the steps of `history` (StepRecords since it
        was made), as far as this driver can tell. After a deviation the session goes on from the model's
        state; one the driver knows its subject cannot be in ends the sequence instead."""
        return True

    def can_deliver(self, call: str, argument: str) -> bool:
        if self.ending is not None and call != self.ending and self.model.calls[call].final:
            return False
        return self.calls is None or (call, argument) in self.calls

    def payload_override(self, call: str, argument: str):
        """A fixed payload this driver must use for an argument class, or None to let the engine choose."""
        return None

    def yielded_values(self):
        """A fixed list of values the body may pass out at an await, or None for any."""
        return None


class InProcessDriver(Driver):
    """A driver whose subject lives in this process: builds it, makes the call, reads inspect."""

    def __init__(self, model: Model, subject_factory=None, subject_name: str | None = None,
                 baseline_route: str | None = None):
        """`subject_factory(script) -> subject` replaces the native scripted body (a user's wrapper or
        decorator around it, say); `subject_name` is the __qualname__ its never-awaited warning names;
        `baseline_route` is the model route the subject is judged by on top of this driver's own (the
        `awaiter` route for an object that is a native coroutine awaiting the scripted one)."""
        self.model = model
        if baseline_route is not None:
            self.route = baseline_route if self.route == "direct" else f"{self.route}+{baseline_route}"
        self.awaitee_route(model)
        self.inspect_function = getattr(inspect, model.inspect_function, None)
        self.script = None
        self.subject = None
        self.subject_factory = subject_factory
        if subject_name is not None:
            self.subject_name = subject_name

    # subclasses say how the subject is made and which object receives the calls
    def make_subject(self, script):
        if self.subject_factory is not None:
            return self.subject_factory(script)
        return body.scripted_body(script)

    def call_target(self):
        return self.subject

    def begin(self) -> None:
        self.end()
        self.script = body.Script()
        self.script.awaitee = self.awaitee or "iterator"
        self.subject = self.make_tracked_subject(self.script)
        self.origin = self.observed_origin()
        self.script.target = self.subject
        self.script.observer = self.observe_inside if self.observes_inside else None

    def make_tracked_subject(self, script):
        """The subject, made under origin tracking when the run asks for it (the depth is per thread)."""
        if not self.origin_tracking:
            return self.make_subject(script)
        previous = sys.get_coroutine_origin_tracking_depth()
        sys.set_coroutine_origin_tracking_depth(self.origin_tracking)
        try:
            return self.make_subject(script)
        finally:
            sys.set_coroutine_origin_tracking_depth(previous)

    def observed_origin(self) -> list | None:
        """The subject's origin as made under tracking, with each frame's line of source (the never-awaited
        warning tells them); None without tracking or where the subject shows none."""
        name = self.model.attributes.get("origin", {}).get("name")
        if not self.origin_tracking or name is None:
            return None
        try:
            value = getattr(self.subject, name)
        except Exception:  # noqa: BLE001 - no origin to read is "not observable"
            return None
        return body.origin_frames(value, self.origin_tracking, linecache.getline)

    def let_go(self) -> None:
        """From now on the body lets through whatever reaches it: a plan left unused by the last call must not
        be taken by the resumptions that end the subject."""
        if self.script is not None:
            self.script.plans[:] = [{"reaction": "propagate", "value": None}]

    def end(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a subject dropped half-way may warn; that is not a finding
            if self.subject is not None:
                self.let_go()
                try:
                    self.close_subject()
                except BaseException:  # noqa: BLE001 - a broken subject must not stop the run
                    pass
            if self.script is not None:
                self.script.detach()
            self.subject = self.script = None
            self._target = None

    def close_subject(self) -> None:
        """Close the subject at the end of its run (its body lets everything through by then)."""
        self.subject.close()

    def perform(self, step: Step) -> Observation:
        self.script.prepare(step.plan.to_script() if step.plan is not None else None)
        events = self.script.events  # a collect lets go of the script
        first_event = len(events)
        caught = []
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = body.warning_recorder(caught)
            if step.call == "collect":
                outcome = None
                self.collect()
            else:
                outcome = self.deliver(step)
        observation = Observation(outcome=outcome, warnings=caught, events=events[first_event:])
        if step.call != "collect":
            observation.state, observation.attributes = self.observe()
        return observation

    def deliver(self, step: Step):
        return body.perform(self.call_target(), step.call, step.argument, step.payload)

    def collect(self) -> None:
        """Drop every reference to the subject and let it be finalized, as the model's collect says: the last
        reference goes, then the collector runs."""
        self.run_collector(self.drop_subject())

    def drop_subject(self):
        """Let go of the subject and its script; a function that says whether either is still alive. The body is
        cut off first: finalization may run it at once."""
        self.script.detach()
        subject_alive, body_alive = still_alive(self.subject), still_alive(self.script)
        self.subject = self._target = self.script = None
        return lambda: subject_alive() or body_alive()

    @staticmethod
    def run_collector(alive) -> None:
        """Run the garbage collector while `alive()`: CPython finalizes an object the moment its last reference
        goes, so the collector is needed only for a subject or body (anything that holds the script: every body
        does) left in a reference cycle (an exception thrown through a wrapper's method holds that method's
        frame, which holds the exception), from the youngest generation up: what the last steps made is young,
        and a full collection costs a tenth of a second in a large process."""
        if platform.python_implementation() != "CPython":
            gc.collect()
            return
        for generation in range(3):
            if not alive():
                return
            gc.collect(generation)

    def observe_inside(self) -> tuple[str | None, dict]:
        """The subject seen from inside its running body: only the attributes the model gives RUNNING on this
        interpreter's version and this route.

        Reading more is not safe: on CPython 3.10 and 3.11, `cr_await` of a coroutine that is executing
        while it awaits another reads the frame's value stack mid-instruction and can crash the interpreter."""
        names = self.model.observations(RUNNING, tuple(sys.version_info[:2]), self.route, self.origin_tracking > 0)
        return self.observe(names, inside=True)

    def observe(self, names=None, inside: bool = False) -> tuple[str | None, dict]:
        """The subject's state by inspect, and the attributes the model names (or only `names`), where
        readable, in the model's words (body.attribute_word); from `inside` the running body, no other
        object's attributes are read."""
        state = None
        if self.inspect_function is not None:
            try:
                state = self.inspect_function(self.subject)
            except Exception:  # noqa: BLE001 - no state to read is "not observable"
                state = None
            if isinstance(state, str) and state.startswith(self.model.state_prefix):
                state = state[len(self.model.state_prefix):]
        attributes = {}
        for observation, spec in self.model.attributes.items():
            if names is not None and observation not in names:
                continue
            try:
                value = getattr(self.subject, spec["name"])
            except AttributeError:
                continue
            attributes[observation] = body.attribute_word(observation, value, self.script.awaited, not inside,
                                                          self.origin_tracking)
        return state, attributes


def still_alive(thing):
    """A function that says whether `thing` is still alive. An object without weak references says no: a subject
    holds its body, which holds the script, so the script's survival tells for both."""
    try:
        reference = weakref.ref(thing)
    except TypeError:
        return lambda: False
    return lambda: reference() is not None
