"""`coroconf check --isolate`: each driver's check runs in a child process, so a user's object that crashes
the interpreter (or hangs, or patches `inspect` for the whole process) becomes a verdict on the transition
that caused it, and the other drivers still run.

The child is `coroconf check` itself, without --isolate, for one driver. It journals every step before
making it (one JSON line, flushed); the parent reads only that journal and the child's JSON report, both as
plain JSON checked field by field, never evaluated. When the child dies or stops making progress, the last
journaled call sequence is replayed through the oracle to name the step and its transitions.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .model import load_model
from .observation import CRASH, HANG
from .oracle import Oracle
from .results import DriverResults, TransitionResult
from .steps import Plan, Reentry, Step

JOURNAL_VARIABLE = "COROCONF_JOURNAL"


# -- the child's side -------------------------------------------------------------------------------

class JournalingDriver:
    """Wraps a driver; writes each begin and each step to the journal before the subject sees it."""

    def __init__(self, driver, path: str):
        self._driver = driver
        self._journal = open(path, "a", buffering=1)

    def __getattr__(self, name):
        return getattr(self._driver, name)

    def begin(self) -> None:
        self._journal.write('{"begin": true}\n')
        self._journal.flush()
        self._driver.begin()

    def end(self) -> None:
        self._journal.write('{"end": true}\n')
        self._journal.flush()
        self._driver.end()

    def perform(self, step: Step):
        self._journal.write(json.dumps({"step": step.to_json()}) + "\n")
        self._journal.flush()
        return self._driver.perform(step)


def journaled(driver):
    path = os.environ.get(JOURNAL_VARIABLE)
    return JournalingDriver(driver, path) if path else driver


# -- the parent's side ------------------------------------------------------------------------------

def child_command(arguments, driver: str, report_path: Path) -> list[str]:
    command = [sys.executable, "-m", "conformance", "check", arguments.target, "--kind", arguments.kind,
               "--driver", driver, "--report", str(report_path), "--quiet",
               "--messages", arguments.messages, "--timeout", str(arguments.timeout)]
    for flag, value in (("--examples", arguments.examples), ("--seed", arguments.seed)):
        if value is not None:
            command += [flag, str(value)]
    if arguments.profile:
        command += ["--profile", "%d.%d" % arguments.profile]
    if arguments.require_introspection:
        command.append("--require-introspection")
    return command


def check_isolated(arguments, options) -> int:
    """Run each driver in its own child; merge the reports; a dead or stuck child is a crash or hang verdict."""
    from .report import summary_table

    drivers = list(options.drivers) if arguments.kind != "awaitable" else ["direct"]
    merged, exit_codes, stall = None, [], max(10.0, arguments.timeout * 3)
    say = (lambda text: None) if arguments.quiet else (
        lambda text: print(f"[coroconf] {text}", file=sys.stderr, flush=True))
    for driver in drivers:
        with tempfile.TemporaryDirectory(prefix="coroconf-isolate-") as directory:
            journal, report_path = Path(directory) / "journal.jsonl", Path(directory) / "report.json"
            journal.touch()
            environment = dict(os.environ, **{JOURNAL_VARIABLE: str(journal)})
            environment["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), environment.get("PYTHONPATH")]))
            say(f"{driver}: checking in a child process")
            status, output = run_child(child_command(arguments, driver, report_path), environment, journal, stall)
            if status in (0, 1) and report_path.exists():
                report = read_child_report(report_path)
            elif status == 2:
                print(output.strip().splitlines()[-1] if output.strip() else "the child refused the input",
                      file=sys.stderr)
                return 2
            else:
                report = lost_child_report(arguments, options, driver, journal, status, output)
            exit_codes.append(1 if report["verdict"] != "conforms" else 0)
            if merged is None:
                merged = report
            else:
                merged["drivers"] += report.get("drivers", [])
                merged.setdefault("findings", []).extend(report.get("findings", []))
                if report["verdict"] != "conforms":
                    merged["verdict"] = report["verdict"]
    if arguments.report:
        from .report import write_json

        write_json(merged, arguments.report)
    for entry in merged["drivers"]:
        for failure in entry.get("failures", [])[:1]:
            print(f"\n{failure['text']}\n")
        if entry.get("error"):
            print(f"\nThe {entry['driver']!r} driver could not run: {entry['error']}\n")
    if merged["drivers"]:
        print(summary_table(merged))
    for finding in merged.get("findings", []):
        print(f"  {finding['verdict']:<14} {finding['check']}")
        if finding["verdict"] != "conforms":
            print(finding["text"])
    subject = f"{arguments.target} ({arguments.kind}, isolated)"
    if merged["verdict"] != "conforms":
        print(f"verdict: {subject} DEVIATES from the coroutine model (see above)")
        return 1
    print(f"verdict: {subject} conforms to the coroutine model")
    return 0


def run_child(command, environment, journal: Path, stall: float):
    """(exit status or None for a stall, combined output). A child whose journal stops growing is stuck."""
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=environment,
                                 start_new_session=True)
        size, last_progress = -1, time.monotonic()
        while child.poll() is None:
            time.sleep(0.1)
            current = journal.stat().st_size
            if current != size:
                size, last_progress = current, time.monotonic()
            elif time.monotonic() - last_progress > stall:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                output.seek(0)
                return None, output.read().decode(errors="replace")
        output.seek(0)
        return child.returncode, output.read().decode(errors="replace")


def read_child_report(path: Path) -> dict:
    data = json.loads(path.read_text())
    if not isinstance(data, dict) or not isinstance(data.get("drivers"), list) or "verdict" not in data:
        raise ValueError(f"the child's report {path} is not a check report")
    return data


def last_sequence(journal: Path) -> tuple[list[Step], bool]:
    """The steps of the last subject the child began, parsed from plain JSON lines, and whether the suite
    was already releasing that subject (closing it after the sequence) when the child was lost."""
    steps: list[Step] = []
    releasing = False
    for line in journal.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by the crash
        if not isinstance(entry, dict):
            continue
        if entry.get("begin"):
            steps, releasing = [], False
        elif entry.get("end"):
            releasing = True
        elif isinstance(entry.get("step"), dict):
            steps.append(step_from_json(entry["step"]))
    return steps, releasing


def step_from_json(data: dict) -> Step:
    plan = data.get("plan")
    if isinstance(plan, dict):
        reentries = tuple(Reentry(str(r[0]), str(r[1]), r[2]) for r in plan.get("reenter", ()))
        plan = Plan(str(plan.get("reaction")), plan.get("value"), reentries)
    else:
        plan = None
    return Step(str(data.get("call")), str(data.get("argument")), data.get("payload"), plan)


def lost_child_report(arguments, options, driver_name, journal, status, output) -> dict:
    """A report for a driver whose child died (crash) or stopped making progress (hang)."""
    from .drivers import DRIVERS
    from .report import build_report
    from .targets import describe_status

    model = load_model("coroutine")
    driver_class = DRIVERS[driver_name]
    verdict = HANG if status is None else CRASH
    what = "stopped making progress" if status is None else f"died ({describe_status(status)})"
    results = DriverResults(driver_name, driver_class.route, model.name, "%d.%d" % options.version,
                            driver_class.description)
    steps, releasing = last_sequence(journal)
    oracle, state, lines, transitions = Oracle(model, options.version, driver_class.route), model.initial, [], []
    for number, step in enumerate(steps, 1):
        try:
            prediction = oracle.predict(state, step)
        except LookupError:
            break
        mark = "  <-- here" if number == len(steps) and not releasing else ""
        lines.append(f"  {number}. {step.describe():<38} [{state} -> {prediction.next_state}]{mark}")
        if step.plan is not None:
            lines.append(f"       body: {step.plan.describe()}")
        transitions, state = prediction.transitions, prediction.next_state
    for transition_id in transitions:
        results.transitions[transition_id] = TransitionResult(1, verdict, f"the child process {what}", None)
    tail = "\n".join(output.strip().splitlines()[-6:])
    text = (f"The {driver_name!r} driver's child process {what} on this call sequence (a {verdict} verdict):\n"
            + "\n".join(lines or ["  (before the first call)"])
            + ("\n  then the suite released the subject (close(), dropping it)  <-- here" if releasing else "")
            + (f"\nLast output of the child:\n{tail}" if tail else ""))
    results.failures.append({"source": "isolation", "text": text, "transitions": transitions,
                             "steps": [s.to_json() for s in steps]})
    results.exercisable = list(transitions)
    return build_report([results], {"coroutine": model}, options)
