"""Expected verdicts per interpreter (expectations/verdicts.toml), and the comparison with a matrix.

Every cell of the matrix that is not "conforms" must be listed for its interpreter, with its verdict and
the reasons it is believed right; a listed cell that now conforms, or any other change, is a mismatch. So
any change in what the suite says about an interpreter shows up and gets reviewed.

    [targets.pypy3]
    unavailable_drivers = []                       # drivers that cannot run there at all
    unavailable_evidence = "why, where they are"   # (the run's reasons are written above as comments)
    not_observable = ["coroutine:created.send.none", ...]

    [[targets.pypy3.deviation]]
    transition = "generator:stop-iteration.propagate"
    verdict = "deviates"                           # or message-only, hang, crash
    does = "what the interpreter does"
    model_expects = "what the model says"
    evidence = "a source, an issue, or a minimal reproducer"

A target may say `unstable = { cells = [...], attributes = [...], why = "..." }`, with the reason:
- `cells`: their verdict is the expected one or, from run to run, "deviates" (an implementation that reads
  uninitialised memory there), or for an expected crash "conforms" (a crash that shows on some runs only);
- `attributes`: introspection attributes whose value is noise on that target (Nuitka's cr_suspended reads a
  byte of an unrelated pointer); every cell is compared as if its differences in them were not there, so the
  expected verdicts list what the target does apart from them.
"""

from __future__ import annotations

from conformance.errors import ExpectationsError
from conformance.protocol.model import read_toml
from conformance.protocol.observation import CONFORMS, CRASH, DEVIATES
from conformance.protocol.verdicts import DIVERGENT, severity

NOTE_FIELDS = ("does", "model_expects", "evidence")
RAN = ("conforms", "deviates")  # a driver's status in a report when it ran at all




def load_expectations(path) -> dict:
    """{target label: {"unavailable_drivers": set, "cells": {transition key: verdict}, "notes": {...}}}."""
    data = read_toml(path, "expectations", ExpectationsError)
    targets = {}
    for label, entry in data.get("targets", {}).items():
        cells, notes = {}, {}
        for key in entry.get("not_observable", []):
            cells[key] = "not-observable"
        for deviation in entry.get("deviation", []):
            missing = [name for name in ("transition", "verdict", *NOTE_FIELDS) if not deviation.get(name)]
            if missing:
                raise ExpectationsError(f"{path}: a deviation of {label!r} ({deviation.get('transition', '?')}) lacks "
                                 f"{', '.join(missing)}; every deviation says what the interpreter does, what the "
                                 "model expects and why the verdict is right")
            cells[deviation["transition"]] = deviation["verdict"]
            notes[deviation["transition"]] = {name: deviation[name] for name in NOTE_FIELDS}
        unstable = entry.get("unstable", {})
        if unstable and not (all(isinstance(unstable.get(name, []), list) for name in ("cells", "attributes"))
                             and unstable.get("why") and set(unstable) <= {"cells", "attributes", "why"}):
            raise ExpectationsError(f"{path}: {label!r}'s `unstable` needs `why` and may name `cells` and "
                                    f"`attributes` (lists), found {sorted(unstable)}")
        targets[label] = {"unavailable_drivers": set(entry.get("unavailable_drivers", [])), "cells": cells,
                          "notes": notes, "unstable": set(unstable.get("cells", [])),
                          "unstable_attributes": set(unstable.get("attributes", [])),
                          "unavailable_evidence": entry.get("unavailable_evidence")}
    return targets


def judged_verdict(cell: dict, expectation: dict) -> str:
    """A matrix cell's verdict, leaving out its differences in the attributes the target reads as noise."""
    noise = expectation.get("unstable_attributes", ())
    differs_in = cell.get("differs_in")
    if not noise or not differs_in:
        return cell["verdict"]
    return max((verdict for where, verdict in differs_in.items() if where not in noise), key=severity,
               default=CONFORMS)


def expected_verdict(key: str, cell: dict, expectation: dict) -> bool:
    """Whether a cell's verdict is the expected one; a cell the target lists as unstable (the implementation
    reads uninitialised memory there, say) may also deviate, and one expected to crash may also conform (the
    crash shows on some runs only)."""
    want = expectation["cells"].get(key, CONFORMS)
    found = judged_verdict(cell, expectation)
    if found == want:
        return True
    unstable = key in expectation.get("unstable", ())
    return unstable and (found == DEVIATES or (want == CRASH and found == CONFORMS))


def compare_with_expectations(matrix: dict, expectations: dict) -> list[str]:
    """Every difference between the matrix's verdicts and the expected ones, in words."""
    mismatches = []
    for column in matrix["columns"]:
        label = column["label"]
        expected = expectations.get(label, {"unavailable_drivers": set(), "cells": {}, "unstable": set(),
                                            "unstable_attributes": set()})
        if column["state"] != "complete":
            mismatches.append(f"{label}: the run did not complete ({column['state']}): {column.get('error')}")
            continue
        unavailable = {d for d, status in column["drivers"].items() if status not in RAN}
        if unavailable != expected["unavailable_drivers"]:
            mismatches.append(f"{label}: drivers that could not run: expected "
                              f"{sorted(expected['unavailable_drivers'])}, found {sorted(unavailable)}")
        seen = set()
        for row in matrix["rows"]:
            cell = row["cells"][label]
            if cell["verdict"] in ("not-run", "unavailable"):
                continue
            seen.add(row["key"])
            want = expected["cells"].get(row["key"], CONFORMS)
            if not expected_verdict(row["key"], cell, expected):
                observed = f" (observed {cell['observed']})" if cell.get("observed") else ""
                found = judged_verdict(cell, expected)
                apart = f" apart from {', '.join(sorted(expected['unstable_attributes']))}" \
                    if found != cell["verdict"] else ""
                mismatches.append(f"{label}: {row['key']}: expected {want}, found {found}{apart}{observed}")
        for key in expected["cells"]:
            if key not in seen:
                mismatches.append(f"{label}: {key}: expected {expected['cells'][key]}, but it was not exercised")
    return mismatches


def expectations_text(matrix: dict, existing: dict | None = None) -> str:
    """An expectations file for the matrix's current verdicts, keeping the notes already written."""
    existing = existing or {}
    lines = ["# Expected verdicts of `coroconf matrix` per interpreter; see conformance/output/expectations.py.",
             "# A cell not listed is expected to conform. Regenerate the skeleton with",
             "# `coroconf matrix --write-expectations FILE`, then explain every deviation by hand.", ""]
    for column in matrix["columns"]:
        label = column["label"]
        known = existing.get(label, {"notes": {}})
        unavailable = sorted(d for d, status in column["drivers"].items() if status not in RAN)
        not_observable = [r["key"] for r in matrix["rows"] if r["cells"][label]["verdict"] == "not-observable"]
        deviations = [r for r in matrix["rows"] if judged_verdict(r["cells"][label], known) in DIVERGENT]
        if not (unavailable or not_observable or deviations):
            continue
        lines.append(f"[targets.{_quote(label)}]")
        lines.append(f"# {column.get('implementation')} {column.get('version')}, profile {column.get('profile')}")
        lines += [f"# {driver} cannot run there: {column['drivers'][driver]}" for driver in unavailable]
        lines.append(f"unavailable_drivers = {_list(unavailable)}")
        if known.get("unavailable_evidence"):
            lines.append(f"unavailable_evidence = {_quote(known['unavailable_evidence'])}")
        lines.append(f"not_observable = {_list(not_observable)}")
        lines.append("")
        for row in deviations:
            cell = row["cells"][label]
            notes = known["notes"].get(row["key"], {})
            lines.append(f"[[targets.{_quote(label)}.deviation]]")
            lines.append(f"transition = {_quote(row['key'])}")
            lines.append(f"verdict = {_quote(judged_verdict(cell, known))}")
            lines.append(f"does = {_quote(notes.get('does') or ('observed ' + str(cell.get('observed'))))}")
            lines.append(f"model_expects = {_quote(notes.get('model_expects') or str(cell.get('expected')))}")
            lines.append(f"evidence = {_quote(notes.get('evidence') or 'TODO')}")
            lines.append("")
    return "\n".join(lines)


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _list(items) -> str:
    if not items:
        return "[]"
    return "[\n" + "".join(f"    {_quote(item)},\n" for item in items) + "]"


# -- the README's table of differences ---------------------------------------------------------------

TABLE_START = ("<!-- The table below is generated from expectations/verdicts.toml: "
               "python3 -m conformance.output.expectations README.md rewrites it. -->")
TABLE_END = "<!-- end of the generated table -->"


def differences_table(path) -> str:
    """What each implementation and compiler does differently, from an expected-verdicts file, as Markdown:
    one collapsible table per target, one row per behaviour (the deviations that share a `does` text)."""
    data = read_toml(path, "expectations", ExpectationsError)
    out = []
    for label, entry in data.get("targets", {}).items():
        behaviours: dict[str, dict] = {}
        for deviation in entry.get("deviation", []):
            row = behaviours.setdefault(deviation["does"], {"verdicts": [], "transitions": []})
            row["verdicts"] += [deviation["verdict"]] if deviation["verdict"] not in row["verdicts"] else []
            row["transitions"].append(deviation["transition"])
        unavailable = entry.get("unavailable_drivers", [])
        said = [f"{len(entry.get('deviation', []))} transitions differ", f"{len(behaviours)} behaviours"]
        said += [f"{len(entry['not_observable'])} not observable"] if entry.get("not_observable") else []
        said += [f"drivers unavailable: {', '.join(unavailable)}"] if unavailable else []
        out += [f"<details><summary><b>{label}</b>: {'; '.join(said)}</summary>", ""]
        if not (behaviours or entry.get("unstable")):  # only drivers that cannot run: say why instead of a table
            out += [_cell(entry.get("unavailable_evidence", "nothing differs")), "", "</details>", ""]
            continue
        out += ["| verdict | what it does | transitions |", "|---|---|---|"]
        for does, row in behaviours.items():
            transitions = ", ".join(f"`{key}`" for key in row["transitions"])
            out.append(f"| {' / '.join(row['verdicts'])} | {_cell(does)} | {transitions} |")
        unstable = entry.get("unstable", {})
        if unstable:
            where = [f"`{key}`" for key in unstable.get("cells", [])]
            where += [f"every transition, for `{name}`" for name in unstable.get("attributes", [])]
            out.append(f"| unstable | {_cell(unstable['why'])} | {', '.join(where)} |")
        out += ["", "</details>", ""]
    return "\n".join([TABLE_START, "", *out, TABLE_END])


def with_differences_table(text: str, table: str) -> str:
    """`text` (the README) with its generated table replaced by `table`."""
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        raise ExpectationsError(f"expected the markers {TABLE_START!r} and {TABLE_END!r} in the README, in that "
                                "order; put them where the table goes")
    return text[:start] + table + text[end + len(TABLE_END):]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":  # python3 -m conformance.output.expectations README.md: rewrite its table
    import sys
    from pathlib import Path

    from conformance import PACKAGE_DIR

    readme = Path(sys.argv[1] if len(sys.argv) > 1 else PACKAGE_DIR.parent / "README.md")
    table = differences_table(PACKAGE_DIR.parent / "expectations" / "verdicts.toml")
    readme.write_text(with_differences_table(readme.read_text(), table))
