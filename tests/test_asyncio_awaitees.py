"""The asyncio driver with the body awaiting a generator or a coroutine (asyncio/generator, asyncio/coroutine):
the loop sees what the awaited object passes out, cancellation reaches that object first, and a subject ended
half-way lets its task finish. Real native coroutines on a real event loop."""

from __future__ import annotations

import pytest

from conformance.drivers import DRIVERS, asyncio_task
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
