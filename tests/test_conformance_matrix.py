"""`coroconf matrix` on real interpreters (PyPy, Pyodide, MicroPython, Brython and three CPythons) and the
compiled subjects (Cython, Nuitka, mypyc) side by side: every run completes and every verdict matches
expectations/verdicts.toml. Plus: a changed verdict or expectation is
noticed, and a target that hangs shows up as hang cells without stopping the matrix."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.output.expectations import compare_with_expectations, load_expectations
from conformance.remote.targets import discover_targets
from tests.conftest import missing, require_program

ROOT = Path(__file__).parent.parent
EXPECTATIONS = ROOT / "expectations" / "verdicts.toml"
CI_TARGETS = ["pypy3", "pyodide", "micropython", "brython", "cpython-3.6", "cpython-3.9", "cpython-3.13",
              "cython", "nuitka", "mypyc"]


def coroconf(*arguments, timeout=1800):
    return subprocess.run([sys.executable, "-m", "conformance", *arguments], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def matrix_run(tmp_path_factory):
    require_program("node")
    require_program("pypy3")
    found = {target.label for target in discover_targets()}
    absent = [label for label in CI_TARGETS if label not in found]
    if absent:
        missing(f"needs the targets {', '.join(absent)} (pyenv builds under ~/.pyenv/versions, pypy3 from apt, "
                "`npm ci` in node/ for pyodide, micropython and brython, pip install cython nuitka mypy setuptools)")
    out = tmp_path_factory.mktemp("matrix")
    done = coroconf("matrix", "--targets", ",".join(CI_TARGETS), "--examples", "0", "--out", str(out),
                    "--expectations", str(EXPECTATIONS))
    return done, out


def test_every_interpreter_completes_with_the_expected_verdicts(matrix_run):
    done, out = matrix_run
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert f"all verdicts match {EXPECTATIONS}" in done.stdout
    matrix = json.loads((out / "matrix.json").read_text())
    assert [c["label"] for c in matrix["columns"]] == CI_TARGETS
    assert not matrix["partial"]
    markdown = (out / "matrix.md").read_text()
    assert "| transition | " + " | ".join(CI_TARGETS) + " |" in markdown
    assert "## coroutine: SUSPENDED + throw" in markdown


def test_a_changed_verdict_or_expectation_is_noticed(matrix_run):
    done, out = matrix_run
    matrix = json.loads((out / "matrix.json").read_text())
    expectations = load_expectations(EXPECTATIONS)
    assert compare_with_expectations(matrix, expectations) == []
    # an interpreter that starts to conform where a deviation is expected
    key = sorted(expectations["pypy3"]["cells"])[0]
    row = next(r for r in matrix["rows"] if r["key"] == key)
    row["cells"]["pypy3"] = {"verdict": "conforms", "drivers": {}}
    mismatches = compare_with_expectations(matrix, expectations)
    assert any(f"pypy3: {key}: expected" in line and "found conforms" in line for line in mismatches), mismatches
    # a CPython cell that starts to deviate
    row = next(r for r in matrix["rows"] if r["cells"]["cpython-3.13"]["verdict"] == "conforms")
    row["cells"]["cpython-3.13"] = {"verdict": "deviates", "observed": "something else", "drivers": {}}
    mismatches = compare_with_expectations(matrix, expectations)
    assert any(line.startswith(f"cpython-3.13: {row['key']}: expected conforms, found deviates") for line in mismatches)


def test_a_deviation_without_its_reasons_is_refused(tmp_path):
    broken = tmp_path / "verdicts.toml"
    broken.write_text('[[targets.pypy3.deviation]]\ntransition = "coroutine:created.collect"\nverdict = "deviates"\n')
    done = coroconf("matrix", "--targets", sys.executable, "--expectations", str(broken), "--out", str(tmp_path))
    assert done.returncode == 2
    assert "lacks does, model_expects, evidence" in done.stderr and "Traceback" not in done.stderr


def test_a_hanging_interpreter_is_hang_cells_and_the_matrix_completes(tmp_path):
    fake = shlex.join([sys.executable, str(ROOT / "tests" / "agent_fakes" / "fake_interpreter.py"), "hang", "close",
                       str(tmp_path / "hung-once")])
    done = coroconf("matrix", "--targets", f"{sys.executable},{fake}", "--examples", "0", "--call-timeout", "1.5",
                    "--out", str(tmp_path), timeout=300)
    matrix = json.loads((tmp_path / "matrix.json").read_text())
    columns = {c["label"]: c for c in matrix["columns"]}
    assert all(c["state"] == "complete" for c in columns.values()), done.stdout + done.stderr
    verdicts = {row["key"]: row["cells"][fake]["verdict"] for row in matrix["rows"]}
    hung = {key for key, verdict in verdicts.items() if verdict == "hang"}
    assert len(hung) == 1 and "close" in hung.pop(), verdicts
    assert list(verdicts.values()).count("conforms") > 100  # the rest, after the restart, was still checked
    assert {row["cells"][sys.executable]["verdict"] for row in matrix["rows"]} <= {"conforms", "not-run"}
    assert "✗ hang" in (tmp_path / "matrix.md").read_text()


def test_a_stopped_matrix_keeps_what_had_arrived_and_says_it_is_partial(tmp_path):
    slow = shlex.join([sys.executable, str(ROOT / "tests" / "agent_fakes" / "fake_interpreter.py"), "slow", "none"])
    child = subprocess.Popen([sys.executable, "-m", "conformance", "matrix", "--targets", f"{slow},{sys.executable}",
                              "--jobs", "1", "--examples", "50", "--out", str(tmp_path)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    report = tmp_path / "reports"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(report.glob("*.json")):
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=120)
    assert child.returncode == 130
    matrix = json.loads((tmp_path / "matrix.json").read_text())
    assert matrix["partial"] is True
    first, second = matrix["columns"]
    assert first["state"] == "interrupted" and first["drivers"], first
    assert second["state"] in ("waiting", "interrupted")
    assert "**Partial:**" in (tmp_path / "matrix.md").read_text()


def test_the_matrix_runs_every_target_under_origin_tracking_when_asked(tmp_path):
    done = coroconf("matrix", "--targets", sys.executable, "--examples", "0", "--origin-tracking", "10",
                    "--out", str(tmp_path), timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    report = json.loads(next((tmp_path / "reports").glob("*.json")).read_text())
    assert report["origin_tracking"] == 10 and report["verdict"] == "conforms"
    assert "sys.set_coroutine_origin_tracking_depth(10)" in (tmp_path / "matrix.md").read_text()
    refused = coroconf("matrix", "--targets", sys.executable, "--origin-tracking", "-1", "--out", str(tmp_path))
    assert refused.returncode == 2 and "expected a number of frames" in refused.stderr
