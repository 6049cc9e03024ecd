"""Start-up and build benchmark: prints figures, each with its ratio against a baseline measured in the same run.

  1. each target's agent start-up (a new child until its hello; for a compiled subject, until its module is
     loaded), the median of a few fresh children, against the same for this Python (the baseline);
     Brython also cold, without its cache of compiled standard library modules;
  2. each compiler's build of body.py (uncached, in a scratch cache), against byte-compiling body.py with
     py_compile in this Python (the baseline).

Run: python3 benchmarks/startup.py [--starts N] [--skip-builds]
"""

from __future__ import annotations

import argparse
import os
import py_compile
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.remote.compiled import COMPILERS, build, compiler_installed  # noqa: E402
from conformance.remote.targets import AgentProcess, discover_targets, resolve_target  # noqa: E402
from conformance.subject import body  # noqa: E402


def start_seconds(spec, starts: int) -> float:
    """The median time from spawning a child to its hello (and its subject module loaded), fresh children."""
    module = str(build(spec.subject)[0]) if spec.subject else None  # built (or cached) before the clock starts
    times = []
    for _ in range(starts):
        process = AgentProcess(spec, call_timeout=30, subject_module=module)
        try:
            started = time.perf_counter()
            process.start()
            times.append(time.perf_counter() - started)
        finally:
            process.close()
    return statistics.median(times)


def with_cache(directory: str, measure):
    """`measure()` with the suite's cache ($COROCONF_CACHE: builds, Brython's compiled modules) in `directory`."""
    previous = os.environ.get("COROCONF_CACHE")
    os.environ["COROCONF_CACHE"] = directory
    try:
        return measure()
    finally:
        if previous is None:
            del os.environ["COROCONF_CACHE"]
        else:
            os.environ["COROCONF_CACHE"] = previous


def byte_compile_seconds(rounds: int = 20) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        for n in range(rounds):
            py_compile.compile(body.__file__, cfile=str(Path(scratch) / f"body{n}.pyc"), doraise=True)
        return (time.perf_counter() - started) / rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="fresh children per target (default 3)")
    parser.add_argument("--skip-builds", action="store_true", help="leave out the compilers' builds")
    arguments = parser.parse_args()

    baseline = start_seconds(resolve_target(shlex.quote(sys.executable)), arguments.starts)
    print(f"1. agent start-up, median of {arguments.starts} fresh children, against this Python's "
          f"({sys.version.split()[0]}: {baseline:.2f} s)")
    print(f"   {'target':24} {'seconds':>8} {'ratio':>7}")
    for spec in discover_targets():
        try:
            seconds = start_seconds(spec, arguments.starts)
        except Exception as error:  # noqa: BLE001 - one broken target must not hide the others' figures
            print(f"   {spec.label:24} could not be measured: {error}")
            continue
        print(f"   {spec.label:24} {seconds:8.2f} {seconds / baseline:7.1f}")
        if spec.runtime == "brython":
            with tempfile.TemporaryDirectory() as empty:
                cold = with_cache(empty, lambda: start_seconds(spec, 1))
            print(f"   {'brython, cold cache':24} {cold:8.2f} {cold / baseline:7.1f}")

    if not arguments.skip_builds:
        compile_baseline = byte_compile_seconds()
        print(f"\n2. building body.py, uncached, against byte-compiling it (py_compile: {compile_baseline * 1000:.1f} ms)")
        print(f"   {'compiler':24} {'seconds':>8} {'ratio':>9}")
        for compiler in COMPILERS:
            if not compiler_installed(compiler):
                print(f"   {compiler:24} not installed for {sys.executable}")
                continue
            with tempfile.TemporaryDirectory() as scratch:
                started = time.perf_counter()
                try:
                    with_cache(scratch, lambda: build(compiler))
                except Exception as error:  # noqa: BLE001
                    print(f"   {compiler:24} could not build: {error}")
                    continue
                seconds = time.perf_counter() - started
            print(f"   {compiler:24} {seconds:8.1f} {seconds / compile_baseline:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
