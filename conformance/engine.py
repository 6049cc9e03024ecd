"""The Hypothesis engine: a RuleBasedStateMachine whose rules are made from the model's calls.

There is one rule per (call, argument class) the model declares, not one per transition: the rule asks
the oracle which row applies in the current state, draws the body's reaction from the reactions the model
allows for what the call delivers, and lets the Session check the step.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings as Settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from .model import RUNNING
from .session import ConformanceFailure, Session
from .steps import Plan, Reentry, Step
from .values import payload_strategy, reaction_value_strategy


def build_machine(session: Session) -> type[RuleBasedStateMachine]:
    """A state machine class that drives `session` (its driver, oracle and results)."""
    oracle, driver, model = session.oracle, session.driver, session.model

    def plans(delivered: str):
        reactions = oracle.reactions(delivered)
        reentries = st.lists(_reentry_strategy(model, oracle), max_size=2).map(tuple)
        return st.sampled_from(reactions).flatmap(
            lambda reaction: st.builds(Plan, st.just(reaction),
                                       reaction_value_strategy(reaction, driver.yielded_values()), reentries))

    class ProtocolMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            session.begin()

        def take(self, step: Step) -> None:
            record = session.take(step)
            if record.failures:
                raise ConformanceFailure(session.explain(record), list(session.history), driver.name)

        def teardown(self):
            try:
                for step in session.final_steps():
                    self.take(step)
            finally:
                session.end()

    for call, argument in model.interactive_calls():
        if driver.can_deliver(call, argument):
            fixed = driver.payload_override(call, argument)
            payloads = st.just(fixed) if fixed is not None else payload_strategy(call, argument)
            _add_rule(ProtocolMachine, oracle, session, call, argument, payloads, plans)
    ProtocolMachine.__name__ = f"{model.name.title()}Machine_{driver.name}"
    return ProtocolMachine


def _add_rule(machine, oracle, session, call, argument, payloads, plans):
    def has_row(self) -> bool:
        return oracle.row(session.state, call, argument) is not None

    def make_call(self, payload, data):
        row = oracle.row(session.state, call, argument)
        plan = data.draw(plans(row.enters), label="body") if row.enters else None
        self.take(Step(call, argument, payload, plan))

    make_call.__name__ = f"{call}_{argument}".replace("-", "_")
    setattr(machine, make_call.__name__, rule(payload=payloads, data=st.data())(precondition(has_row)(make_call)))


def _reentry_strategy(model, oracle):
    options = [(call, argument) for call, argument in model.interactive_calls()
               if oracle.row(RUNNING, call, argument) is not None]
    return st.sampled_from(options).flatmap(
        lambda pair: payload_strategy(*pair).map(lambda payload: Reentry(pair[0], pair[1], payload)))


def machine_settings(max_examples: int | None = None, derandomize: bool | None = None) -> Settings:
    """The loaded Hypothesis profile (the user's, or `ci` under CI), with what a stateful run needs."""
    base = Settings()
    return Settings(base, max_examples=max_examples if max_examples is not None else base.max_examples,
                    stateful_step_count=10, deadline=None, database=None, print_blob=False,
                    derandomize=base.derandomize if derandomize is None else derandomize,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
