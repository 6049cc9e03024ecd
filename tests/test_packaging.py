"""The model file must ship inside the wheel: build it, install it into a fresh venv, and use it there."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command, cwd=None):
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheel_carries_the_models_and_runs(tmp_path):
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT))
    wheel = next((tmp_path / "dist").glob("coroutine_conformance-*.whl"))
    # The venv borrows this interpreter's site-packages for the dependencies (no download), while the
    # wheel's own copy of the package comes first on its path.
    venv.create(tmp_path / "venv", with_pip=True, system_site_packages=True)
    python = tmp_path / "venv" / "bin" / "python"
    run(str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(str(python), "-c", "import conformance, conformance.model as m; print(conformance.__file__);"
                "print(m.default_model_path()); print(m.available_models())", cwd=elsewhere).splitlines()
    assert str(tmp_path / "venv") in where[0], "the installed wheel, not the source tree, was imported"
    assert str(tmp_path / "venv") in where[1]
    assert "coroutine" in where[2] and "generator" in where[2]
    table = run(str(tmp_path / "venv" / "bin" / "coroconf"), "model", cwd=elsewhere)
    assert "created.send.value" in table and "close.return" in table
    summary = run(str(tmp_path / "venv" / "bin" / "coroconf"), "run", "--driver", "direct", "--examples", "5",
                  "--quiet", cwd=elsewhere)
    assert "verdict: conforms" in summary
