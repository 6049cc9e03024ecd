"""The oracle: from the model's rows, predict what a step observes and where the subject ends up.

It reads nothing but the model and the step; it never looks at a real coroutine. Every exception type,
message and next state in a prediction comes from a row of the model.
"""

from __future__ import annotations

from conformance.protocol.model import (
    ORIGIN_MESSAGES,
    RUNNING,
    Model,
    Transition,
    version_tuple,
)
from conformance.protocol.observation import Observation
from conformance.protocol.steps import Plan, Prediction, Step
from conformance.subject import body


class Oracle:
    """Predictions for one model, Python version and route."""

    def __init__(self, model: Model, version: tuple[int, int] | str, route: str = "direct",
                 subject_name: str = "scripted_body", inside: bool = True, origin_tracking: int = 0):
        """`inside`: whether the body looks at its own coroutine when it resumes (the driver says);
        `origin_tracking`: the depth of sys.set_coroutine_origin_tracking_depth the subjects are made under."""
        self.model = model
        self.origin_tracking = origin_tracking
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
    def predict(self, state: str, step: Step, origin: list | None = None) -> Prediction:
        """`origin`: the subject's cr_origin as the driver saw it when it was made (body.origin_frames), where
        origin tracking is on: a never-awaited warning tells it."""
        row = self.row(state, step.call, step.argument)
        if row is None:
            raise LookupError(f"the model has no row for {state} + {step.call}({step.argument}) "
                              f"on Python {self.version[0]}.{self.version[1]} via {self.route}")
        transitions = [row.id]
        warnings = self._call_warnings(state, step.call, step.argument) + self._row_warnings(row, origin)
        events = Events()
        if row.hook is not None:
            events.add(["hook", row.hook], row.id)
        if row.enters is None:
            self._reported(row, step, step.plan, events)
            outcome, target = self._outcome(row, step, step.plan), row.target
        else:
            plan = step.plan or Plan(self.model.calls[step.call].body or "propagate")
            outcome, target = self._resume(row, step, plan, transitions, warnings, events)
        expected = Observation(outcome=outcome, state=self.model.shown_state(target, self.version),
                               attributes=self.attributes(target),
                               warnings=warnings, events=events.events)
        return Prediction(expected, target, transitions, events.rows)

    def _resume(self, row: Transition, step: Step, plan: Plan, transitions: list, warnings: list,
                events: "Events"):
        """Follow a call that resumes the coroutine: through the awaited object's reaction, where the call
        reaches it first, then into the body. Returns (outcome, state after)."""
        arrival = self._arrival(row, step, plan, None)
        while self.model.layer(row.enters) == "awaitee":
            if plan.awaitee is not None and self.model.deliveries[row.enters].get("logs", True):
                # (without a plan of its own it passes everything on silently, and a Future logs nothing)
                events.add(["awaitee"] + arrival.event, row.id)
            reaction = self._reaction_row(row.enters, plan.awaitee or "pass")
            transitions.append(reaction.id)
            warnings += self._row_warnings(reaction)
            if reaction.enters is None:  # the awaited object answered the call; the body does not run
                return self._outcome(reaction, step, plan), reaction.target
            arrival, row = self._arrival(reaction, step, plan, arrival), reaction
        events.add(arrival.event, row.id)
        if self.inside and "state" in self.model.calls[step.call].observes:
            # The body looks at its own coroutine the moment it resumes: RUNNING, seen from inside.
            events.add(["inside", self.model.shown_state(RUNNING, self.version), self.attributes(RUNNING)],
                       transitions[0])
        handling = arrival.exception["type"] if arrival.exception else None
        for reentry in plan.reentries:
            inner = Step(reentry.call, reentry.argument, reentry.payload)
            inner_row = self.row(RUNNING, reentry.call, reentry.argument)
            transitions.append(inner_row.id)
            warnings += self._call_warnings(RUNNING, reentry.call, reentry.argument)
            events.add(["reentry", reentry.call, reentry.argument,
                        self._outcome(inner_row, inner, None, handling=handling)], inner_row.id)
        reaction = self._reaction_row(row.enters, plan.reaction)
        transitions.append(reaction.id)
        if reaction.runs_finally:
            events.add(["finally"], reaction.id)
        self._reported(reaction, step, plan, events, arrival)
        return self._outcome(reaction, step, plan, arrival=arrival), reaction.target

    def _reaction_row(self, delivered: str, reaction: str) -> Transition:
        found = self.model.reaction_row(self.version, delivered, reaction, self.route)
        if found is None:
            raise LookupError(f"the model has no reaction row for {reaction!r} after {delivered!r} on Python "
                              f"{self.version[0]}.{self.version[1]} via {self.route}")
        return found

    def attributes(self, state: str) -> dict:
        """The cr_* observations the model gives for `state` on this version and route."""
        return self.model.observations(state, self.version, self.route, self.origin_tracking > 0)

    def inspected(self) -> tuple[str, ...]:
        """The observations the inspect function needs together on this version."""
        return self.model.inspected(self.version)

    # -- helpers -----------------------------------------------------------------------------------
    def _call_warnings(self, state: str, call: str, argument: str) -> list:
        """The [[warning]] entries this call makes in `state` (an entry without `states`: in every state)."""
        found = []
        for warning in self.model.warnings:
            if warning["call"] == call and warning["argument"] == argument and self._in_range(warning) \
                    and state in warning.get("states", (state,)):
                found.append(self._warning(warning["category"], warning["message"]))
        return found

    def _in_range(self, item: dict) -> bool:
        if "since" in item and self.version < version_tuple(item["since"]):
            return False
        return not ("until" in item and self.version >= version_tuple(item["until"]))

    def _warning(self, category: str, message_key: str, origin: list | None = None) -> list:
        """[category, message]; the message is None where it tells an origin that was not seen."""
        if "origin" not in self.model.message_fields(message_key):
            return [category, self.model.message(message_key, name=self.subject_name)]
        told = self._origin_text(origin)
        return [category, None if told is None else self.model.message(message_key, name=self.subject_name,
                                                                        origin=told)]

    def _origin_text(self, origin: list | None) -> str | None:
        """Where the subject was made, as its messages tell it: nothing without origin tracking (or before the
        version that has it), the model's origin lines for the frames seen, None when none were seen."""
        if not self.origin_tracking or not self.model.has_attribute("origin", self.version):
            return ""
        if origin is None:
            return None
        header, frame, source_line = ORIGIN_MESSAGES
        lines = [self.model.message(header)]
        for file, line, function, source in reversed(origin):  # cr_origin is innermost first
            lines.append(self.model.message(frame, file=file, line=line, function=function))
            if source:
                lines.append(self.model.message(source_line, source=source))
        return "".join(lines)

    def _row_warnings(self, row: Transition, origin: list | None = None) -> list:
        return [self._warning(row.warns.category, row.warns.message, origin)] if row.warns else []

    def _arrival(self, row: Transition, step: Step, plan: Plan, previous: "Arrival | None") -> "Arrival":
        """What reaches the layer `row` enters: a value (or a first start), or an exception."""
        arrives = self.model.deliveries[row.enters].get("arrives", "value")
        if arrives == "value":
            if row.receives is None:
                return Arrival(["started"])
            value = self._value(row.receives, step, plan, previous)
            return Arrival(["received", value], value=value)
        if row.arrives is not None:
            exception = self._exception(row.arrives, step, plan, previous)
        elif arrives == "thrown":
            exception = _described(_thrown(step))
        else:
            exception = _described(body.make_exception([arrives]))
        return Arrival(["caught", exception["type"], exception["message"]], exception=exception)

    def _exception(self, spec, step: Step, plan: Plan | None, arrival: "Arrival | None") -> dict:
        """The description of the exception a `raises` or `arrives` spec names, with the links it names."""
        if spec.type == "arrived":
            description = dict(arrival.exception)
        elif spec.type in ("thrown", "raised", "awaitee-raised"):
            made = {"thrown": lambda: _thrown(step), "raised": lambda: body.make_exception(plan.value),
                    "awaitee-raised": lambda: body.make_exception(plan.awaitee_value)}[spec.type]()
            description = _described(made)
        else:
            payload_type = type(step.payload).__name__
            description = {"type": spec.type, "cause": None, "context": None,
                           "message": self.model.message(spec.message, type=payload_type, name=self.subject_name)}
        if spec.message is not None and spec.type in ("thrown", "raised", "arrived", "awaitee-raised"):
            # the row says the caller sees another text than the exception's own
            description["message"] = self.model.message(spec.message, name=self.subject_name)
        for link in ("cause", "context"):
            word = getattr(spec, link)
            if word == "thrown":
                description[link] = type(_thrown(step)).__name__
            elif word == "arrived":
                description[link] = arrival.exception["type"]
            elif word is not None:
                description[link] = word
        return description

    def _value(self, word: str, step: Step, plan: Plan | None, arrival: "Arrival | None" = None):
        """The description of the value a row's word names, made the way the body makes it from its spec and
        described the way a driver describes what it saw."""
        if word == "None":
            return None
        if word in ("yielded", "returned"):
            return body.describe_value(body.make_value(plan.value))
        if word in ("awaitee-yielded", "awaitee-returned"):
            return body.describe_value(body.make_value(plan.awaitee_value))
        if word in ("sent", "stop-value"):
            return body.describe_value(body.make_value(step.payload))
        if word == "forwarded":
            return arrival.value
        if word == "awaited-object":
            looks = self.model.passes_out(self.route)
            return body.describe_object(looks["object"], looks["repr"])
        raise LookupError(f"unknown value word {word!r}")

    def _outcome(self, row: Transition, step: Step, plan: Plan | None, handling: str | None = None,
                 arrival: "Arrival | None" = None) -> list | None:
        """What the caller sees; an exception with the __cause__ and __context__ the row names (None where it
        names none, or `handling` for the context of an exception raised while the body handles one)."""
        if row.returns is not None:
            return ["returned", self._value(row.returns, step, plan, arrival)]
        if row.raises is None:
            return None
        return ["raised", self._raised(row.raises, step, plan, arrival, handling)]

    def _reported(self, row: Transition, step: Step, plan: Plan | None, events: "Events",
                  arrival: "Arrival | None" = None) -> None:
        """The event of the exception the row says an event loop's exception handler receives, if it says one."""
        if row.reports is not None:
            events.add(["reported", self._raised(row.reports, step, plan, arrival)], row.id)

    def _raised(self, spec, step: Step, plan: Plan | None, arrival: "Arrival | None", handling: str | None = None):
        """The description of a raised exception: the links the spec names, else none (or `handling` for the
        context of an exception raised while the body handles one)."""
        description = self._exception(spec, step, plan, arrival)
        if spec.type not in ("arrived",):
            for link, default in (("cause", None), ("context", handling)):
                if getattr(spec, link) is None:
                    description[link] = default
        if spec.value is not None:
            description["value"] = self._value(spec.value, step, plan, arrival)
            description.pop("message", None)
        return description


class Events:
    """The events a step is predicted to log, each with the row that predicts it (what a difference in that
    event is blamed on)."""

    def __init__(self):
        self.events, self.rows = [], []

    def add(self, event: list, row_id: str) -> None:
        self.events.append(event)
        self.rows.append(row_id)


class Arrival:
    """What reached a layer (the awaited object, or the body): the event it logs, and the value or the
    description of the exception."""

    def __init__(self, event: list, value=None, exception: dict | None = None):
        self.event, self.value, self.exception = event, value, exception


def _described(error: BaseException) -> dict:
    """An exception's description as the body reports it, for an exception that was never raised (no links)."""
    description = body.describe_exception(error)
    description["cause"] = description["context"] = None
    return description


def _thrown(step: Step):
    return body.thrown_exception(step.argument, step.payload)


def probe_outcome(model: Model, probe, subject_type: str | None = None) -> list:
    """What a [[probe]] row says its function gives: True for a fact that holds, else its exception, with no
    __cause__/__context__ unless the row names one, and the message's {type} filled with the type name of the
    object under test."""
    if probe.holds:
        return ["returned", True]
    spec = probe.raises
    return ["raised", {"type": spec.type, "message": model.message(spec.message, type=subject_type or "?"),
                       "cause": spec.cause, "context": spec.context}]
