"""The agent driver against children that hang, crash, die by a signal or print garbage, and a real body
that hangs: each is a verdict on the transition that caused it, the child is restarted, and the run goes on.
The children are real processes (tests/agent_fakes/fake_interpreter.py runs the real agent program and
misbehaves on one call); nothing under test is mocked."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.drivers.agent import AgentDriver
from conformance.engine.runner import RunOptions, run_driver, run_driver_in_child
from conformance.protocol.model import load_model
from conformance.protocol.observation import SubjectFailure
from conformance.protocol.steps import Plan, Step
from conformance.remote.targets import AgentProcess, TargetError, resolve_target

FAKES = Path(__file__).parent / "agent_fakes"
ROOT = Path(__file__).parent.parent


def fake_target(mode: str, call: str, *marker) -> str:
    return shlex.join([sys.executable, str(FAKES / "fake_interpreter.py"), mode, call, *marker])


def run_fake(mode: str, call: str, driver: str = "direct", timeout: float = 1.5, marker=()):
    model = load_model("coroutine")
    process = AgentProcess(resolve_target(fake_target(mode, call, *marker)), call_timeout=timeout)
    try:
        results = run_driver_in_child(driver, RunOptions(examples=2, seed=0), {"coroutine": model}, process)
        return results, process.restarts
    finally:
        process.close()


def made_by(model, transition_id: str, call: str) -> bool:
    """Whether a transition is `call`'s own row, or the body's reaction to what `call` delivers."""
    row = model.transition(transition_id)
    delivered_by_call = {r.enters for r in model.transitions if r.call == call and r.enters}
    return row.call == call or (row.call is None and row.delivered in delivered_by_call)


def test_a_hanging_call_is_a_hang_on_its_transition_and_the_run_goes_on(tmp_path):
    model = load_model("coroutine")
    results, restarts = run_fake("hang", "close", marker=[str(tmp_path / "hung-once")])
    hangs = {t: r for t, r in results.transitions.items() if r.verdict == "hang"}
    assert hangs, "a close() that never answers must be reported as a hang"
    assert all(made_by(model, t, "close") for t in hangs), hangs
    assert "no answer within 1.5 s" in next(iter(hangs.values())).observed
    assert restarts >= 1
    # after the restarts, the other calls were still checked, and conform
    conforming = {model.transition(t).call for t, r in results.transitions.items() if r.verdict == "conforms"}
    assert {"send", "throw"} <= conforming
    assert len(results.covered) == len(results.exercisable)


@pytest.mark.parametrize("mode, status", [("exit", "exit status 3"), ("segfault", "killed by signal SIGSEGV")])
def test_a_dying_child_is_a_crash_with_its_exit_status_and_stderr(mode, status):
    model = load_model("coroutine")
    results, restarts = run_fake(mode, "throw")
    crashes = {t: r for t, r in results.transitions.items() if r.verdict == "crash"}
    assert crashes and all(made_by(model, t, "throw") for t in crashes), crashes
    detail = next(iter(crashes.values())).observed
    assert status in detail
    if mode == "exit":
        assert "fake interpreter: dying on throw" in detail
    assert restarts >= 1
    assert "send" in {model.transition(t).call for t, r in results.transitions.items() if r.verdict == "conforms"}


def test_garbage_from_a_child_is_a_protocol_error_naming_the_interpreter_and_the_line():
    target = fake_target("garbage", "send")
    process = AgentProcess(resolve_target(target), call_timeout=2)
    try:
        driver = AgentDriver(load_model("coroutine"), process, "direct")
        driver.begin()
        with pytest.raises(SubjectFailure) as caught:
            driver.perform(Step("send", "none", None, Plan("await", 208)))
        assert caught.value.verdict == "crash"
        assert f"protocol error from {target}" in caught.value.detail
        assert "'this is not json'" in caught.value.detail
        # the lost subject observes nothing more; a new subject in a restarted child works again
        assert driver.perform(Step("close", "none")).outcome is None
        driver.end()
        driver.begin()
        assert driver.perform(Step("close", "none")).outcome == ["returned", None]
    finally:
        process.close()


def test_a_real_body_that_hangs_is_a_hang_and_the_next_subject_still_runs():
    process = AgentProcess(resolve_target(sys.executable), call_timeout=1.5,
                           subject_module=str(FAKES / "hanging_body.py"))
    try:
        driver = AgentDriver(load_model("coroutine"), process, "direct")
        driver.begin()
        with pytest.raises(SubjectFailure) as caught:
            driver.perform(Step("send", "none", None, Plan("await", 208)))
        assert caught.value.verdict == "hang"
        driver.end()
        driver.begin()  # a restarted child, with the hanging module loaded again
        closed = driver.perform(Step("close", "none"))
        assert closed.outcome == ["returned", None] and closed.state == "CLOSED"
        assert process.restarts == 1
    finally:
        process.close()


def test_the_swapped_subject_factory_is_what_runs():
    """With the real body.py as the subject module the run conforms; with the hanging one it does not."""
    model = load_model("coroutine")
    process = AgentProcess(resolve_target(sys.executable), call_timeout=5,
                           subject_module=str(ROOT / "conformance" / "subject" / "body.py"))
    try:
        results = run_driver(model, AgentDriver(model, process, "direct"), RunOptions(examples=2, seed=0))
    finally:
        process.close()
    assert {r.verdict for r in results.transitions.values()} == {"conforms"}


def test_an_unknown_interpreter_is_a_usage_error():
    with pytest.raises(TargetError, match="no interpreter 'no-such-python'"):
        resolve_target("no-such-python")
    done = subprocess.run([sys.executable, "-m", "conformance", "run", "--interpreter", "no-such-python"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert "no interpreter 'no-such-python'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_keeps_its_results_and_says_it_is_partial(tmp_path, stop):
    """Stopped during its first driver (Ctrl-C or a kill), a run still has a report with what it checked."""
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "conformance", "run", "--interpreter", fake_target("slow", "none"),
               "--examples", "20", "--report", str(report), "--quiet"]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not report.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert report.exists(), "the report must be written while the first driver runs"
    os.kill(child.pid, stop)
    child.communicate(timeout=60)
    assert child.returncode == 130
    data = json.loads(report.read_text())
    assert data["partial"] is True
    assert len(data["drivers"]) < 4, "stopped during the run, not after it"
    assert data["drivers"] and data["drivers"][0]["steps"] > 0
    assert data["interpreter"]["agent"] is True


def test_a_crash_already_reported_is_not_made_again_by_hypothesis():
    """Every restart costs a new child (seconds on Brython): a step that crashed the child once, and whose
    crash is reported, is avoided by the Hypothesis rounds that follow the tour."""
    model = load_model("coroutine")
    process = AgentProcess(resolve_target(fake_target("exit", "close")), call_timeout=5)
    try:
        results = run_driver_in_child("direct", RunOptions(examples=40, seed=0), {"coroutine": model}, process)
    finally:
        process.close()
    crashing = {t for t, r in results.transitions.items() if r.verdict == "crash"}
    assert crashing and all(made_by(model, t, "close") for t in crashing)
    tour_crashes = sum(1 for failure in results.failures if failure["source"] == "tour"
                       and set(failure["transitions"]) & crashing)
    assert process.restarts <= tour_crashes + len(crashing), (process.restarts, tour_crashes, crashing)
