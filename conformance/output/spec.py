"""The model as a readable Markdown specification: per state, per call, what happens and in which versions.

Every sentence about a row comes from `outcome_text` and `trigger_columns` in model.py, so the printed
table (`coroconf model`), the diagrams and this document say the same thing in the same words.
"""

from __future__ import annotations

from conformance.protocol.model import (
    DIRECT,
    Model,
    Transition,
    outcome_text,
    probe_outcome_text,
    trigger_columns,
)


def markdown_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: tuple, rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def row_cells(model: Model, row: Transition) -> tuple:
    """argument class, body reaction, outcome, next state, versions, id."""
    _, argument, body = trigger_columns(row)
    return (f"`{argument}`" if row.call else argument, body, outcome_text(model, row), row.target,
            row.versions_text(), f"`{row.id}`" + (f" ({row.note})" if row.note else ""))


ROW_HEADER = ("argument class", "body reaction", "outcome", "next state", "versions", "transition")


def spec_markdown(model: Model, diagram: str | None = None) -> str:
    """The whole specification of one model as Markdown text (deterministic: the model alone decides it).

    `diagram`: a relative link to the model's state diagram, shown at the top when given.
    """
    direct = [row for row in model.transitions if row.route == DIRECT]
    out = [f"# {model.title}: specification", "",
           f"Generated from the model file `{model.path.name}` by `coroconf spec {model.name}`; do not edit "
           f"by hand. Versions covered: Python {', '.join(model.versions)}. Initial state: {model.initial}.", ""]
    if diagram:
        out += [f"![The {model.name} state machine]({diagram})", ""]
    for section in (states_section, call_sections, reaction_sections, route_sections, probe_section,
                    version_section, message_sections):
        out += section(model, direct)
    return "\n".join(out).rstrip() + "\n"


def states_section(model: Model, direct: list[Transition]) -> list[str]:
    observations = list(model.attributes)
    header = ("state", "meaning") + tuple(attribute_heading(model.attributes[name], name) for name in observations)
    out = ["## States", ""]
    shown = any(state.shows or state.since or state.until for state in model.states.values())
    if shown:  # what the inspect function reports for each state, and the versions that reach it, where they vary
        since = f" ({model.inspect_since}+)" if model.inspect_since else ""
        header = header[:2] + (f"inspect.{model.inspect_function}(){since} says", "versions") + header[2:]
    out += table(header, [(f"**{state.name}**", state.meaning,
                           *((state.shows or state.name, versions_text(state.since, state.until) or "all")
                             if shown else ()),
                           *(state.observations.get(name, "-") for name in observations))
                          for state in model.states.values()])
    overrides = [(f"`{route.name}`", o.state, model.attributes[o.attribute]["name"],
                  "(not read)" if o.value is None else o.value, versions_text(o.since, o.until), o.why)
                 for route in model.routes.values() for o in route.observations]
    if overrides:
        out += ["Where a route shows an attribute otherwise (the direct route's entries hold on every route):", ""]
        out += table(("route", "state", "attribute", "shows", "versions", "why"), overrides)
    out += ["## Calls", ""]
    out += table(("call", "argument class", "concrete form"),
                 [(f"`{call.name}`" + (" (final)" if call.final else ""), f"`{argument}`", form)
                  for call in model.calls.values() for argument, form in call.arguments.items()])
    return out


def call_sections(model: Model, direct: list[Transition]) -> list[str]:
    """One section per state, one table per call made from it."""
    out = []
    for state in model.states:
        rows = [row for row in direct if row.source == state and row.call]
        if not rows:
            continue
        out += [f"## In {state}: {model.states[state].meaning}", ""]
        for call in model.calls:
            call_rows = [row for row in rows if row.call == call]
            if call_rows:
                out += [f"### {state} + `{call}`", ""]
                out += table(ROW_HEADER, [row_cells(model, row) for row in call_rows])
    return out


def reaction_sections(model: Model, direct: list[Transition]) -> list[str]:
    out = ["## The body's reactions (leaving RUNNING)", "",
           "When a call enters the body, what the call returns or raises is decided by what the body does.", ""]
    for delivered, spec in model.deliveries.items():
        rows = [row for row in direct if row.delivered == delivered]
        if rows:
            out += [f"### After `{delivered}`: {spec.get('meaning', '')}", ""]
            out += table(ROW_HEADER, [row_cells(model, row) for row in rows])
    return out + table(("body reaction", "meaning"), [(f"`{name}`", text) for name, text in model.reactions.items()])


def route_sections(model: Model, direct: list[Transition]) -> list[str]:
    out = []
    for route in model.routes.values():
        if route.name == DIRECT:
            continue
        rows = [row for row in model.transitions if row.route == route.name]
        kind = "What the body awaits:" if route.awaitee else "Route"
        out += [f"## {kind} `{route.name}`", "", f"{route.meaning[:1].upper()}{route.meaning[1:]}.", ""]
        if route.extends:
            inherits = "and unreachable cases " if route.awaitee else ""
            out += [f"It takes the rows {inherits}of `{route.extends}` first"
                    f"{'' if route.awaitee else ' (not its unreachable cases)'}.", ""]
        if rows:
            replaced = "the rows above" if route.awaitee else "the direct rows"
            out += [f"Rows of this {'kind' if route.awaitee else 'route'}, replacing {replaced} of the same case "
                    "(a row *under* a route applies only where it is combined with that route):", ""]
            out += table(("from", "under", "call") + ROW_HEADER,
                         [(row.source, row.under or "-", f"`{row.call}`" if row.call else "(body)",
                           *row_cells(model, row)) for row in rows])
        elif not route.extends:
            out += ["Every case behaves as on the direct route.", ""]
        if route.unreachable:
            out += ["Cases this route cannot deliver:", ""]
            out += table(("case", "versions", "why"), [(unreachable_text(u), versions_text(u.since, u.until), u.why)
                                                       for u in route.unreachable])
    return out


def probe_section(model: Model, direct: list[Transition]) -> list[str]:
    """The [[probe]] rows: facts outside the state machine, each checked once per run by a probe function."""
    if not model.probes:
        return []
    out = ["## Probes: the await expression and the iterator surface", "",
           "Facts that are not edges of one coroutine's state machine. Each is checked once per run by a function "
           "of `conformance/subject/probes.py`; those that take the object under test also judge a user's wrapper "
           "or decorator (`coroconf check`). `{type}` in a message is that object's type name.", ""]
    return out + table(("probe", "what it does", "outcome", "takes the object under test", "versions", "function"),
                       [(f"`{p.id}`" + (f" ({p.note})" if p.note else ""), p.does, probe_outcome_text(model, p),
                         "yes" if p.takes_subject else "no", p.versions_text(), f"`{p.function}`")
                        for p in model.probes])


def version_section(model: Model, direct: list[Transition]) -> list[str]:
    versions = model.version_tuples()
    changes = []
    for old, new in zip(versions, versions[1:]):
        old_ids = {row.id for row in model.applicable_transitions(old, DIRECT)}
        new_ids = {row.id for row in model.applicable_transitions(new, DIRECT)}
        for row in direct:
            if row.id in old_ids ^ new_ids:
                change = "new" if row.id in new_ids else "no longer applies"
                changes.append(("%d.%d" % new, change, f"`{row.id}`", outcome_text(model, row)))
    return ["## Version differences", ""] + (table(("from Python", "change", "transition", "outcome"), changes)
                                             if changes else ["No row differs between versions.", ""])


def message_sections(model: Model, direct: list[Transition]) -> list[str]:
    out = ["## Messages", ""]
    out += table(("name", "message"), [(f"`{key}`", f"`{text}`".replace("\n", "\\n"))
                                       for key, text in model.messages.items()])
    if model.warnings:
        out += ["## Warnings a call emits", ""]
        out += table(("call", "argument class", "warning", "in states", "versions"),
                     [(f"`{w['call']}`", f"`{w['argument']}`",
                       f"{w['category']}(`{model.messages[w['message']]}`)",
                       ", ".join(w["states"]) if "states" in w else "every state",
                       versions_text(w.get("since"), w.get("until"))) for w in model.warnings])
    return out


def attribute_heading(spec: dict, observation: str) -> str:
    """An attribute's column heading: its name, the versions that have it, what inspect reads, tracking."""
    notes = [f"{spec['since']}+"] if spec.get("since") else []
    notes += ["read by inspect"] if spec.get("inspect") else []
    notes += [f"`{spec['tracked']}` under origin tracking"] if spec.get("tracked") else []
    return spec.get("name", observation) + (f" ({'; '.join(notes)})" if notes else "")


def versions_text(since, until) -> str:
    return Transition("", "", "", since=since, until=until).versions_text()


def unreachable_text(case) -> str:
    if case.call:
        arguments = f"({', '.join(case.arguments)})" if case.arguments else "()"
        return f"{case.source} + {case.call}{arguments}"
    return f"RUNNING, after {case.delivered}, body does {case.body}"
