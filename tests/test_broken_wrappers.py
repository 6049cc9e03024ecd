"""The proof that `coroconf check` can fail: every deliberately broken wrapper of
benchmarks/broken_wrappers.py is detected by a quick check (one Hypothesis example per driver, so the
deterministic tour does the finding), and the correct forwarding wrapper beside them is not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.broken_wrappers import BROKEN, COLLECTED_ONLY, CORRECT, ISOLATE, ResultRebuilt
from conformance.checking.check import CheckOptions, check
from conformance.engine import runner
from conformance.engine import tour
from conformance.protocol import values
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
QUICK = CheckOptions(examples=1)


@pytest.fixture(autouse=True)
def quiet_finalizers(monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


def test_the_correct_forwarding_wrapper_is_not_reported():
    result = check("wrapper", CORRECT, CheckOptions(examples=1, depth=3))
    assert result.conforms, [f["text"] for f in result.failures]
    assert all(r.depth["sequences"] == r.depth["planned"] for r in result.results)


@pytest.mark.parametrize("factory", COLLECTED_ONLY)
def test_a_correct_wrapper_freed_only_by_the_collector_is_not_reported(factory):
    """The model's collect means "the last reference goes, then the collector runs": a check that skipped the
    collector would see no finalization, and blame the wrapper for what CPython does."""
    result = check("wrapper", factory, CheckOptions(examples=0, depth=2, probes=False,
                                                    drivers=["direct", "direct/generator"]))
    assert result.conforms, [f["text"] for f in result.failures]


def test_rebuilding_a_finished_coroutines_stop_iteration_correctly_is_not_reported():
    """The base of the value-mistake wrappers below, without a mistake: what they are caught for is theirs."""
    result = check("wrapper", ResultRebuilt, QUICK)
    assert result.conforms, [f["text"] for f in result.failures]


VALUE_MISTAKES = ("stop-args-indexed", "yielded-none-skipped", "returned-exception-raised", "returned-tuple-unpacked")


@pytest.mark.parametrize("name", VALUE_MISTAKES)
def test_the_value_mistakes_are_found_by_the_value_classes_not_by_numbers(name, monkeypatch):
    """With numbers alone (every value the tour used before None, tuples and exceptions as values), these
    wrappers pass the tour: the value classes are what find them. (Not on the asyncio driver, where the body
    may only ever pass out None, so a wrapper that skips a yielded None shows there anyway.)"""
    monkeypatch.setattr(values, "tour_values", lambda role: [values.representative(role, "number")])
    monkeypatch.setattr(tour, "NONE_VARIANTS", ())
    result = check("wrapper", BROKEN[name][0], CheckOptions(examples=0, drivers=["direct", "await", "delegation"]))
    assert result.conforms, [f["text"] for f in result.failures]


@pytest.mark.parametrize("name", [n for n, (_, _, since) in BROKEN.items() if since is None and n not in ISOLATE])
def test_each_broken_wrapper_is_detected(name):
    factory, bug, _ = BROKEN[name]
    result = check("wrapper", factory, QUICK)
    assert not result.conforms, f"{name} ({bug}) was not detected"
    shortest = result.shortest_failure()
    if shortest is not None:  # a missing __await__ fails whole drivers, with no call sequence
        assert len([s for s in shortest["steps"] if s["call"] != "collect"]) <= 3, shortest["text"]


@pytest.mark.parametrize("name", [n for n, (_, _, since) in BROKEN.items() if since is None and n not in ISOLATE])
def test_each_broken_wrapper_is_found_by_the_depth_3_sequences_alone(name, monkeypatch):
    """No tour and no Hypothesis: every sequence of at most 3 calls (and the probes, which every check makes:
    a wrapper that accepts a second awaiter breaks no sequence of calls) finds each one."""
    monkeypatch.setattr(runner, "take_tour", lambda session, sequences, checkpoint: 0)
    factory, bug, _ = BROKEN[name]
    result = check("wrapper", factory, CheckOptions(examples=0, depth=3))
    assert not result.conforms, f"{name} ({bug}) was not found by the depth-3 sequences"
    found = [f for f in result.failures if f.get("steps")]
    assert all(f["source"] == "depth" for f in found)
    by_probes = [f for f in result.failures if f["driver"] == "probes"]
    assert found or by_probes or any(r.error for r in result.results), \
        "not conforming, yet no failure, no probe finding and no driver error"


@pytest.mark.parametrize("name", [n for n, (_, _, since) in BROKEN.items() if since is not None])
def test_each_version_specific_broken_wrapper_is_detected_under_its_python(name, tmp_path):
    from benchmarks.detection import interpreter_for

    since = BROKEN[name][2]
    python = interpreter_for(since)
    if python is None:
        missing(f"{name} shows only under Python {since[0]}.{since[1]}+, and none that has the suite's "
                f"dependencies was found (.ci/run installs them into pyenv's 3.13)")
    report = tmp_path / "report.json"
    completed = subprocess.run([python, "-m", "conformance", "check", f"benchmarks.broken_wrappers:"
                                f"{name.replace('-', '_')}", "--kind", "wrapper", "--examples", "1", "--quiet",
                                "--report", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1 and "Traceback" not in completed.stderr, completed.stdout + completed.stderr
    assert json.loads(report.read_text())["verdict"] == "deviates"


@pytest.mark.parametrize("name", sorted(ISOLATE))
def test_each_broken_wrapper_that_can_crash_the_interpreter_is_detected_in_isolation(name):
    completed = subprocess.run([sys.executable, "-m", "conformance", "check",
                                f"benchmarks.broken_wrappers:{name.replace('-', '_')}", "--kind", "wrapper",
                                "--isolate", "--examples", "1", "--quiet"],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stdout
