"""A session: one subject's life under one driver, step by step, each step checked against the oracle.

Both the deterministic tour and the Hypothesis machine drive a Session, so a step is predicted, performed,
compared and recorded in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.engine.alphabet import Alphabet, Entry
from conformance.engine.results import DriverResults
from conformance.protocol.model import RUNNING, Model
from conformance.protocol.observation import (
    DEVIATES,
    Difference,
    Observation,
    SubjectFailure,
    compare,
    describe_difference,
    failing,
    outcome_words,
)
from conformance.protocol.oracle import Oracle
from conformance.protocol.steps import (
    Prediction,
    Step,
    avoidance_key,
    sequence_lines,
)
from conformance.subject.body import SuiteError


@dataclass
class StepRecord:
    """One step as it happened: the state before, the step, what the model said and what was seen."""

    state: str
    step: Step
    prediction: Prediction
    observation: Observation
    differences: list[Difference]
    failures: list[Difference] = field(default_factory=list)
    continued_from_observed: bool = False  # the step deviated into another model state, and the session went on from it
    lost: bool = False  # the subject is in no state the model knows (or is gone): its sequence cannot go on
    kept_model_state: bool = False  # seen in another state, but the session went on from the model's (follow_observed off)

    @property
    def violated(self) -> list[str]:
        """The transitions this step's failures point at, each once, in the order they were found."""
        return list(dict.fromkeys(self.blame(difference) for difference in self.failures))

    def blame(self, difference: Difference) -> str:
        """The transition a difference points at: for an event, the row that predicted it (a re-entrant
        call's row, the row that delivered what arrived, the call's row for the body's view of itself); the
        call row for a warning; otherwise the row that decided the outcome."""
        transitions = self.prediction.transitions
        if difference.aspect.startswith("events["):
            index = int(difference.aspect[len("events["):].split("]")[0])
            rows = self.prediction.event_rows
            if index < len(rows):
                return rows[index]
        if difference.aspect == "warnings":
            return transitions[0]
        return transitions[-1]


class Avoided(Exception):
    """A step whose transitions crashed an earlier child process (see isolation.py): not made again."""


class ConformanceFailure(AssertionError):
    """Raised inside a Hypothesis run when the subject does not do what the model says; `entry` is the
    failure as results keep it ({source, text, transitions, steps})."""

    def __init__(self, entry: dict):
        super().__init__(entry["text"])
        self.entry = entry


class Session:
    def __init__(self, model: Model, driver, version: tuple[int, int], results: DriverResults,
                 strict_messages: bool = True, require_observable: bool = False, avoid=()):
        """`avoid`: transition lists of steps that must not be made (a step whose call row and re-entrant
        rows include all of one): they crashed the interpreter in an earlier child process, whose crash
        verdict is recorded already."""
        self.model = model
        self.avoid = {tuple(transitions) for transitions in avoid}
        self.driver = driver
        self.oracle = Oracle(model, version, driver.route, driver.subject_name, driver.observes_inside,
                             driver.origin_tracking)
        self.results = results
        self.strict_messages = strict_messages
        self.require_observable = require_observable
        self.state = model.initial
        self.history: list[StepRecord] = []
        self.on_begin = None  # called at the start of every example (the runner's progress lines)
        self.follow_observed = True  # after a step seen in another model state, go on from that state
        self._alphabet = None

    def begin(self) -> None:
        self.driver.begin()
        self.state = self.model.initial
        self.history = []
        self.results.examples += 1
        if self.on_begin is not None:
            self.on_begin()

    def take(self, step: Step, prediction: Prediction | None = None) -> StepRecord:
        """Predict, perform, compare and record one step; move to the model's next state. `prediction`: the
        oracle's prediction for `step` from the current state, made already (the alphabet's)."""
        try:
            if prediction is None or self.driver.origin:  # an origin makes the warning's text this subject's
                prediction = self.oracle.predict(self.state, step, self.driver.origin)
        except Exception as error:  # the oracle's bug, or a model it cannot read: never the subject's doing
            raise SuiteError(f"the oracle could not predict {step.describe()} from {self.state}: "
                             f"{type(error).__name__}: {error}") from error
        leading = set(avoidance_key(prediction.transitions))
        if any(set(key) <= leading for key in self.avoid):
            raise Avoided(step.describe())
        try:
            observation = self.driver.perform(step)
        except SubjectFailure as failure:
            observation = Observation()
            differences = [Difference("subject", prediction.observation.outcome, failure.detail, failure.verdict)]
        else:
            differences = compare(prediction.observation, observation, self.model.calls[step.call].observes,
                                  self.strict_messages, self.oracle.inspected())
        record = StepRecord(self.state, step, prediction, observation, differences,
                            failing(differences, self.strict_messages, self.require_observable))
        self.history.append(record)
        self.results.record(record)
        self.state = self.next_state(record)
        return record

    def next_state(self, record: StepRecord) -> str:
        """Where the session goes on after `record`: the model's prediction, unless the step failed and the
        subject was seen in another state. A model state seen is followed (the record says so); a state
        that is no model state, or a crashed or hung subject, leaves the session lost (`record.lost`)."""
        predicted = record.prediction.next_state
        if not record.failures:
            return predicted
        if any(difference.aspect == "subject" for difference in record.differences) \
                or not self.driver.holds_up(predicted, self.history):
            record.lost = True
            return predicted
        observed = record.observation.state
        if observed is None or observed == self.model.shown_state(predicted, self.oracle.version):
            return predicted
        if observed in self.model.states and observed != RUNNING:  # a call that returned cannot leave it running
            if not self.follow_observed:
                record.kept_model_state = True
                return predicted
            record.continued_from_observed = True
            return observed
        record.lost = True
        return predicted

    @property
    def alphabet(self) -> Alphabet:
        """Every step the model allows from each state for this oracle and driver (built once)."""
        if self._alphabet is None:
            self._alphabet = Alphabet(self.oracle, self.driver)
        return self._alphabet

    def take_entry(self, entry: Entry) -> StepRecord:
        """Take an alphabet entry, with its prediction where the session is in the state it was made for."""
        return self.take(entry.step, entry.prediction if entry.source == self.state else None)

    def can_take(self, step: Step) -> bool:
        """Whether the model has an answer for `step` from the current state (a planned step may have none
        once the session has followed a subject into another state)."""
        try:
            self.oracle.predict(self.state, step)
        except LookupError:
            return False
        return True

    def final_steps(self) -> list[Step]:
        """The final call that ends this sequence (collect), where the current state and the driver have one:
        one of the alphabet's endings, each sequence ending there taking the next (Alphabet.ending)."""
        entry = self.alphabet.ending(self.state, self.results.examples)
        return [entry.step] if entry is not None else []

    def end(self) -> None:
        self.driver.end()
        if any(record.lost or any(d.verdict == DEVIATES and d.aspect.startswith(("outcome", "events"))
                                  for d in record.failures) for record in self.history):
            # The subject raised, returned or did in its body what the model does not allow: the next subjects
            # get a fresh process, so that damage it did there is not blamed on them.
            self.driver.renew()

    def failure_entry(self, record: StepRecord, source: str) -> dict:
        """A failing step as results keep it: the explanation, the violated transitions, the call sequence."""
        entry = {"source": source, "text": self.explain(record),
                 "transitions": record.violated,
                 "steps": [done.step.to_json() for done in self.history]}
        if any(done.continued_from_observed for done in self.history):
            entry["continued_from_observed"] = True
        if any(done.kept_model_state for done in self.history):
            entry["continued_from_model"] = True
        return entry

    # -- words for people ------------------------------------------------------------------------
    def explain(self, record: StepRecord) -> str:
        """A failure in words: the call sequence, the body script, expected against observed."""
        lines = [f"The {self.driver.name!r} driver deviates from the {self.model.name} model "
                 f"(Python {self.oracle.version[0]}.{self.oracle.version[1]} profile)."]
        for transition_id in record.violated:
            row = self.model.transition(transition_id)
            lines.append(f"Violated transition: {transition_id}  ({row.describe_trigger()} {row.target})")
        lines.append("Call sequence on a fresh subject:")
        lines += sequence_lines([(done.step, done.state, done.prediction.next_state,
                                  done.prediction.transitions[-1] != done.prediction.transitions[0])
                                 for done in self.history], self.history.index(record))
        expected, observed = record.prediction.observation, record.observation
        said_expected, said_observed = outcome_words(expected), outcome_words(observed)
        if said_expected == said_observed:
            lines.append(f"Outcome and state as expected: {said_expected}")
        else:
            lines.append(f"Expected: {said_expected}")
            lines.append(f"Observed: {said_observed}")
        lines.append("Differences:")
        lines += [f"  - {describe_difference(difference, self.model)}" for difference in record.failures]
        lines += self.continuation_lines(record)
        return "\n".join(lines)

    def continuation_lines(self, record: StepRecord) -> list[str]:
        """Where the sequence went on from a state the subject was seen in rather than the model's."""
        lines = []
        for number, done in enumerate(self.history, 1):
            if done.continued_from_observed:
                where = "this step" if done is record else f"step {number}"
                lines.append(f"Continued from the observed state: after {where} the subject was seen in "
                             f"{done.observation.state}, not the model's {done.prediction.next_state}, and the "
                             f"sequence went on from {done.observation.state}.")
            elif done.kept_model_state:
                where = "this step" if done is record else f"step {number}"
                lines.append(f"Continued from the model's state: after {where} the subject was seen in "
                             f"{done.observation.state}, not the model's {done.prediction.next_state}; the "
                             f"sequence went on as if it were in {done.prediction.next_state}, to reach the "
                             f"transitions behind it.")
        return lines
