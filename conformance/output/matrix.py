"""`coroconf matrix`: run the suite on every interpreter found, and tabulate the verdicts.

Each target runs as its own `coroconf run --interpreter` child process (two at a time on two cores), which
rewrites its JSON report after every driver; the matrix is built only from those report files, so an
interrupted matrix still shows everything that had arrived, and says it is partial. Columns are
interpreters and compiled subjects (`coroconf run --subject cython|nuitka|mypyc`, which build body.py for this
Python), rows are the model's transitions grouped by state and call.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conformance import PACKAGE_DIR
from conformance.drivers import DRIVERS
from conformance.engine.results import merge_differs_in
from conformance.output.diagrams import (
    divergence_diagram,
    report_facts,
    report_model,
    write_diagram,
)
from conformance.output.report import ReportError, read_json, shape_text, write_json
from conformance.protocol.model import load_model, outcome_text, probe_outcome_text, trigger_columns
from conformance.protocol.observation import CONFORMS, SEVERITY
from conformance.protocol.verdicts import severity
from conformance.remote.targets import (
    TargetSpec,
)

MATRIX_FORMAT = "coroutine-conformance-matrix/1"
NOT_RUN = "not-run"  # the transition is not in this interpreter's table, or no driver could reach it
UNAVAILABLE = "unavailable"  # no driver of this model could run on the interpreter
SYMBOLS = {CONFORMS: "✓ conforms", "not-observable": "· not observable", "message-only": "≈ message-only",
           "deviates": "✗ deviates", "hang": "✗ hang", "crash": "✗ crash", NOT_RUN: "–", UNAVAILABLE: "unavailable"}


# -- running ---------------------------------------------------------------------------------------

def run_matrix(targets: list[TargetSpec], out: Path, examples: int, seed: int, jobs: int, call_timeout: float,
               say=print, origin_tracking: int = 0) -> dict:
    """Run every target (at most `jobs` at once), then build and write the matrix; returns it. Under
    `origin_tracking` > 0 every target makes its subjects as asyncio's debug mode does (see `coroconf run`)."""
    options = ["--examples", str(examples), "--seed", str(seed), "--call-timeout", str(call_timeout)]
    options += ["--origin-tracking", str(origin_tracking)] if origin_tracking else []
    runs = MatrixRuns(targets, out, options, say)
    interrupted = runs.run_all(jobs)
    matrix = build_matrix(targets, runs.status, interrupted=interrupted)
    matrix.update(interrupted=interrupted, origin_tracking=origin_tracking)
    matrix["diagrams"] = divergence_diagrams(matrix, out, say)
    write_matrix(matrix, out)
    return matrix


class MatrixRuns:
    """One `coroconf run --interpreter TARGET` child per target, a few at a time; `status` says how each went,
    and the matrix is rewritten after every one, so that an interruption loses nothing that had arrived."""

    def __init__(self, targets: list[TargetSpec], out: Path, options: list[str], say=print):
        self.targets, self.out, self.options, self.say = targets, out, options, say
        self.reports = out / "reports"
        self.reports.mkdir(parents=True, exist_ok=True)
        self.status: dict[str, dict] = {t.label: {"state": "waiting"} for t in targets}
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def run_all(self, jobs: int) -> bool:
        """Run every target; True if interrupted (Ctrl-C or SIGTERM), after stopping the children."""
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            futures = [pool.submit(self.run_one, target) for target in self.targets]
            for future in futures:
                while not future.done():
                    time.sleep(0.1)
                future.result()
            return False
        except KeyboardInterrupt:
            self.stopping.set()
            with self.lock:
                for child in self.children.values():
                    if child.poll() is None:
                        os.killpg(child.pid, signal.SIGINT)
            self.say("[matrix] interrupted: the matrix keeps what had arrived and says it is partial")
            return True
        finally:
            pool.shutdown(wait=True)

    def run_one(self, target: TargetSpec) -> None:
        if self.stopping.is_set():
            return
        report_path = self.reports / (safe_name(target.label) + ".json")
        report_path.unlink(missing_ok=True)
        command = [sys.executable, "-m", "conformance", "run", *run_target_options(target), *self.options,
                   "--report", str(report_path)]
        started = time.perf_counter()
        self.status[target.label] = {"state": "running", "report": str(report_path)}
        self.say(f"[{target.label}] started")
        code, output = self.child_output(target, command)
        seconds = time.perf_counter() - started
        state = "complete" if code in (0, 1) and report_path.exists() else (
            "interrupted" if self.stopping.is_set() else "failed")
        self.status[target.label] = {"state": state, "report": str(report_path), "exit": code,
                                     "seconds": round(seconds, 1),
                                     "error": None if state == "complete" else output.strip()[-1500:]}
        self.say(f"[{target.label}] {state} in {seconds:.1f} s" + ("" if state == "complete" else f": {tail(output)}"))
        write_matrix(build_matrix(self.targets, self.status), self.out)  # after every target, so nothing is lost

    def child_output(self, target: TargetSpec, command: list[str]) -> tuple[int, str]:
        """Run the child, showing its progress lines as they come; (exit code, the end of its output)."""
        with self.lock:
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True, cwd=PACKAGE_DIR.parent)
            self.children[target.label] = child
        kept = []
        for line in child.stdout:
            kept = (kept + [line])[-40:]
            if line.startswith("[coroconf] "):
                self.say(f"[{target.label}] {line[len('[coroconf] '):].rstrip()}")
        child.wait()
        return child.returncode, "".join(kept)


# The models the matrix has rows for (each run is limited to their drivers with --models).
MATRIX_MODELS = ("coroutine", "generator", "asyncgen", "asyncgen-awaitable")


def run_target_options(target: TargetSpec) -> list[str]:
    """The `coroconf run` options that run a matrix target: a compiled subject, or an interpreter (the drivers of
    the matrix's models only)."""
    models = ["--models", ",".join(MATRIX_MODELS)]
    if target.subject:
        return ["--subject", target.subject, *models]
    return ["--interpreter", target.runtime if target.runtime != "python" else shlex.join(target.command), *models]


def divergence_diagrams(matrix: dict, out: Path, say=print) -> dict[str, list[str]]:
    """One divergence diagram per interpreter and model that deviates (conformance/diagrams.py draws it);
    {label: [files]}. Without Graphviz's dot, the DOT source is written instead."""
    written: dict[str, list[str]] = {}
    for column in matrix["columns"]:
        path = column.get("report")
        if not path or not Path(path).exists():
            continue
        report = read_json(path)
        for name in report.get("models", {}):
            try:
                model = report_model(report, name)
                facts = report_facts(report, model, path)
                if not facts.deviating:
                    continue
                diagram = divergence_diagram(model, facts)
                diagram.stem = f"{safe_name(column['label'])}-{diagram.stem}"
                files = write_diagram(diagram, out / "diagrams", formats=("svg", "dot"))
            except Exception as error:  # noqa: BLE001 - a diagram that cannot be drawn must not lose the matrix
                say(f"[matrix] no divergence diagram for {column['label']} ({name}): {error}")
                continue
            written.setdefault(column["label"], []).extend(str(f.relative_to(out)) for f in files)
    return written


def safe_name(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in label).strip("_")


def tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


# -- building ----------------------------------------------------------------------------------------

def build_matrix(targets: list[TargetSpec], status: dict[str, dict], interrupted: bool = False) -> dict:
    """The matrix from the report files that exist: one column per target, one row per transition."""
    models = {name: load_model(name) for name in MATRIX_MODELS}
    columns = []
    cells: dict[str, dict[str, dict]] = {}  # row key -> label -> cell
    partial = interrupted
    for target in targets:
        info = status.get(target.label, {})
        column = {"label": target.label, "command": target.command, "state": info.get("state", "waiting"),
                  "report": info.get("report"),
                  "seconds": info.get("seconds"), "error": info.get("error"), "drivers": {}}
        report = None
        if info.get("report") and Path(info["report"]).exists():
            try:
                report = read_json(info["report"])
            except ReportError as error:
                column["error"] = str(error)
        if report is None or report.get("partial") or column["state"] != "complete":
            partial = True
        if report is not None:
            interpreter = report.get("interpreter", {})
            version = interpreter.get("version")
            if interpreter.get("implementation_version") not in (None, "", version):
                version = f"{interpreter['implementation_version']} (language {version})"
            column.update(implementation=interpreter.get("implementation"), version=version,
                          profile=report.get("profile"), partial=report.get("partial"),
                          shape=shape_text(interpreter.get("shape")))
            for driver in report["drivers"]:
                column["drivers"][driver["driver"]] = driver["error"] or driver["verdict"]
            for key, cell in report_cells(report).items():
                cells.setdefault(key, {})[target.label] = cell
        columns.append(column)
    rows = []
    for model_name, model in models.items():
        for row in model.transitions:
            call, argument, body_reaction = trigger_columns(row)
            key = f"{model_name}:{row.id}"
            row_cells = {}
            for column in columns:
                found = cells.get(key, {}).get(column["label"])
                if found is None:
                    model_drivers = [d for d, v in column["drivers"].items() if _driver_model(d) == model_name]
                    unavailable = model_drivers and all(column["drivers"][d] not in ("conforms", "deviates")
                                                        for d in model_drivers)
                    found = {"verdict": UNAVAILABLE if unavailable else NOT_RUN}
                row_cells[column["label"]] = found
            rows.append({"key": key, "model": model_name, "id": row.id, "state": row.source, "call": call,
                         "argument": argument, "body": body_reaction, "target": row.target,
                         "outcome": outcome_text(model, row), "versions": row.versions_text(), "cells": row_cells})
        rows += probe_rows(model, columns, cells)
    return {"format": MATRIX_FORMAT, "partial": partial, "columns": columns, "rows": rows}


def report_cells(report: dict) -> dict[str, dict]:
    """One run report's cells, keyed "model:transition": the worst verdict over the drivers, with what was
    expected and observed there, each driver's verdict, and the worst verdict per attribute (`differs_in`)."""
    cells: dict[str, dict] = {}
    for driver in report["drivers"]:
        for case in driver["transitions"]:
            if case["verdict"] == "unexercised":
                continue
            cell = cells.setdefault(f'{driver["model"]}:{case["id"]}', {"verdict": CONFORMS, "drivers": {}})
            cell["drivers"][driver["driver"]] = case["verdict"]
            if case.get("differs_in"):
                merge_differs_in(cell.setdefault("differs_in", {}), case["differs_in"])
            if severity(case["verdict"]) > severity(cell["verdict"]):
                cell.update(verdict=case["verdict"], expected=case["expected"], observed=case["observed"],
                            driver=driver["driver"])
    for probe in (report.get("probes") or {}).get("results", []):
        cells[f'coroutine:{probe["id"]}'] = {"verdict": probe["verdict"], "drivers": {}, "driver": "probe",
                                             "expected": probe["expected"], "observed": probe["observed"]}
    return cells


def probe_rows(model, columns: list[dict], cells: dict) -> list[dict]:
    """The model's probes as matrix rows (grouped as "probes + await", "probes + iterator", ...); a column whose
    report has no verdict for a probe shows it as not run."""
    rows = []
    for probe in model.probes:
        key = f"{model.name}:{probe.id}"
        row_cells = {column["label"]: cells.get(key, {}).get(column["label"], {"verdict": NOT_RUN})
                     for column in columns}
        rows.append({"key": key, "model": model.name, "id": probe.id, "state": "probes",
                     "call": probe.id.split(".")[0], "argument": probe.does, "body": "-", "target": "-",
                     "outcome": probe_outcome_text(model, probe), "versions": probe.versions_text(),
                     "cells": row_cells})
    return rows


def _driver_model(driver: str) -> str:
    return DRIVERS[driver].model_name if driver in DRIVERS else "coroutine"


# -- writing ------------------------------------------------------------------------------------------

def write_matrix(matrix: dict, out: Path) -> None:
    write_json(matrix, out / "matrix.json")
    (out / "matrix.md").write_text(markdown(matrix))


def markdown(matrix: dict) -> str:
    columns = matrix["columns"]
    lines = ["# Coroutine conformance matrix", ""]
    if matrix["partial"]:
        lines += ["**Partial:** some interpreters did not finish; their columns show what had arrived.", ""]
    if matrix.get("origin_tracking"):
        lines += [f"Every subject was made under sys.set_coroutine_origin_tracking_depth({matrix['origin_tracking']})"
                  " (`--origin-tracking`), as asyncio's debug mode makes them.", ""]
    lines += ["| interpreter | version | shape | profile | drivers | status |", "|---|---|---|---|---|---|"]
    for column in columns:
        drivers = ", ".join(f"{d}: {v}" if v in ("conforms", "deviates") else f"{d}: unavailable ({v})"
                            for d, v in column["drivers"].items())
        state = column["state"] + (f" ({column['seconds']} s)" if column.get("seconds") is not None else "")
        lines.append(f"| {column['label']} | {column.get('implementation') or '?'} {column.get('version') or ''} "
                     f"| {column.get('shape') or ''} | {column.get('profile') or ''} | {drivers} | {state} |")
    for label, files in matrix.get("diagrams", {}).items():
        pictures = ", ".join(f"[{Path(f).name}]({f})" for f in files if f.endswith(".svg")) or ", ".join(files)
        lines.append(f"\nDivergence diagrams for {label}: {pictures}")
    lines.append("")
    lines.append("Cells: ✓ conforms, ✗ deviates (with what was observed), ≈ message-only (same exception type, "
                 "other text), · not observable (the interpreter does not expose it), – not run (not in this "
                 "version's table, or no driver reaches it).")
    header = "| transition | " + " | ".join(c["label"] for c in columns) + " |"
    for model_name in dict.fromkeys(r["model"] for r in matrix["rows"]):
        group = None
        for row in (r for r in matrix["rows"] if r["model"] == model_name):
            if (row["state"], row["call"]) != group:
                group = (row["state"], row["call"])
                lines += ["", f"## {model_name}: {row['state']} + {row['call']}", "", header,
                          "|---|" + "---|" * len(columns)]
            label = f"`{row['id']}` {row['argument']}" + (f", body {row['body']}" if row["body"] != "-" else "") \
                + (f" → {row['target']}" if row["target"] != "-" else f": {row['outcome']}")
            cells = []
            for column in columns:
                cell = row["cells"][column["label"]]
                text = SYMBOLS.get(cell["verdict"], cell["verdict"])
                if cell.get("observed") and cell["verdict"] not in (CONFORMS, "not-observable"):
                    text += f" ({cell.get('driver')}: observed {cell['observed']})"
                cells.append(text.replace("|", "\\|").replace("\n", " "))
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def summary(matrix: dict) -> str:
    """One line per interpreter: counts of each verdict."""
    lines = []
    for column in matrix["columns"]:
        counts: dict[str, int] = {}
        for row in matrix["rows"]:
            verdict = row["cells"][column["label"]]["verdict"]
            counts[verdict] = counts.get(verdict, 0) + 1
        text = ", ".join(f"{counts[v]} {v}" for v in [*SEVERITY, UNAVAILABLE, NOT_RUN] if counts.get(v))
        lines.append(f"{column['label']:26} {column.get('implementation') or '?'} {column.get('version') or '':8} "
                     f"{column['state']:10} {text}" + (f" [{column['shape']}]" if column.get("shape") else ""))
    return "\n".join(lines)


__all__ = ["build_matrix", "run_matrix", "markdown", "summary"]
