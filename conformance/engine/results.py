"""What a run found, per driver and per transition: how often each was exercised and its worst verdict."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from conformance.protocol.observation import CONFORMS, format_value
from conformance.protocol.verdicts import severity


@dataclass
class TransitionResult:
    count: int = 0
    verdict: str = CONFORMS
    observed: str | None = None  # the first non-conforming observation, in words
    expected: str | None = None
    differs_in: dict = field(default_factory=dict)  # attribute name, or "other", -> the worst verdict there

    def note(self, difference) -> None:
        """Keep the worst verdict per attribute, so that a reader can tell a deviation in one attribute alone."""
        merge_differs_in(self.differs_in, {difference.attribute or "other": difference.verdict})


def merge_differs_in(into: dict, more: dict) -> None:
    """Fold `more` into `into`: both map an attribute name (or "other") to the worst verdict seen there."""
    for where, verdict in more.items():
        if severity(verdict) > severity(into.get(where, CONFORMS)):
            into[where] = verdict


@dataclass
class DriverResults:
    driver: str
    route: str
    model: str
    version: str
    description: str = ""
    exercisable: list[str] = field(default_factory=list)  # the transitions this driver can reach
    unexercisable: dict[str, str] = field(default_factory=dict)  # id -> why this driver cannot reach it
    transitions: dict[str, TransitionResult] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    examples: int = 0
    steps: int = 0
    seconds: float = 0.0
    error: str | None = None  # the driver could not run at all (unavailable, crashed)
    not_applicable: str | None = None  # why this way of holding the object does not apply to it (not a failure)
    output: dict = field(default_factory=dict)  # what the subject printed or logged: {stdout, stderr, log}
    started: float = field(default_factory=time.perf_counter)
    first_failure_seconds: float | None = None  # how long until the first failing step was seen
    cut_short: set = field(default_factory=set)  # transitions planned in tour sequences that ended early
    depth: dict = field(default_factory=dict)  # the exhaustive exploration's figures (enumerator.explore)

    @property
    def blocked(self) -> list[str]:
        """Reachable transitions never exercised because the sequences meant to reach them deviated first
        (the subject left the model's states, or the model had no way on from the state it was seen in)."""
        return [t for t in self.uncovered if t in self.cut_short]

    def add_failure(self, failure: dict) -> bool:
        """Keep `failure` ({text, transitions, steps, source}) if it is the shortest call sequence seen so far
        for one of the transitions it violates; drop the failures it makes redundant. True if kept."""
        length = sequence_length(failure["steps"])
        best = {t: sequence_length(f["steps"]) for f in self.failures for t in f["transitions"]}
        if all(best.get(t, length + 1) <= length for t in failure["transitions"]):
            return False
        self.failures.append(failure)
        self.failures[:] = [f for f in self.failures if f is failure or any(
            t not in failure["transitions"] or sequence_length(f["steps"]) <= length for t in f["transitions"])]
        return True

    @property
    def violated(self) -> set[str]:
        """The transitions some recorded failure violates."""
        return {t for failure in self.failures for t in failure["transitions"]}

    def record(self, record) -> None:
        """Count every transition a step exercised and keep the worst verdict each one got."""
        self.steps += 1
        if record.failures and self.first_failure_seconds is None:
            self.first_failure_seconds = time.perf_counter() - self.started
        blamed: dict[str, list] = {}  # transition -> the differences blamed on it in this step
        for difference in record.differences:
            blamed.setdefault(record.blame(difference), []).append(difference)
        for transition_id in record.prediction.transitions:
            result = self.transitions.setdefault(transition_id, TransitionResult())
            result.count += 1
            for difference in blamed.get(transition_id, ()):
                result.note(difference)
            # its worst difference in this step (a milder one must not hide it)
            difference = max(blamed.get(transition_id, ()), key=lambda d: severity(d.verdict), default=None)
            if difference is not None and severity(difference.verdict) > severity(result.verdict):
                result.verdict = difference.verdict
                result.expected = format_value(difference.expected)
                result.observed = format_value(difference.observed)

    @property
    def covered(self) -> list[str]:
        return [t for t in self.exercisable if self.transitions.get(t, TransitionResult()).count > 0]

    @property
    def uncovered(self) -> list[str]:
        return [t for t in self.exercisable if self.transitions.get(t, TransitionResult()).count == 0]

    def verdict_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.transitions.values():
            counts[result.verdict] = counts.get(result.verdict, 0) + 1
        return counts


def sequence_length(steps: list[dict]) -> int:
    """How many calls a failing sequence makes, not counting the final garbage collection."""
    return len([step for step in steps if step["call"] != "collect"]) or len(steps)
