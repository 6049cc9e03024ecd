"""One async generator awaitable as the subject (model/asyncgen-awaitable.toml): what asend(), __anext__(), athrow()
and aclose() return holds to the model on real CPython, in this process and through the agent on the versions where
its rules changed (3.6's bare StopIteration on reuse and its refused throw() before the first send, 3.7's "cannot
reuse" refusal and unstarted throw(), 3.8's used-up athrow(), 3.12's StopIteration taken as the await's result,
3.13's close() that closes the generator and its never-awaited warning); a changed row is caught; and the suite's own
warning recording no longer keeps a dropped awaitable's generator alive."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from conformance.drivers import DRIVERS
from conformance.engine.runner import RunOptions, run_driver
from conformance.protocol.model import load_model
from conformance.subject import body
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
PYENV = Path.home() / ".pyenv" / "versions"
AWAITABLE_DRIVERS = ("asend-awaitable", "anext-awaitable", "athrow-awaitable", "aclose-awaitable", "awaited-anext",
                     "async-for")


@pytest.fixture(autouse=True)
def quiet_finalizers(monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


def run_awaitable(name: str, model=None, depth: int = 3):
    model = model or load_model("asyncgen-awaitable")
    return run_driver(model, DRIVERS[name](model), RunOptions(drivers=[name], examples=0, depth=depth))


@pytest.mark.parametrize("name", AWAITABLE_DRIVERS)
def test_a_native_awaitable_conforms_with_every_transition_covered(name):
    results = run_awaitable(name)
    assert not results.failures, [f["text"] for f in results.failures][:3]
    assert results.exercisable and not results.uncovered


def test_the_model_catches_a_changed_row(monkeypatch):
    """The run can fail: with the reuse of a used-up awaitable said to return None instead of refusing, the native
    awaitable deviates there."""
    model = load_model("asyncgen-awaitable")
    version = tuple(sys.version_info[:2])
    row = model.call_row(version, "USED_UP", "send", "none")
    changed = type(row)(**{**row.__dict__, "raises": None, "returns": "None"})
    monkeypatch.setattr(model, "transitions", tuple(changed if r.id == row.id else r for r in model.transitions))
    model._tables.clear()
    results = run_awaitable("asend-awaitable", model, depth=2)
    assert any(row.id in failure["transitions"] for failure in results.failures)


def test_an_athrow_awaitable_that_went_through_an_await_keeps_driving_its_generator():
    """CPython's quirk (research/asyncgen/athrow_reused_after_await.py), on every version: the run reaches the
    DRIVING state and covers its rows, so a CPython that fixed it would be told."""
    results = run_awaitable("athrow-awaitable")
    assert not results.failures, [f["text"] for f in results.failures][:3]
    assert {"driven-value.yield", "athrow.driving.send.none"} <= set(results.covered)


@pytest.mark.parametrize("version", ["3.6", "3.7", "3.12", "3.13"])
def test_cpython_conforms_through_the_agent(version, tmp_path):
    found = sorted(PYENV.glob(f"{version}.*/bin/python"))
    if not found:
        missing(f"needs CPython {version} under {PYENV}")
    report = tmp_path / "report.json"
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--models", "asyncgen-awaitable",
                                "--interpreter", str(found[-1]), "--depth", "2", "--examples", "0", "--quiet",
                                "--report", str(report)],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout[-3000:]
    drivers = json.loads(report.read_text())["drivers"]
    assert sorted(d["driver"] for d in drivers) == sorted(AWAITABLE_DRIVERS)
    for driver in drivers:
        coverage = driver["coverage"]
        assert driver["verdict"] == "conforms" and coverage["covered"] == coverage["exercisable"] > 0


def test_the_warning_recorder_keeps_no_source_alive():
    """A warning that names a source (as a never-awaited coroutine's does) is recorded as [category, text] only:
    dropping the source then finalizes it at once, as it would without the suite watching."""
    finalized = []

    class Source:
        def __del__(self):
            finalized.append(True)

    recorded = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = body.warning_recorder(recorded)
        source = Source()
        warnings.warn("dropped", RuntimeWarning, source=source)
        del source
        gc.collect()
        assert finalized == [True]
    assert recorded == [["RuntimeWarning", "dropped"]]
