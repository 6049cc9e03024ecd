"""A run report as one self-contained HTML page: summary, state diagram with the run overlaid, every failure.

Everything is inline (styles and SVG), so the page opens from disk or an attachment with no network. It
reads only the report dict that `build_report` makes (or `read_json` returns) and the models it names.
"""

from __future__ import annotations

import html
from pathlib import Path

from conformance.output import diagrams
from conformance.output.report import SUMMARY_COUNTS, ReportError, shape_text, verdict_summary
from conformance.protocol.model import ModelError
from conformance.protocol.steps import Plan, Reentry, describe_call

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f2f4; }
.conforms { color: #1e8449; font-weight: bold; } .deviates, .error { color: #c0392b; font-weight: bold; }
.diagram svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.9em; }
.failure { border-left: 4px solid #c0392b; padding-left: 1em; margin: 1.2em 0; }
.note { color: #666; }
"""


def escape(value) -> str:
    return html.escape("" if value is None else str(value))


def verdict_counts(driver: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in driver["transitions"]:
        counts[case["verdict"]] = counts.get(case["verdict"], 0) + 1
    return counts


def summary_section(report: dict) -> list[str]:
    header = ("driver", "model", "route", "covered") + SUMMARY_COUNTS + ("examples", "steps", "seconds", "verdict")
    out = ['<table id="summary"><tr>' + "".join(f"<th>{h}</th>" for h in header) + "</tr>"]
    for driver in report["drivers"]:
        counts = verdict_summary(driver["transitions"])
        coverage = driver["coverage"]
        verdict = "error" if driver.get("error") else driver["verdict"]
        cells = (driver["driver"], driver["model"], driver["route"],
                 f'{coverage["covered"]}/{coverage["exercisable"]}', *(counts[word] for word in SUMMARY_COUNTS),
                 driver["examples"], driver["steps"], f'{driver["seconds"]:.1f}')
        out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells)
                   + f'<td class="{escape(verdict)}">{escape(verdict)}</td></tr>')
    out.append("</table>")
    for driver in report["drivers"]:
        if driver.get("error"):
            out.append(f'<p class="error">The {escape(driver["driver"])} driver could not run: '
                       f'{escape(driver["error"])}</p>')
    return out


def diagram_section(report: dict, name: str) -> list[str]:
    """The model's diagram with the run overlaid (divergence if anything deviates), as inline SVG."""
    try:
        model = diagrams.report_model(report, name)
        facts = diagrams.report_facts(report, model, "this report")
        diagram = diagrams.overlay_diagram(model, facts)
    except (ModelError, ReportError) as error:
        return [f'<p class="note">No diagram for the {escape(name)} model: {escape(error)}</p>']
    kind = "divergence" if facts.deviating else "coverage"
    out = [f"<h3>The {escape(name)} model: {kind} of this run</h3>"]
    if not diagrams.dot_available():
        return out + [f'<p class="note">{escape(diagrams.INSTALL_HINT.split(";")[1].strip())} to see the '
                      "diagram here. Its DOT source:</p>", f"<pre>{escape(diagram.graph.source)}</pre>"]
    svg = diagrams.render_svg(diagram.graph)
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE, which HTML does not want
    return out + [f'<div class="diagram" id="diagram-{escape(name)}">{svg}</div>']


def step_words(step: dict) -> tuple[str, str]:
    """(the call, what the body does) of a step from the report, in the words `explain` uses."""
    try:
        call = describe_call(step["call"], step["argument"], step.get("payload"))
        plan = step.get("plan")
        body = Plan(plan["reaction"], plan.get("value"),
                    tuple(Reentry(*entry) for entry in plan.get("reenter", []))).describe() if plan else "-"
    except (KeyError, TypeError, IndexError, ValueError):
        return escape(step), "-"
    return call, body


FOUND_BY = {"tour": "the tour", "hypothesis": "Hypothesis"}


def failures_section(report: dict) -> list[str]:
    out = []
    for driver in report["drivers"]:
        cases = {case["id"]: case for case in driver["transitions"]}
        for number, failure in enumerate(driver["failures"], 1):
            blamed = failure.get("transitions", [])
            out.append(f'<div class="failure"><h3>{escape(driver["driver"])}, failure {number} '
                       f'(found by {escape(FOUND_BY.get(failure.get("source"), failure.get("source")))}): '
                       f'{escape(", ".join(blamed))}</h3>')
            out.append("<table><tr><th>#</th><th>call</th><th>body script</th></tr>")
            for index, step in enumerate(failure.get("steps", []), 1):
                call, body = step_words(step)
                out.append(f"<tr><td>{index}</td><td><code>{escape(call)}</code></td><td>{escape(body)}</td></tr>")
            out.append("</table>")
            out.append("<table><tr><th>transition</th><th>verdict</th><th>expected</th><th>observed</th></tr>")
            for transition_id in blamed:
                case = cases.get(transition_id, {})
                out.append(f"<tr><td><code>{escape(transition_id)}</code></td><td>{escape(case.get('verdict'))}</td>"
                           f"<td>{escape(case.get('expected'))}</td><td>{escape(case.get('observed'))}</td></tr>")
            out.append(f"</table><pre>{escape(failure.get('text'))}</pre></div>")
    return out or ['<p class="conforms">No failures.</p>']


def probes_section(report: dict) -> list[str]:
    """Every probe's verdict (the facts checked once per run, outside the state machine), failing ones first."""
    section = report.get("probes") or {}
    if section.get("not_applicable"):
        return [f'<p class="note">Not applicable: {escape(section["not_applicable"])}</p>']
    results = sorted(section.get("results", []), key=lambda r: r["verdict"] in ("conforms", "not-observable"))
    if not results:
        return ['<p class="note">No probes ran.</p>']
    out = ['<table id="probes"><tr><th>probe</th><th>what it does</th><th>verdict</th><th>expected</th>'
           "<th>observed</th></tr>"]
    for result in results:
        css = "conforms" if result["verdict"] == "conforms" else "deviates"
        out.append(f'<tr><td><code>{escape(result["id"])}</code></td><td>{escape(result["does"])}</td>'
                   f'<td class="{css}">{escape(result["verdict"])}</td><td>{escape(result["expected"])}</td>'
                   f'<td>{escape(result["observed"])}</td></tr>')
    return out + ["</table>"]


def unexercised_section(report: dict) -> list[str]:
    out = []
    for driver in report["drivers"]:
        missed = [case["id"] for case in driver["transitions"] if case["verdict"] == "unexercised"]
        if missed:
            out.append(f"<p>{escape(driver['driver'])}: {escape(', '.join(missed))}</p>")
    return out or ["<p>Every transition each driver can reach was exercised.</p>"]


def shape_note(interpreter: dict) -> str:
    """What else shapes the interpreter (a JIT, free-threading, a debug build), or nothing when none is set."""
    shape = shape_text(interpreter.get("shape"))
    return f' (<span id="shape">{escape(shape)}</span>)' if shape else ""


def html_page(report: dict) -> str:
    interpreter = report.get("interpreter", {})
    verdict = report["verdict"]
    title = f"coroutine-conformance: {interpreter.get('implementation', '')} {interpreter.get('version', '')}"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
           f"<h1>{escape(title)}</h1>",
           f'<p>Verdict: <span id="verdict" class="{escape(verdict)}">{escape(verdict)}</span>'
           f"{' (partial: the run was interrupted)' if report.get('partial') else ''}. "
           f"Model profile: Python {escape(report.get('profile'))}; messages "
           f"{'strict' if report.get('strict_messages') else 'lenient'}; seed {escape(report.get('seed'))}; "
           f"tool {escape(report.get('tool_version'))}; interpreter {escape(interpreter.get('executable'))}"
           f"{shape_note(interpreter)}.</p>",
           "<h2>Summary</h2>", *summary_section(report), "<h2>State diagram</h2>"]
    for name in report["models"]:
        out += diagram_section(report, name)
    out += ["<h2>Failures</h2>", *failures_section(report), "<h2>Probes</h2>", *probes_section(report),
            "<h2>Unexercised transitions</h2>", *unexercised_section(report), "</body></html>"]
    return "\n".join(out) + "\n"


def write_html(report: dict, path) -> Path:
    """Write the page for a report dict (as `build_report` makes it) to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_page(report))
    return path
