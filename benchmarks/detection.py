"""Detection benchmark: a default `coroconf check --kind wrapper` on every deliberately broken wrapper of
benchmarks/broken_wrappers.py (with --kind asyncgen-wrapper: of benchmarks/broken_asyncgen_wrappers.py). For each: detected or not, seconds to the first failing step, the length of
the shortest (shrunk) failing call sequence, and the whole check's time. The baseline, measured in the same
run, is the default check of the correct forwarding wrapper: the time a user waits for a "conforms". The
ordinary pass-through `async def` decorators are checked too: they must conform (no false positive).

    python3 benchmarks/detection.py [--kind wrapper|asyncgen-wrapper] [--examples N] [--json FILE]

A bug that only a newer model profile shows (close() returning the body's value is Python 3.13's) is
checked by running `coroconf check` under the newest pyenv interpreter that has it, as a subprocess whose
JSON report is read back (plain JSON; nothing from the child is evaluated).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import broken_asyncgen_wrappers, broken_wrappers  # noqa: E402
from conformance.checking.check import CheckOptions, check  # noqa: E402
from conformance.engine.runner import DEFAULT_DEPTH  # noqa: E402  (what `coroconf check` does by default)


def interpreter_for(version: tuple[int, int]) -> str | None:
    """A Python of at least `version` that can run the suite (imports its command line, so every dependency
    is there), or None."""
    if sys.version_info[:2] >= version:
        return sys.executable
    for candidate in sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python")), reverse=True):
        try:
            answer = subprocess.run([candidate, "-c", "import sys, conformance.cli; print(sys.version_info[1])"],
                                    capture_output=True, text=True, timeout=60, cwd=ROOT)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if answer.returncode == 0 and (3, int(answer.stdout.strip())) >= version:
            return candidate
    return None


# Per kind: the broken wrappers as {name: (factory, bug, the oldest Python whose model shows it)}, the correct one,
# and those that may crash the interpreter (checked with each driver in a child).
SETS = {
    "wrapper": (broken_wrappers.BROKEN, broken_wrappers.CORRECT, broken_wrappers.ISOLATE),
    "asyncgen-wrapper": ({name: (factory, bug, None) for name, (factory, bug) in broken_asyncgen_wrappers.BROKEN.items()},
                         broken_asyncgen_wrappers.CORRECT, set()),
}


def measure_in_process(factory, examples, kind="wrapper") -> dict:
    started = time.perf_counter()
    result = check(kind, factory, CheckOptions(examples=examples, depth=DEFAULT_DEPTH))
    detection = result.report["detection"]
    return {"detected": not result.conforms, "first_failure_seconds": detection["first_failure_seconds"],
            "calls": detection["shortest_failure_calls"], "seconds": time.perf_counter() - started,
            "where": f"Python {sys.version_info[0]}.{sys.version_info[1]}, in process"}


def measure_in_child(name, python, examples, isolate=False) -> dict:
    attribute = name.replace("-", "_")
    with tempfile.TemporaryDirectory() as directory:
        report_path = Path(directory) / "report.json"
        command = [python, "-m", "conformance", "check", f"benchmarks.broken_wrappers:{attribute}",
                   "--kind", "wrapper", "--quiet", "--report", str(report_path)]
        if examples:
            command += ["--examples", str(examples)]
        if isolate:
            command.append("--isolate")
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
        seconds = time.perf_counter() - started
        if completed.returncode not in (0, 1) or not report_path.exists():
            return {"detected": False, "first_failure_seconds": None, "calls": None, "seconds": seconds,
                    "where": f"{python}: exit {completed.returncode}: {completed.stderr.strip()[-200:]}"}
        detection = json.loads(report_path.read_text()).get("detection") or {
            "first_failure_seconds": None, "shortest_failure_calls": None}
    return {"detected": completed.returncode == 1, "first_failure_seconds": detection["first_failure_seconds"],
            "calls": detection["shortest_failure_calls"], "seconds": seconds, "where": f"{python}, subprocess"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(SETS), default="wrapper", help="which broken wrappers (default wrapper)")
    parser.add_argument("--examples", type=int, help="Hypothesis examples per driver (default: the profile's)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    arguments = parser.parse_args(argv)
    sys.unraisablehook = lambda unraisable: None  # finalizers of broken wrappers complain; not a figure
    broken, correct, isolate = SETS[arguments.kind]

    baseline = measure_in_process(correct, arguments.examples, arguments.kind)
    print(f"baseline: the correct forwarding wrapper, default check: {baseline['seconds']:.1f} s, "
          f"{'conforms' if not baseline['detected'] else 'DEVIATES (the baseline is broken!)'}")
    passing = pass_through_decorators(arguments.examples) if arguments.kind == "wrapper" else True
    rows = []
    for name, (factory, bug, since) in broken.items():
        if since and sys.version_info[:2] < since:
            python = interpreter_for(since)
            if python is None:
                row = {"detected": None, "first_failure_seconds": None, "calls": None, "seconds": 0.0,
                       "where": f"needs Python {since[0]}.{since[1]}+ with hypothesis; none found"}
            else:
                row = measure_in_child(name, python, arguments.examples)
        elif name in isolate:  # can crash this interpreter: each driver in a child, a crash is a verdict
            row = measure_in_child(name, sys.executable, arguments.examples, isolate=True)
        else:
            row = measure_in_process(factory, arguments.examples, arguments.kind)
        row.update(name=name, bug=bug)
        rows.append(row)
        first = row["first_failure_seconds"]
        print(f"{name:<24} {'detected' if row['detected'] else 'MISSED' if row['detected'] is False else 'n/a':<9}"
              f" first failure {first if first is None else round(first, 3)!s:>6} s"
              f"  shortest {row['calls'] if row['calls'] is not None else '-'!s:>2} calls"
              f"  check {row['seconds']:5.1f} s  ({row['where']})", flush=True)
    measured = [r for r in rows if r["detected"] is not None]
    detected = [r for r in measured if r["detected"]]
    times = [r["first_failure_seconds"] for r in detected if r["first_failure_seconds"] is not None]
    lengths = [r["calls"] for r in detected if r["calls"] is not None]
    median = statistics.median(times) if times else float("nan")
    print(f"\ndetected {len(detected)}/{len(measured)} broken {arguments.kind}s"
          + (f" ({len(rows) - len(measured)} not measurable here)" if len(measured) < len(rows) else ""))
    print(f"median seconds to the first failure: {median:.3f} (target < 2); max {max(times, default=0):.3f}; "
          f"ratio to the baseline's full check: {median / baseline['seconds']:.3f}")
    print(f"shortest failing sequences: {sum(1 for n in lengths if n <= 3)}/{len(lengths)} of at most 3 calls "
          f"(lengths {sorted(lengths)})")
    if arguments.json:
        Path(arguments.json).write_text(json.dumps({"baseline": baseline, "wrappers": rows}, indent=2) + "\n")
    return 0 if len(detected) == len(measured) and not baseline["detected"] and passing else 1


PASS_THROUGH = ("examples.decorators:logged", "examples.decorators:plain")  # `return await fn(...)`, +/- wraps


def pass_through_decorators(examples) -> bool:
    """The ordinary `async def` decorators must conform (to their baseline, a coroutine that awaits the body):
    a detector that also flags them is useless. Checked in process, every driver."""
    verdicts = {spec: check("decorator", spec, CheckOptions(examples=examples, depth=DEFAULT_DEPTH))
                for spec in PASS_THROUGH}
    for spec, result in verdicts.items():
        print(f"pass-through decorator {spec}: {'conforms' if result.conforms else 'DEVIATES (a false positive!)'}"
              f" (baseline: {result.subject.baseline_text})")
    return all(result.conforms for result in verdicts.values())


if __name__ == "__main__":
    sys.exit(main())
