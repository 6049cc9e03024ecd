"""Compiled subjects: `coroconf run --subject cython|nuitka|mypyc` compiles the body interpreter (body.py) into an
extension module and runs the whole suite against the coroutine type the compiler makes.

The build is real and happens at run time, cached under ~/.cache/coroutine-conformance (or
$COROCONF_CACHE) by the hash of body.py, the compiler and its version, and the Python that builds it. The
compiled module never runs in the suite's own process: it is handed to the agent (conformance/agent.py)
in a child of this same Python, so a crash, a hang or a replaced `inspect` function is a verdict on the
step that caused it, not the end of the run.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conformance.errors import CompileError
from conformance.subject import asyncgen_body, body, probes

MODULE_NAME = "conformance_subject"  # the agent loads a subject module under this name
PROBES_MODULE_NAME = "conformance_probes"  # and the build of probes.py under this one
SUBJECTS = ("native", "cython", "nuitka", "mypyc")
COMPILERS = SUBJECTS[1:]
# what to pip-install for each compiler (mypyc comes with mypy; on 3.12+ it builds through setuptools)
PACKAGES = {"cython": "cython", "nuitka": "nuitka", "mypyc": "mypy setuptools"}
BUILD_TIMEOUT = 900
# the modules each compiler needs in this Python (mypyc builds through setuptools, absent by default on 3.12+)
COMPILER_MODULES = {"cython": ("Cython",), "nuitka": ("nuitka",), "mypyc": ("mypyc", "setuptools")}
# The compilers that build the async generator too (asyncgen_body.py, appended to body.py in the one module).
# mypyc refuses it ("async generators are unimplemented", mypy 1.x): its module is body.py alone, and the
# agent reports the asyncgen driver unavailable there.
ASYNCGEN_COMPILERS = ("cython", "nuitka")




def cache_directory() -> Path:
    return Path(os.environ.get("COROCONF_CACHE") or Path.home() / ".cache" / "coroutine-conformance")


def compiler_version(compiler: str) -> str:
    """The compiler's version, asked of the compiler itself (so the cache key changes on an upgrade)."""
    probe = {"cython": "import Cython; print(Cython.__version__)",
             "nuitka": "import nuitka.Version as v; print(v.getNuitkaVersion())",
             "mypyc": "import mypy.version, mypyc.build, setuptools; print(mypy.version.__version__)"}[compiler]
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        raise CompileError(f"{compiler} is not installed for {sys.executable} "
                           f"(install it with: {sys.executable} -m pip install {PACKAGES[compiler]})")
    return completed.stdout.strip()


def build_command(compiler: str, source: Path, output: Path) -> list[str]:
    if compiler == "cython":
        return [sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-3", "-q", str(source)]
    if compiler == "mypyc":  # builds the extension next to the source, in the work directory
        return [sys.executable, "-m", "mypyc", source.name]
    return [sys.executable, "-m", "nuitka", "--module", str(source), f"--output-dir={output}", "--remove-output",
            "--quiet", "--assume-yes-for-downloads"]


def built_module(directory: Path, module_name: str = MODULE_NAME) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = directory / f"{module_name}{suffix}"
        if candidate.exists():
            return candidate
    return None


def build_probes(compiler: str, progress=None) -> tuple[Path, dict]:
    """The compiled probes module (conformance/subject/probes.py), built and cached like the body."""
    return build(compiler, progress, Path(probes.__file__), PROBES_MODULE_NAME)


def subject_source(compiler: str) -> str:
    """The source of the subject module: body.py, and the async generator where the compiler can build one."""
    files = [body.__file__] + ([asyncgen_body.__file__] if compiler in ASYNCGEN_COMPILERS else [])
    return "\n\n".join(Path(name).read_text() for name in files)


def build(compiler: str, progress=None, source_file: Path | None = None,
          module_name: str = MODULE_NAME) -> tuple[Path, dict]:
    """The compiled subject module (subject_source), or another dependency-free source built as `module_name`,
    building it unless cached, and a description for the report."""
    if compiler not in COMPILERS:
        raise CompileError(f"unknown compiler {compiler!r}; expected one of {', '.join(COMPILERS)}")
    say = progress or (lambda text: None)
    version = compiler_version(compiler)
    source_text = source_file.read_text() if source_file else subject_source(compiler)
    source_file = source_file or Path(body.__file__)
    key = hashlib.sha256("\0".join([source_text, compiler, version, sys.version, sys.platform]).encode()).hexdigest()
    target = cache_directory() / f"{compiler}-{version}-py{sys.version_info[0]}{sys.version_info[1]}-{key[:16]}"
    info = {"compiler": compiler, "compiler_version": version, "body_sha256": key, "module": None, "cached": True}
    found = built_module(target, module_name)
    if found is None:
        info["cached"] = False
        say(f"compiling {source_file.name} with {compiler} {version} (cached afterwards in {target})")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f"build-{compiler}-", dir=target.parent) as work:
            work_path = Path(work)
            source = work_path / f"{module_name}.py"
            source.write_text(source_text)
            try:
                completed = subprocess.run(build_command(compiler, source, work_path), cwd=work_path,
                                           capture_output=True, text=True, timeout=BUILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise CompileError(f"{compiler} did not finish compiling {source_file.name} in {BUILD_TIMEOUT} s") from None
            made = built_module(work_path, module_name)
            if completed.returncode != 0 or made is None:
                tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-12:])
                raise CompileError(f"{compiler} {version} could not compile {source_file.name} (exit {completed.returncode}; "
                                   f"it needs a C compiler and the Python headers):\n{tail}")
            staging = Path(tempfile.mkdtemp(prefix="ready-", dir=target.parent))
            shutil.copy2(made, staging / made.name)
            try:
                os.replace(staging, target)  # atomic: a concurrent run sees all of it or none
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)  # another run got there first
        found = built_module(target, module_name)
    info["module"] = str(found)
    return found, info


def compiler_installed(compiler: str) -> bool:
    """Whether this Python has the compiler (found without importing it: a matrix asks for all three)."""
    return all(importlib.util.find_spec(module) is not None for module in COMPILER_MODULES[compiler])
