"""Values that cross the protocol: None, tuples, exception instances and classes, StopIteration instances, not
only numbers. Their encoding (body.make_value / describe_value) must keep them apart, steps must print and
replay them, real coroutines must do with each what the model predicts, and the tour must use them all."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.drivers import DRIVERS
from conformance.engine.results import DriverResults
from conformance.engine.session import Session
from conformance.engine.tour import plan_tour
from conformance.protocol import values
from conformance.protocol.model import load_model
from conformance.protocol.oracle import Oracle
from conformance.protocol.steps import Plan, Reentry, Step
from conformance.subject import body

VERSIONS = [f"3.{minor}" for minor in range(6, 14)]
IN_PROCESS = ["direct", "await", "delegation", "generator", "asyncio"]


# -- the encoding --------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(values.ROLES))
@pytest.mark.parametrize("value_class", values.VALUE_CLASSES)
def test_every_value_class_is_built_and_described_as_its_spec(role, value_class):
    spec = values.representative(role, value_class)
    value = body.make_value(json.loads(json.dumps(spec)))
    assert values.value_class(spec) == value_class
    assert json.loads(json.dumps(body.describe_value(value))) == spec


def test_descriptions_tell_apart_what_numbers_alone_never_showed():
    described = body.describe_value
    assert described((201, 202)) != described([201, 202])
    assert described(ValueError("x")) != described(ValueError)
    assert described(StopIteration()) != described(StopIteration(None))  # no args is not a None argument
    assert described(()) != described(None) != described(0)
    assert described(KeyError("x")) != described(ValueError("x"))


def test_a_stop_iteration_with_no_value_attribute_carries_nothing_not_none():
    class Bare(StopIteration):
        @property
        def value(self):
            raise AttributeError("value")

    assert body.describe_exception(Bare())["value"] == body.NOTHING
    assert body.describe_exception(StopIteration())["value"] is None


def test_anything_a_subject_hands_back_is_described_in_bounded_json():
    nested = []
    nested.append(nested)
    for value in (nested, tuple(range(1000)), object(), {"tuple": [1]}, ValueError(*range(100))):
        json.dumps(body.describe_value(value))
    assert "object" in body.describe_value({"tuple": [1]})  # a dict that looks like a spec is not a tuple


@pytest.mark.parametrize("spec", [{"tuple": 3}, {"exception": "NoSuchError", "args": []}, {"class": "int"},
                                  [1, 2], {"tuple": [], "class": "ValueError"}])
def test_a_malformed_value_spec_is_the_suites_error(spec):
    with pytest.raises(body.SuiteError, match="not a value spec"):
        body.make_value(spec)


@given(st.data())
def test_a_value_of_one_role_never_looks_like_another_roles(data):
    first, second = data.draw(st.permutations(sorted(values.ROLES)))[:2]
    one = body.describe_value(body.make_value(data.draw(role_values(first))))
    other = body.describe_value(body.make_value(data.draw(role_values(second))))
    untagged = (None, {"tuple": []}, {"exception": "StopIteration", "args": []})  # nothing to tag them with
    assert one != other or one in untagged, (first, second, one)


# -- steps: printed and replayed -------------------------------------------------------------------------
def test_steps_and_plans_print_values_as_python_writes_them():
    assert Step("send", "value", values.tuple_spec(201, 202)).describe() == "send((201, 202))"
    assert Step("send", "value", values.tuple_spec(201)).describe() == "send((201,))"
    assert Step("throw", "stop-iteration", values.tuple_spec()).describe() == "throw(StopIteration(()))"
    assert Plan("return", None).describe() == "returns None"
    assert Plan("return", values.exception_spec("ValueError", "x")).describe() == \
        "returns ValueError('x') as a value"
    assert Plan("await", values.class_spec("KeyError")).describe() == "awaits again, passing out KeyError as a value"
    assert Plan("raise-stop-iteration", values.exception_spec("StopIteration", 5)).describe() == \
        "raises StopIteration(StopIteration(5))"


def role_values(role: str):
    """Any value of a role the suite uses: a tagged number from its range, or one of its examples."""
    first = values.ROLES[role][0]
    return st.integers(first, first + 99) | st.sampled_from(values.examples(role))


def steps():
    value_roles = [("send", "value", "sent"), ("throw", "stop-iteration", "stop-value")]
    reactions = st.sampled_from(sorted(values.REACTION_ROLES))
    plans = reactions.flatmap(lambda reaction: st.builds(
        Plan, st.just(reaction), role_values(values.REACTION_ROLES[reaction]),
        st.lists(st.sampled_from(value_roles).flatmap(
            lambda r: role_values(r[2]).map(lambda v: Reentry(r[0], r[1], v))), max_size=2).map(tuple)))
    return st.sampled_from(value_roles).flatmap(
        lambda r: st.builds(Step, st.just(r[0]), st.just(r[1]), role_values(r[2]), st.none() | plans))


@given(steps())
def test_a_step_replays_from_a_report_with_its_values(step):
    again = Step.from_json(json.loads(json.dumps(step.to_json())))
    assert again == step
    assert again.brief() == step.brief()


# -- real coroutines do with every value what the model predicts -----------------------------------------
def take_all(driver_name, version, sequence):
    """The failures of one call sequence on a fresh native subject ([] where the driver's route has no such
    sequence)."""
    driver_class = DRIVERS[driver_name]
    model = load_model(driver_class.model_name)
    driver = driver_class(model)
    session = Session(model, driver, version, DriverResults(driver.name, driver.route, model.name, "3.x"))
    state = model.initial
    for step in sequence:
        if session.oracle.row(state, step.call, step.argument) is None:
            return []
        state = session.oracle.predict(state, step).next_state
    session.begin()
    try:
        return [failure.describe() for step in sequence for failure in session.take(step).failures]
    finally:
        session.end()
        driver.finish()


@pytest.mark.parametrize("driver_name", ["direct", "await", "delegation", "generator"])
@pytest.mark.parametrize("value_class", values.VALUE_CLASSES)
def test_a_native_coroutine_conforms_with_every_value_class_in_every_role(driver_name, value_class):
    def of(role):
        value = values.representative(role, value_class)
        return value if value is not None or role != "sent" else values.representative(role, "number")

    pause, version = Plan("await", values.representative("yielded", "number")), sys.version_info[:2]
    sequences = [
        [Step("send", "none", None, Plan("await", of("yielded"))),
         Step("send", "value", of("sent"), Plan("return", of("returned")))],
        [Step("send", "none", None, pause),
         Step("throw", "stop-iteration", of("stop-value"), Plan("await", of("yielded")))],
        [Step("send", "none", None, pause), Step("close", "none", None, Plan("return", of("returned")))],
        [Step("throw", "stop-iteration", of("stop-value"))],
        [Step("send", "value", of("sent"))],
        [Step("send", "none", None, Plan("raise-stop-iteration", of("stop-value")))],
    ]
    for sequence in sequences:
        assert take_all(driver_name, version, sequence) == [], [s.brief() for s in sequence]


# -- the tour ---------------------------------------------------------------------------------------------
def tour(driver_name, version):
    driver_class = DRIVERS[driver_name]
    model = load_model(driver_class.model_name)
    driver = driver_class(model)
    sequences, _ = plan_tour(Oracle(model, version, driver.route), driver)
    return [step for sequence in sequences for step in sequence]


def values_used(steps_made):
    """(role, value class) of every value the steps (and their re-entrant calls) pass across."""
    found = set()
    for step in steps_made:
        calls = [step] + list(step.plan.reentries if step.plan is not None else ())
        for call in calls:
            role = values.PAYLOAD_ROLES.get((call.call, call.argument))
            if role is not None:
                found.add((role, values.value_class(call.payload)))
        if step.plan is not None and step.plan.reaction in values.REACTION_ROLES:
            found.add((values.REACTION_ROLES[step.plan.reaction], values.value_class(step.plan.value)))
    return found


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("driver_name", IN_PROCESS)
def test_the_tour_yields_and_returns_none_and_closes_a_body_that_returns_none(driver_name, version):
    made = tour(driver_name, version)
    assert ("yielded", "None") in values_used(made)
    assert ("returned", "None") in values_used(made)
    if DRIVERS[driver_name].calls is None:  # a driver that can call close()
        assert any(s.call == "close" and s.plan == Plan("return", None) for s in made)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("driver_name", ["direct", "await", "delegation", "generator"])
def test_the_tour_uses_every_value_class_and_several_in_every_role(driver_name, version):
    used = values_used(tour(driver_name, version))
    assert {value_class for _, value_class in used} == set(values.VALUE_CLASSES)
    for role in values.ROLES:
        assert len({value_class for r, value_class in used if r == role}) >= 3, (role, used)


def test_the_asyncio_tour_passes_out_only_what_a_task_accepts():
    made = tour("asyncio", "3.12")
    assert {value_class for role, value_class in values_used(made) if role == "yielded"} == {"None"}
