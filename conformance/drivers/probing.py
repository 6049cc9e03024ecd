"""Probers: how a probe of conformance/subject/probes.py reaches its subject, in this process or in a child
interpreter through the agent. Either way `perform(function)` gives one Observation (its outcome only), the
type names a message may give the object under test (its own, then the scripted coroutine's: a proxy that
forwards iter() to the coroutine inside it gets the coroutine's message) and, when the probe could observe
nothing, why.
"""

from __future__ import annotations

import warnings

from conformance.protocol.observation import Observation, ObservationError
from conformance.remote.targets import AgentProcess, ProtocolError
from conformance.subject import body, probes

TYPE_NAME_LIMIT = 100  # a child's type name longer than this is garbage


class InProcessProber:
    """Probes in this process; the subject-taking ones drive `factory(script)` (the native scripted body, or a
    user's wrapper or decorator around it)."""

    def __init__(self, factory=None, label: str = "this process"):
        self.factory = factory or body.scripted_body
        self.label = label

    def make(self, plans):
        script = body.Script(plans)
        subject = self.factory(script)
        script.target = subject
        return subject, script.events

    def perform(self, function: str) -> tuple[Observation, list[str], str | None]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a probe drops coroutines half-way; that is not its finding
            kind, value, subject_type = probes.run_probe(function, self.make)
            native = body.scripted_body(body.Script())
            types = type_names(subject_type, probes.probe_type_name(native))
            native.close()
        if kind == "raised" and isinstance(value, body.SuiteError):
            raise value  # the scripted body could not follow its plan: our bug, never the subject's answer
        if kind == "unobservable":
            return unobserved(), types, value
        outcome = ["raised", body.describe_exception(value)] if kind == "raised" \
            else ["returned", body.describe_value(value)]
        return Observation(outcome=outcome, warnings=None, events=None), types, None


class AgentProber:
    """Probes inside the child interpreter `process` runs (its own probes.py, or a compiled build of it)."""

    def __init__(self, process: AgentProcess):
        self.process = process
        self.label = process.spec.label

    def perform(self, function: str) -> tuple[Observation, list[str], str | None]:
        """A hang, a crash or garbage from the child is a SubjectFailure, as for a driver's step."""
        answer = self.process.request({"op": "probe", "probe": function})
        if not answer.get("ok"):
            raise ProtocolError(self.label, f"the agent could not run probe {function}: "
                                            f"{answer.get('error', answer)!r}")
        subject_type, why, native = answer.get("subject_type"), answer.get("unobservable"), answer.get("coroutine_type")
        for name, value in (("subject_type", subject_type), ("unobservable", why), ("coroutine_type", native)):
            if value is not None and not (isinstance(value, str) and len(value) <= TYPE_NAME_LIMIT * 4):
                raise ProtocolError(self.label, f"probe {function}: {name} must be a short text or null, "
                                                f"found {value!r}")
        types = type_names(subject_type, native)
        if why is not None:
            return unobserved(), types, why
        try:
            observation = Observation.from_json({"outcome": answer.get("outcome"), "warnings": None, "events": None})
        except ObservationError as error:
            raise ProtocolError(self.label, f"malformed outcome of probe {function}: {error}") from None
        if observation.outcome is None:
            raise ProtocolError(self.label, f"probe {function} gave no outcome and no reason")
        return observation, types, None


def type_names(*names) -> list[str]:
    """The distinct names given, in order (none: the probe made no object under test)."""
    return list(dict.fromkeys(name for name in names if name))


def unobserved() -> Observation:
    return Observation(outcome=None, state=None, attributes={}, warnings=None, events=None)
