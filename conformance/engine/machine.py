"""The Hypothesis engine: a RuleBasedStateMachine with one rule, which takes one step of the step alphabet.

Each step is one draw: an integer that picks an entry of the alphabet of the state the subject is in (the
alphabet holds every call, argument class, reaction and re-entrant call the model allows there, and the
model's prediction for each, computed once per oracle and driver). The strategy is built once; the number
shrinks towards 0, the alphabet's simplest entry, so failing sequences shrink to short, plain ones.
"""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, Phase, reject
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from conformance.engine.alphabet import Alphabet
from conformance.engine.session import Avoided, ConformanceFailure, Session
from conformance.protocol.observation import CRASH, HANG
from conformance.protocol.steps import avoidance_key

STEP_NUMBER = st.integers(0, Alphabet.RESOLUTION - 1)  # the one draw of a step (see Alphabet.pick)


def build_machine(session: Session, known: set[str] = frozenset()) -> type[RuleBasedStateMachine]:
    """A state machine class that drives `session` (its driver, oracle and results). A failing step whose
    violated transitions are all in `known` (reported already) ends its example as invalid, so that the run
    goes on looking for other violations."""
    alphabet, model = session.alphabet, session.model

    class ProtocolMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            session.begin()

        @rule(number=STEP_NUMBER)
        def step(self, number):
            """The entry `number` picks from the steps the model allows in the subject's current state."""
            entry = alphabet.pick(session.state, number)
            if entry is None:
                reject()
            self.judge(session.take_entry, entry)

        def judge(self, take, step, ending: bool = False) -> None:
            """Make a step with `take`; a failure not reported already fails the example (Hypothesis shrinks
            it), one reported already ends the example as invalid, so the run looks for others (or, once the
            example is `ending`, when Hypothesis can no longer reject it, is passed over). A step that crashed
            or hung the child is not made again in this run: each time it costs a new child."""
            try:
                record = take(step)
            except Avoided:
                if ending:
                    return
                reject()
            if record.failures:
                failure = session.failure_entry(record, "hypothesis")
                if set(failure["transitions"]) <= known:
                    if any(d.verdict in (CRASH, HANG) for d in record.failures):
                        session.avoid.add(tuple(avoidance_key(record.prediction.transitions)))
                    if ending:
                        return
                    reject()
                raise ConformanceFailure(failure)

        def teardown(self):
            """The final calls, unless the example is ending with an exception (one that ran out of data,
            say): Hypothesis has concluded it already, so a failure or a rejection here would break it."""
            try:
                if sys.exc_info()[0] is None:
                    for step in session.final_steps():
                        self.judge(session.take, step, ending=True)
            finally:
                session.end()

    ProtocolMachine.__name__ = f"{model.name.title()}Machine_{session.driver.name}"
    return ProtocolMachine


def machine_settings(max_examples: int | None = None, derandomize: bool | None = None) -> Settings:
    """The loaded Hypothesis profile (the user's, or `ci` under CI), with what a stateful run needs."""
    base = Settings()
    return Settings(base, max_examples=max_examples if max_examples is not None else base.max_examples,
                    stateful_step_count=10, deadline=None, database=None, print_blob=False,
                    derandomize=base.derandomize if derandomize is None else derandomize,
                    # The explain phase re-runs the failure many times to annotate lines of code; our own
                    # failure text already says what happened, in the model's terms.
                    phases=[phase for phase in base.phases if phase != Phase.explain],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
