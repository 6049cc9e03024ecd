"""A bug in the suite is never recorded as the subject's behaviour: it ends the run with exit 2, says so in
one line, and keeps the traceback (in the report when one was asked for). Also the issue's other one-line
answers: a profile the model does not know, an interpreter newer than the model, an unwritable path."""

from __future__ import annotations

import contextlib
import io
import json
import sys

import pytest

from conformance.cli import main
from conformance.protocol.model import default_model_path
from conformance.subject import body


def coroconf(*arguments) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(arguments))
    return code, out.getvalue(), err.getvalue()


async def waiting():
    await body.Suspend(1)


def test_a_payload_that_does_not_fit_is_the_suites_error_not_the_subjects_answer():
    coro = waiting()
    coro.send(None)
    with pytest.raises(body.SuiteError, match="throw"):
        body.perform(coro, "throw", "class", ["NoSuchError"])
    assert body.perform(coro, "throw", "class", ["KeyError"])[1]["type"] == "KeyError"  # the subject's answer


def test_a_suite_bug_ends_the_run_with_exit_2_and_the_traceback_in_the_report(tmp_path, monkeypatch):
    # Break the suite for real: throw()'s `class` arguments can no longer be built.
    monkeypatch.setitem(body.THROW_ARGUMENTS, "class", lambda payload: (body.EXCEPTIONS["NoSuchError"],))
    report = tmp_path / "report.json"
    code, out, err = coroconf("run", "--driver", "direct", "--examples", "0", "--quiet", "--report", str(report))
    assert code == 2, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "internal error" in lines[0] and str(report) in lines[0], err
    saved = json.loads(report.read_text())
    assert saved["partial"] is True and "Traceback" in saved["internal_error"]["traceback"]
    assert "NoSuchError" in saved["internal_error"]["traceback"]


def test_a_profile_outside_the_models_versions_is_refused():
    code, out, err = coroconf("run", "--profile", "2.7", "--driver", "direct", "--examples", "0")
    assert code == 2 and out == ""
    assert "--profile 2.7" in err and "3.6, 3.7" in err and len(err.strip().splitlines()) == 1


def test_an_interpreter_newer_than_the_model_runs_the_newest_profile_and_says_so(tmp_path):
    here = "%d.%d" % sys.version_info[:2]
    older = [v for v in ("3.6", "3.7", "3.8", "3.9", "3.10") if tuple(map(int, v.split("."))) < sys.version_info[:2]]
    text = default_model_path().read_text()
    start = text.index("versions = [")
    end = text.index("]", start) + 1
    model = tmp_path / "old.toml"
    model.write_text(text[:start] + "versions = " + json.dumps(older) + text[end:])
    code, out, err = coroconf("run", "--model", str(model), "--driver", "direct", "--examples", "0", "--quiet")
    note = [line for line in err.splitlines() if "newer than the model knows" in line]
    assert len(note) == 1 and f"Python {here}" in note[0] and older[-1] in note[0], err
    assert code == 0, out + err


@pytest.mark.parametrize("arguments, words", [
    (["run", "--report", "/proc/version"], "--report /proc/version: cannot write there"),
    (["run", "--junit", "/proc/nowhere/junit.xml"], "--junit /proc/nowhere/junit.xml: cannot write there"),
    (["diagram", "--out", "/proc/nowhere"], "--out /proc/nowhere: cannot write there"),
    (["spec", "--out", "/proc/nowhere/spec.md"], "--out /proc/nowhere/spec.md: cannot write there"),
])
def test_an_unwritable_path_is_one_line_before_anything_runs(arguments, words):
    code, out, err = coroconf(*arguments)
    assert code == 2 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1
