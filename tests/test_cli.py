"""The command line, run as a user runs it: a real `python -m conformance` process."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from conformance.drivers import DRIVERS
from conformance.protocol.model import load_model


def coroconf(*arguments, cwd=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "conformance", *arguments], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def test_full_conformance_run_passes_on_this_interpreter_with_every_driver(tmp_path):
    report_path, junit_path = tmp_path / "report.json", tmp_path / "junit.xml"
    done = coroconf("run", "--examples", "40", "--seed", "7", "--strict-coverage",
                    "--report", str(report_path), "--junit", str(junit_path))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(report_path.read_text())
    assert report["verdict"] == "conforms" and report["partial"] is False
    assert [d["driver"] for d in report["drivers"]] == list(DRIVERS)
    for driver in report["drivers"]:
        assert driver["coverage"]["covered"] == driver["coverage"]["exercisable"] > 0, driver["driver"]
        assert driver["failures"] == [] and driver["error"] is None
    direct = report["drivers"][0]
    version = tuple(sys.version_info[:2])
    applicable = {row.id for row in load_model().applicable_transitions(version)}
    assert {t["id"] for t in direct["transitions"]} == applicable, "the direct driver reaches every transition"
    suites = ElementTree.parse(junit_path).getroot().findall("testsuite")
    assert len(suites) == len(DRIVERS) and all(s.get("failures") == "0" for s in suites)
    assert "verdict: conforms" in done.stdout and "[coroconf] direct:" in done.stderr


def test_a_deviation_exits_1_and_names_the_transition(tmp_path):
    # This interpreter checked against another version's profile: wherever the two versions differ, the
    # interpreter deviates. Pick a profile that differs from the running version in the direct route.
    model = load_model()
    here = tuple(sys.version_info[:2])
    mine = {r.id for r in model.applicable_transitions(here)}
    other = next(v for v in model.version_tuples() if {r.id for r in model.applicable_transitions(v)} != mine)
    differing = {r.id for r in model.applicable_transitions(other)} - mine
    done = coroconf("run", "--driver", "direct", "--examples", "20", "--profile", "%d.%d" % other,
                    "--report", str(tmp_path / "r.json"), "--quiet")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "verdict: DEVIATES" in done.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    deviating = {t["id"] for t in report["drivers"][0]["transitions"] if t["verdict"] == "deviates"}
    assert deviating & differing, (deviating, differing)


@pytest.mark.parametrize("arguments, words", [
    (["run", "--examples", "-1"], "--examples must be at least 0"),
    (["run", "--depth", "-2"], "--depth must be 0 or more"),
    (["run", "--driver", "teleport"], "invalid choice: 'teleport'"),
    (["run", "--profile", "three"], "expected a Python version"),
    (["model", "--state", "SLEEPING"], "unknown state 'SLEEPING'"),
    (["model", "--call", "resume"], "unknown call 'resume'"),
    (["model", "nosuchmodel"], "no model named 'nosuchmodel'"),
])
def test_bad_usage_exits_2_with_one_clear_line(arguments, words):
    done = coroconf(*arguments)
    assert done.returncode == 2, done.stdout + done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_model_file_is_one_line_naming_the_file(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(load_model().path.read_text().replace(
        '"created.close",                from = "CREATED", call = "close", argument = "none",           to = "CLOSED"',
        '"created.close",                from = "CREATED", call = "close", argument = "none",           to = "DONE"'))
    done = coroconf("run", "--model", str(broken), "--driver", "direct")
    assert done.returncode == 2
    assert str(broken) in done.stderr and "unknown state 'DONE'" in done.stderr
    assert "Traceback" not in done.stderr


def test_model_table_lists_the_rows_the_filters_select():
    model = load_model()
    done = coroconf("model", "--state", "SUSPENDED", "--call", "throw", "--python", "3.11")
    assert done.returncode == 0
    wanted = {r.id for r in model.applicable_transitions((3, 11)) if r.source == "SUSPENDED" and r.call == "throw"}
    shown = {line.split()[0] for line in done.stdout.splitlines()[3:] if line.strip()}
    assert shown == wanted
    markdown = coroconf("model", "--format", "markdown")
    assert markdown.stdout.count("\n|") >= len(model.transitions)
