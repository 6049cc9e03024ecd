"""The oracle: from the model's rows, predict what a step observes and where the subject ends up.

It reads nothing but the model and the step; it never looks at a real coroutine. Every exception type,
message and next state in a prediction comes from a row of the model.
"""

from __future__ import annotations

from conformance.protocol.model import RUNNING, Model, Transition, version_tuple
from conformance.protocol.observation import Observation
from conformance.protocol.steps import Plan, Prediction, Step
from conformance.subject import body


class Oracle:
    """Predictions for one model, Python version and route."""

    def __init__(self, model: Model, version: tuple[int, int] | str, route: str = "direct",
                 subject_name: str = "scripted_body", inside: bool = True):
        """`inside`: whether the body looks at its own coroutine when it resumes (the driver says)."""
        self.model = model
        self.inside = inside
        self.version = version_tuple(version) if isinstance(version, str) else tuple(version)
        self.route = route
        self.subject_name = subject_name

    # -- what the engine may do ---------------------------------------------------------------------
    def row(self, state: str, call: str, argument: str) -> Transition | None:
        return self.model.call_row(self.version, state, call, argument, self.route)

    def reactions(self, delivered: str) -> list[str]:
        return self.model.reachable_reactions(self.version, delivered, self.route)

    # -- prediction --------------------------------------------------------------------------------
    def predict(self, state: str, step: Step) -> Prediction:
        row = self.row(state, step.call, step.argument)
        if row is None:
            raise LookupError(f"the model has no row for {state} + {step.call}({step.argument}) "
                              f"on Python {self.version[0]}.{self.version[1]} via {self.route}")
        transitions = [row.id]
        warnings = self._call_warnings(step.call, step.argument)
        events: list = []
        if row.enters is None:
            outcome, target = self._outcome(row, step, step.plan), row.target
            if row.warns:
                warnings.append(self._warning(row.warns.category, row.warns.message))
        else:
            events.append(self._arrival(row, step))
            if self.inside and "state" in self.model.calls[step.call].observes:
                # The body looks at its own coroutine the moment it resumes: RUNNING, seen from inside.
                events.append(["inside", RUNNING, self.attributes(RUNNING)])
            plan = step.plan or Plan(self.model.calls[step.call].body or "propagate")
            for reentry in plan.reentries:
                inner = Step(reentry.call, reentry.argument, reentry.payload)
                inner_row = self.row(RUNNING, reentry.call, reentry.argument)
                transitions.append(inner_row.id)
                warnings += self._call_warnings(reentry.call, reentry.argument)
                events.append(["reentry", reentry.call, reentry.argument,
                               self._outcome(inner_row, inner, None, handling=self._handling(row, step))])
            reaction = self.model.reaction_row(self.version, row.enters, plan.reaction, self.route)
            if reaction is None:
                raise LookupError(f"the model has no reaction row for body {plan.reaction!r} after "
                                  f"{row.enters!r} on Python {self.version[0]}.{self.version[1]} via {self.route}")
            transitions.append(reaction.id)
            outcome, target = self._outcome(reaction, step, plan), reaction.target
            if reaction.runs_finally:
                events.append(["finally"])
        expected = Observation(outcome=outcome, state=target, attributes=self.attributes(target),
                               warnings=warnings, events=events)
        return Prediction(expected, target, transitions)

    def attributes(self, state: str) -> dict:
        """The cr_* observations the model gives for `state` on this version."""
        observations = dict(self.model.states[state].observations)
        for name in list(observations):
            since = self.model.attribute_since(name)
            if since and self.version < version_tuple(since):
                del observations[name]
        return observations

    # -- helpers -----------------------------------------------------------------------------------
    def _call_warnings(self, call: str, argument: str) -> list:
        found = []
        for warning in self.model.warnings:
            if warning["call"] == call and warning["argument"] == argument and self._in_range(warning):
                found.append(self._warning(warning["category"], warning["message"]))
        return found

    def _in_range(self, item: dict) -> bool:
        if "since" in item and self.version < version_tuple(item["since"]):
            return False
        return not ("until" in item and self.version >= version_tuple(item["until"]))

    def _warning(self, category: str, message_key: str) -> list:
        return [category, self.model.message(message_key, name=self.subject_name)]

    def _arrival(self, row: Transition, step: Step) -> list:
        """The event the body logs when the call resumes it."""
        arrives = self.model.deliveries[row.enters].get("arrives", "value")
        if arrives == "value":
            if row.receives is None:
                return ["started"]
            return ["received", self._value(row.receives, step, None)]
        error = _thrown(step) if arrives == "thrown" else body.make_exception([arrives])
        return ["caught", type(error).__name__, str(error)]

    def _value(self, word: str, step: Step, plan: Plan | None):
        """The description of the value a row's word names, made the way the body makes it from its spec and
        described the way a driver describes what it saw."""
        if word == "None":
            return None
        if word in ("yielded", "returned"):
            return body.describe_value(body.make_value(plan.value))
        if word in ("sent", "stop-value"):
            return body.describe_value(body.make_value(step.payload))
        raise LookupError(f"unknown value word {word!r}")

    def _handling(self, row: Transition, step: Step) -> str | None:
        """The type name of the exception the body is handling when it makes re-entrant calls: what arrived
        at its await, if that was an exception."""
        arrived = self._arrival(row, step)
        return arrived[1] if arrived[0] == "caught" else None

    def _outcome(self, row: Transition, step: Step, plan: Plan | None, handling: str | None = None) -> list | None:
        """What the caller sees; an exception with the __cause__ and __context__ the row names (None where it
        names none, or `handling` for the context of an exception raised while the body handles one)."""
        if row.returns is not None:
            return ["returned", self._value(row.returns, step, plan)]
        if row.raises is None:
            return None
        spec = row.raises
        if spec.type in ("thrown", "raised"):
            error = _thrown(step) if spec.type == "thrown" else body.make_exception(plan.value)
            description = body.describe_exception(error)
            del description["cause"], description["context"]
            if spec.message is not None:  # the row says the caller sees another text than the exception's own
                description["message"] = self.model.message(spec.message, name=self.subject_name)
        else:
            payload_type = type(step.payload).__name__
            description = {"type": spec.type,
                           "message": self.model.message(spec.message, type=payload_type, name=self.subject_name)}
        if spec.value is not None:
            description["value"] = self._value(spec.value, step, plan)
            description.pop("message", None)
        for link, default in (("cause", None), ("context", handling)):
            word = getattr(spec, link)
            description[link] = type(_thrown(step)).__name__ if word == "thrown" else word or default
        return ["raised", description]


def _thrown(step: Step):
    return body.thrown_exception(step.argument, step.payload)
