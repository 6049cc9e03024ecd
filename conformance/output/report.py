"""Run reports: JSON (the format every other tool reads), JUnit XML, and the summary table."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from conformance import __version__
from conformance.engine.results import DriverResults, TransitionResult, sequence_length
from conformance.errors import ReportError
from conformance.protocol.model import Model, model_digest
from conformance.protocol.observation import (
    CONFORMS,
    DEVIATES,
    MESSAGE_ONLY,
    NOT_OBSERVABLE,
)
from conformance.protocol.steps import Step
from conformance.protocol.verdicts import fails, severity
from conformance.subject.shape import interpreter_shape

REPORT_FORMAT = "coroutine-conformance-report/1"




def interpreter_info() -> dict:
    return {"implementation": platform.python_implementation(), "version": platform.python_version(),
            "executable": sys.executable, "shape": interpreter_shape()}


def build_report(results: list[DriverResults], models: dict[str, Model], options, partial=False,
                 interpreter=None, probes=None) -> dict:
    drivers = []
    for result in results:
        transitions = []
        for transition_id in result.exercisable:
            found = result.transitions.get(transition_id, TransitionResult())
            transitions.append({"id": transition_id, "count": found.count,
                                "verdict": found.verdict if found.count else "unexercised",
                                "expected": found.expected, "observed": found.observed})
            if found.count and found.verdict != CONFORMS:
                transitions[-1]["differs_in"] = found.differs_in
            if transition_id in result.blocked:  # planned, but its sequences deviated before reaching it
                transitions[-1]["blocked"] = True
        drivers.append({
            "driver": result.driver, "route": result.route, "model": result.model,
            "description": result.description, "profile": result.version, "examples": result.examples,
            "steps": result.steps, "seconds": round(result.seconds, 3), "error": result.error,
            "depth": result.depth or None,
            "not_applicable": result.not_applicable, "subject_output": result.output,
            "coverage": {"covered": len(result.covered), "exercisable": len(result.exercisable),
                         "blocked": len(result.blocked)},
            "counts": verdict_summary(transitions),
            "transitions": transitions, "unexercisable": result.unexercisable, "failures": result.failures,
            "verdict": driver_verdict(result, options.strict_messages),
        })
    report = {
        "format": REPORT_FORMAT, "tool_version": __version__, "partial": partial,
        "interpreter": interpreter or interpreter_info(),
        "profile": "%d.%d" % tuple(options.version), "strict_messages": options.strict_messages,
        "seed": options.seed, "examples": options.examples, "depth": getattr(options, "depth", 0),
        "origin_tracking": getattr(options, "origin_tracking", 0),
        "models": {name: {"path": str(model.path), "digest": model_digest(model)} for name, model in models.items()},
        "drivers": drivers,
        "verdict": DEVIATES if any(d["verdict"] not in (CONFORMS, NOT_APPLICABLE) for d in drivers) else CONFORMS,
    }
    if probes is not None:
        report["probes"] = probe_section(probes, options.strict_messages)
        if report["probes"]["verdict"] == DEVIATES:
            report["verdict"] = DEVIATES
    return report


def probe_section(probes, strict_messages: bool) -> dict:
    """The report's `probes`: every probe's verdict (engine.probing.ProbeResult, or the dicts a child's report
    holds, or {"not_applicable": why}), counted as the drivers' transitions are."""
    if isinstance(probes, dict):  # not applicable to this object (it needs a running event loop, say)
        return {"results": [], "counts": verdict_summary([]), "coverage": {"run": 0, "applicable": 0},
                "verdict": NOT_APPLICABLE, "not_applicable": probes.get("not_applicable")}
    results = [p if isinstance(p, dict) else p.to_json() for p in probes]
    counted = [{"count": 1, "verdict": r["verdict"]} for r in results]
    failing = any(fails(r["verdict"], strict_messages) for r in results)
    return {"results": results, "counts": verdict_summary(counted),
            "coverage": {"run": sum(1 for r in results if r["verdict"] != NOT_OBSERVABLE), "applicable": len(results)},
            "verdict": DEVIATES if failing else CONFORMS}


NOT_APPLICABLE = "not applicable"


def driver_verdict(result: DriverResults, strict_messages: bool) -> str:
    if result.not_applicable:
        return NOT_APPLICABLE
    if result.error:
        return "error"
    verdicts = {r.verdict for r in result.transitions.values()}
    if result.failures or any(fails(verdict, strict_messages) for verdict in verdicts):
        return DEVIATES
    return CONFORMS


def write_json(report: dict, path: str | os.PathLike) -> None:
    """Write atomically, so an interrupted run never leaves half a file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
            json.dump(report, handle, indent=2)
            handle.write("\n")
        os.replace(handle.name, path)
    except OSError as error:
        raise ReportError(f"{path}: cannot write the report ({error.strerror or error}); "
                          "choose a path in a folder you can write to") from None


def read_json(path: str | os.PathLike) -> dict:
    """Read a report, checking that it is one of ours."""
    try:
        with open(path) as handle:
            report = json.load(handle)
    except FileNotFoundError:
        raise ReportError(f"{path}: no such report file") from None
    except OSError as error:  # a folder, no permission, ...
        raise ReportError(f"{path}: cannot read it as a report ({error.strerror or error}); give a report file "
                          f"(--report FILE of run or check)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: not a JSON report ({error})") from None
    if not isinstance(report, dict) or report.get("format") != REPORT_FORMAT:
        found = report.get("format") if isinstance(report, dict) else type(report).__name__
        raise ReportError(f"{path}: expected a report in format {REPORT_FORMAT!r}, found {found!r}; "
                          "make one with `coroconf run --report FILE`")
    return report


def write_junit(report: dict, path: str | os.PathLike) -> None:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<testsuites>"]
    for driver in report["drivers"]:
        cases = driver["transitions"]
        failures = sum(1 for c in cases if fails(c["verdict"], report["strict_messages"]))
        lines.append(f'  <testsuite name={quoteattr("coroconf." + driver["driver"])} tests="{len(cases)}" '
                     f'failures="{failures}" errors="{1 if driver["error"] else 0}" time="{driver["seconds"]}">')
        if driver["error"]:
            lines.append(f'    <testcase name="driver"><error message={quoteattr(driver["error"])}/></testcase>')
        for case in cases:
            lines.append(f'    <testcase classname={quoteattr(driver["model"] + "." + driver["driver"])} '
                         f'name={quoteattr(case["id"])}>')
            if case["verdict"] == "unexercised" or severity(case["verdict"]) >= severity(MESSAGE_ONLY):
                kind = "failure" if fails(case["verdict"], report["strict_messages"]) else "skipped"
                text = f'{case["verdict"]}: expected {case["expected"]}, observed {case["observed"]}'
                detail = "\n\n".join(f["text"] for f in driver["failures"] if case["id"] in f["transitions"])
                lines.append(f'      <{kind} message={quoteattr(text)}>{escape(detail)}</{kind}>')
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    try:
        Path(path).write_text("\n".join(lines) + "\n")
    except OSError as error:
        raise ReportError(f"{path}: cannot write the JUnit report ({error.strerror or error}); "
                          "choose a path in a folder you can write to") from None


FULL_FAILURES = 3  # failures printed in full; every other violated transition gets one line


def numbered_failures(report: dict) -> list[tuple[str, dict]]:
    """Every failure of a report as (driver, failure), shortest call sequence first: failure K of
    `coroconf replay --failure K` is the K-th of this list."""
    failures = [(driver["driver"], f) for driver in report["drivers"] for f in driver.get("failures", [])]
    return sorted(failures, key=lambda item: sequence_length(item[1]["steps"]))


def findings_text(report: dict, full: int = FULL_FAILURES) -> str:
    """What a run found, for the terminal: the shortest failures in full, then every violated transition of
    every driver, numbered, with the length and calls of its shortest sequence, then drivers that could not
    run."""
    failures = numbered_failures(report)
    parts = [failure["text"] for _, failure in failures[:full]]
    if failures:
        lines = ["Violated transitions, each with its shortest call sequence (replay one with "
                 "`coroconf replay REPORT --failure K`):"]
        for number, (driver, failure) in enumerate(failures, 1):
            length = sequence_length(failure["steps"])
            calls = "; ".join(Step.from_json(step).brief() for step in failure["steps"])
            lines.append(f"  {number:>2}. {driver:<10} {', '.join(failure['transitions'])}  ({length} call"
                         f"{'s' if length != 1 else ''}): {calls}")
        parts.append("\n".join(lines))
    parts += probe_findings(report)
    for driver in report["drivers"]:
        if driver.get("not_applicable"):
            parts.append(f"The {driver['driver']!r} driver is not applicable: {driver['not_applicable']}")
        elif driver.get("error"):
            parts.append(f"The {driver['driver']!r} driver could not run: {driver['error']}")
    return "\n\n".join(parts)


def probe_findings(report: dict) -> list[str]:
    """Each probe that did not conform, as a short paragraph (they are single checks: no call sequence)."""
    section = report.get("probes") or {}
    found = []
    for result in section.get("results", []):
        if result["verdict"] in (CONFORMS, NOT_OBSERVABLE):
            continue
        found.append(f"Probe {result['id']} {result['verdict']} ({result['does']}; conformance/subject/probes.py:"
                     f"{result['function']}).\nExpected: {result['expected']}\nObserved: {result['observed']}")
    if section.get("not_applicable"):
        found.append(f"The probes are not applicable: {section['not_applicable']}")
    return found


def probe_summary(report: dict) -> str | None:
    """One line counting the probes' verdicts, or None when the run had none."""
    section = report.get("probes")
    if not section or not section.get("results"):
        return None
    counts = ", ".join(f"{n} {word}" for word, n in section["counts"].items() if n)
    return (f"probes: {section['coverage']['run']}/{section['coverage']['applicable']} observed ({counts}); "
            f"verdict {section['verdict']}")


GIL_STATES = {True: "GIL enabled", False: "GIL disabled", None: "GIL state unknown"}


def shape_text(shape) -> str | None:
    """What else shapes the interpreter (a report's interpreter.shape, from conformance/subject/shape.py), in
    words, or None when nothing does: no JIT, a build with the GIL, not a debug build."""
    if not isinstance(shape, dict):
        return None
    parts = []
    if shape.get("jit"):
        parts.append("JIT " + ", ".join(shape["jit"]))
    if shape.get("free_threaded_build"):
        parts.append("free-threaded build, " + GIL_STATES.get(shape.get("gil_enabled"), "GIL state unknown"))
    elif shape.get("gil_enabled") is False:
        parts.append("GIL disabled")
    if shape.get("debug_build"):
        parts.append("debug build")
    return "; ".join(parts) or None


def output_summary(report: dict) -> str | None:
    """One line counting what the subject printed and logged during the run (kept in the report), if any."""
    counts = {"stdout": 0, "stderr": 0, "log": 0}
    for driver in report["drivers"]:
        for stream, lines in (driver.get("subject_output") or {}).items():
            counts[stream] = counts.get(stream, 0) + lines["count"]
    if not any(counts.values()):
        return None
    return (f"subject output: {counts['stdout']} lines on stdout, {counts['stderr']} on stderr, {counts['log']} "
            f"log records (kept in the report's drivers[].subject_output, not shown here)")


SUMMARY_COUNTS = ("conforming", "deviating", "message-only", "not observable", "crash", "hang",
                  "blocked by deviation")  # the per-driver counts of transitions, in the summary's order


def verdict_summary(transitions: list[dict]) -> dict[str, int]:
    """How many of a driver's reachable transitions got each verdict, and how many were never exercised
    because the sequences meant to reach them deviated first ("blocked by deviation"; the aim is zero)."""
    words = {CONFORMS: "conforming", DEVIATES: "deviating", MESSAGE_ONLY: "message-only",
             NOT_OBSERVABLE: "not observable", "crash": "crash", "hang": "hang"}
    counts = dict.fromkeys(SUMMARY_COUNTS, 0)
    for case in transitions:
        if case["count"] and case["verdict"] in words:
            counts[words[case["verdict"]]] += 1
        elif not case["count"] and case.get("blocked"):
            counts["blocked by deviation"] += 1
    return counts


def summary_table(report: dict) -> str:
    """The closing table of `coroconf run`: one row per driver, its transitions counted by verdict."""
    header = ("driver", "model", "covered") + SUMMARY_COUNTS + ("depth", "examples", "steps", "seconds", "verdict")
    rows = [header]
    for driver in report["drivers"]:
        counts = verdict_summary(driver["transitions"])
        coverage = driver["coverage"]
        share = 100.0 * coverage["covered"] / coverage["exercisable"] if coverage["exercisable"] else 0.0
        rows.append((driver["driver"], driver["model"],
                     f'{coverage["covered"]}/{coverage["exercisable"]} ({share:.0f}%)',
                     *(str(counts[word]) for word in SUMMARY_COUNTS), depth_text(driver.get("depth")),
                     str(driver["examples"]), str(driver["steps"]),
                     f'{driver["seconds"]:.1f}', driver["error"] and "error" or driver["verdict"]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    probes = probe_summary(report)
    return "\n".join(lines + ([probes] if probes else []))


def depth_text(depth: dict | None) -> str:
    """The summary's depth cell: the depth every sequence up to which was checked, and how many sequences
    that took ("3 (3594 seq)"); the depth asked for too, when the run stopped short of it; "-" for none."""
    if not depth:
        return "-"
    reached = "none" if depth["reached"] is None else str(depth["reached"])
    if depth["reached"] != depth["requested"]:
        reached += f' of {depth["requested"]}'
    return f'{reached} ({depth["sequences"]} seq)'
