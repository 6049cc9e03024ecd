"""`coroconf matrix`: the suite in every interpreter found here, as one table (see output/matrix.py)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from conformance.cli.common import add_origin_tracking
from conformance.errors import TargetError, UsageError
from conformance.output.expectations import (
    compare_with_expectations,
    expectations_text,
    load_expectations,
)
from conformance.output.matrix import run_matrix, run_target_options, summary
from conformance.output.paths import check_writable_file, check_writable_folder
from conformance.remote.compiled import COMPILERS
from conformance.remote.targets import TargetSpec, compiled_target, discover_targets, resolve_target


def register_matrix(commands) -> None:
    matrix = commands.add_parser("matrix", help="run every interpreter found and write a conformance matrix",
                                 description="Run the suite in every interpreter this machine has (CPythons on "
                                             "PATH and under pyenv, PyPy, Pyodide, MicroPython and Brython under "
                                             "Node) and on body.py compiled by each compiler this Python has "
                                             "(Cython, Nuitka, mypyc), and write the matrix as Markdown and JSON.")
    matrix.add_argument("--targets", metavar="LIST",
                        help="comma-separated targets: labels from --list, any --interpreter TARGET, or cython, "
                             "nuitka, mypyc")
    matrix.add_argument("--list", action="store_true", help="list the targets found and exit")
    matrix.add_argument("--out", default="matrix", metavar="DIR", help="where to write (default ./matrix)")
    matrix.add_argument("--examples", type=int, default=10, metavar="N",
                        help="Hypothesis examples per driver (default 10; 0: the deterministic tour alone)")
    matrix.add_argument("--seed", type=int, default=0, help="Hypothesis seed (default 0: reproducible)")
    matrix.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="targets run at once (default: 2, or fewer cores)")
    matrix.add_argument("--call-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="a call with no answer after this long is a hang (default 10)")
    matrix.add_argument("--expectations", metavar="FILE",
                        help="compare the verdicts with this expected-verdicts file; exit 1 on any difference")
    matrix.add_argument("--write-expectations", metavar="FILE",
                        help="write the verdicts found as an expected-verdicts file (keeping its notes)")
    add_origin_tracking(matrix)
    matrix.set_defaults(handler=command_matrix)


def choose_targets(text: str | None) -> list[TargetSpec]:
    found = discover_targets()
    if not text:
        return found
    by_label = {t.label: t for t in found}
    chosen = []
    for name in (part.strip() for part in text.split(",") if part.strip()):
        if name in by_label:
            chosen.append(by_label[name])
            continue
        try:
            chosen.append(compiled_target(name) if name in COMPILERS else resolve_target(name))
        except TargetError as error:
            raise UsageError(f"{error}; the targets found here are {', '.join(by_label) or 'none'}") from None
    return chosen


def command_matrix(arguments) -> int:
    if arguments.examples < 0 or arguments.jobs < 1 or arguments.call_timeout <= 0:
        raise UsageError(f"--examples must be 0 or more, --jobs at least 1 and --call-timeout positive; found "
                         f"{arguments.examples}, {arguments.jobs} and {arguments.call_timeout}")
    targets = choose_targets(arguments.targets)
    if arguments.list:
        for target in targets:
            print(f"{target.label:28} coroconf run {' '.join(run_target_options(target))}")
        return 0
    expectations = load_expectations(arguments.expectations) if arguments.expectations else None
    if not targets:
        raise UsageError("no interpreters found; name some with --targets")
    check_writable_folder(arguments.out, "--out")  # before the runs, so that none of them is lost
    check_writable_file(arguments.write_expectations, "--write-expectations")
    out = Path(arguments.out)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    say(f"[matrix] {len(targets)} targets, {arguments.jobs} at a time: {', '.join(t.label for t in targets)}")
    started = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)  # a kill keeps what had arrived, like Ctrl-C
    try:
        matrix = run_matrix(targets, out, arguments.examples, arguments.seed, arguments.jobs,
                            arguments.call_timeout, say, origin_tracking=arguments.origin_tracking)
    finally:
        signal.signal(signal.SIGTERM, previous)
    say(f"[matrix] wrote {out / 'matrix.md'} and {out / 'matrix.json'} in {time.perf_counter() - started:.1f} s")
    print(summary(matrix))
    if arguments.write_expectations:
        path = Path(arguments.write_expectations)
        existing = load_expectations(path) if path.exists() else {}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expectations_text(matrix, existing))
        say(f"[matrix] wrote the verdicts found to {path}")
    code = 0
    failed = [c["label"] for c in matrix["columns"] if c["state"] != "complete"]
    if failed:
        print(f"did not complete: {', '.join(failed)}")
        code = 1
    if expectations is not None:
        mismatches = compare_with_expectations(matrix, expectations)
        if mismatches:
            print(f"{len(mismatches)} verdicts differ from {arguments.expectations}:")
            for line in mismatches:
                print(f"  - {line}")
            code = 1
        else:
            print(f"all verdicts match {arguments.expectations}")
    return 130 if matrix["interrupted"] else code


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


