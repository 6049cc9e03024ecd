"""The asyncio driver with the body awaiting a generator or a coroutine (asyncio/generator, asyncio/coroutine):
the loop sees what the awaited object passes out, cancellation reaches that object first, and a subject ended
half-way lets its task finish. Real native coroutines on a real event loop."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.drivers import DRIVERS, asyncio_task, modelled_drivers
from conformance.engine.runner import RunOptions, run_driver
from conformance.protocol.model import load_model
from conformance.protocol.steps import Plan, Step

MODEL = load_model()
VARIANTS = ["asyncio/generator", "asyncio/coroutine"]


@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_conforms_with_every_transition_covered(name):
    results = run_driver(MODEL, DRIVERS[name](MODEL), RunOptions(examples=20, seed=3, depth=2))
    assert not results.failures and results.error is None, [f["text"] for f in results.failures]
    assert results.uncovered == [] and len(results.covered) > len(
        run_driver(MODEL, DRIVERS["asyncio"](MODEL), RunOptions(examples=0, seed=3)).covered)
    assert any(t.startswith("awaitee-") for t in results.covered)  # rows of the awaited object's own


@pytest.mark.parametrize("name", VARIANTS)
def test_a_subject_ended_with_a_plan_left_lets_its_task_finish(name, monkeypatch):
    """The awaited object passes out again, so the body's plan for that call is left unused: cancelling the
    task at the end must not hand it to the body (which would await again and keep the task alive)."""
    monkeypatch.setattr(asyncio_task, "STEP_SECONDS", 0.5)
    driver = DRIVERS[name](MODEL)
    driver.begin()
    await_again = Plan("await", None, awaitee="await", awaitee_value=None)
    for step in (Step("send", "none", None, Plan("await", None)), Step("send", "none", None, await_again)):
        outcome = driver.perform(step).outcome
        assert outcome == ["returned", None], outcome
    task = driver.task
    driver.end()
    assert task.done() and task.cancelled()
    driver.finish()


def test_before_3_11_the_variants_are_left_out_by_default_and_refused_with_the_reason_when_named():
    """Before 3.11 the model cannot yet tell a cancellation leaving the task from an exception the awaited
    object raised (asyncio-task.exception.propagate), so a run there would blame the subject for that gap."""
    chosen, left_out = modelled_drivers(list(DRIVERS), (3, 10))
    assert set(left_out) == set(VARIANTS) and "asyncio" in chosen and "direct/generator" in chosen
    assert all("asyncio-task.exception.propagate" in why for why in left_out.values())
    assert modelled_drivers(list(DRIVERS), (3, 11)) == (list(DRIVERS), {})
    named = subprocess.run([sys.executable, "-m", "conformance", "run", "--driver", "asyncio/generator",
                            "--profile", "3.10", "--examples", "0"], capture_output=True, text=True, timeout=300)
    assert named.returncode == 1
    assert "'asyncio/generator' driver could not run: the 3.10 profile does not describe" in named.stdout
    assert "verdict: no deviation found, but asyncio/generator could not run" in named.stdout
