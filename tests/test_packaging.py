"""The model file must ship inside the wheel: build it, install it into a fresh venv, and use it there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The child processes must import the installed wheel, so nothing may point them at the source tree.
CLEAN_ENVIRONMENT = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}


def run(*command, cwd=None):
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=600, env=CLEAN_ENVIRONMENT)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheel_carries_the_models_and_runs(tmp_path):
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT))
    wheel = next((tmp_path / "dist").glob("coroutine_conformance-*.whl"))
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    borrow_dependencies(python)
    run(str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(str(python), "-c", "import conformance, conformance.protocol.model as m; print(conformance.__file__);"
                "print(m.default_model_path()); print(m.available_models())", cwd=elsewhere).splitlines()
    assert str(tmp_path / "venv") in where[0], "the installed wheel, not the source tree, was imported"
    assert str(tmp_path / "venv") in where[1]
    assert "coroutine" in where[2] and "generator" in where[2]
    table = run(str(tmp_path / "venv" / "bin" / "coroconf"), "model", cwd=elsewhere)
    assert "created.send.value" in table and "close.return" in table
    summary = run(str(tmp_path / "venv" / "bin" / "coroconf"), "run", "--driver", "direct", "--examples", "5",
                  "--quiet", cwd=elsewhere)
    assert "verdict: conforms" in summary


def borrow_dependencies(python: Path) -> None:
    """Let the new venv import the dependencies this test runs with (no download), after its own packages.

    `system_site_packages=True` would not do: inside a venv it borrows the *base* interpreter's
    site-packages, not the venv's where the dependencies were installed. So a .pth file in the new venv
    lists the folders this interpreter imports its packages from; the wheel's own copy of the package, in
    the new venv's site-packages, still comes first.
    """
    own = run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip()
    folders = [entry for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages")
               and Path(entry).is_dir()]
    Path(own, "borrowed-dependencies.pth").write_text("\n".join(folders) + "\n")
