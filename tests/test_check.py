"""`coroconf check`: the examples get the verdicts they should, bad input gets one clear message and exit
code 2, a non-conforming object exit code 1, and --isolate turns a crash into a verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.checking.check import WRAPPER_DRIVERS, CheckOptions, check
from conformance.cli import main

ROOT = Path(__file__).resolve().parent.parent
FEW = CheckOptions(examples=3)


@pytest.fixture(autouse=True)
def quiet_finalizers(monkeypatch):
    """Broken subjects complain from finalizers; that noise is not what these tests check."""
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


def run_cli(*arguments, timeout=300):
    return subprocess.run([sys.executable, "-m", "conformance", "check", *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


# -- the examples ---------------------------------------------------------------------------------

def test_the_correct_wrapper_conforms_on_every_driver():
    result = check("wrapper", "examples.tracing:traced", FEW)
    assert result.conforms, [f["text"] for f in result.failures]
    assert [r.driver for r in result.results] == list(WRAPPER_DRIVERS)
    assert all(r.covered == r.exercisable for r in result.results)


def test_the_buggy_wrapper_is_reported_with_a_one_call_sequence():
    result = check("wrapper", "examples.buggy_tracing:timed", FEW)
    assert not result.conforms
    shortest = result.shortest_failure()
    assert [step["call"] for step in shortest["steps"] if step["call"] != "collect"] == ["send"]
    assert "value.return" in shortest["transitions"]
    assert "outcome.value: expected (30" in shortest["text"] and "observed None" in shortest["text"]


def test_the_cli_exit_codes_are_0_for_conforming_and_1_for_deviating():
    good = run_cli("examples.tracing:traced", "--kind", "wrapper", "--examples", "3", "--quiet")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "conforms to the coroutine model" in good.stdout
    bad = run_cli("examples.buggy_tracing:timed", "--kind", "wrapper", "--examples", "3", "--quiet")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Violated transition: value.return" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_a_forwarding_decorator_conforms_and_the_report_says_iscoroutinefunction_is_lost():
    result = check("decorator", "examples.decorators:traced", FEW)
    assert result.conforms, [f["text"] for f in result.failures]
    expected = sys.version_info >= (3, 12)  # inspect.markcoroutinefunction exists from 3.12
    assert f"iscoroutinefunction() of the decorated function: {expected}" in result.subject.notes[0]


@pytest.mark.parametrize("name", ["logged", "plain"])
def test_an_async_def_decorator_conforms_to_the_awaiting_baseline_in_process(name):
    # In process, every driver: on CPython 3.10/3.11 the suite must not crash the interpreter itself (it once
    # read cr_await of the decorator's coroutine from inside the running body, and threw into it re-entrantly
    # while a throw passed through both, which crashes CPython there: examples/reentrant_throw_crash.py).
    completed = run_cli(f"examples.decorators:{name}", "--kind", "decorator", "--examples", "20", "--quiet",
                        "--in-process")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "a native coroutine that awaits the scripted one" in completed.stdout
    assert "iscoroutinefunction() of the decorated function: True" in completed.stdout


def test_the_leaf_baseline_shows_what_delegation_changes():
    result = check("decorator", "examples.decorators:logged",
                   CheckOptions(examples=0, drivers=["direct"], baseline="coroutine"))
    assert not result.conforms
    violated = {t for failure in result.failures for t in failure["transitions"]}
    # throw(42) ends the awaiting coroutine; close() of a body that ignores GeneratorExit ends it too
    assert {"suspended.throw.non-exception", "close.await"} <= violated


def test_the_future_like_awaitable_and_a_next_only_iterator_conform():
    for spec in ("examples.future_like:Box", "tests.check_fixtures.broken_awaitables:Ticker"):
        result = check("awaitable", spec, FEW)
        assert result.conforms, [f["text"] for f in result.failures]
        assert len(result.findings) == 5


@pytest.mark.parametrize("name", ["Restarting", "CloseIgnored"])
def test_an_awaitable_that_does_not_stay_exhausted_is_found(name):
    result = check("awaitable", f"tests.check_fixtures.broken_awaitables:{name}", FEW)
    failed = [f["check"] for f in result.findings if f["verdict"] != "conforms"]
    assert failed == ["once exhausted, its iterator stays exhausted"]


def test_missing_introspection_is_noted_and_fails_only_when_required():
    noted = check("wrapper", "tests.check_fixtures.wrappers:Bare", CheckOptions(examples=2, drivers=["direct"]))
    assert noted.conforms
    assert noted.results[0].verdict_counts().get("not-observable")
    required = check("wrapper", "tests.check_fixtures.wrappers:Bare",
                     CheckOptions(examples=2, drivers=["direct"], require_observable=True))
    assert not required.conforms


# -- isolation ------------------------------------------------------------------------------------

def test_a_crash_is_a_verdict_and_the_check_goes_on_around_it(tmp_path):
    # Not --in-process (the default): each driver runs in a child; a child that dies gives a crash verdict on
    # the step it was making, and a new child carries on, avoiding that step, until the driver is covered.
    completed = run_cli("tests.check_fixtures.wrappers:CrashOnNonException", "--kind", "wrapper",
                        "--driver", "direct", "--driver", "await", "--examples", "5", "--quiet",
                        "--report", str(tmp_path / "report.json"))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "died (killed by signal SIGSEGV)" in completed.stdout and "<-- here" in completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    for driver in report["drivers"]:
        verdicts = {case["id"]: case["verdict"] for case in driver["transitions"]}
        crashed = {t for t, verdict in verdicts.items() if verdict == "crash"}
        assert crashed and all("non-exception" in t for t in crashed), crashed
        others = [t for t in verdicts if "non-exception" not in t]
        assert all(verdicts[t] in ("conforms", "not-observable") for t in others), verdicts  # Bare: no cr_*
        assert driver["coverage"]["covered"] == driver["coverage"]["exercisable"], driver["coverage"]


def test_isolate_turns_a_hang_into_a_verdict():
    completed = run_cli("tests.check_fixtures.wrappers:HangsOnValue", "--kind", "wrapper", "--isolate",
                        "--driver", "direct", "--examples", "2", "--timeout", "1", "--quiet")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "stopped making progress" in completed.stdout and "(a hang verdict)" in completed.stdout
    assert "send(107)" in completed.stdout


def test_isolate_reports_a_conforming_object_as_conforming():
    completed = run_cli("examples.tracing:traced", "--kind", "wrapper", "--isolate", "--driver", "direct",
                        "--examples", "2", "--quiet")
    assert completed.returncode == 0, completed.stdout + completed.stderr


# -- bad input ------------------------------------------------------------------------------------

BAD_INPUT = [
    (["no_such_module_here:thing", "--kind", "wrapper"], "cannot import module 'no_such_module_here'"),
    (["examples.tracing:no_such_name", "--kind", "wrapper"], "has no name 'no_such_name'"),
    (["examples.tracing", "--kind", "wrapper"], "expected MODULE:NAME"),
    (["tests.check_fixtures.bad_inputs:NOT_CALLABLE", "--kind", "wrapper"], "expected a callable wrapper"),
    (["tests.check_fixtures.bad_inputs:raises", "--kind", "wrapper"], "raised OSError: the database is down"),
    (["tests.check_fixtures.bad_inputs:raises", "--kind", "awaitable"], "raised OSError: the database is down"),
    (["tests.check_fixtures.bad_inputs:returns_none", "--kind", "wrapper"], "returned None; expected a coroutine"),
    (["tests.check_fixtures.bad_inputs:returns_none", "--kind", "awaitable"], "returned None; expected an awaitable"),
    (["tests.check_fixtures.bad_inputs:returns_int", "--kind", "wrapper"], "which has no send(), throw(), close()"),
    (["tests.check_fixtures.bad_inputs:returns_int", "--kind", "awaitable"], "which has no __await__ method"),
    (["tests.check_fixtures.bad_inputs:decorator_returns_none", "--kind", "decorator"], "expected a callable"),
    (["tests.check_fixtures.bad_inputs:hangs", "--kind", "wrapper", "--timeout", "0.3"], "did not return within 0.3 s"),
    (["tests.check_fixtures.bad_inputs:hangs", "--kind", "awaitable", "--timeout", "0.3"], "did not return within"),
    (["examples.tracing:traced", "--kind", "wrapper", "--examples", "-1"], "--examples must be 0 or more"),
    (["examples.tracing:traced", "--kind", "wrapper", "--depth", "-1"], "--depth must be 0 or more"),
]


@pytest.mark.parametrize("arguments, message", BAD_INPUT, ids=[" ".join(a[:3]) for a, _ in BAD_INPUT])
def test_bad_input_is_one_clear_line_and_exit_code_2(arguments, message, capsys):
    assert main(["check", *arguments]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coroconf check: error: ")
    assert message in lines[0]
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("name, message", [
    ("AwaitReturnsCoroutine", "__await__() returned a coroutine"),
    ("AwaitReturnsInt", "which has no __next__; expected an iterator"),
])
def test_an_await_that_returns_no_iterator_does_not_conform_with_exit_code_1(name, message, capsys):
    assert main(["check", f"tests.check_fixtures.bad_inputs:{name}", "--kind", "awaitable"]) == 1
    captured = capsys.readouterr()
    assert message in captured.out and "Traceback" not in captured.out + captured.err


def test_bad_input_through_the_real_command_has_no_traceback():
    completed = run_cli("tests.check_fixtures.bad_inputs:hangs", "--kind", "wrapper", "--timeout", "0.5")
    assert completed.returncode == 2
    assert "did not return within 0.5 s" in completed.stderr and "Traceback" not in completed.stderr
