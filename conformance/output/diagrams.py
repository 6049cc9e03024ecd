"""State diagrams of a protocol model, drawn with Graphviz, optionally overlaid with a run report.

One function, `draw`, turns an ordered list of the model's transitions into a `graphviz.Digraph`: it merges
parallel edges that share an outcome, labels each edge with its calls or body reactions and the outcome in
the model's own words, and puts every transition id on its edge (SVG `class` and tooltip). The views (the
whole machine, one call, one route, a version difference, a coverage or divergence overlay) only choose
the rows and how each row looks. The DOT text depends on the model alone, so checked-in diagrams can be
compared with freshly generated ones.
"""

from __future__ import annotations

import math
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import graphviz

from conformance.output.report import ReportError
from conformance.protocol.model import (
    DIRECT,
    EXCEPTION_WORDS,
    Model,
    Transition,
    load_model,
    model_digest,
    outcome_text,
    version_tuple,
)
from conformance.protocol.observation import (
    MESSAGE_ONLY,
    NOT_OBSERVABLE,
    SEVERITY,
)
from conformance.protocol.verdicts import DIVERGENT, severity

FORMATS = ("svg", "png", "pdf", "dot")
INSTALL_HINT = "Graphviz's `dot` program is not installed, so only DOT files were written; " \
               "install it with `apt-get install graphviz` (or your system's graphviz package)"

# Colours: plain outcomes, protocol errors, route-specific rows, and the overlays.
INK, ERROR, ROUTE, FAINT = "#333333", "#c0392b", "#1f5fa8", "#b0b0b0"
ADDED, REMOVED = "#1e8449", "#c0392b"
MESSAGE_COLOUR = "#d35400"
COVERAGE_SHADES = ("#7fc97f", "#2ca25f", "#00441b")  # exercised 1-9, 10-99, 100+ times
LEGEND = ("solid: a caller's call    dashed: the body's reaction while RUNNING    "
          "\u21bb in a box: a call answered without leaving the state")
ERROR_LEGEND = "red: the protocol refuses (TypeError, RuntimeError, ValueError)    blue, bold: a route's own rows"


@dataclass(frozen=True)
class Look:
    """How one row is drawn. Rows with equal looks and outcomes between the same states share an edge."""

    color: str = INK
    fontcolor: str = ""  # "" means: the edge's colour
    style: str = ""  # "" means: solid for calls, dashed for reactions
    penwidth: float = 1.0
    note: str = ""  # an extra label line (a version, a count, an expected/observed pair)
    alone: bool = False  # never merge this row with others (a deviation gets its own edge)
    labelled: bool = True  # False: a thin unlabelled context edge


@dataclass
class Diagram:
    """A named diagram: the file stem it is written under and the Graphviz graph."""

    stem: str
    graph: graphviz.Digraph
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------------

def is_error(row: Transition) -> bool:
    """A row where the protocol itself refuses the call: it raises a builtin error, not a passed-on exception."""
    return bool(row.raises) and row.raises.type not in EXCEPTION_WORDS and row.raises.type != "StopIteration"


def default_look(model: Model, row: Transition) -> Look:
    """The plain model's look: errors red, route-specific rows blue, versioned rows noted."""
    color = ERROR if is_error(row) else ROUTE if row.route != DIRECT else INK
    note = "" if row.versions_text() == "all" else f"[Python {row.versions_text()}]"
    return Look(color=color, penwidth=2.0 if row.route != DIRECT else 1.2, note=note)


def draw(model: Model, rows: list[Transition], title: str, look=None, states=None) -> graphviz.Digraph:
    """The state graph of `rows`; `look(row)` returns a row's Look (default: `default_look`).

    Rows that leave the state unchanged are listed inside the state's box (as UML writes internal
    transitions): a stack of self-loops would hide each other's labels.
    """
    if look is None:
        look = (lambda row: default_look(model, row))
        routed = any(row.route != DIRECT for row in rows)
        title = f"{title}\n{ERROR_LEGEND if routed else ERROR_LEGEND.split('    ')[0]}"
    graph = graphviz.Digraph(name=model.name, graph_attr={
        "label": f"{title}\n{LEGEND}", "labelloc": "t", "fontname": "Helvetica", "fontsize": "16",
        "rankdir": "LR", "nodesep": "0.4", "ranksep": "0.8", "newrank": "true", "bgcolor": "white"},
        node_attr={"fontname": "Helvetica", "shape": "plain"},
        edge_attr={"fontname": "Helvetica", "fontsize": "10", "arrowsize": "0.8"})
    groups: dict[tuple, list[Transition]] = {}
    for row in rows:
        row_look = look(row)
        outcome = outcome_text(model, row) if row_look.labelled else ""
        key = (row.source, row.target, row.kind, outcome, row_look, row.id if row_look.alone else "")
        groups.setdefault(key, []).append(row)
    shown = states or [name for name in model.states if any(name in (r.source, r.target) for r in rows)]
    graph.node("start", label="", shape="point", width="0.15", style="filled", fillcolor=INK)
    loops = {name: [(key, members) for key, members in groups.items() if key[0] == key[1] == name]
             for name in shown}
    for name in shown:
        graph.node(name, id=f"state-{name}", tooltip=f"{name}: {model.states[name].meaning}",
                   label=state_label(model, name, loops[name]))
    if model.initial in shown:
        graph.edge("start", model.initial, id="start", color=INK)
    for (source, target, kind, outcome, row_look, _), members in groups.items():
        if source == target:
            continue
        ids = [row.id for row in members]
        style = row_look.style or ("solid" if kind == "call" else "dashed")
        graph.edge(source, target, label=edge_label(model, members, outcome, row_look),
                   id="edge-" + "+".join(ids), **{"class": " ".join(ids)}, tooltip=tooltip(model, members),
                   color=row_look.color, fontcolor=row_look.fontcolor or row_look.color, style=style,
                   penwidth=f"{row_look.penwidth:g}")
    return graph


def edge_label(model: Model, members: list[Transition], outcome: str, row_look: Look, width: int = 44) -> str:
    if not row_look.labelled:
        return ""
    lines = [trigger_text(model, members)] + textwrap.wrap(outcome, width)
    return "\n".join(lines + [line for part in row_look.note.split("\n") if part
                              for line in textwrap.wrap(part, width + 12)])


def tooltip(model: Model, members: list[Transition]) -> str:
    return "\n".join(f"{row.id}: {outcome_text(model, row)}" for row in members)


def state_label(model: Model, name: str, loops: list) -> str:
    """A state's box: its name, what it means, and the calls it answers without changing state."""
    meaning = "<br/>".join(html_escape(line) for line in textwrap.wrap(model.states[name].meaning, 30))
    fill = "#fdebd0" if name == "RUNNING" else "#f4f6f8"
    cells = [f'<tr><td port="name" cellpadding="6"><b>{name}</b><br/>'
             f'<font point-size="9">{meaning}</font></td></tr>']
    for (_, _, _, outcome, row_look, _), members in loops:
        if not row_look.labelled:
            continue
        ids = [row.id for row in members]
        text = "<br/>".join(html_escape(line) for line in
                            edge_label(model, members, outcome, row_look, 52).split("\n"))
        if row_look.penwidth >= 2.5:
            text = f"<b>{text}</b>"
        cells.append(f'<tr><td align="left" balign="left" href="#state-{name}" id="loop-{"+".join(ids)}" '
                     f'tooltip="{html_escape(tooltip(model, members))}"><font point-size="9" '
                     f'color="{row_look.fontcolor or row_look.color}">&#8635; {text}</font></td></tr>')
    return (f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="3" style="rounded" '
            f'bgcolor="{fill}" color="#5d6d7e">{"".join(cells)}</table>>')


def trigger_text(model: Model, rows: list[Transition]) -> str:
    """What sets off a merged edge: `throw(any but non-exception)`, `body: await (after value, close)`."""
    parts = []
    calls: dict[str, list[str]] = {}
    bodies: dict[str, list[str]] = {}
    for row in rows:
        if row.call:
            calls.setdefault(row.call, {})[row.argument] = True
        else:
            bodies.setdefault(row.body, {})[row.delivered] = True
    for call, arguments in calls.items():
        known = list(model.calls[call].arguments)
        missing = [a for a in known if a not in arguments]
        if len(known) == 1:
            parts.append(f"{call}()")
        elif not missing:
            parts.append(f"{call}(any)")
        elif len(missing) <= 2 and len(missing) < len(arguments):
            parts.append(f"{call}(any but {', '.join(missing)})")
        else:
            parts.append(f"{call}({', '.join(arguments)})")
    for reaction, delivered in bodies.items():
        for layer, who in (("awaitee", "awaited object"), ("body", "body")):
            mine = [d for d in delivered if model.layer(d) == layer]
            if mine:
                parts.append(f"{who}: {reaction} (after {', '.join(mine)})")
    return "\n".join(parts)


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---------------------------------------------------------------------------------------------------
# Views: which rows, and how they look
# ---------------------------------------------------------------------------------------------------

def route_rows(model: Model, route: str = DIRECT, version=None) -> list[Transition]:
    """The rows a route answers with, for one version or for any of the model's versions, in model order."""
    versions = [version] if version else model.version_tuples()
    chosen = {row.id for v in versions for row in model.applicable_transitions(v, route)}
    return [row for row in model.transitions if row.id in chosen]


def whole_diagram(model: Model, version=None) -> Diagram:
    rows = route_rows(model, DIRECT, version)
    where = f" on Python {version[0]}.{version[1]}" if version else ""
    stem = model.name + (f"-{version[0]}.{version[1]}" if version else "")
    return Diagram(stem, draw(model, rows, f"{model.title}: the whole state machine{where}", states=list(model.states)))


def call_diagram(model: Model, call: str) -> Diagram:
    """One call's rows, and the body's reactions to whatever that call delivers."""
    rows = route_rows(model, DIRECT)
    calls = [row for row in rows if row.call == call]
    delivered = {row.enters for row in calls if row.enters}
    chosen = {row.id for row in calls} | {row.id for row in rows if row.delivered in delivered}
    return Diagram(f"{model.name}-{call}", draw(model, [r for r in rows if r.id in chosen],
                                                 f"{model.title}: {call}() and what the body does with it"))


def route_diagram(model: Model, route: str) -> Diagram:
    if model.routes[route].awaitee:
        return awaitee_diagram(model, route)
    meaning = model.routes[route].meaning
    title = f"{model.title}, route {route!r}: {meaning}"
    return Diagram(f"{model.name}-route-{route}", draw(model, route_rows(model, route), title))


def awaitee_diagram(model: Model, kind: str) -> Diagram:
    """What changes when the body awaits a `kind` object: that kind's own rows (and those of the kind it
    extends), the calls that now reach the awaited object first and its reactions, rather than the whole graph."""
    layers = model.route_layers(kind)[1:]
    rows = [row for row in route_rows(model, kind) if row.route in layers]
    title = f"{model.title}, the body awaits a {kind}: {model.routes[kind].meaning}"
    return Diagram(f"{model.name}-awaits-{kind}", draw(model, rows, title))


def diff_diagram(model: Model, old, new, route: str = DIRECT) -> Diagram:
    """What changes from Python `old` to `new`: removed rows red and dashed, new rows green, the rest faint."""
    old_ids = {row.id for row in model.applicable_transitions(old, route)}
    new_ids = {row.id for row in model.applicable_transitions(new, route)}
    rows = [row for row in model.transitions if row.id in old_ids | new_ids]
    old_text, new_text = "%d.%d" % tuple(old), "%d.%d" % tuple(new)

    def look(row):
        if row.id not in new_ids:
            return Look(REMOVED, penwidth=2.0, note=f"only before {new_text} (removed)")
        if row.id not in old_ids:
            return Look(ADDED, style="bold", penwidth=2.5, note=f"new in {new_text}")
        return Look(FAINT, penwidth=0.8, labelled=False)

    changes = len(old_ids ^ new_ids)
    title = (f"{model.title}: what changes from Python {old_text} to {new_text} ({changes} rows)\n"
             "green: new rows    red: rows that no longer apply    grey: unchanged")
    notes = [] if changes else [f"no rows differ between Python {old_text} and {new_text}"]
    suffix = "" if route == DIRECT else f"-route-{route}"
    return Diagram(f"{model.name}-diff-{old_text}-{new_text}{suffix}", draw(model, rows, title, look), notes)


def changed_version_pairs(model: Model, route: str = DIRECT) -> list[tuple]:
    """Consecutive versions of the model between which some row changes."""
    versions = model.version_tuples()
    ids = [{row.id for row in model.applicable_transitions(v, route)} for v in versions]
    return [(versions[i], versions[i + 1]) for i in range(len(versions) - 1) if ids[i] != ids[i + 1]]


def all_diagrams(model: Model) -> list[Diagram]:
    """Every diagram checked in under diagrams/: whole, per call, per route, per changing version pair."""
    diagrams = [whole_diagram(model)]
    diagrams += [call_diagram(model, call) for call, spec in model.calls.items() if not spec.final]
    own_rows = {row.route for row in model.transitions}
    diagrams += [route_diagram(model, route) for route in model.routes
                 if route != DIRECT and (route in own_rows or not model.routes[route].awaitee)]
    diagrams += [diff_diagram(model, old, new) for old, new in changed_version_pairs(model)]
    return diagrams


# ---------------------------------------------------------------------------------------------------
# Overlays from a run report
# ---------------------------------------------------------------------------------------------------

@dataclass
class RunFacts:
    """What a report says about one model's transitions, summed over the chosen drivers."""

    drivers: list[str]
    version: tuple[int, int]
    routes: list[str]
    counts: dict[str, int]
    verdicts: dict[str, str]
    expected: dict[str, str]
    observed: dict[str, str]

    @property
    def deviating(self) -> list[str]:
        """Transitions whose result differs from the model (a message-only difference included)."""
        return [tid for tid, verdict in self.verdicts.items() if verdict in DIVERGENT]


def report_facts(report: dict, model: Model, source: str, driver: str | None = None) -> RunFacts:
    """Check a report against the model and gather its per-transition facts; ReportError names the fault."""

    def fault(text: str):
        raise ReportError(f"{source}: {text}")

    if not isinstance(report.get("drivers"), list) or not isinstance(report.get("models"), dict):
        fault("malformed report: expected `drivers` (a list) and `models` (a table)")
    recorded = report["models"].get(model.name)
    if not isinstance(recorded, dict):
        fault(f"the report has no run of the {model.name!r} model (it has: {', '.join(report['models']) or 'none'}); "
              "choose the model with --model or NAME")
    if recorded.get("digest") != model_digest(model):
        fault(f"made with a different {model.name!r} model (digest {recorded.get('digest')}, this model "
              f"{model_digest(model)} at {model.path}); rerun `coroconf run --report FILE` with this model")
    try:
        version = version_tuple(report["profile"])
        chosen = [d for d in report["drivers"] if d["model"] == model.name and driver in (None, d["driver"])]
    except (KeyError, TypeError, ValueError) as error:
        fault(f"malformed report: {type(error).__name__} {error}")
    if not chosen:
        names = ", ".join(d.get("driver", "?") for d in report["drivers"] if isinstance(d, dict))
        fault(f"no driver {driver!r} of the {model.name!r} model in the report (it has: {names})")
    known = {row.id for row in model.transitions}
    facts = RunFacts([], version, [], {}, {}, {}, {})
    for entry in chosen:
        facts.drivers.append(entry["driver"])
        if not isinstance(entry.get("route"), str) or not set(entry["route"].split("+")) <= set(model.routes):
            fault(f"driver {entry['driver']!r} names an unknown route {entry.get('route')!r}")
        facts.routes.append(entry["route"])
        for case in entry.get("transitions", []):
            try:
                tid, count, verdict = case["id"], int(case["count"]), case["verdict"]
            except (KeyError, TypeError, ValueError):
                fault(f"malformed transition entry {case!r} of driver {entry['driver']!r}")
            if tid not in known:
                fault(f"unknown transition id {tid!r} (driver {entry['driver']!r}); the model "
                      f"{model.path} has no such row")
            if verdict not in SEVERITY and verdict != "unexercised":
                fault(f"unknown verdict {verdict!r} for transition {tid!r}")
            facts.counts[tid] = facts.counts.get(tid, 0) + count
            if severity(verdict) > severity(facts.verdicts.get(tid, "unexercised")):
                facts.verdicts[tid] = verdict
                facts.expected[tid], facts.observed[tid] = case.get("expected"), case.get("observed")
            facts.verdicts.setdefault(tid, verdict)
    return facts


def report_model(report: dict, name: str) -> Model:
    """The model a report names: the file it was run with if it is still there, else the shipped one."""
    path = report["models"][name].get("path") if isinstance(report["models"][name], dict) else None
    return load_model(path if path and Path(path).exists() else name)


def overlay_rows(model: Model, facts: RunFacts) -> list[Transition]:
    return [row for row in model.transitions if row.id in facts.counts]


def coverage_diagram(model: Model, facts: RunFacts) -> Diagram:
    """Each transition weighted by how often the run exercised it; unexercised ones grey, dotted, marked."""

    def look(row):
        count = facts.counts[row.id]
        if count == 0:
            return Look(FAINT, style="dotted", penwidth=1.5, note="UNEXERCISED")
        shade = min(int(math.log10(count)), len(COVERAGE_SHADES) - 1)
        return Look(COVERAGE_SHADES[shade], fontcolor="#1b5e20", penwidth=1.0 + 1.5 * shade,
                    note=f"exercised {count_band(count)}")

    unexercised = sum(1 for count in facts.counts.values() if count == 0)
    title = (f"{model.title}: coverage of a run by {', '.join(facts.drivers)} on Python "
             f"{facts.version[0]}.{facts.version[1]} ({len(facts.counts) - unexercised}/{len(facts.counts)} "
             "transitions exercised)\ngreen, thicker: exercised more often    grey, dotted: unexercised")
    return Diagram(f"{model.name}-coverage", draw(model, overlay_rows(model, facts), title, look, list(model.states)))


def count_band(count: int) -> str:
    """1-9, 10-99, 100+ times: a band, so rows exercised a similar number of times share an edge."""
    if count < 10:
        return "1-9 times"
    if count < 100:
        return "10-99 times"
    return "100+ times"


def divergence_diagram(model: Model, facts: RunFacts) -> Diagram:
    """Each deviating transition in red with what was expected and observed; the rest grey."""

    def look(row):
        verdict = facts.verdicts.get(row.id, "unexercised")
        if verdict in DIVERGENT:
            note = (f"{verdict.upper()}\nexpected: {shorten(facts.expected.get(row.id))}\n"
                    f"observed: {shorten(facts.observed.get(row.id))}")
            colour = MESSAGE_COLOUR if verdict == MESSAGE_ONLY else ERROR
            return Look(colour, style="bold", penwidth=3.0, note=note, alone=True)
        if verdict == "unexercised":
            return Look(FAINT, style="dotted", note="unexercised")
        return Look("#8c8c8c", penwidth=0.8, note="not observable" if verdict == NOT_OBSERVABLE else "")

    title = (f"{model.title}: divergence of a run by {', '.join(facts.drivers)} on Python "
             f"{facts.version[0]}.{facts.version[1]} ({len(facts.deviating)} deviating transitions)\n"
             "red, bold: deviates from the model (expected and observed beside it)    orange: only the message "
             "differs    grey: conforms")
    return Diagram(f"{model.name}-divergence", draw(model, overlay_rows(model, facts), title, look,
                                                    list(model.states)))


def shorten(text, width: int = 90) -> str:
    text = "(not recorded)" if text is None else str(text)
    return text if len(text) <= width else text[:width - 3] + "..."


def overlay_diagram(model: Model, facts: RunFacts, kind: str = "auto") -> Diagram:
    """`auto`: the divergence overlay when anything deviates, else coverage."""
    if kind == "divergence" or (kind == "auto" and facts.deviating):
        return divergence_diagram(model, facts)
    return coverage_diagram(model, facts)


# ---------------------------------------------------------------------------------------------------
# Writing files
# ---------------------------------------------------------------------------------------------------

def dot_available() -> bool:
    return shutil.which("dot") is not None


def render_svg(graph: graphviz.Digraph) -> str:
    """The SVG text of a graph (needs `dot`)."""
    return graph.pipe(format="svg").decode("utf-8")


def write_diagram(diagram: Diagram, folder, formats=("svg",)) -> list:
    """Write the diagram in each format under folder/<stem>.<format>; without `dot`, DOT only."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / f"{diagram.stem}.{fmt}"
        if fmt == "dot":
            path.write_text(diagram.graph.source)
        elif dot_available():
            path.write_bytes(diagram.graph.pipe(format=fmt))
        else:
            continue
        written.append(path)
    return written
