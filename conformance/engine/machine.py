"""The Hypothesis engine: a RuleBasedStateMachine whose rules are made from the model's calls.

There is one rule per (call, argument class) the model declares, not one per transition: the rule asks
the oracle which row applies in the current state, draws the body's reaction from the reactions the model
allows for what the call delivers, and lets the Session check the step.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, Phase, reject
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conformance.engine.session import Avoided, ConformanceFailure, Session
from conformance.protocol.model import RUNNING
from conformance.protocol.observation import CRASH, HANG
from conformance.protocol.steps import Plan, Reentry, Step, avoidance_key
from conformance.protocol.values import awaitee_value_strategy, payload_strategy, reaction_value_strategy


def build_machine(session: Session, known: set[str] = frozenset()) -> type[RuleBasedStateMachine]:
    """A state machine class that drives `session` (its driver, oracle and results). A failing step whose
    violated transitions are all in `known` (reported already) ends its example as invalid, so that the run
    goes on looking for other violations; one that crashed or hung the child is avoided from then on."""
    oracle, driver, model = session.oracle, session.driver, session.model
    plans = plan_strategies(session)

    class ProtocolMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            session.begin()

        @initialize(start=st.booleans(), data=st.data())
        def maybe_start(self, start, data):
            """Half the examples begin with a call that resumes the body, so most of the run is spent on a
            started subject (Hypothesis shrinks this to False when the start does not matter)."""
            if not start:
                return
            for call, argument in model.interactive_calls():
                row = oracle.row(session.state, call, argument)
                if row is not None and row.enters and driver.can_deliver(call, argument):
                    fixed = driver.payload_override(call, argument)
                    payload = fixed if fixed is not None else data.draw(payload_strategy(call, argument))
                    self.take(Step(call, argument, payload, data.draw(plans(row.enters), label="body")))
                    return

        def take(self, step: Step, ending: bool = False) -> None:
            """Make the step; a failure already reported (or a step to avoid) makes the example invalid, or,
            once it is `ending` (Hypothesis has stopped drawing and can no longer reject), is passed over."""
            try:
                record = session.take(step)
            except Avoided:
                if ending:
                    return
                reject()
            if record.failures:
                entry = session.failure_entry(record, "hypothesis")
                if set(entry["transitions"]) <= known:
                    if any(d.verdict in (CRASH, HANG) for d in record.failures):
                        # reported already, and each time it costs a new child: not made again in this run
                        session.avoid.add(tuple(avoidance_key(record.prediction.transitions)))
                    if ending:
                        return
                    reject()
                raise ConformanceFailure(entry)

        def teardown(self):
            try:
                for step in session.final_steps():
                    self.take(step, ending=True)
            finally:
                session.end()

    for call in model.calls.values():
        arguments = [a for a in call.arguments if driver.can_deliver(call.name, a)]
        if not call.final and arguments:
            _add_rule(ProtocolMachine, oracle, session, call.name, arguments, plans)
    ProtocolMachine.__name__ = f"{model.name.title()}Machine_{driver.name}"
    return ProtocolMachine


def plan_strategies(session: Session):
    """`plans(delivered)`: the strategy of the body's plan for a call that delivers `delivered` (each built
    once): a reaction the route allows, its value, and up to two re-entrant calls."""
    oracle, driver, model = session.oracle, session.driver, session.model
    final_state = _final_state(model)
    reentry = _reentry_strategy(model, oracle)
    reentries = st.lists(reentry, max_size=2).map(tuple) if reentry is not None else st.just(())
    built: dict[str, st.SearchStrategy] = {}

    def plans(delivered: str) -> st.SearchStrategy:
        if delivered not in built:
            reactions = oracle.reactions(delivered)
            # Reactions that leave the subject alive get twice the weight, so runs reach deeper sequences.
            alive = [r for r in reactions
                     if model.reaction_row(oracle.version, delivered, r, oracle.route).target != final_state]
            choice = st.one_of(st.sampled_from(alive), st.sampled_from(reactions)) if alive \
                else st.sampled_from(reactions)
            if model.layer(delivered) == "awaitee":
                built[delivered] = choice.flatmap(lambda reaction: awaitee_plans(delivered, reaction))
            else:
                built[delivered] = choice.flatmap(
                    lambda reaction: st.builds(Plan, st.just(reaction),
                                               reaction_value_strategy(reaction, driver.yielded_values()),
                                               reentries))
        return built[delivered]

    def awaitee_plans(delivered: str, reaction: str) -> st.SearchStrategy:
        """The awaited object's reaction and value, then the body's plan for what it passes on (if anything)."""
        row = model.reaction_row(oracle.version, delivered, reaction, oracle.route)
        body_plans = plans(row.enters) if row.enters else plans("value")
        return st.builds(lambda plan, value: replace(plan, awaitee=reaction, awaitee_value=value),
                         body_plans, awaitee_value_strategy(reaction))

    return plans


def _add_rule(machine, oracle, session, call, arguments, plans):
    """One rule per call of the model; the argument class, payload and body plan are drawn inside it."""
    driver = session.driver

    def allowed(state):
        return [a for a in arguments if oracle.row(state, call, a) is not None]

    def has_row(self) -> bool:
        return bool(allowed(session.state))

    def make_call(self, data):
        argument = data.draw(st.sampled_from(allowed(session.state)), label="argument")
        fixed = driver.payload_override(call, argument)
        payload = fixed if fixed is not None else data.draw(payload_strategy(call, argument), label="payload")
        row = oracle.row(session.state, call, argument)
        plan = data.draw(plans(row.enters), label="body") if row.enters else None
        self.take(Step(call, argument, payload, plan))

    make_call.__name__ = call
    setattr(machine, call, rule(data=st.data())(precondition(has_row)(make_call)))


def _final_state(model) -> str:
    """The state with no way out but to itself (CLOSED)."""
    graph = model.graph()
    return next(state for state in model.states if set(graph.successors(state)) <= {state})


def _reentry_strategy(model, oracle):
    """A re-entrant call the route allows, or None where it allows none."""
    options = [(call, argument) for call, argument in model.interactive_calls()
               if oracle.row(RUNNING, call, argument) is not None]
    if not options:
        return None
    return st.sampled_from(options).flatmap(
        lambda pair: payload_strategy(*pair).map(lambda payload: Reentry(pair[0], pair[1], payload)))


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
