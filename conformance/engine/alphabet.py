"""The step alphabet: every step the model allows from each state, for one oracle and driver, built once.

A step is put together from *dimensions*, each chosen by one small function: the call, its argument class,
the payload (one representative per argument class), and, for a call that resumes the body, the plan: what
the awaited object does where the call reaches it first, the body's reaction and its value, and a re-entrant
call or none. Each function reads what it offers from the model, the oracle or the driver, never from a list
of its own, and returns its choices for the step chosen so far; a new dimension is one more function in
STEP_DIMENSIONS or PLAN_DIMENSIONS (and, for a plan, a field of Plan). The tour (its steps without a re-entrant
call), the enumerator (every sequence up to a depth) and the Hypothesis machine (one draw a step from the
current state's entries) all read this one table, with the model's prediction for each entry made once.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from conformance.protocol.model import RUNNING
from conformance.protocol.oracle import Oracle
from conformance.protocol.steps import Plan, Prediction, Reentry, Step
from conformance.protocol.values import alphabet_values, example_awaitee_value, example_payload


@dataclass(frozen=True)
class Choice:
    """One option of a dimension: the fields it sets, and its weight among its siblings in random draws."""

    fields: tuple  # (name, value) pairs of Step or Plan fields
    weight: float = 1.0


@dataclass(frozen=True)
class Context:
    """What a dimension function may read: the oracle, the driver, and the state the step starts from."""

    oracle: Oracle
    driver: object
    state: str
    final: bool = False  # the steps of final calls (collect), which end a sequence, instead of the others

    def row(self, chosen: dict):
        return self.oracle.row(self.state, chosen["call"], chosen["argument"])

    def fixed_body(self, chosen: dict) -> str | None:
        """The body's reaction the chosen call fixes (collect: it lets GeneratorExit through), if it fixes one."""
        return self.oracle.model.calls[chosen["call"]].body

    def reaction_row(self, delivered: str, reaction: str):
        return self.oracle.model.reaction_row(self.oracle.version, delivered, reaction, self.oracle.route)


def calls(context: Context, chosen: dict) -> list[Choice]:
    """The calls a caller makes during a run, or, for the endings, the final calls (collect) that end one."""
    return [Choice((("call", call.name),)) for call in context.oracle.model.calls.values()
            if call.final == context.final]


def arguments(context: Context, chosen: dict) -> list[Choice]:
    """The call's argument classes that the model answers in this state and the driver can deliver."""
    call = chosen["call"]
    return [Choice((("argument", argument),)) for argument in context.oracle.model.calls[call].arguments
            if context.driver.can_deliver(call, argument) and context.oracle.row(context.state, call, argument)]


def payloads(context: Context, chosen: dict) -> list[Choice]:
    """One representative payload per argument class (the driver's own where it must choose it)."""
    return [Choice((("payload", payload_for(context.driver, chosen["call"], chosen["argument"])),))]


def awaitee_reactions(context: Context, chosen: dict) -> list[Choice]:
    """Where the call reaches the object the body awaits first (a delivery of the "awaitee" layer): every
    reaction the route lets that object have, each with what it then delivers to the body (None: nothing)."""
    delivered = chosen[DELIVERED]
    if context.oracle.model.layer(delivered) != "awaitee":
        return [NOTHING]
    if context.fixed_body(chosen) is not None:
        # a call that fixes the body's reaction (collect) has no plan for the awaited object either: it passes
        # what reaches it on, silently (Script.awaitee_reaction), as anything a program drops does
        return [Choice((("awaitee", None), (DELIVERED, context.reaction_row(delivered, "pass").enters)))]
    return [Choice((("awaitee", reaction), (DELIVERED, context.reaction_row(delivered, reaction).enters)))
            for reaction in context.oracle.reactions(delivered)]


def awaitee_values(context: Context, chosen: dict) -> list[Choice]:
    """One representative value per reaction of the awaited object."""
    if chosen.get("awaitee") is None:
        return [NOTHING]
    return [Choice((("awaitee_value", example_awaitee_value(chosen["awaitee"], context.driver.yielded_values())),))]


def reactions(context: Context, chosen: dict) -> list[Choice]:
    """Every reaction the route lets the body have to what reaches it (where nothing does, one plan that
    the body never uses: the first reaction the model lists)."""
    delivered, fixed = chosen[DELIVERED], context.fixed_body(chosen)
    if delivered is None:
        return [Choice((("reaction", next(iter(context.oracle.model.reactions))),))]
    if fixed is not None:  # the call says what the body does (collect: it lets GeneratorExit through)
        return [Choice((("reaction", fixed),))]
    return [Choice((("reaction", reaction),)) for reaction in context.oracle.reactions(delivered)]


def reaction_values(context: Context, chosen: dict) -> list[Choice]:
    """The values of a reaction (what the body awaits with, returns or raises): its example, and for a return
    the value classes wrappers get wrong (values.ALPHABET_CLASSES)."""
    return [Choice((("value", value),)) for value in alphabet_values(chosen["reaction"], context.driver.yielded_values())]


def reentries(context: Context, chosen: dict) -> list[Choice]:
    """No re-entrant call, or one of each call the model answers while RUNNING (none where nothing reaches
    the body); in random draws the resumptions without one weigh as much as all those with one together."""
    resumes = chosen[DELIVERED] is not None and not context.final  # a final call's body makes no calls
    options = reentry_calls(context.oracle, context.driver) if resumes else []
    return [Choice((("reentries", ()),), weight=max(1, len(options)))] + \
        [Choice((("reentries", (reentry,)),)) for reentry in options]


DELIVERED = "_delivered"  # a dimension's working field: the delivery the rest of the plan answers
NOTHING = Choice(())  # the one choice of a dimension that does not apply to this step

STEP_DIMENSIONS = (calls, arguments, payloads)
PLAN_DIMENSIONS = (awaitee_reactions, awaitee_values, reactions, reaction_values, reentries)


def payload_for(driver, call: str, argument: str):
    fixed = driver.payload_override(call, argument)
    return fixed if fixed is not None else example_payload(call, argument)


def reentry_calls(oracle: Oracle, driver) -> list[Reentry]:
    """The calls a running body can make on its own coroutine that the model answers on this route."""
    return [Reentry(call, argument, payload_for(driver, call, argument))
            for call, argument in oracle.model.interactive_calls()
            if oracle.row(RUNNING, call, argument) is not None and driver.can_deliver(call, argument)]


@dataclass(frozen=True)
class Entry:
    """One step from one state, with the model's prediction for it (made once)."""

    source: str
    step: Step
    prediction: Prediction
    weight: float  # its share of the random draws from `source` (the entries of a state sum to 1)

    @property
    def calls(self) -> int:
        """How many calls the step makes on the subject: its own and the body's re-entrant ones."""
        return 1 + (len(self.step.plan.reentries) if self.step.plan is not None else 0)

    @property
    def target(self) -> str:
        return self.prediction.next_state


def combine(context: Context, dimensions, chosen: dict, weight: float) -> list[tuple[dict, float]]:
    """Every combination of the dimensions' choices after `chosen`, in order, each with its weight: its share
    of `weight`, split among siblings by their Choice weights (a choice that leads to no step at all, say a
    call with no argument class the driver can make here, takes no share)."""
    if not dimensions:
        return [(chosen, weight)]
    branches = []
    for option in dimensions[0](context, chosen):
        below = combine(context, dimensions[1:], {**chosen, **dict(option.fields)}, 1.0)
        if below:
            branches.append((option.weight, below))
    total = sum(option_weight for option_weight, _ in branches)
    return [(fields, weight * option_weight / total * share)
            for option_weight, below in branches for fields, share in below]


def state_entries(oracle: Oracle, driver, state: str, final: bool = False) -> list[Entry]:
    """Every step the model allows from `state` that the driver can make, the simplest first (`final`: every
    final step instead)."""
    context = Context(oracle, driver, state, final)
    entries = []
    for fields, weight in combine(context, STEP_DIMENSIONS, {}, 1.0):
        delivered = context.row(fields).enters
        if delivered is None:
            steps = [(Step(**fields), weight)]
        else:
            steps = [(Step(**fields, plan=plan_of(chosen, fields)), share)
                     for chosen, share in combine(context, PLAN_DIMENSIONS, {**fields, DELIVERED: delivered}, weight)]
        entries += [Entry(state, step, oracle.predict(state, step), share) for step, share in steps]
    return entries


def plan_of(chosen: dict, step_fields: dict) -> Plan:
    """The plan the plan dimensions chose (their fields, not the step's nor their working fields)."""
    return Plan(**{name: value for name, value in chosen.items()
                   if name not in step_fields and not name.startswith("_")})


class Alphabet:
    """The entries of every state the subject can be in between calls, and a draw table for each."""

    RESOLUTION = 1 << 16  # the range of the one integer a random step draws

    def __init__(self, oracle: Oracle, driver):
        self.model = oracle.model
        states = [s for s in oracle.model.states_on(oracle.version, oracle.route) if s != RUNNING]  # those it can reach
        self.entries = {state: state_entries(oracle, driver, state) for state in states}
        self.endings = {state: state_entries(oracle, driver, state, final=True) for state in states}
        self.final_states = {state for state, entries in self.entries.items()
                             if all(entry.target == state for entry in entries)}
        self._thresholds = {state: self.thresholds(entries) for state, entries in self.entries.items()}

    def __getitem__(self, state: str) -> list[Entry]:
        return self.entries[state]

    def ending(self, state: str, turn: int) -> Entry | None:
        """The final step that ends the `turn`th sequence in `state`: its endings take turns (collect, whose body
        is fixed, has one; an event loop's shutdown one per reaction of the body), None where it has none."""
        endings = self.endings.get(state)
        return endings[turn % len(endings)] if endings else None

    def pick(self, state: str, number: int) -> Entry | None:
        """The entry a random `number` in [0, RESOLUTION) selects from `state` (0 selects the first, the
        simplest, which is what shrinking aims at); None where the state has no entries."""
        entries = self.entries.get(state)
        if not entries:
            return None
        return entries[min(bisect.bisect_right(self._thresholds[state], number), len(entries) - 1)]

    def thresholds(self, entries: list[Entry]) -> list[int]:
        """Cumulative upper bounds of each entry's slice of [0, RESOLUTION): its weight, except that steps
        that leave the subject alive (not in a final state) get at least half of the draws together, so
        that random sequences reach past their first calls."""
        weights = [entry.weight for entry in entries]
        alive = [entry.target not in self.final_states for entry in entries]
        alive_share = sum(w for w, keeps in zip(weights, alive) if keeps)
        if 0 < alive_share < 0.5:
            weights = [w * (0.5 / alive_share if keeps else 0.5 / (1 - alive_share)) for w, keeps in zip(weights, alive)]
        total, bounds, running = sum(weights), [], 0.0
        for weight in weights:
            running += weight
            bounds.append(max(bounds[-1] + 1 if bounds else 1, round(running / total * self.RESOLUTION)))
        return bounds

    def count(self, depth: int) -> int:
        """How many sequences of at most `depth` calls the model allows (the empty one included)."""
        memo: dict = {}

        def sequences(state: str, budget: int) -> int:
            if (state, budget) not in memo:
                memo[state, budget] = 1 + sum(sequences(entry.target, budget - entry.calls)
                                              for entry in self.entries[state] if entry.calls <= budget)
            return memo[state, budget]

        return sequences(self.model.initial, depth)
