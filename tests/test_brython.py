"""Brython (npm `brython` under Node, node/brython_runtime.mjs): the agent's hello names the drivers that cannot
follow the protocol there, with the reason, and every reproducer behind Brython's expected verdicts shows its
difference on Brython (exit 1) and not on this CPython (exit 0), without coroconf."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.remote.targets import AgentProcess, ProtocolError, checked_reasons, node_runtime_available, \
    resolve_target
from tests.conftest import missing, require_program

ROOT = Path(__file__).resolve().parent.parent
REPRODUCERS = ROOT / "expectations" / "reproducers"
BRYTHON_REPRODUCERS = sorted(path.name for path in REPRODUCERS.glob("brython_*.py"))


def require_brython() -> None:
    require_program("node")
    reason = node_runtime_available("brython")
    if reason:
        missing(f"needs Brython: {reason}")


def run_on_brython(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(ROOT / "node" / "run_script.mjs"), "brython", str(path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_hello_names_the_drivers_brython_cannot_run_and_why():
    require_brython()
    process = AgentProcess(resolve_target("brython"))
    try:
        hello = process.start()
    finally:
        process.close()
    assert hello["implementation"] == "Brython" and hello["drivers"] == ["generator"]
    assert sorted(hello["unavailable"]) == ["aclose-awaitable", "anext-awaitable", "asend-awaitable", "async-for",
                                            "asyncgen", "asyncgen-asyncio", "asyncgen-hooks", "asyncgen-shutdown",
                                            "athrow-awaitable", "await", "awaited-anext", "delegation", "direct"]
    assert "UnboundLocalError" in hello["unavailable"]["asyncgen"]  # Brython's lost local, not our failure
    assert "Promise" in hello["unavailable"]["direct"] and "__await__" in hello["unavailable"]["await"]


@pytest.mark.parametrize("bad", [None, [], {"direct": 3}, {3: "why"}, {f"d{n}": "x" for n in range(17)}])
def test_a_malformed_list_of_unavailable_drivers_is_a_protocol_error(bad):
    with pytest.raises(ProtocolError) as raised:
        checked_reasons("child", bad)
    assert "maps driver names to reasons" in str(raised.value)


def test_every_brython_reproducer_is_cited_by_the_expected_verdicts():
    verdicts = (ROOT / "expectations" / "verdicts.toml").read_text()
    assert BRYTHON_REPRODUCERS and [name for name in BRYTHON_REPRODUCERS if name not in verdicts] == []


@pytest.mark.parametrize("name", BRYTHON_REPRODUCERS)
def test_each_reproducer_shows_its_difference_on_brython_only(name):
    on_cpython = subprocess.run([sys.executable, "-I", str(REPRODUCERS / name)], capture_output=True, text=True,
                                timeout=120)
    assert on_cpython.returncode == 0, on_cpython.stdout + on_cpython.stderr
    require_brython()
    on_brython = run_on_brython(REPRODUCERS / name)
    assert on_brython.returncode == 1, on_brython.stdout + on_brython.stderr
    assert "Traceback" not in on_brython.stdout, on_brython.stdout


def test_the_script_runner_passes_on_the_exit_status_and_uncaught_errors(tmp_path):
    require_brython()
    script = tmp_path / "status.py"
    script.write_text("print('ran')\nraise SystemExit(3)\n")
    done = run_on_brython(script)
    assert (done.returncode, done.stdout) == (3, "ran\n")
    script.write_text("raise ValueError('boom')\n")
    done = run_on_brython(script)
    assert done.returncode == 1 and "ValueError: boom" in done.stdout
