"""The engine must catch broken coroutine stand-ins: a suite that passes everything proves nothing.

Each stand-in wraps a real native coroutine and breaks one rule of the protocol. The test runs the real
engine (tour and Hypothesis) against it and checks that the failure is reported, blamed on the right
transition, and explained with a short call sequence.
"""

from __future__ import annotations

import pytest

from conformance.drivers.base import InProcessDriver
from conformance.engine.results import DriverResults, sequence_length
from conformance.engine.runner import (
    Checkpoint,
    RunOptions,
    hypothesis_rounds,
    run_driver,
)
from conformance.engine.session import Session
from conformance.protocol.model import load_model
from conformance.subject import body
from tests.stand_ins import (
    CloseSkipsFinally,
    DropsSentValue,
    Forwarding,
    HidesIntrospection,
    LosesReturnValue,
    RewordsErrors,
    SwallowsIgnoredExit,
    ThrowNeverReachesBody,
)

MODEL = load_model()


def driver_for(wrapper):
    class WrappedDriver(InProcessDriver):
        name = f"wrapped-{wrapper.__name__}"
        description = wrapper.__doc__ or wrapper.__name__

        def make_subject(self, script):
            return wrapper(body.scripted_body(script))

    return WrappedDriver(MODEL)


def run(wrapper, examples=60, strict=True):
    options = RunOptions(examples=examples, seed=1234, strict_messages=strict)
    return run_driver(MODEL, driver_for(wrapper), options)


def hypothesis_alone(wrapper, examples=60):
    """Hypothesis without the tour first: the failures it finds on its own, shrunk."""
    driver = driver_for(wrapper)
    options = RunOptions(examples=examples, seed=1234)
    results = DriverResults(driver.name, driver.route, MODEL.name, "%d.%d" % options.version)
    session = Session(MODEL, driver, options.version, results)
    hypothesis_rounds(session, options, Checkpoint(options, results, 0.0), lambda text: None)
    return results


def test_a_faithful_wrapper_conforms():
    results = run(Forwarding)
    assert not results.failures, results.failures[0]["text"]
    assert results.uncovered == []


# CloseSkipsFinally never closes its coroutine, so the garbage collector meets some of them unstarted later.
@pytest.mark.filterwarnings("ignore:coroutine 'scripted_body' was never awaited:RuntimeWarning")
@pytest.mark.parametrize("wrapper, blamed", [
    (DropsSentValue, {"suspended.send.value"}),
    (ThrowNeverReachesBody, {"suspended.throw.instance", "suspended.throw.class", "suspended.throw.three-argument",
                             "suspended.throw.generator-exit", "suspended.throw.base-exception",
                             "suspended.throw.stop-iteration", "exception.await", "exception.return",
                             "exception.raise", "exception.raise-stop-iteration", "stop-iteration.await",
                             "stop-iteration.return", "stop-iteration.raise", "stop-iteration.raise-stop-iteration",
                             "exception.propagate", "stop-iteration.propagate", "closed.throw.instance",
                             "closed.throw.class", "closed.throw.three-argument", "closed.throw.generator-exit",
                             "closed.throw.base-exception", "closed.throw.stop-iteration"}),
    (CloseSkipsFinally, {"close.propagate", "close.return", "close.return.ignored", "close.raise",
                         "close.raise-stop-iteration", "close.await", "suspended.close"}),
    (SwallowsIgnoredExit, {"close.await"}),
    (LosesReturnValue, {"value.return", "exception.return", "stop-iteration.return"}),
])
def test_each_broken_wrapper_is_caught_and_explained(wrapper, blamed):
    results = run(wrapper)
    assert results.failures, f"{wrapper.__name__} was not caught"
    assert results.violated & blamed, results.violated
    deviating = {t for t, r in results.transitions.items() if r.verdict == "deviates"}
    assert deviating & blamed
    found = hypothesis_alone(wrapper)
    assert found.failures, "Hypothesis alone found nothing"
    for failure in found.failures:  # one per violated transition, each shrunk
        assert failure["source"] == "hypothesis"
        assert sequence_length(failure["steps"]) <= 3, failure["text"]
        for words in ("Violated transition:", "Call sequence on a fresh subject:", "Differences:"):
            assert words in failure["text"]
        assert ("Expected:" in failure["text"] and "Observed:" in failure["text"]) \
            or "Outcome and state as expected:" in failure["text"]
    assert found.violated & blamed, found.violated


def test_message_only_differences_fail_strict_and_pass_lenient():
    strict = run(RewordsErrors)
    assert strict.failures and "message" in strict.failures[0]["text"]
    assert any(r.verdict == "message-only" for r in strict.transitions.values())
    assert not any(r.verdict == "deviates" for r in strict.transitions.values())
    lenient = run(RewordsErrors, strict=False)
    assert not lenient.failures


def test_missing_introspection_is_not_observable_not_a_deviation():
    results = run(HidesIntrospection, examples=20)
    assert not results.failures
    verdicts = {r.verdict for r in results.transitions.values()}
    assert "not-observable" in verdicts and "deviates" not in verdicts
