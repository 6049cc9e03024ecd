"""Exhaustive exploration: every sequence of at most K calls over the step alphabet, each on a fresh subject.

A call counts once, and so does each re-entrant call its body makes: a depth of K bounds the calls made on
the coroutine, whoever makes them. Sequences go by length, shortest first, so a deviation is reported with a
sequence no shorter one shows, and "depth reached" means every sequence of at most that many calls was
checked. A sequence whose calls deviated is not extended (each extension would deviate at the same call
first); one the subject cut short (lost, or a step avoided because it crashed an earlier child) is not
extended either. The rest are extended from the model's state, so a conforming subject takes exactly the
sequences `Alphabet.count` predicts. Every sequence ends with the final calls (collect), and goes through
the same Session as the tour and Hypothesis.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from conformance.engine.alphabet import Alphabet
from conformance.engine.session import Avoided, Session

PROGRESS_SECONDS = 5.0


@dataclass
class SequenceRun:
    """How one enumerated sequence went: whether to extend it, and whether its calls deviated."""

    extend: bool = True
    deviated: bool = False


def explore(session: Session, depth: int, tick=None, say=None) -> dict:
    """Check every sequence of at most `depth` calls; returns (and keeps as `session.results.depth`) what was
    checked: {requested, reached, planned, sequences, steps, deviating, cut_short, seconds}."""
    alphabet, results = session.alphabet, session.results
    summary = {"requested": depth, "reached": None, "planned": alphabet.count(depth), "sequences": 0,
               "steps": 0, "deviating": 0, "cut_short": 0, "passed_over": 0, "seconds": 0.0}
    results.depth = summary
    say = say or (lambda text: None)
    say(f"{session.driver.name}: every sequence of at most {depth} calls: {summary['planned']:,} sequences")
    started, steps_before, last_said = time.perf_counter(), results.steps, time.perf_counter()
    stopped: set[tuple[int, ...]] = set()  # sequences (as entry numbers) not to extend
    for calls in range(depth + 1):
        for numbers, last in sequences_of(alphabet, calls, stopped):
            if last is not None and not results.violated.isdisjoint(last.prediction.transitions):
                summary["passed_over"] += 1  # its last step goes through a transition reported deviating
                stopped.add(numbers)
                continue
            outcome = run_sequence(session, alphabet, numbers)
            summary["sequences"] += 1
            summary["deviating"] += outcome.deviated
            summary["cut_short"] += not outcome.extend and not outcome.deviated
            if not outcome.extend:
                stopped.add(numbers)
            summary["steps"] = results.steps - steps_before
            summary["seconds"] = round(time.perf_counter() - started, 3)
            if tick is not None:
                tick()
            if time.perf_counter() - last_said >= PROGRESS_SECONDS:
                last_said = time.perf_counter()
                say(f"{session.driver.name}: depth {calls} of {depth}: {summary['sequences']:,} of "
                    f"{summary['planned']:,} sequences, {summary['steps']:,} steps, "
                    f"{len(results.violated)} violated transitions")
        summary["reached"] = calls
    summary["seconds"] = round(time.perf_counter() - started, 3)
    say(f"{session.driver.name}: every sequence of at most {depth} calls checked: {summary['sequences']:,} "
        f"sequences, {summary['steps']:,} steps, {summary['deviating']:,} deviating, {summary['seconds']:.1f} s")
    return summary


def sequences_of(alphabet: Alphabet, calls: int, stopped: set):
    """Every sequence of exactly `calls` calls, as tuples of entry numbers (each the entry's index in its
    state's list) with the last entry, depth first in the alphabet's order, passing over the extensions of
    `stopped` ones."""

    def walk(prefix: tuple, last, state: str, left: int):
        if left == 0:
            yield prefix, last
            return
        for number, entry in enumerate(alphabet[state]):
            extended = prefix + (number,)
            if entry.calls <= left and extended not in stopped:
                yield from walk(extended, entry, entry.target, left - entry.calls)

    return walk((), None, alphabet.model.initial, calls)


def run_sequence(session: Session, alphabet: Alphabet, numbers: tuple) -> SequenceRun:
    """Take one enumerated sequence, then the final calls, on a fresh subject; record every failure."""
    outcome, state = SequenceRun(), alphabet.model.initial
    session.begin()
    try:
        for number in numbers:
            entry = alphabet[state][number]
            state = entry.target
            if entry.source != session.state and not session.can_take(entry.step):
                outcome.extend = False  # the subject went elsewhere before (it did not repeat itself)
                return outcome
            record = session.take_entry(entry)
            if record.failures:
                outcome.deviated, outcome.extend = True, False
                session.results.add_failure(session.failure_entry(record, "depth"))
            if record.lost:
                return outcome
        for step in session.final_steps():
            record = session.take(step)
            if record.failures:
                session.results.add_failure(session.failure_entry(record, "depth"))
        return outcome
    except Avoided:
        outcome.extend = False
        return outcome
    finally:
        session.end()
