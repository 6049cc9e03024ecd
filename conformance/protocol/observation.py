"""Observations (what a call did) and verdicts (how that compares with the model's prediction).

An Observation is one plain record, the same whether a driver saw it in this process or an agent reported
it over a pipe. Fields that could not be observed are None (outcome, state) or absent (attributes), and
count as "not observable", never as a deviation, with one exception: the attributes the inspect function
reads go together (an object that has some of them but not all breaks inspect.getcoroutinestate), so one
missing beside the others deviates (`ABSENT`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.protocol.verdicts import SEVERITY, Verdict, fails  # noqa: F401 - SEVERITY: re-exported
from conformance.subject.body import value_text

CONFORMS, NOT_OBSERVABLE, MESSAGE_ONLY, DEVIATES, HANG, CRASH = (v.value for v in Verdict)  # as plain words
ABSENT = "absent"  # what a difference observed of an attribute the object lacks while it has its companions


class ObservationError(ValueError):
    """A record that is not a well-formed observation (for example, garbage from a child process)."""


class SubjectFailure(Exception):
    """A driver could not observe a step because the subject hung, crashed, or broke the protocol.

    Drivers raise it from `perform`; the session turns it into a `hang` or `crash` verdict on the step's
    transition, and the run goes on with a fresh subject.
    """

    def __init__(self, verdict: str, detail: str):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


@dataclass
class Observation:
    outcome: list | None = None  # ["returned", value] or ["raised", {type, message, value?, cause, context}]
    state: str | None = None  # a model state name; None when the subject offers no way to see it
    attributes: dict = field(default_factory=dict)  # running/suspended/frame/awaiting, where readable
    warnings: list | None = field(default_factory=list)  # [[category, message], ...]; None: not observable
    events: list | None = field(default_factory=list)  # what the body logged during the call; None: likewise

    def to_json(self) -> dict:
        return {"outcome": self.outcome, "state": self.state, "attributes": self.attributes,
                "warnings": self.warnings, "events": self.events}

    @classmethod
    def from_json(cls, data) -> "Observation":
        """Build from untrusted JSON, checking the shape of every field."""
        if not isinstance(data, dict):
            raise ObservationError(f"expected an object, found {type(data).__name__}")
        outcome = data.get("outcome")
        if outcome is not None:
            _check_outcome(outcome)
        state = data.get("state")
        if state is not None and not isinstance(state, str):
            raise ObservationError(f"state must be a string or null, found {state!r}")
        attributes = data.get("attributes", {})
        warnings = data.get("warnings", [])
        events = data.get("events", [])
        if not isinstance(attributes, dict) or not isinstance(warnings, (list, type(None))) \
                or not isinstance(events, (list, type(None))):
            raise ObservationError("attributes must be an object, warnings and events lists (or null)")
        if warnings is not None and not all(isinstance(w, list) and len(w) == 2 for w in warnings):
            raise ObservationError(f"each warning must be [category, message], found {warnings!r}")
        if events is not None and not all(isinstance(e, list) and e and isinstance(e[0], str) for e in events):
            raise ObservationError(f"each event must be a list starting with its kind, found {events!r}")
        for event in events or ():
            if event[0] == "reentry":
                if len(event) != 4:
                    raise ObservationError(f"a reentry event is [\"reentry\", call, argument, outcome], found {event!r}")
                _check_outcome(event[3])
        return cls(outcome, state, attributes, warnings, events)


def _check_outcome(outcome) -> None:
    if not (isinstance(outcome, list) and len(outcome) == 2 and outcome[0] in ("returned", "raised")):
        raise ObservationError(f"outcome must be [\"returned\"|\"raised\", ...], found {outcome!r}")
    if outcome[0] == "raised" and not (isinstance(outcome[1], dict) and isinstance(outcome[1].get("type"), str)):
        raise ObservationError(f"a raised outcome needs an exception description, found {outcome[1]!r}")


@dataclass
class Difference:
    aspect: str  # outcome, message, state, attributes.frame, warnings, events ...
    expected: object
    observed: object
    verdict: str
    attribute: str | None = None  # the introspection attribute (running, suspended, ...) this is about, if one

    def describe(self) -> str:
        return f"{self.aspect}: expected {format_value(self.expected)}, observed {format_value(self.observed)}"


def compare(expected: Observation, observed: Observation, aspects=None, strict_messages=True,
            together=()) -> list[Difference]:
    """Every way `observed` differs from `expected`, each with its verdict layer. `together`: the attributes the
    inspect function reads, which an object must offer all or none of."""
    aspects = set(aspects or ("outcome", "state", "attributes", "warnings", "events"))
    differences: list[Difference] = []
    if "outcome" in aspects:
        differences += _compare_outcome(expected.outcome, observed.outcome, "outcome", strict_messages)
    if "state" in aspects:
        differences += _compare_state("state", expected.state, observed.state)
    if "attributes" in aspects:
        differences += _compare_attributes("attributes.", expected.attributes, observed.attributes, together)
    if "warnings" in aspects:
        if observed.warnings is None:  # the interpreter has no warnings machinery to watch
            if expected.warnings:
                differences.append(Difference("warnings", expected.warnings, None, NOT_OBSERVABLE))
        else:
            differences += _compare_warnings(expected.warnings, observed.warnings, strict_messages)
    if "events" in aspects:
        if observed.events is None:
            if expected.events:
                differences.append(Difference("events", expected.events, None, NOT_OBSERVABLE))
        else:
            differences += _compare_events(expected.events, observed.events, strict_messages, together)
    return differences


def _compare_attributes(prefix: str, expected: dict, observed: dict, together) -> list[Difference]:
    """Attribute by attribute. A missing one is not observable, unless it is one the inspect function reads and
    the object offers another of those: then inspect fails on it, which deviates."""
    differences = []
    for name, value in expected.items():
        if name in observed:
            if observed[name] != value:
                differences.append(Difference(f"{prefix}{name}", value, observed[name], DEVIATES, name))
        elif name in together and any(other in observed for other in together):
            differences.append(Difference(f"{prefix}{name}", value, ABSENT, DEVIATES, name))
        else:
            differences.append(Difference(f"{prefix}{name}", value, None, NOT_OBSERVABLE, name))
    return differences


def failing(differences: list[Difference], strict_messages: bool, require_observable: bool = False) -> list[Difference]:
    """The differences that make a run non-conformant under the chosen strictness (the verdict policy)."""
    return [d for d in differences if fails(d.verdict, strict_messages, require_observable)]


def _compare_outcome(expected, observed, aspect, strict_messages) -> list[Difference]:
    if observed is None:
        return [Difference(aspect, expected, None, NOT_OBSERVABLE)]
    if expected[0] != observed[0]:
        return [Difference(aspect, expected, observed, DEVIATES)]
    if expected[0] == "returned":
        return [] if _same_value(expected[1], observed[1]) else [Difference(aspect, expected, observed, DEVIATES)]
    want, got = expected[1], observed[1]
    if want["type"] != got.get("type"):
        return [Difference(aspect, expected, observed, DEVIATES)]
    differences = []
    if "value" in want and not _same_value(want["value"], got.get("value")):
        differences.append(Difference(f"{aspect}.value", want["value"], got.get("value"), DEVIATES))
    for link in ("cause", "context"):
        if link not in want:
            continue
        if link not in got:  # no exception chaining there (MicroPython)
            if want[link] is not None:
                differences.append(Difference(f"{aspect}.{link}", want[link], None, NOT_OBSERVABLE))
        elif want[link] != got[link]:
            differences.append(Difference(f"{aspect}.{link}", want[link], got[link], DEVIATES))
    if want.get("message") is not None and want["message"] != got.get("message"):
        differences.append(Difference(f"{aspect}.message", want["message"], got.get("message"), MESSAGE_ONLY))
    return differences


def _compare_warnings(expected, observed, strict_messages) -> list[Difference]:
    """Categories, then messages; an expected message of None is one the model cannot tell here (it names
    where the coroutine was made, and that was not seen), so its text is not observable."""
    if [w[0] for w in expected] != [w[0] for w in observed]:
        return [Difference("warnings", expected, observed, DEVIATES)]
    if any(want[1] is not None and want[1] != got[1] for want, got in zip(expected, observed)):
        return [Difference("warnings", expected, observed, MESSAGE_ONLY)]
    if any(want[1] is None for want in expected):
        return [Difference("warnings", expected, observed, NOT_OBSERVABLE)]
    return []


def _compare_events(expected, observed, strict_messages, together=()) -> list[Difference]:
    """Events match kind by kind; an exception's text alone differing is message-only."""
    if len(expected) != len(observed) or any(e[0] != o[0] for e, o in zip(expected, observed)):
        return [Difference("events", expected, observed, DEVIATES)]
    differences = []
    for index, (want, got) in enumerate(zip(expected, observed)):
        kind = want[0]
        if kind == "reentry":
            if want[1:3] != got[1:3]:
                differences.append(Difference(f"events[{index}]", want, got, DEVIATES))
            else:
                differences += _compare_outcome(want[3], got[3], f"events[{index}] ({want[1]} from inside the body)",
                                                strict_messages)
        elif kind == "caught":
            if want[1] != got[1]:
                differences.append(Difference(f"events[{index}]", want, got, DEVIATES))
            elif want[2] != got[2]:
                differences.append(Difference(f"events[{index}]", want, got, MESSAGE_ONLY))
        elif kind == "received" and not _same_value(want[1], got[1]):
            differences.append(Difference(f"events[{index}]", want, got, DEVIATES))
        elif kind == "inside":
            differences += _compare_inside(index, want, got, together)
        elif kind == "reported":  # what an event loop's exception handler received: compared as a raised outcome
            differences += _compare_outcome(["raised", want[1]], ["raised", got[1]],
                                            f"events[{index}] (reported to the loop's exception handler)",
                                            strict_messages)
    return differences


def _compare_inside(index, want, got, together=()) -> list[Difference]:
    """The state and attributes the body saw of its own coroutine while running."""
    aspect = f"events[{index}] (seen from inside the body)"
    return _compare_state(f"{aspect}.state", want[1], got[1]) + _compare_attributes(f"{aspect}.", want[2], got[2],
                                                                                     together)


def _compare_state(aspect: str, expected: str | None, observed: str | None) -> list[Difference]:
    """The state the inspect function reported; expected None: this version has no such function to ask."""
    if expected is None:
        return []
    if observed is None:
        return [Difference(aspect, expected, None, NOT_OBSERVABLE)]
    return [Difference(aspect, expected, observed, DEVIATES)] if observed != expected else []


def _same_value(a, b) -> bool:
    return type(a) is type(b) and a == b


def format_value(value) -> str:
    """A short human rendering of an outcome, event list or plain value."""
    if isinstance(value, list) and len(value) == 2 and value[0] == "returned":
        return f"returns {value_text(value[1])}"
    if isinstance(value, list) and len(value) == 2 and value[0] == "raised":
        return f"raises {format_exception(value[1])}"
    if isinstance(value, dict):  # a value's description (a tuple, an exception used as a value, ...)
        return value_text(value)
    return repr(value)


def outcome_words(observation: Observation) -> str:
    """What a call returned or raised and the state it left, in words (a final collection returns nothing)."""
    outcome = "nothing (no caller receives a result)" if observation.outcome is None \
        else format_value(observation.outcome)
    state = f"state {observation.state}" if observation.state is not None else "state not seen"
    return f"{outcome}; {state}"


def event_words(event) -> str:
    """One thing the body logged, in words."""
    kind = event[0] if isinstance(event, list) and event else "?"
    if kind == "started":
        return "the body started"
    if kind == "received":
        return f"the body's await returned {value_text(event[1])}"
    if kind == "caught":
        return f"{event[1]}({event[2]!r}) was raised at the body's await"
    if kind == "finally":
        return "the body's finally block ran"
    if kind == "inside":
        return f"the body saw its coroutine {event[1]} {event[2]}"
    if kind == "reentry":
        return f"the body's own {event[1]}({event[2]}) {format_value(event[3])}"
    return repr(event)


def describe_difference(difference: Difference, model=None) -> str:
    """One difference in words: which aspect (by its attribute name where the model gives one), what the model
    expected and what was observed; for the body's events, the first event that differs."""
    aspect = difference.aspect
    if aspect.startswith("attributes.") and model is not None:
        name = aspect.split(".", 1)[1]
        aspect = model.attributes.get(name, {}).get("name", aspect)
    if difference.verdict == NOT_OBSERVABLE:
        return f"{aspect}: expected {format_value(difference.expected)}, not observable here (the object offers " \
               f"no way to see it)"
    if difference.observed == ABSENT and model is not None:
        name = difference.aspect.rsplit(".", 1)[-1]
        attribute = model.attributes.get(name, {}).get("name", name)
        return f"{aspect}: expected {format_value(difference.expected)}, but the object has no {attribute} while " \
               f"it has other attributes inspect.{model.inspect_function}() reads, so that fails with AttributeError"
    if aspect == "events" and isinstance(difference.expected, list) and isinstance(difference.observed, list):
        return _events_difference(difference.expected, difference.observed)
    if aspect.startswith("events[") and "." not in aspect and isinstance(difference.expected, list) \
            and difference.expected[:1] not in (["raised"], ["returned"]):
        return f"{aspect}: expected {event_words(difference.expected)}; observed {event_words(difference.observed)}"
    return f"{aspect}: expected {format_value(difference.expected)}, observed {format_value(difference.observed)}"


def _events_difference(expected: list, observed: list) -> str:
    for index in range(max(len(expected), len(observed))):
        want = expected[index] if index < len(expected) else None
        got = observed[index] if index < len(observed) else None
        if want != got:
            said_want = event_words(want) if want is not None else "nothing more"
            said_got = event_words(got) if got is not None else "nothing more"
            return (f"what the body did, event {index + 1}: expected {said_want}; observed {said_got} "
                    f"(expected {len(expected)} events in all, observed {len(observed)})")
    return "what the body did differs"


def format_exception(description: dict) -> str:
    text = description.get("type", "?")
    if "value" in description:
        text += f"(value={value_text(description['value'])})"
    elif description.get("message"):
        text += f"({description['message']!r})"
    if description.get("cause"):
        text += f" from {description['cause']}"
    if description.get("context"):
        text += f" during {description['context']}"
    return text
