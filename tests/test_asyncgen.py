"""Async generators (model/asyncgen.toml): the model holds on real CPython, driven in this process and, for the
versions the suite itself cannot run on, through the agent; a check finds every deliberately broken
async-generator wrapper and passes the correct one; MicroPython, which has no async generators, says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.broken_asyncgen_wrappers import BROKEN, CORRECT
from conformance.checking.check import CheckOptions, check
from conformance.drivers import DRIVERS
from conformance.engine.runner import RunOptions, run_driver
from conformance.protocol.model import load_model
from tests.conftest import missing, require_program

ROOT = Path(__file__).resolve().parent.parent
PYENV = Path.home() / ".pyenv" / "versions"


@pytest.fixture(autouse=True)
def quiet_finalizers(monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


def run_asyncgen(depth: int = 3):
    model = load_model("asyncgen")
    return run_driver(model, DRIVERS["asyncgen"](model), RunOptions(drivers=["asyncgen"], examples=0, depth=depth))


def test_a_native_async_generator_conforms_with_every_transition_covered():
    results = run_asyncgen()
    assert not results.failures, [f["text"] for f in results.failures][:3]
    assert results.exercisable and not results.uncovered


def test_with_the_hooks_an_event_loop_installs_it_conforms_too():
    """firstiter at the first operation (once, even when that one is refused), the finalizer at collection
    instead of the collector's close(), except for a generator an aclose() has marked closed."""
    model = load_model("asyncgen")
    results = run_driver(model, DRIVERS["asyncgen-hooks"](model),
                         RunOptions(drivers=["asyncgen-hooks"], examples=0, depth=3))
    assert not results.failures, [f["text"] for f in results.failures][:3]
    assert {"hooks.created.asend.none", "hooks.suspended.collect", "hooks.hooked.collect"} <= set(results.covered)


def test_a_wrapper_that_is_an_async_generator_itself_shows_under_the_hooks():
    """An `async for` re-yielding wrapper is a second async generator: the loop's firstiter hook sees both."""
    result = check("asyncgen-wrapper", BROKEN["reyielding"][0], CheckOptions(examples=0, depth=1,
                                                                            drivers=["asyncgen-hooks"]))
    texts = "\n".join(failure["text"] for failure in result.failures)
    assert "observed ['hook', 'firstiter']" in texts


def test_the_model_catches_a_changed_row(monkeypatch):
    """The run can fail: with one row saying an async generator's yield returns instead of raising StopIteration,
    the native generator deviates there."""
    model = load_model("asyncgen")
    row = model.transition("value.yield")
    changed = type(row)(**{**row.__dict__, "raises": None, "returns": "yielded"})
    monkeypatch.setattr(model, "transitions", tuple(changed if r.id == row.id else r for r in model.transitions))
    model._tables.clear()
    results = run_driver(model, DRIVERS["asyncgen"](model), RunOptions(drivers=["asyncgen"], examples=0, depth=1))
    assert any("value.yield" in failure["transitions"] for failure in results.failures)


def test_a_zombie_that_awaits_counts_as_running_and_closed(monkeypatch):
    """ZOMBIE_AWAITING (a ZOMBIE resumed by asend() whose body awaits): every row of it is exercised, and a row
    saying aclose() there sees a closed generator, as in ZOMBIE, instead of a running one is caught."""
    model = load_model("asyncgen")
    version = tuple(sys.version_info[:2])
    rows = {row.id for row in model.transitions if row.source == "ZOMBIE_AWAITING" and row.route == "direct"
            and row.applies_to(version)}
    assert rows and not rows - set(run_asyncgen(depth=1).covered)
    row = model.transition("zombie-awaiting.aclose")
    changed = type(row)(**{**row.__dict__, "raises": type(row.raises)(**{**row.raises.__dict__, "type": "StopAsyncIteration",
                                                                          "message": None})})
    monkeypatch.setattr(model, "transitions", tuple(changed if r.id == row.id else r for r in model.transitions))
    model._tables.clear()
    results = run_driver(model, DRIVERS["asyncgen"](model), RunOptions(drivers=["asyncgen"], examples=0, depth=1))
    assert any("zombie-awaiting.aclose" in failure["transitions"] for failure in results.failures)


def test_the_correct_forwarding_wrapper_conforms():
    result = check("asyncgen-wrapper", CORRECT, CheckOptions(examples=0, depth=3))
    assert result.conforms, [f["text"] for f in result.failures][:3]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_async_generator_wrapper_is_found(name):
    """A default check finds it: one of the check's drivers does, run one at a time in the check's order, up to
    the first that does (the rest of a full check adds nothing to this verdict, and half a minute)."""
    from conformance.checking.subjects import ASYNCGEN_DRIVERS

    factory, bug = BROKEN[name]
    found = next((driver for driver in ASYNCGEN_DRIVERS
                  if not check("asyncgen-wrapper", factory, CheckOptions(examples=0, depth=3, drivers=[driver])).conforms),
                 None)
    assert found, f"{name} ({bug}) was not found"


@pytest.mark.parametrize("version", ["3.6", "3.8", "3.10"])
def test_older_cpython_conforms_through_the_agent(version, tmp_path):
    """The version boundaries of the model (3.7 backports, 3.8's running flag, 3.10's refusals) on the real
    interpreters, driven through the agent."""
    found = sorted(PYENV.glob(f"{version}.*/bin/python"))
    if not found:
        missing(f"needs CPython {version} under {PYENV}")
    report = tmp_path / "report.json"
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--driver", "asyncgen", "--interpreter",
                                str(found[-1]), "--depth", "2", "--examples", "0", "--quiet", "--report", str(report)],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout[-3000:]
    driver = json.loads(report.read_text())["drivers"][0]
    coverage = driver["coverage"]
    assert driver["verdict"] == "conforms" and coverage["covered"] == coverage["exercisable"] > 0


def test_micropython_says_it_has_no_async_generators(tmp_path):
    require_program("node")
    if not (ROOT / "node" / "node_modules" / "@micropython").exists():
        missing("needs `npm ci` in node/ for MicroPython")
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--driver", "asyncgen", "--interpreter",
                                "micropython", "--examples", "0", "--quiet"],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "no async generators" in completed.stdout + completed.stderr, completed.stdout[-2000:]
    assert "Traceback" not in completed.stdout + completed.stderr


def test_the_testing_helpers_take_async_generator_kinds():
    """conformance_tests makes one test per driver of the kind's model; assert_conforms fails a broken wrapper."""
    from conformance.checking.testing import ConformanceError, assert_conforms, conformance_tests

    from conformance.checking.subjects import ASYNCGEN_DRIVERS

    generated = conformance_tests(CORRECT, "asyncgen-wrapper", examples=0)
    names = [name for name in dir(generated) if name.startswith("test_")]
    assert sorted(names) == sorted("test_" + driver.replace("-", "_") for driver in ASYNCGEN_DRIVERS)
    for name in ("test_asyncgen", "test_async_for"):  # one of each model (the correct wrapper's full check: below)
        getattr(generated(), name)()
    with pytest.raises(ConformanceError, match="value.yield"):
        assert_conforms(BROKEN["primed"][0], "asyncgen-wrapper", examples=0, drivers=["asyncgen"])
