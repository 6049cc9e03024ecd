"""`coroconf check --isolate`: each driver's check runs in a child process, so a user's object that crashes
the interpreter (or hangs, or patches `inspect` for the whole process) becomes a verdict on the transition
that caused it, and the other drivers still run.

The child is `coroconf check` itself, without --isolate, for one driver. It journals every step before
making it (one JSON line, flushed); the parent reads only that journal and the child's JSON report, both as
plain JSON checked field by field, never evaluated. When the child dies or stops making progress, the last
journaled call sequence is replayed through the oracle to name the step and its transitions.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance.checking.subjects import KIND_MODELS, drivers_for
from conformance.drivers import DRIVERS
from conformance.engine.results import DriverResults, TransitionResult, merge_differs_in
from conformance.errors import SubjectError
from conformance.output.report import build_report, probe_section, verdict_summary, write_json
from conformance.protocol.model import load_model, probe_outcome_text
from conformance.protocol.observation import CRASH, HANG
from conformance.protocol.oracle import Oracle
from conformance.protocol.steps import Step, avoidance_key, sequence_lines
from conformance.protocol.verdicts import severity
from conformance.remote.targets import describe_status

JOURNAL_VARIABLE = "COROCONF_JOURNAL"


# -- the child's side -------------------------------------------------------------------------------

class JournalingDriver:
    """Wraps a driver; writes each begin and each step to the journal before the subject sees it."""

    def __init__(self, driver, path: str):
        self._driver = driver
        self._journal = open(path, "a", buffering=1)
        self._journal.write(json.dumps({"route": driver.route}) + "\n")  # the rows that predict its steps
        self._journal.flush()

    def __getattr__(self, name):
        return getattr(self._driver, name)

    def begin(self) -> None:
        self._journal.write('{"begin": true}\n')
        self._journal.flush()
        self._driver.begin()
        if getattr(self._driver, "script", None) is not None:
            self._driver.script.before_reentry = self.reentry

    def reentry(self, call: str, argument: str) -> None:
        self._journal.write(json.dumps({"reentry": [call, argument]}) + "\n")
        self._journal.flush()

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


def probe_journal():
    """In a child: a callback that journals each probe before it runs (None outside a child)."""
    path = os.environ.get(JOURNAL_VARIABLE)
    if not path:
        return None

    def before(probe_id: str) -> None:
        with open(path, "a") as journal:
            journal.write(json.dumps({"probe": probe_id}) + "\n")

    return before


# -- the parent's side ------------------------------------------------------------------------------

MAX_CRASHES = 8  # children a driver may lose before its check stops; each later child avoids the crashes


def child_command(target: str, kind: str, options, driver: str | None, report_path: Path,
                  avoid_path: Path) -> list[str]:
    """`coroconf check` for one driver (None: for the probes alone), in process, with the parent's options (its
    seed and profile too)."""
    which = ["--driver", driver, "--probes", "no"] if driver else ["--probes", "only"]
    command = [sys.executable, "-m", "conformance", "check", target, "--kind", kind,
               *which, "--report", str(report_path), "--quiet", "--in-process",
               "--messages", "strict" if options.strict_messages else "lenient", "--timeout", str(options.timeout),
               "--seed", str(options.seed), "--baseline", options.baseline, "--avoid", str(avoid_path),
               "--profile", "%d.%d" % tuple(options.version), "--depth", str(options.depth)]
    if options.examples is not None:
        command += ["--examples", str(options.examples)]
    if options.require_observable:
        command.append("--require-introspection")
    if options.origin_tracking:
        command += ["--origin-tracking", str(options.origin_tracking)]
    return command


def check_isolated(target: str, kind: str, options, report_path=None, progress=None) -> dict:
    """Run each driver in its own child; merge the reports; a dead or stuck child is a crash or hang verdict,
    and the driver goes on in a new child that avoids the step that killed the last one. The merged report
    is rewritten at `report_path` as drivers finish. SubjectError if a child refused the input."""
    drivers = drivers_for(kind, options) if kind != "awaitable" else ["direct"]
    merged = None
    say = progress or (lambda text: None)
    for driver in drivers:
        say(f"{driver}: checking in a child process")
        reports = driver_in_children(target, kind, options, driver, say)
        report = merge_attempts(reports)
        if merged is None:
            merged = report
        else:
            merged["subject"] = merged.get("subject") or report.get("subject")
            merged["drivers"] += report.get("drivers", [])
            merged.setdefault("findings", []).extend(report.get("findings", []))
            if report["verdict"] != "conforms":
                merged["verdict"] = report["verdict"]
        if report_path:
            write_json(merged, report_path)  # what is known so far survives a later interruption
    if kind != "awaitable" and options.probes and merged is not None and load_model(KIND_MODELS[kind]).probes:
        say("probes: checking in a child process")
        merged["probes"] = probes_in_children(target, kind, options)
        if merged["probes"]["verdict"] == "deviates":
            merged["verdict"] = "deviates"
        if report_path:
            write_json(merged, report_path)
    return merged


def probes_in_children(target: str, kind: str, options) -> dict:
    """The probes that take the object under test, in a child of their own; a probe that kills the child is
    a crash (or hang) verdict, and a new child goes on without it."""
    lost: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="coroconf-probes-") as directory:
        journal, report_path = Path(directory) / "journal.jsonl", Path(directory) / "report.json"
        avoid_path = Path(directory) / "avoid.json"
        environment = dict(os.environ, **{JOURNAL_VARIABLE: str(journal)})
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), environment.get("PYTHONPATH")]))
        for _ in range(MAX_CRASHES + 1):
            journal.write_text("")
            avoid_path.write_text(json.dumps([["probe", entry["id"]] for entry in lost]))
            command = child_command(target, kind, options, None, report_path, avoid_path)
            status, output = run_child(command, environment, journal, max(10.0, options.timeout * 3))
            if status in (0, 1) and report_path.exists():
                section = read_child_report(report_path).get("probes") or {}
                results = lost + section.get("results", [])
                return section if section.get("not_applicable") else probe_section(results, options.strict_messages)
            if status == 2:
                raise SubjectError((output.strip().splitlines() or ["the child refused the input"])[-1])
            named = [json.loads(line)["probe"] for line in journal.read_text().splitlines() if '"probe"' in line]
            if not named or named[-1] in {entry["id"] for entry in lost}:
                break
            lost.append(lost_probe(named[-1], status, output))
    return probe_section(lost, options.strict_messages)


def lost_probe(probe_id: str, status, output: str) -> dict:
    """The verdict of a probe whose child died (crash) or stopped making progress (hang)."""
    model = load_model("coroutine")
    probe = next(p for p in model.probes if p.id == probe_id)
    what = "stopped making progress" if status is None else f"died ({describe_status(status)})"
    tail = " | ".join(output.strip().splitlines()[-3:])
    return {"id": probe.id, "function": probe.function, "does": probe.does, "takes_subject": probe.takes_subject,
            "versions": probe.versions_text(), "verdict": HANG if status is None else CRASH,
            "expected": probe_outcome_text(model, probe),
            "observed": f"the child process {what}" + (f"; it printed: {tail}" if tail else "")}


def driver_in_children(target: str, kind: str, options, driver: str, say) -> list[dict]:
    """The reports of the children that checked one driver: the last one complete, the others lost (crash or
    hang verdicts). SubjectError when a child refused the input."""
    reports, avoid, stall = [], [], max(10.0, options.timeout * 3)
    with tempfile.TemporaryDirectory(prefix="coroconf-isolate-") as directory:
        journal, report_path = Path(directory) / "journal.jsonl", Path(directory) / "report.json"
        avoid_path = Path(directory) / "avoid.json"
        environment = dict(os.environ, **{JOURNAL_VARIABLE: str(journal)})
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), environment.get("PYTHONPATH")]))
        while True:
            journal.write_text("")
            avoid_path.write_text(json.dumps(avoid))
            command = child_command(target, kind, options, driver, report_path, avoid_path)
            status, output = run_child(command, environment, journal, stall)
            if status in (0, 1) and report_path.exists():
                return reports + [read_child_report(report_path)]
            if status == 2:
                said = output.strip().splitlines()[-1] if output.strip() else "the child refused the input"
                raise SubjectError(said.split(": error: ", 1)[-1])
            lost = lost_child_report(options, driver, journal, status, output)
            reports.append(lost)
            # Avoid the call and the re-entrant calls that were being made, whatever the body did after them.
            failure = lost["drivers"][0]["failures"][0]
            transitions = failure["transitions"] if failure.get("reentry") else avoidance_key(failure["transitions"])
            if len(reports) > MAX_CRASHES or not transitions or transitions in avoid:
                lost["drivers"][0]["error"] = (f"stopped after {len(reports)} lost child processes; "
                                               f"the transitions not exercised by then are unchecked")
                return reports
            avoid.append(transitions)
            say(f"{driver}: the child was lost ({lost['drivers'][0]['transitions'][0]['verdict']}); "
                f"going on in a new child that avoids that step")


def merge_attempts(reports: list[dict]) -> dict:
    """One report for one driver checked by several children: transitions counted over all of them, each
    with its worst verdict; every failure kept; coverage over what any child exercised."""
    merged = copy.deepcopy(reports[-1])
    if len(reports) == 1 or not merged["drivers"]:
        return merged
    entry = merged["drivers"][0]
    cases = {case["id"]: case for case in entry["transitions"]}
    for report in reports[:-1]:
        lost = report["drivers"][0]
        entry["failures"] = lost["failures"] + entry["failures"]
        entry["examples"] += lost["examples"]
        entry["steps"] += lost["steps"]
        entry["error"] = entry["error"] or lost["error"]
        for case in lost["transitions"]:
            mine = cases.setdefault(case["id"], dict(case, count=0, verdict="unexercised"))
            mine["count"] += case["count"]
            if severity(case["verdict"]) > severity(mine["verdict"]):
                mine.update(verdict=case["verdict"], expected=case["expected"], observed=case["observed"])
            if case.get("differs_in"):
                merge_differs_in(mine.setdefault("differs_in", {}), case["differs_in"])
    entry["transitions"] = list(cases.values())
    entry["coverage"] = {"covered": sum(1 for case in cases.values() if case["count"]),
                         "exercisable": len(cases),
                         "blocked": sum(1 for case in cases.values() if case.get("blocked") and not case["count"])}
    entry["counts"] = verdict_summary(entry["transitions"])
    entry["verdict"] = merged["verdict"] = "deviates"
    return merged


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


def last_sequence(journal: Path) -> tuple[list[Step], bool, str | None, int]:
    """The steps of the last subject the child began, parsed from plain JSON lines, whether the suite
    was already releasing that subject (closing it after the sequence) when the child was lost, the
    model route the child's driver predicted with, and how many re-entrant calls the last step's body had
    begun (the last of them was under way)."""
    steps: list[Step] = []
    releasing, route, reentries = False, None, 0
    for line in journal.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by the crash
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("route"), str):
            route = entry["route"]
        elif entry.get("begin"):
            steps, releasing = [], False
        elif entry.get("end"):
            releasing = True
        elif isinstance(entry.get("step"), dict):
            steps.append(Step.from_json(entry["step"]))
            reentries = 0
        elif entry.get("reentry"):
            reentries += 1
    return steps, releasing, route, reentries


def lost_child_report(options, driver_name, journal, status, output) -> dict:
    """A report for a driver whose child died (crash) or stopped making progress (hang)."""

    driver_class = DRIVERS[driver_name]
    model = load_model(driver_class.model_name)
    verdict = HANG if status is None else CRASH
    what = "stopped making progress" if status is None else f"died ({describe_status(status)})"
    steps, releasing, route, reentries = last_sequence(journal)
    route = route if route and all(part in model.routes for part in route.split("+")) else driver_class.route
    results = DriverResults(driver_name, route, model.name, "%d.%d" % options.version, driver_class.description)
    oracle, state, entries, transitions = Oracle(model, options.version, route), model.initial, [], []
    for step in steps:
        try:
            prediction = oracle.predict(state, step)
        except LookupError:
            break
        entries.append((step, state, prediction.next_state, True))
        transitions, state = prediction.transitions, prediction.next_state
    lines = sequence_lines(entries, None if releasing else len(entries) - 1)
    if reentries and not releasing and 0 < reentries < len(transitions):
        lines.append(f"       (lost during the body's re-entrant call number {reentries})")
        transitions = [transitions[reentries]]  # the re-entrant call under way: rows follow the call's row
    for transition_id in transitions:
        results.transitions[transition_id] = TransitionResult(1, verdict, f"the child process {what}", None)
    tail = "\n".join(output.strip().splitlines()[-6:])
    text = (f"The {driver_name!r} driver's child process {what} on this call sequence (a {verdict} verdict):\n"
            + "\n".join(lines or ["  (before the first call)"])
            + ("\n  then the suite released the subject (close(), dropping it)  <-- here" if releasing else "")
            + (f"\nLast output of the child:\n{tail}" if tail else ""))
    results.failures.append({"source": "isolation", "text": text, "transitions": transitions,
                             "steps": [s.to_json() for s in steps], "reentry": bool(reentries and not releasing)})
    results.exercisable = list(transitions)
    return build_report([results], {model.name: model}, options)
