"""The agent driver: the same Driver interface as the in-process drivers, but the subject lives in a child
interpreter (see conformance/subject/agent.py and conformance/remote/targets.py) and every call crosses a JSON-lines pipe.

The child builds the subject and the call target the way the in-process driver of the same name does
(direct, await, delegation, generator), so the session, tour, Hypothesis engine and reports run unchanged.
"""

from __future__ import annotations

from conformance.drivers import DRIVERS
from conformance.drivers.base import Driver, DriverUnavailable
from conformance.protocol.model import RUNNING, Model
from conformance.protocol.observation import (
    HANG,
    Observation,
    ObservationError,
    SubjectFailure,
)
from conformance.protocol.steps import Step
from conformance.remote.targets import AgentProcess, ProtocolError


class AgentDriver(Driver):
    """One in-process driver's behaviour, reproduced inside the child that `process` runs."""

    remote = True

    def __init__(self, model: Model, process: AgentProcess, name: str):
        local = DRIVERS[name]
        self.local = local
        self.model = model
        self.process = process
        self.name = name
        self.route, self.model_name, self.subject_name = local.route, local.model_name, local.subject_name
        self.calls, self.awaitee, self.ending = local.calls, local.awaitee, local.ending
        self.awaitee_route(model)
        self.begin_request = {"op": "begin", "driver": local.base_name or name}
        if local.awaitee is not None:
            self.begin_request["awaitee"] = local.awaitee
        if hasattr(local, "operation"):  # the awaitable drivers' operation (drivers/asyncgen.py)
            self.begin_request["operation"] = list(local.operation(model))
        self.description = f"{local.description} (in {process.spec.label}, through the agent)"
        hello = process.start()
        base = self.begin_request["driver"]
        if base not in hello.get("drivers", ()):
            why = hello.get("unavailable", {}).get(base) or f"the agent there has no {base!r} driver"
            raise DriverUnavailable(f"{process.spec.label}: {why} "
                                    f"(drivers that can run there: {', '.join(hello.get('drivers', ())) or 'none'})")
        self.child_version = tuple(hello.get("version", (3, 0))[:2])
        self.pending = None  # a failure while beginning, reported on the first step
        self.lost = False  # the current subject is gone (its child hung, died or broke the protocol)
        self.failed = False  # a subject since the last renewal was lost
        self._check_available()

    def configuration(self) -> dict:
        """What the agent must know to make and observe subjects: the model's attributes, the ones it may read
        from inside the running body on the child's version (see InProcessDriver.observe_inside), and the
        origin tracking depth to make them under."""
        inside = self.model.observations(RUNNING, self.child_version, self.route, self.origin_tracking > 0)
        return {"op": "configure", "inspect": self.model.inspect_function, "prefix": self.model.state_prefix,
                "attributes": {observation: spec["name"] for observation, spec in self.model.attributes.items()},
                "inside": sorted(inside), "origin_tracking": self.origin_tracking}

    def payload_override(self, call, argument):
        return self.local.payload_override(self, call, argument)  # the in-process driver's fixed payloads

    def yielded_values(self):
        return self.local.yielded_values(self)

    def holds_up(self, state, history):
        return self.local.holds_up(self, state, history)  # the in-process driver's reading of what it holds

    def _check_available(self) -> None:
        self.process.configure(self.configuration())
        answer = self.process.request(self.begin_request)
        if not answer.get("ok"):
            reason = answer.get("unavailable") or answer.get("error")
            raise DriverUnavailable(f"{self.process.spec.label}: {reason}")
        self.process.request({"op": "end"})

    def begin(self) -> None:
        self.pending, self.lost, self.origin = None, False, None
        try:
            self.process.configure(self.configuration())
            answer = self.process.request(self.begin_request)
        except SubjectFailure as failure:
            self.pending = failure
            return
        if not answer.get("ok"):
            self.pending = ProtocolError(self.process.spec.label, f"begin refused: {answer!r}")
        else:
            self.origin = origin_from_json(answer.get("origin"))

    def perform(self, step: Step) -> Observation:
        """One step in the child. The first failure of a subject is raised (a hang, crash or protocol
        error on this step's transition); the steps after it on the lost subject observe nothing."""
        if self.lost:
            return unobservable()
        try:
            if self.pending is not None:
                raise self.pending
            answer = self.process.request({"op": "perform", "step": step.to_json()})
            if isinstance(answer.get("hang"), str):  # the child's own verdict on a loop that never settled
                raise SubjectFailure(HANG, f"{self.process.spec.label}: {answer['hang'][:500]}")
            if not answer.get("ok"):
                raise ProtocolError(self.process.spec.label, f"the agent could not make {step.describe()}: "
                                                             f"{answer.get('error', answer)!r}")
            try:
                return Observation.from_json(answer.get("observation"))
            except ObservationError as error:
                raise ProtocolError(self.process.spec.label,
                                    f"malformed observation for {step.describe()}: {error}") from None
        except SubjectFailure:
            self.lost, self.failed, self.pending = True, True, None
            raise

    def end(self) -> None:
        """The child releases the subject when the next one begins, which saves a round trip per example."""
        self.pending, self.lost = None, False

    def renew(self) -> None:
        """Stop the child; the next subject is made in a new one (started on the next request). A target that
        keeps its child after deviations (TargetSpec.fresh_after_deviation) is renewed only after a lost subject."""
        if self.failed or self.process.spec.fresh_after_deviation:
            self.process.kill()
            self.failed = False


def origin_from_json(origin) -> list | None:
    """The origin the child saw, if it is well formed ([[file, line, function, source], ...]), else None (not
    seen): the child's JSON is untrusted."""
    if not isinstance(origin, list) or not origin:
        return None
    for frame in origin:
        if not (isinstance(frame, list) and len(frame) == 4 and isinstance(frame[1], int)
                and all(isinstance(frame[i], str) for i in (0, 2, 3))):
            return None
    return origin


def unobservable() -> Observation:
    """What a step on a subject whose child already failed shows: nothing at all."""
    return Observation(outcome=None, state=None, attributes={}, warnings=None, events=None)


__all__ = ["AgentDriver"]
