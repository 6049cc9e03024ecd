"""The deterministic tour: call sequences that together exercise every transition a driver can reach.

Each *move* is one call from a state, together with the body's reaction when the call resumes it. Moves
are the edges of a state graph (networkx); the tour takes, for every move that still covers something new,
the shortest path of moves from the initial state to it. Re-entrant calls ride on a move that resumes the
body, and final calls (collect) end a sequence in the state they start from: each ending (Alphabet.endings) once.

Values: the paths use each role's first representative (a tagged number); the moves the tour plans take the
representatives in turn (values.Rotation), so the tour as a whole uses every value class, and every row of
an `await` or `return` reaction is also made once with the body passing out or returning None.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx

from conformance.engine.alphabet import Alphabet
from conformance.protocol.model import RUNNING
from conformance.protocol.oracle import Oracle
from conformance.protocol.steps import Reentry, Step
from conformance.protocol.values import NONE_VARIANTS, PAYLOAD_ROLES, REACTION_ROLES, Rotation, example_payload


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    step: Step
    transitions: tuple[str, ...]


def moves(oracle: Oracle, driver, alphabet: Alphabet | None = None) -> list[Move]:
    """Every move this driver can make, in model order: the alphabet's steps without a re-entrant call (state,
    call, argument, and where the call resumes the body, what the awaited object and the body do)."""
    alphabet = alphabet or Alphabet(oracle, driver)
    return [Move(entry.source, entry.target, entry.step, tuple(entry.prediction.transitions))
            for entries in alphabet.entries.values() for entry in entries if entry.calls == 1]


def move_key(state: str, step: Step) -> tuple:
    """What identifies a move for avoidance: its state, call, argument class and the reactions to it."""
    return (state, step.call, step.argument, step.plan.reaction if step.plan else None,
            step.plan.awaitee if step.plan else None)


def plan_tour(oracle: Oracle, driver, avoid=frozenset(), covered=(),
              alphabet: Alphabet | None = None) -> tuple[list[list[Step]], list[str]]:
    """The call sequences of the tour, and the ids of every transition they exercise. `avoid`: move keys
    (move_key) not to make, because the subject deviated there; `covered`: transitions exercised already,
    for which no sequence is planned; `alphabet`: the oracle's and driver's, where it is built already."""
    model = oracle.model
    alphabet = alphabet or Alphabet(oracle, driver)
    all_moves = [m for m in moves(oracle, driver, alphabet) if move_key(m.source, m.step) not in avoid]
    graph = networkx.DiGraph()
    graph.add_nodes_from(model.states)
    for move in all_moves:
        if not graph.has_edge(move.source, move.target):
            graph.add_edge(move.source, move.target, move=move)
    reachable = networkx.descendants(graph, model.initial) | {model.initial}

    def path_to(state: str) -> list[Step]:
        nodes = networkx.shortest_path(graph, model.initial, state)
        return [graph.edges[a, b]["move"].step for a, b in zip(nodes, nodes[1:])]

    sequences: list[list[Step]] = []
    exercised_before = frozenset(covered)
    covered: set[str] = set(covered)
    rotation, made_with_none = Rotation(driver.yielded_values()), set()
    for move in all_moves:
        if move.source in reachable and not set(move.transitions) <= covered:
            step = rotated(move.step, rotation, driver)
            sequences.append(path_to(move.source) + [step])
            covered.update(planned_transitions(oracle, sequences[-1]))
            if step.plan is not None and step.plan.value is None:
                made_with_none.add(move.transitions[-1])
    # Each row of a reaction that passes a value out is also made with None (unless it was already, or was
    # exercised before this plan).
    for move in all_moves:
        reaction_row = move.transitions[-1]
        if move.source in reachable and move.step.plan is not None and move.step.plan.reaction in NONE_VARIANTS \
                and reaction_row not in made_with_none and reaction_row not in exercised_before:
            sequences.append(path_to(move.source) + [replace(move.step, plan=replace(move.step.plan, value=None))])
            made_with_none.add(reaction_row)

    # Re-entrant calls: each RUNNING row, made by the body during the first move that resumes it.
    resuming = next((m for m in all_moves if m.step.plan is not None and m.step.plan.awaitee != "await"
                     and m.source in reachable), None)
    if resuming is not None:
        for call, argument in model.interactive_calls():
            row = oracle.row(RUNNING, call, argument)
            if row is None or row.id in covered:
                continue
            reentry = Reentry(call, argument, example_payload(call, argument))
            step = Step(resuming.step.call, resuming.step.argument, resuming.step.payload,
                        replace(resuming.step.plan, reentries=(reentry,)))
            sequences.append(path_to(resuming.source) + [step])
            covered.update(planned_transitions(oracle, sequences[-1]))

    # A final call ends a sequence; make sure each ending (one per reaction of the body) ends one that reaches it.
    for state, endings in alphabet.endings.items():
        for entry in endings if state in reachable else ():
            if not set(entry.prediction.transitions) <= covered:
                sequences.append(path_to(state) + [entry.step])
            covered.update(entry.prediction.transitions)
    order = [r.id for r in model.transitions]
    return sequences, sorted(covered, key=lambda t: order.index(t) if t in order else len(order))


def rotated(step: Step, rotation: Rotation, driver) -> Step:
    """The step with its values (a value payload, the body's value) the next of their role's representatives;
    a payload the driver fixes stays."""
    role = PAYLOAD_ROLES.get((step.call, step.argument))
    if role is not None and driver.payload_override(step.call, step.argument) is None:
        step = replace(step, payload=rotation.next(role))
    role = REACTION_ROLES.get(step.plan.reaction) if step.plan is not None else None
    if role is not None:
        step = replace(step, plan=replace(step.plan, value=rotation.next(role)))
    return step


def planned_transitions(oracle: Oracle, sequence: list[Step]) -> set[str]:
    """The transitions a sequence exercises on a subject that does what the model says."""
    state, found = oracle.model.initial, set()
    for step in sequence:
        prediction = oracle.predict(state, step)
        found.update(prediction.transitions)
        state = prediction.next_state
    return found


def unexercisable(oracle: Oracle, driver, exercisable: list[str]) -> dict[str, str]:
    """The model's transitions for this version that the driver cannot reach, each with the reason."""
    model = oracle.model
    reasons = {}
    direct_table = model.table(oracle.version)
    route_table = model.table(oracle.version, oracle.route)
    for case, row in direct_table.items():
        if row.id in exercisable:
            continue
        if case not in route_table:
            why = next((u.why for u in model.unreachable_cases(oracle.route, oracle.version) if u.matches(case)),
                       "no call of this route enters the body that way")
            reasons[row.id] = f"route {oracle.route!r}: {why}"
        elif row.call and not driver.can_deliver(row.call, row.argument):
            reasons[row.id] = f"the {driver.name!r} driver cannot make {row.call}({row.argument})"
        elif row.id not in {r.id for r in route_table.values()}:
            reasons[row.id] = f"replaced on route {oracle.route!r} by {route_table[case].id!r}"
        else:
            reasons[row.id] = f"the {driver.name!r} driver cannot reach it with the calls it can make"
    return reasons
