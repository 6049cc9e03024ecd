"""Exhaustive exploration to a bounded depth (engine/enumerator.py) over the step alphabet (engine/alphabet.py).

Counts are checked against an independent walk of the alphabet, never against numbers written here; the
deviations are real wrappers' around real native coroutines.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conformance.drivers import DRIVERS, DirectDriver
from conformance.engine.alphabet import Alphabet
from conformance.engine.enumerator import explore
from conformance.engine.results import DriverResults, sequence_length
from conformance.engine.runner import RunOptions, run_driver
from conformance.engine.session import Session
from conformance.protocol.model import RUNNING, load_model
from conformance.protocol.steps import Step, avoidance_key
from tests.stand_ins import Forwarding, LosesReturnValue, RepeatedSendAnsweredFromCache
from tests.test_engine_catches_bugs import MODEL, driver_for

VERSION = tuple(sys.version_info[:2])


def session_for(driver, avoid=()) -> Session:
    results = DriverResults(driver.name, driver.route, driver.model_name, "%d.%d" % VERSION)
    return Session(MODEL, driver, VERSION, results, avoid=avoid)


def every_sequence(alphabet: Alphabet, depth: int) -> list[tuple[list, str]]:
    """Every sequence of at most `depth` calls (each step counting its re-entrant calls), with the state it
    ends in: a plain breadth-first walk, independent of the enumerator's own."""
    found, frontier = [], [([], MODEL.initial, 0)]
    while frontier:
        steps, state, calls = frontier.pop()
        found.append((steps, state))
        for entry in alphabet[state]:
            used = calls + 1 + (len(entry.step.plan.reentries) if entry.step.plan else 0)
            if used <= depth:
                frontier.append((steps + [entry.step], entry.prediction.next_state, used))
    return found


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_a_conforming_subject_takes_every_sequence_up_to_the_depth_and_the_counts_say_so(depth):
    session = session_for(DirectDriver(MODEL))
    summary = explore(session, depth)
    sequences = every_sequence(session.alphabet, depth)
    final_steps = {}
    for state in {state for _, state in sequences}:
        session.state = state
        final_steps[state] = len(session.final_steps())
    assert summary["sequences"] == summary["planned"] == len(sequences) == session.alphabet.count(depth)
    assert summary["steps"] == sum(len(steps) + final_steps[state] for steps, state in sequences)
    assert summary["steps"] == session.results.steps and session.results.examples == len(sequences)
    assert summary["reached"] == depth and summary["deviating"] == summary["passed_over"] == 0
    assert session.results.failures == []


def test_the_alphabet_offers_each_step_the_model_allows_once_and_every_entry_can_be_drawn():
    for name, driver_class in DRIVERS.items():
        model = load_model(driver_class.model_name)
        driver = driver_class(model)
        session = Session(model, driver, VERSION, DriverResults(name, driver.route, model.name, "x"))
        alphabet = session.alphabet
        assert set(alphabet.entries) == set(model.states_on(VERSION, driver.route)) - {RUNNING}
        for state, entries in alphabet.entries.items():
            steps = [json.dumps(entry.step.to_json(), sort_keys=True) for entry in entries]
            assert len(steps) == len(set(steps)), f"{name}: a step offered twice from {state}"
            for entry in entries:
                assert session.oracle.row(state, entry.step.call, entry.step.argument) is not None
                assert entry.prediction == session.oracle.predict(state, entry.step)
            starts = [0] + alphabet.thresholds(entries)[:-1]
            assert [alphabet.pick(state, start) for start in starts] == entries, f"{name}: {state}"
            assert abs(sum(entry.weight for entry in entries) - 1) < 1e-9


def test_the_enumerator_finds_a_wrapper_the_tour_misses():
    toured = run_driver(MODEL, driver_for(RepeatedSendAnsweredFromCache), RunOptions(examples=0, depth=0))
    assert toured.failures == [], "the tour alone should not see a bug that takes two sends of one value"
    found = run_driver(MODEL, driver_for(RepeatedSendAnsweredFromCache), RunOptions(examples=0, depth=3))
    assert found.failures and {f["source"] for f in found.failures} == {"depth"}
    assert found.depth["reached"] == 3 and found.depth["deviating"] > 0
    for failure in found.failures:
        assert sequence_length(failure["steps"]) <= 3
        assert "Call sequence on a fresh subject:" in failure["text"]
    control = run_driver(MODEL, driver_for(Forwarding), RunOptions(examples=0, depth=3))
    assert control.failures == [] and control.depth["sequences"] == control.depth["planned"]


def calls_made(steps: list[dict]) -> int:
    """The calls a reported sequence makes on the subject: each step's, and its body's re-entrant ones."""
    return sum(1 + len((step["plan"] or {}).get("reenter", ())) for step in steps if step["call"] != "collect")


def test_a_deviation_is_reported_with_its_sequence_which_is_the_shortest_and_replays():
    session = session_for(driver_for(LosesReturnValue))
    explore(session, 2)
    failures = session.results.failures
    assert failures and {failure["source"] for failure in failures} == {"depth"}
    for failure in failures:
        again = session_for(driver_for(LosesReturnValue))
        again.begin()
        records = [again.take(Step.from_json(step)) for step in failure["steps"]]
        again.end()
        assert set(failure["transitions"]) <= {t for record in records for t in record.violated}, failure["text"]
        shallower = session_for(driver_for(LosesReturnValue))
        explore(shallower, calls_made(failure["steps"]) - 1)
        assert not set(failure["transitions"]) & shallower.results.violated, failure["text"]


def test_sequences_are_not_extended_past_a_deviation():
    session = session_for(driver_for(LosesReturnValue))
    summary = explore(session, 3)
    assert summary["deviating"] > 0
    assert summary["sequences"] + summary["passed_over"] < summary["planned"]
    assert summary["reached"] == 3


def test_a_step_that_crashed_an_earlier_child_is_avoided_with_everything_behind_it():
    alphabet = session_for(DirectDriver(MODEL)).alphabet
    resuming = next(entry for entry in alphabet[MODEL.initial] if entry.step.plan is not None)
    key = avoidance_key(resuming.prediction.transitions)
    session = session_for(DirectDriver(MODEL), avoid=[key])
    summary = explore(session, 2)
    assert summary["cut_short"] > 0 and session.results.failures == []
    assert session.results.transitions.get(key[0]) is None, "the avoided call row was taken"


def test_run_with_depth_reports_it_in_the_summary_and_the_json_report(tmp_path):
    report_path = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "conformance", "run", "--driver", "direct", "--examples", "0",
                           "--depth", "2", "--report", str(report_path)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(report_path.read_text())
    depth = report["drivers"][0]["depth"]
    assert report["depth"] == 2 and depth["requested"] == depth["reached"] == 2
    assert depth["sequences"] == depth["planned"] > 0 and depth["steps"] > depth["sequences"]
    assert f'2 ({depth["sequences"]} seq)' in done.stdout
    assert "every sequence of at most 2 calls" in done.stderr
