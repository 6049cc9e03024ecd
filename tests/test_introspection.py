"""Introspection as the model describes it: cr_await *is* the object the body awaits, cr_origin and the
origin-aware never-awaited warning under --origin-tracking, and partial introspection (some but not all of
what inspect.getcoroutinestate reads) deviating while none of it stays "not observable".

Every test drives real native coroutines through the real engine, in process or through the agent in a real
child interpreter; the stand-ins (tests/stand_ins.py) wrap real coroutines and break one thing each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.checking.check import CheckOptions, check
from conformance.drivers import DRIVERS
from conformance.engine.results import DriverResults
from conformance.engine.runner import RunOptions, run_driver, run_driver_in_child
from conformance.engine.session import Session
from conformance.protocol.model import ModelError, default_model_path, load_model
from conformance.protocol.steps import Plan, Step
from conformance.remote.targets import AgentProcess, resolve_target
from conformance.subject import body
from tests.stand_ins import (
    AwaitsElsewhere,
    DropsSuspended,
    Forwarding,
    HidesOrigin,
    OriginElsewhere,
)

MODEL = load_model()
FAKES = Path(__file__).parent / "agent_fakes"
HERE = tuple(sys.version_info[:2])


def driver_for(wrapper, name: str = "direct"):
    """The named in-process driver, with `wrapper(native coroutine)` as its subject."""
    class WrappedDriver(DRIVERS[name]):
        def make_subject(self, script):
            return wrapper(body.scripted_body(script))

    return WrappedDriver(MODEL)


def run(wrapper, version=HERE, tracking=0, examples=10):
    options = RunOptions(examples=examples, seed=1234, version=version, origin_tracking=tracking)
    return run_driver(MODEL, driver_for(wrapper), options)


def verdicts(results) -> dict:
    return {transition: result.verdict for transition, result in results.transitions.items()}


def failure_texts(results) -> str:
    return "\n\n".join(failure["text"] for failure in results.failures)


# -- cr_await ------------------------------------------------------------------------------------------

def test_a_faithful_wrapper_shows_the_awaited_object_and_conforms():
    results = run(Forwarding)
    assert not results.failures, failure_texts(results)
    assert verdicts(results)["value.await"] == "conforms"


def test_a_cr_await_that_is_not_the_awaited_object_deviates():
    results = run(AwaitsElsewhere)
    assert "value.await" in results.violated
    assert "cr_await: expected 'awaited', observed 'present'" in failure_texts(results)


class Relay:
    """An await iterator that passes every call on to a coroutine's __await__() iterator but shows nothing of
    what it awaits (no cr_await, no gi_yieldfrom)."""

    def __init__(self, coroutine):
        self.inner = coroutine.__await__()

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.inner.send(None)

    def send(self, value):
        return self.inner.send(value)

    def throw(self, *arguments):
        return self.inner.throw(*arguments)

    def close(self):
        return self.inner.close()


def relayed(fn):
    """An `async def` decorator that awaits fn's coroutine through a Relay: its cr_await leads nowhere."""
    async def wrapper(*arguments, **keywords):
        return await Relay(fn(*arguments, **keywords))
    return wrapper


def awaiting(fn):
    """The ordinary `async def` decorator."""
    async def wrapper(*arguments, **keywords):
        return await fn(*arguments, **keywords)
    return wrapper


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_an_awaiting_coroutine_must_lead_to_the_awaited_object_through_its_cr_await():
    options = CheckOptions(examples=5, seed=1, drivers=["direct"])
    plain = check("decorator", awaiting, options)
    assert plain.report["subject"]["baseline"] == "awaiting" and plain.conforms, \
        "\n\n".join(f["text"] for f in plain.failures)
    broken = check("decorator", relayed, options)
    said = "\n".join(failure["text"] for failure in broken.failures)
    assert "cr_await: expected 'awaits-awaited', observed 'present'" in said


# -- partial introspection -----------------------------------------------------------------------------

def test_dropping_cr_suspended_deviates_where_inspect_reads_it_and_names_it():
    results = run(DropsSuspended, version=(3, 11))
    said = failure_texts(results)
    assert results.failures and "the object has no cr_suspended" in said and "AttributeError" in said
    assert "deviates" in verdicts(results).values()


def test_dropping_cr_suspended_is_fine_where_inspect_does_not_read_it():
    results = run(DropsSuspended, version=(3, 10))
    assert not results.failures, failure_texts(results)


# -- cr_origin and the never-awaited warning -----------------------------------------------------------

def collect_at_created(driver, tracking: int):
    """A fresh subject dropped unstarted, as a session does: the model's prediction and what was seen."""
    driver.track_origins(tracking)
    session = Session(MODEL, driver, HERE, DriverResults(driver.name, driver.route, MODEL.name, "%d.%d" % HERE))
    session.begin()
    try:
        return session.take(Step("collect", "none", None, Plan("propagate")))
    finally:
        session.end()


@pytest.mark.parametrize("name", ["direct", "await", "delegation", "asyncio"])
def test_under_origin_tracking_the_warning_tells_where_the_coroutine_was_made(name):
    driver = DRIVERS[name](MODEL)
    try:
        record = collect_at_created(driver, tracking=4)
    finally:
        driver.finish()
    [(_, expected)] = record.prediction.observation.warnings
    assert expected.startswith("coroutine 'scripted_body' was never awaited\n"
                               "Coroutine created at (most recent call last)\n  File ")
    assert expected.count("  File ") == len(driver.origin) <= 4
    assert record.differences == [], record.differences


def test_origin_tracking_is_all_or_nothing_in_the_prediction():
    results = run(Forwarding, tracking=10)
    assert not results.failures, failure_texts(results)
    assert verdicts(results)["created.collect"] == "conforms"
    untracked = run(Forwarding)
    assert not untracked.failures, failure_texts(untracked)


def test_tracking_left_on_by_the_process_is_seen_when_the_run_did_not_ask_for_it():
    """What a run reported before --origin-tracking existed: the origin in cr_origin and the warning."""
    previous = sys.get_coroutine_origin_tracking_depth()
    sys.set_coroutine_origin_tracking_depth(5)
    try:
        results = run(Forwarding, examples=0)
    finally:
        sys.set_coroutine_origin_tracking_depth(previous)
    said = failure_texts(results)
    assert "cr_origin: expected 'none', observed 'present'" in said
    assert verdicts(results)["created.collect"] == "message-only"


def test_a_cr_origin_that_is_not_where_it_was_made_is_caught_by_the_warning():
    results = run(OriginElsewhere, tracking=10)
    assert "created.collect" in results.violated
    assert verdicts(results)["created.collect"] == "message-only"
    assert "elsewhere.py" in failure_texts(results)


def test_without_cr_origin_the_warning_text_is_not_observable_not_a_deviation():
    results = run(HidesOrigin, tracking=10)
    assert not results.failures, failure_texts(results)
    assert verdicts(results)["created.collect"] == "not-observable"


# -- through the agent ---------------------------------------------------------------------------------

def agent_run(driver: str, subject_module=None, tracking=0):
    model = load_model(DRIVERS[driver].model_name)
    process = AgentProcess(resolve_target(sys.executable), call_timeout=10, subject_module=subject_module)
    try:
        return run_driver_in_child(driver, RunOptions(examples=0, seed=0, origin_tracking=tracking),
                                   {model.name: model}, process)
    finally:
        process.close()


@pytest.mark.parametrize("driver", ["direct", "delegation", "generator"])
def test_through_the_agent_identity_and_origin_are_observed_and_conform(driver):
    results = agent_run(driver, tracking=6)
    seen = verdicts(results)
    assert set(seen.values()) == {"conforms"}, seen
    assert not results.failures


@pytest.mark.parametrize("mode, words", [
    ("await", "cr_await: expected 'awaited', observed 'present'"),
    ("suspended", "the object has no cr_suspended"),
])
def test_through_the_agent_a_broken_proxy_deviates(mode, words, monkeypatch):
    if mode == "suspended" and HERE < (3, 11):
        pytest.skip("cr_suspended exists from Python 3.11")
    monkeypatch.setenv("COROCONF_FAKE_PROXY", mode)
    results = agent_run("direct", subject_module=str(FAKES / "proxied_body.py"))
    assert words in failure_texts(results)


# -- the command line and the model --------------------------------------------------------------------

def coroconf(*arguments, cwd=None):
    return subprocess.run([sys.executable, "-m", "conformance", *arguments], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


@pytest.mark.parametrize("command", [["run"], ["check", "examples.tracing:traced", "--kind", "wrapper"]])
def test_a_bad_tracking_depth_is_one_line_and_exit_2(command):
    done = coroconf(*command, "--origin-tracking", "-1")
    assert done.returncode == 2 and "expected a number of frames" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_run_and_check_record_the_tracking_depth_and_conform(tmp_path):
    done = coroconf("run", "--driver", "direct", "--examples", "0", "--origin-tracking", "3", "--quiet",
                    "--report", str(tmp_path / "run.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((tmp_path / "run.json").read_text())["origin_tracking"] == 3
    root = Path(__file__).parent.parent
    done = coroconf("check", "examples.tracing:traced", "--kind", "wrapper", "--driver", "direct", "--examples", "5",
                    "--origin-tracking", "10", "--quiet", "--report", str(tmp_path / "check.json"), cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((tmp_path / "check.json").read_text())["origin_tracking"] == 10


SHIPPED = default_model_path().read_text()


@pytest.mark.parametrize("old, new, words", [
    ('awaiting = "awaited", origin', 'awaiting = "the-awaited", origin', "`awaiting` must be true, false or one of"),
    ('state = "SUSPENDED", attribute = "awaiting", value = "awaits-awaited"',
     'state = "SUSPENDED", attribute = "awaited", value = "awaits-awaited"',
     "unknown attribute 'awaited'"),
    ('origin-header    = ', 'origin-heading   = ', "there is no `origin-header` message"),
    ('origin    = { name = "cr_origin", since = "3.7", tracked = "frames" }',
     'origin    = { name = "cr_origin", since = "3.7", tracked = "frames", traced = true }', "unknown key(s) ['traced']"),
])
def test_the_loader_refuses_a_bad_introspection_entry_in_one_line(old, new, words, tmp_path):
    assert SHIPPED.count(old) == 1, old
    path = tmp_path / "broken.toml"
    path.write_text(SHIPPED.replace(old, new))
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert str(caught.value).startswith(str(path)) and words in str(caught.value) and "\n" not in str(caught.value)


def test_the_model_decides_what_is_read_inside_the_running_body():
    inside = {version: set(MODEL.observations("RUNNING", version, "awaiter")) for version in ((3, 9), (3, 11), (3, 13))}
    assert "awaiting" not in inside[(3, 9)] | inside[(3, 11)] and "awaiting" in inside[(3, 13)]
    assert "awaiting" not in MODEL.observations("RUNNING", (3, 11), "direct")
    assert MODEL.observations("SUSPENDED", (3, 12), "delegation+awaiter")["awaiting"] == "awaits-awaited"
