"""An attribute an implementation reads as noise (Nuitka's cr_suspended is a byte of a code pointer, so it
reads False, or on one start in 256 True, whatever the state): a run records per transition which attributes
deviated, and expectations that name the attribute as unstable judge every cell apart from it, and only it.

The subjects are real native coroutines behind stand-ins (tests/stand_ins.py) that break one attribute each."""

from __future__ import annotations

import functools
import sys

import pytest

from conformance.drivers import DRIVERS
from conformance.engine.runner import RunOptions, run_driver
from conformance.output.expectations import ExpectationsError, expected_verdict, judged_verdict, load_expectations
from conformance.protocol.model import load_model
from conformance.subject import body
from tests.stand_ins import AwaitsElsewhere, Forwarding, SuspendedIsNoise

MODEL = load_model()


def cells(wrapper) -> dict[str, dict]:
    """The tour's transitions as matrix cells (verdict and differs_in) for `wrapper(native coroutine)`."""
    class WrappedDriver(DRIVERS["direct"]):
        def make_subject(self, script):
            return wrapper(body.scripted_body(script))

    results = run_driver(MODEL, WrappedDriver(MODEL), RunOptions(examples=0, seed=1, depth=0))
    return {key: {"verdict": found.verdict, "differs_in": found.differs_in}
            for key, found in results.transitions.items() if found.count}


def noise(*attributes) -> dict:
    return {"cells": {}, "unstable": set(), "unstable_attributes": set(attributes)}


def test_a_deviation_in_a_noisy_attribute_alone_is_judged_apart_from_it():
    found = cells(AwaitsElsewhere)  # cr_await is wrong while suspended, nothing else is
    deviating = {key for key, cell in found.items() if cell["verdict"] == "deviates"}
    assert "value.await" in deviating
    assert all(found[key]["differs_in"] == {"awaiting": "deviates"} for key in deviating)
    assert all(judged_verdict(cell, noise("awaiting")) == "conforms" for cell in found.values())
    assert all(expected_verdict(key, cell, noise("awaiting")) for key, cell in found.items())
    assert judged_verdict(found["value.await"], noise("suspended")) == "deviates"
    assert not expected_verdict("value.await", found["value.await"], noise("suspended"))


@pytest.mark.parametrize("reading", [False, True])
def test_what_inspect_makes_of_a_noisy_attribute_still_deviates(reading):
    """inspect.getcoroutinestate reads cr_suspended (3.11+), so a constant one also gives a wrong state: that is
    a difference of its own, which naming the attribute unstable does not excuse. Before 3.11 neither the model
    nor inspect reads it, so nothing differs."""
    found = cells(functools.partial(SuspendedIsNoise, reading=reading))
    wrong = [cell for cell in found.values() if "suspended" in cell["differs_in"]]
    if sys.version_info < (3, 11):
        assert wrong == [] and all(cell["verdict"] == "conforms" for cell in found.values())
        return
    assert wrong and all(cell["verdict"] == "deviates" for cell in wrong)
    assert any(judged_verdict(cell, noise("suspended")) == "deviates" for cell in wrong)


def test_a_faithful_wrapper_records_no_differences():
    assert all(cell == {"verdict": "conforms", "differs_in": {}} for cell in cells(Forwarding).values())


def test_unstable_needs_a_reason_and_lists(tmp_path):
    path = tmp_path / "verdicts.toml"
    path.write_text('[targets.x]\nunstable = { attributes = "suspended", why = "noise" }\n')
    with pytest.raises(ExpectationsError, match="may name `cells` and `attributes` \\(lists\\)"):
        load_expectations(path)
    path.write_text('[targets.x]\nunstable = { attributes = ["suspended"] }\n')
    with pytest.raises(ExpectationsError, match="needs `why`"):
        load_expectations(path)
