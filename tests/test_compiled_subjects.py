"""`coroconf run --subject cython|nuitka|mypyc`: a real build of body.py, cached, run through the agent in a child;
the tour's verdicts must be exactly the ones expectations/verdicts.toml records (and explains) for each."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.output.expectations import expected_verdict, load_expectations
from conformance.output.matrix import MATRIX_MODELS, report_cells
from conformance.remote.compiled import ASYNCGEN_COMPILERS
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
COMPILER_MODULES = {"cython": "Cython", "nuitka": "nuitka", "mypyc": "mypyc"}
PACKAGES = {"cython": "cython", "nuitka": "nuitka", "mypyc": "mypy setuptools"}


def require_compiler(compiler: str) -> None:
    if importlib.util.find_spec(COMPILER_MODULES[compiler]) is None:
        missing(f"needs {compiler} (pip install {PACKAGES[compiler]}; .ci/run installs it)")


@pytest.mark.parametrize("compiler", ["cython", "nuitka", "mypyc"])
def test_the_compiled_body_gets_the_expected_verdicts(compiler, tmp_path):
    require_compiler(compiler)
    report_path = tmp_path / "report.json"
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--subject", compiler, "--examples", "0",
                                "--models", ",".join(MATRIX_MODELS), "--report", str(report_path), "--quiet"],
                               cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert completed.returncode in (0, 1), completed.stdout[-2000:] + completed.stderr[-2000:]
    report = json.loads(report_path.read_text())
    drivers = [d["driver"] for d in report["drivers"]]  # every route, alone and with each awaitee kind (issue 10)
    assert {"direct", "await", "delegation", "generator", "direct/generator", "generator/bare-yield"} <= set(drivers)
    expectation = load_expectations(ROOT / "expectations" / "verdicts.toml")[compiler]
    unavailable = {d["driver"] for d in report["drivers"] if d["error"] is not None}
    assert unavailable == expectation["unavailable_drivers"], [d["error"] for d in report["drivers"]]
    assert ("asyncgen" not in unavailable) == (compiler in ASYNCGEN_COMPILERS)  # the build holds the async generator
    assert "through the agent" in report["drivers"][0]["description"]
    assert len(report["probes"]["results"]) >= 13  # the probes ran too, from a build of probes.py
    found = report_cells(report)
    conforming = {"verdict": "conforms"}
    mismatches = {key: (expectation["cells"].get(key, "conforms"), found.get(key, conforming)["verdict"])
                  for key in set(expectation["cells"]) | set(found)
                  if not expected_verdict(key, found.get(key, conforming), expectation)}
    assert mismatches == {}, mismatches


def test_the_build_is_cached_by_source_and_compiler_version():
    require_compiler("cython")
    from conformance.remote.compiled import build

    first_module, _ = build("cython")
    started = time.perf_counter()
    module, info = build("cython")
    assert info["cached"] and module == first_module and module.exists()
    assert info["compiler_version"] in module.parent.name
    assert time.perf_counter() - started < 10  # only the compiler's version is asked, nothing is rebuilt


def test_a_subject_and_a_subject_module_together_are_a_usage_error(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "conformance", "run", "--subject", "cython",
                                "--subject-module", str(tmp_path / "x.py")],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    assert "give one of them" in completed.stderr and "Traceback" not in completed.stderr
