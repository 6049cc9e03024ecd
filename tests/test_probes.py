"""The model's [[probe]] rows (the await expression and the iterator surface): every CPython conforms, in this
process and through the agent; a user's object that breaks a probe's fact is found (and only by that probe);
the loader refuses a bad probe row with one line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from benchmarks.broken_wrappers import BROKEN, CORRECT
from conformance.checking.check import CheckOptions, check
from conformance.drivers.probing import AgentProber, InProcessProber
from conformance.engine.probing import run_probes
from conformance.protocol.model import ModelError, default_model_path, load_model
from conformance.remote.targets import AgentProcess, TargetSpec
from tests.conftest import missing

SHIPPED = default_model_path().read_text()
PYENV = Path.home() / ".pyenv" / "versions"
PROBES_ONLY = CheckOptions(examples=1, drivers=[])


@pytest.fixture(autouse=True)
def quiet_finalizers(monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)


def verdicts(results) -> dict[str, str]:
    return {result.id: result.verdict for result in results}


def test_every_probe_conforms_in_this_process(model):
    results = run_probes(model, InProcessProber(), sys.version_info[:2])
    assert len(results) == len({p.function for p in model.probes})
    assert set(verdicts(results).values()) == {"conforms"}, [(r.id, r.observed) for r in results]


def cpythons() -> list[Path]:
    return sorted(PYENV.glob("3.*/bin/python"))


@pytest.mark.parametrize("minor", range(6, 14))
def test_every_probe_conforms_on_cpython_through_the_agent(minor, model):
    found = [python for python in cpythons() if python.parent.parent.name.startswith(f"3.{minor}.")]
    if not found:
        missing(f"needs CPython 3.{minor} under {PYENV} (pyenv install 3.{minor})")
    process = AgentProcess(TargetSpec(f"cpython-3.{minor}", [str(found[-1])]), call_timeout=20)
    try:
        process.start()
        results = run_probes(model, AgentProber(process), process.version())
    finally:
        process.close()
    assert set(verdicts(results).values()) == {"conforms"}, [(r.id, r.observed) for r in results]


def test_a_probe_row_with_another_outcome_makes_cpython_deviate(tmp_path):
    # The comparison can fail: the same probe against a row that says RuntimeError deviates.
    path = tmp_path / "model.toml"
    path.write_text(SHIPPED.replace('raises = { type = "RuntimeError", message = "awaited-already" }',
                                    'raises = { type = "ValueError", message = "awaited-already" }'))
    results = verdicts(run_probes(load_model(path), InProcessProber(), sys.version_info[:2]))
    assert results["await.second-awaiter"] == "deviates"
    assert {v for k, v in results.items() if k != "await.second-awaiter"} == {"conforms"}


def probe_verdicts(factory) -> dict[str, str]:
    result = check("wrapper", factory, PROBES_ONLY)
    return {entry["id"]: entry["verdict"] for entry in result.report["probes"]["results"]}


def test_the_correct_forwarding_wrapper_passes_every_probe_that_takes_it():
    found = probe_verdicts(CORRECT)
    assert set(found.values()) == {"conforms"}, found
    assert "await.non-awaitable" not in found  # the interpreter's probes do not judge a user's object


def test_a_wrapper_that_accepts_a_second_awaiter_is_found():
    found = probe_verdicts(BROKEN["two-awaiters"][0])
    assert found["await.second-awaiter"] == "deviates"
    assert found["await.second-awaiter.first-unharmed"] == "deviates"
    assert found["iterator.iter-coroutine"] == found["iterator.next-coroutine"] == "deviates"
    assert found["iterator.await-is-iterator"] == found["iterator.next-is-send"] == "conforms"


def test_an_await_iterator_whose_iter_is_a_new_object_is_found():
    found = probe_verdicts(BROKEN["await-iterator-copied"][0])
    assert found["iterator.await-is-iterator"] == "deviates"
    assert {v for k, v in found.items() if k != "iterator.await-is-iterator"} == {"conforms"}, found


class GeneratorAwait(CORRECT):
    """__await__ is a generator: once exhausted, next() raises StopIteration again, not RuntimeError."""

    def __await__(self):
        return (yield from self._coro.__await__())


def test_an_await_iterator_that_stops_again_once_exhausted_is_found():
    found = probe_verdicts(GeneratorAwait)
    assert found["iterator.next-exhausted"] == "deviates", found


def test_an_object_that_needs_an_event_loop_gets_no_probe_verdicts():
    async def needs_loop(coro):
        import asyncio

        asyncio.get_running_loop()
        return await coro

    result = check("wrapper", needs_loop, PROBES_ONLY)
    assert "running event loop" in result.report["probes"]["not_applicable"]
    assert result.report["probes"]["results"] == []


# -- the loader ---------------------------------------------------------------------------------------

def broken(tmp_path, text: str) -> str:
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(ModelError) as caught:
        load_model(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message, message
    return message


def probe_row(probe_id: str) -> str:
    match = re.search(r"^  \{ id = \"" + re.escape(probe_id) + r"\".*\},$", SHIPPED, re.M)
    assert match, probe_id
    return match.group(0)


@pytest.mark.parametrize("change, words", [
    (('function = "iter_coroutine"', 'function = "iter_coro"'), "unknown probe function 'iter_coro'"),
    ((', raises = { type = "TypeError", message = "not-iterable" }', ""), "needs exactly one outcome"),
    ((', raises = { type = "TypeError", message = "not-iterable" }',
      ', raises = { type = "TypeError", message = "not-iterable" }, holds = true'), "needs exactly one outcome"),
    (('type = "TypeError", message = "not-iterable"', 'type = "thrown", message = "not-iterable"'),
     "a probe throws nothing"),
    (('type = "TypeError", message = "not-iterable"', 'type = "TypeErr", message = "not-iterable"'),
     "not a builtin exception"),
    (('message = "not-iterable"', 'message = "not-iterable-at-all"'), "unknown message"),
    (('does = "iter() of the coroutine", ', ""), "missing `does`"),
    (('id = "iterator.iter-coroutine"', 'id = "created.close"'), "the id is used twice"),
])
def test_a_bad_probe_row_is_refused_with_one_line(tmp_path, change, words):
    row = probe_row("iterator.iter-coroutine")
    assert change[0] in row
    message = broken(tmp_path, SHIPPED.replace(row, row.replace(*change)))
    assert words in message, message


def test_a_probe_that_fills_in_the_type_of_an_object_it_does_not_take_is_refused(tmp_path):
    row = probe_row("await.non-iterator")
    message = broken(tmp_path, SHIPPED.replace(row, row.replace('"await-non-iterator"', '"not-iterable"')))
    assert "fills in {type}" in message


def test_overlapping_and_missing_versions_of_a_probe_are_refused(tmp_path):
    row = probe_row("await.non-awaitable")
    message = broken(tmp_path, SHIPPED.replace(row, row.replace(', until = "3.14"', "")))
    assert "nondeterministic" in message and "await_non_awaitable" in message
    message = broken(tmp_path, SHIPPED.replace(row, row.replace('until = "3.14"', 'until = "3.13"')))
    assert "no row answers probe 'await_non_awaitable' on Python 3.13" in message
