"""The interpreter's shape (conformance/subject/shape.py): a JIT switched on, free-threading, a debug build.
Reported by the agent's hello, checked by the host, recorded in reports and shown by the run and the matrix.
The JIT test installs pyston_lite_autoload into a fresh venv of pyenv's CPython 3.10 and runs the suite there."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conformance.output.matrix import build_matrix, markdown, summary
from conformance.output.report import interpreter_info, shape_text
from conformance.remote.targets import ProtocolError, checked_shape, resolve_target
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
PYTHON_310 = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python"
GOOD = {"jit": ["pyston_lite"], "free_threaded_build": False, "gil_enabled": None, "debug_build": False}


def test_this_interpreter_s_shape_is_in_its_own_report():
    shape = interpreter_info()["shape"]
    assert shape["debug_build"] == hasattr(sys, "gettotalrefcount")
    assert shape["free_threaded_build"] == bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    assert shape["jit"] == (["pyston_lite"] if "pyston_lite" in sys.modules else [])
    assert checked_shape("here", shape) == shape


@pytest.mark.parametrize("bad", [
    None, [], {**GOOD, "jit": "pyston_lite"}, {**GOOD, "jit": [3]}, {**GOOD, "jit": [""]}, {**GOOD, "jit": ["x"] * 9},
    {**GOOD, "free_threaded_build": 1}, {**GOOD, "gil_enabled": "yes"}, {**GOOD, "debug_build": None},
    {k: v for k, v in GOOD.items() if k != "debug_build"}, {**GOOD, "extra": True}, {**GOOD, "jit": ["a\nb"]},
])
def test_a_malformed_shape_in_the_hello_is_a_protocol_error(bad):
    with pytest.raises(ProtocolError) as raised:
        checked_shape("child", bad)
    assert "expected a hello with a shape" in str(raised.value) and "\n" not in str(raised.value)


def test_the_shape_in_words():
    assert shape_text({**GOOD, "jit": []}) is None
    assert shape_text(GOOD) == "JIT pyston_lite"
    assert shape_text({"jit": [], "free_threaded_build": True, "gil_enabled": False, "debug_build": True}) \
        == "free-threaded build, GIL disabled; debug build"


def venv_with_pyston(tmp_path: Path) -> Path:
    """A fresh venv of CPython 3.10 with pyston_lite_autoload (never pyenv's own Python: its .pth would switch
    the JIT on for every run of that Python)."""
    if not PYTHON_310.exists():
        missing(f"needs {PYTHON_310} (pyenv's CPython 3.10)")
    venv = tmp_path / "venv"
    subprocess.run([str(PYTHON_310), "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "pyston_lite_autoload"],
                               capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        missing("pip could not install pyston_lite_autoload: " + installed.stderr.strip()[-300:])
    return python


def test_a_jit_switched_on_at_start_up_is_in_the_report_the_summary_and_the_matrix(tmp_path):
    python = venv_with_pyston(tmp_path)
    report_path = tmp_path / "report.json"
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--interpreter", str(python),
                                "--examples", "0", "--driver", "direct", "--report", str(report_path)],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    interpreter = json.loads(report_path.read_text())["interpreter"]
    assert interpreter["version"].startswith("3.10.") and interpreter["agent"]
    assert interpreter["shape"]["jit"] == ["pyston_lite"]
    assert "interpreter: JIT pyston_lite" in completed.stdout
    target = resolve_target(str(python))
    matrix = build_matrix([target], {target.label: {"state": "complete", "report": str(report_path)}})
    assert matrix["columns"][0]["shape"] == "JIT pyston_lite"
    assert "| JIT pyston_lite |" in markdown(matrix) and summary(matrix).endswith("[JIT pyston_lite]")


def test_without_a_jit_the_summary_says_nothing_of_the_shape(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--examples", "0", "--driver", "direct"],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert ("interpreter: " in completed.stdout) == bool(shape_text(interpreter_info()["shape"]))


def test_the_html_report_shows_the_shape_when_one_is_set():
    from conformance.output.html_report import html_page
    from conformance.protocol.model import load_model
    from tests.test_diagrams import WrappedDriver, run_report

    report = run_report(load_model(), WrappedDriver)
    report["interpreter"]["shape"] = GOOD
    assert '<span id="shape">JIT pyston_lite</span>' in html_page(report)
    report["interpreter"]["shape"] = {**GOOD, "jit": []}
    assert 'id="shape"' not in html_page(report)


def test_the_check_summary_shows_the_shape_when_one_is_set(tmp_path, monkeypatch, capsys):
    from conformance.checking.check import CheckOptions, check
    from conformance.cli.check import print_verdict

    result = check("wrapper", "examples.tracing:traced", CheckOptions(examples=0, seed=1, drivers=["direct"]))
    arguments = type("Arguments", (), {"kind": "wrapper", "target": "examples.tracing:traced"})()
    report = result.report
    report["interpreter"]["shape"] = {"jit": [], "free_threaded_build": True, "gil_enabled": False, "debug_build": False}
    print_verdict(report, arguments)
    assert "interpreter: free-threaded build, GIL disabled" in capsys.readouterr().out
    report["interpreter"]["shape"] = {**GOOD, "jit": []}
    print_verdict(report, arguments)
    assert "interpreter:" not in capsys.readouterr().out
