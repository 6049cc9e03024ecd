"""Async generators inside a real asyncio event loop (model/asyncgen.toml, route `asyncio`): with the loop's own
asyncgen hooks, a collected generator is closed by the task the loop's finalizer makes, and shutdown_asyncgens()
closes the generators the loop registered; the native generator conforms on both drivers with every transition
covered, what the loop's exception handler receives is checked, a changed row is caught, and a body the collector
finalizes late no longer reaches into the driver's next subject."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.drivers import DRIVERS
from conformance.engine.runner import RunOptions, run_driver
from conformance.protocol.model import load_model
from conformance.protocol.steps import Plan, Step
from tests.conftest import missing, require_program

ROOT = Path(__file__).resolve().parent.parent
PYENV = Path.home() / ".pyenv" / "versions"

LOOP_DRIVERS = ("asyncgen-asyncio", "asyncgen-shutdown")


@pytest.fixture(autouse=True)
def quiet_finalizers(monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


def run_loop_driver(name: str, model=None, depth: int = 3):
    model = model or load_model("asyncgen")
    return run_driver(model, DRIVERS[name](model), RunOptions(drivers=[name], examples=0, depth=depth))


@pytest.mark.parametrize("name", LOOP_DRIVERS)
def test_a_native_async_generator_conforms_inside_a_loop_with_every_transition_covered(name):
    results = run_loop_driver(name)
    assert not results.failures, [f["text"] for f in results.failures][:3]
    assert results.exercisable and not results.uncovered


def test_what_the_loop_reports_is_checked():
    """The asyncio rows are exercised, each with the report the loop's exception handler gets: the finalizer's
    aclose() of a generator dropped with an operation in flight fails "already running", and shutdown_asyncgens()
    reports a body that yields again instead of closing."""
    collected, shut_down = run_loop_driver("asyncgen-asyncio", depth=1), run_loop_driver("asyncgen-shutdown", depth=1)
    assert "asyncio.awaiting.collect" in collected.covered
    assert {"asyncio.suspended.shutdown", "asyncio.shutdown-exit.yield", "asyncio.shutdown-exit.raise",
            "asyncio.awaiting.shutdown"} <= set(shut_down.covered)


def test_each_driver_ends_its_sequences_one_way():
    """asyncgen-asyncio ends each sequence by dropping the generator, asyncgen-shutdown by shutting the loop's
    generators down: neither makes the other's final call, and no other driver makes shutdown()."""
    model = load_model("asyncgen")
    collecting, shutting = (DRIVERS[name](model) for name in LOOP_DRIVERS)
    assert collecting.can_deliver("collect", "none") and not collecting.can_deliver("shutdown", "none")
    assert shutting.can_deliver("shutdown", "none") and not shutting.can_deliver("collect", "none")
    assert not model.makes("shutdown", DRIVERS["asyncgen"].route)


@pytest.mark.parametrize("row_id, reports", [("asyncio.awaiting.collect", None), ("asyncio.shutdown-exit.yield", None),
                                              ("asyncio.awaiting.collect", "ValueError")])
def test_the_model_catches_a_row_with_another_report(monkeypatch, row_id, reports):
    """The run can fail: with a row saying the loop reports nothing, or another exception, the native generator
    deviates there."""
    model = load_model("asyncgen")
    row = model.transition(row_id)
    other = None if reports is None else type(row.reports)(**{**row.reports.__dict__, "type": reports})
    changed = type(row)(**{**row.__dict__, "reports": other})
    monkeypatch.setattr(model, "transitions", tuple(changed if r.id == row.id else r for r in model.transitions))
    model._tables.clear()
    name = "asyncgen-asyncio" if row.call == "collect" else "asyncgen-shutdown"
    results = run_loop_driver(name, model, depth=1)
    assert any(row_id in failure["transitions"] for failure in results.failures)


def test_a_body_finalized_after_its_subject_ended_does_not_observe_the_next_one():
    """A generator left paused in a reference cycle (its aclose() refused while an operation is in flight) is
    closed by the collector during the next subject's run: its body must not read that subject from inside
    (on 3.10 and 3.11 reading a running generator's ag_await there can crash the interpreter)."""
    model = load_model("asyncgen")
    driver = DRIVERS["asyncgen"](model)
    driver.begin()
    driver.perform(Step("asend", "none", None, Plan("await", 1)))  # AWAITING: the end's aclose() is refused
    events = driver.script.events
    driver.script.cycle = driver.subject  # a cycle: generator -> frame -> script -> generator
    marker = len(events)
    driver.end()
    driver.begin()
    gc.collect()
    late = events[marker:]
    assert ["caught", "GeneratorExit", ""] in late, late  # the collector did close the first body
    assert not [event for event in late if event[0] == "inside"], late
    driver.end()


def run_through_agent(interpreter, tmp_path, depth: int = 2) -> dict:
    """Both loop drivers in `interpreter`, through the agent: the report's drivers by name."""
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "conformance", "run", "--interpreter", str(interpreter), "--depth", str(depth),
                    "--examples", "0", "--quiet", "--report", str(report),
                    *(option for name in LOOP_DRIVERS for option in ("--driver", name))],
                   cwd=ROOT, capture_output=True, text=True, timeout=900)
    return {driver["driver"]: driver for driver in json.loads(report.read_text())["drivers"]}


@pytest.mark.parametrize("version", ["3.7", "3.9"])
def test_the_loop_drivers_conform_through_the_agent(version, tmp_path):
    """The asyncio rows on both sides of 3.8's running flag: before it, the loop's aclose() closes a generator
    dropped or shut down with an operation in flight; from it, the aclose() fails and the loop reports it."""
    found = sorted(PYENV.glob(f"{version}.*/bin/python"))
    if not found:
        missing(f"needs CPython {version} under {PYENV}")
    for name, driver in run_through_agent(found[-1], tmp_path).items():
        coverage = driver["coverage"]
        assert driver["verdict"] == "conforms", (name, [f["text"] for f in driver["failures"]][:2])
        assert coverage["covered"] == coverage["exercisable"] > 0, (name, coverage)


def test_pypys_missing_running_flag_shows_inside_the_loop(tmp_path):
    """PyPy lets the loop's aclose() close a generator with an operation in flight (a known difference:
    expectations/reproducers/pypy_asyncgen_loop_closes_in_flight.py); both loop drivers catch it there."""
    require_program("pypy3")
    drivers = run_through_agent("pypy3", tmp_path, depth=1)
    verdicts = {name: {t["id"]: t["verdict"] for t in driver["transitions"]} for name, driver in drivers.items()}
    assert verdicts["asyncgen-asyncio"]["asyncio.awaiting.collect"] == "deviates"
    assert verdicts["asyncgen-shutdown"]["asyncio.awaiting.shutdown"] == "deviates"
