"""Diagrams and the Markdown specification: drawn from the model, checked in fresh, overlaid with real reports."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.drivers.direct import DirectDriver
from conformance.engine.runner import RunOptions, run_driver
from conformance.output import diagrams
from conformance.output.report import build_report
from conformance.output.spec import spec_markdown
from conformance.protocol.model import DIRECT, available_models, load_model
from tests.conftest import require_program
from tests.stand_ins import Forwarding, SwallowsIgnoredExit

ROOT = Path(__file__).resolve().parent.parent
CHECKED_IN = ROOT / "diagrams"
REGENERATE = "python3 -m conformance diagram --all --out diagrams/"
SVG = "{http://www.w3.org/2000/svg}"


def transition_colours(svg_text: str) -> dict[str, str]:
    """Transition id -> the colour it is drawn in: an edge's stroke, or the text of a row inside a state."""
    colours = {}
    for group in ElementTree.fromstring(svg_text).iter(f"{SVG}g"):
        element_id = group.get("id", "")
        if element_id.startswith("edge-"):
            paint = next(p.get("stroke") for p in group.iter(f"{SVG}path"))
        elif element_id.startswith("a_loop-"):
            paint = next(t.get("fill") for t in group.iter(f"{SVG}text"))
        else:
            continue
        for transition_id in element_id.split("-", 1)[1].split("+"):
            colours[transition_id] = paint
    return colours


def state_names(svg_text: str) -> set[str]:
    return {group.find(f"{SVG}title").text for group in ElementTree.fromstring(svg_text).iter(f"{SVG}g")
            if group.get("class") == "node"}


def run_cli(*arguments, capsys):
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- drawing ------------------------------------------------------------------------------------------

MAGIC = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph"}


@pytest.mark.parametrize("fmt", diagrams.FORMATS)
def test_every_format_renders(fmt, tmp_path, capsys):
    if fmt != "dot":
        require_program("dot")
    code, out, _ = run_cli("diagram", "--format", fmt, "--out", str(tmp_path), capsys=capsys)
    assert code == 0
    written = tmp_path / f"coroutine.{fmt}"
    assert out.split() == [str(written)]
    assert written.read_bytes().startswith(MAGIC[fmt])


@pytest.mark.parametrize("name", available_models())
def test_svg_shows_every_state_and_transition(name):
    require_program("dot")
    model = load_model(name)
    svg = diagrams.render_svg(diagrams.whole_diagram(model).graph)
    assert state_names(svg) == set(model.states) | {"start"}
    direct_ids = {row.id for row in model.transitions if row.route == DIRECT}
    assert set(transition_colours(svg)) == direct_ids
    for route in model.routes:
        route_svg = diagrams.render_svg(diagrams.route_diagram(model, route).graph)
        wanted = {row.id for row in diagrams.route_rows(model, route)}
        if model.routes[route].awaitee:  # an awaitee kind's diagram shows only what the kind changes
            wanted = {row_id for row_id in wanted if model.transition(row_id).route != DIRECT}
        assert set(transition_colours(route_svg)) == wanted


def test_parallel_edges_with_one_outcome_are_merged_and_carry_every_id(model):
    source = diagrams.whole_diagram(model).graph.source
    # the re-entrant calls refused with the same error share one line inside the RUNNING box
    assert 'id="loop-running.send.none+running.send.value+running.throw.instance' in source
    # error outcomes are drawn in the error colour, plain ones are not
    refused = next(line for line in source.splitlines() if "edge-created.throw.stop-iteration\"" in line)
    assert f'color="{diagrams.ERROR}"' in refused
    plain = next(line for line in source.splitlines() if "edge-created.close" in line)
    assert diagrams.ERROR not in plain
    direct_rows = [row for row in model.transitions if row.route == DIRECT and row.source != row.target]
    assert source.count(" -> ") < len(direct_rows) and 'id="edge-suspended.send.none+suspended.send.value"' in source


def test_call_diagrams_show_the_call_and_what_the_body_does_with_it(model):
    close = diagrams.call_diagram(model, "close").graph.source
    assert "created.close" in close and "close.propagate" in close and "send.none" not in close


def test_version_difference_marks_exactly_the_rows_that_change(model):
    require_program("dot")
    old, new = (3, 12), (3, 13)
    svg = diagrams.render_svg(diagrams.diff_diagram(model, old, new).graph)
    colours = transition_colours(svg)
    added = {row.id for row in model.transitions if row.route == DIRECT and row.since == "3.13"}
    removed = {row.id for row in model.transitions if row.route == DIRECT and row.until == "3.13"}
    assert added and removed
    assert {tid for tid, colour in colours.items() if colour == diagrams.ADDED} == added
    assert {tid for tid, colour in colours.items() if colour == diagrams.REMOVED} == removed


def test_dot_output_is_deterministic(model):
    first = [d.graph.source for d in diagrams.all_diagrams(model)]
    second = [d.graph.source for d in diagrams.all_diagrams(load_model())]
    assert first == second


def test_without_dot_the_command_writes_dot_and_says_how_to_install(tmp_path):
    environment = dict(os.environ, PATH=str(tmp_path / "empty-path"))
    finished = subprocess.run([sys.executable, "-m", "conformance", "diagram", "--out", str(tmp_path)],
                              cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert (tmp_path / "coroutine.dot").read_text().startswith("digraph")
    assert not (tmp_path / "coroutine.svg").exists()
    hint = [line for line in finished.stderr.splitlines() if "apt-get install graphviz" in line]
    assert len(hint) == 1 and finished.stderr.count("\n") == 1


# -- the checked-in files -------------------------------------------------------------------------------

def dot_transition_ids(dot_text: str) -> set[str]:
    return {tid for group in re.findall(r'id="(?:edge|loop)-([^"]+)"', dot_text) for tid in group.split("+")}


def stale_files(folder: Path, models) -> list[str]:
    """Checked-in files that differ from what the model draws now, or are missing, or left over."""
    expected = {}
    for model in models:
        for diagram in diagrams.all_diagrams(model):
            expected[f"{diagram.stem}.dot"] = diagram.graph.source
        expected[f"{model.name}-spec.md"] = spec_markdown(model, diagram=f"{model.name}.svg")
    faults = []
    for name, text in expected.items():
        path = folder / name
        if not path.exists() or path.read_text() != text:
            faults.append(name)
        svg = path.with_suffix(".svg")
        if name.endswith(".dot") and (not svg.exists()
                                      or set(transition_colours(svg.read_text())) != dot_transition_ids(text)):
            faults.append(svg.name)
    faults += [p.name for p in folder.glob("*.dot") if p.name not in expected]
    return faults


def test_checked_in_diagrams_and_specs_are_fresh():
    stale = stale_files(CHECKED_IN, [load_model(name) for name in available_models()])
    assert not stale, f"stale or missing files in diagrams/: {', '.join(stale)}; regenerate with `{REGENERATE}`"


def test_staleness_check_notices_a_changed_model(tmp_path):
    changed = tmp_path / "coroutine.toml"
    changed.write_text((ROOT / "model" / "coroutine.toml").read_text().replace(
        "coroutine already executing", "coroutine is already executing"))
    stale = stale_files(CHECKED_IN, [load_model(changed)])
    assert "coroutine.dot" in stale and "coroutine-spec.md" in stale
    copied = tmp_path / "diagrams"
    shutil.copytree(CHECKED_IN, copied)
    shutil.copy(copied / "coroutine-send.svg", copied / "coroutine.svg")  # an SVG left behind by its DOT
    assert stale_files(copied, [load_model(name) for name in available_models()]) == ["coroutine.svg"]


def test_all_writes_the_checked_in_set(tmp_path, capsys):
    code, _, _ = run_cli("diagram", "--all", "--format", "dot", "--out", str(tmp_path), capsys=capsys)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in CHECKED_IN.iterdir() if p.suffix in (".dot", ".md") and p.name != "README.md")


def test_spec_lists_every_state_call_and_transition(model, capsys):
    code, text, _ = run_cli("spec", capsys=capsys)
    assert code == 0
    for row in model.transitions:
        assert f"`{row.id}`" in text
    for state in model.states:
        assert f"## In {state}" in text
    assert "| argument class | body reaction | outcome | next state | versions |" in text


# -- overlays from real reports -------------------------------------------------------------------------

class WrappedDriver(DirectDriver):
    name = "wrapped"
    wrapper = Forwarding

    def make_subject(self, script):
        return self.wrapper(super().make_subject(script))


class BrokenDriver(WrappedDriver):
    name = "broken"
    wrapper = SwallowsIgnoredExit


def run_report(model, driver_class) -> dict:
    options = RunOptions(drivers=[driver_class.name], examples=15, seed=1)
    results = run_driver(model, driver_class(model), options)
    return build_report([results], {model.name: model}, options)


@pytest.fixture(scope="module")
def reports():
    model = load_model()
    return model, run_report(model, WrappedDriver), run_report(model, BrokenDriver)


def overlay_colours(model, report, kind):
    facts = diagrams.report_facts(report, model, "report.json")
    return facts, transition_colours(diagrams.render_svg(diagrams.overlay_diagram(model, facts, kind).graph))


def test_divergence_overlay_marks_exactly_the_deviating_transitions_of_a_real_run(reports):
    require_program("dot")
    model, clean, broken = reports
    clean_facts, before = overlay_colours(model, clean, "divergence")
    broken_facts, after = overlay_colours(model, broken, "divergence")
    assert clean_facts.deviating == []
    assert "close.await" in broken_facts.deviating
    changed = {tid for tid in before if before[tid] != after.get(tid)}
    assert changed == set(broken_facts.deviating)
    assert {after[tid] for tid in changed} == {diagrams.ERROR}


def test_overlays_change_exactly_the_transitions_a_report_names(reports):
    require_program("dot")
    model, clean, _ = reports
    edited = copy.deepcopy(clean)
    named = {"suspended.send.value", "closed.close"}
    for case in edited["drivers"][0]["transitions"]:
        if case["id"] in named:
            case.update(verdict="deviates", expected="'a'", observed="'b'")
        if case["id"] == "created.send.value":
            case.update(verdict="message-only", expected="'a'", observed="'b'")
        if case["id"] == "created.close":
            case.update(verdict="not-observable")  # not a divergence: drawn like a conforming row
    _, before = overlay_colours(model, clean, "divergence")
    _, after = overlay_colours(model, edited, "divergence")
    assert {tid for tid in before if before[tid] != after[tid]} == named | {"created.send.value"}
    assert {after[tid] for tid in named} == {diagrams.ERROR}
    assert after["created.send.value"] == diagrams.MESSAGE_COLOUR
    unexercised = copy.deepcopy(clean)
    for case in unexercised["drivers"][0]["transitions"]:
        if case["id"] in named:
            case.update(count=0, verdict="unexercised")
    _, before = overlay_colours(model, clean, "coverage")
    _, after = overlay_colours(model, unexercised, "coverage")
    assert {tid for tid in before if before[tid] != after[tid]} == named
    assert {after[tid] for tid in named} == {diagrams.FAINT}


def test_report_overlay_through_the_command_line(reports, tmp_path, capsys):
    model, _, broken = reports
    path = tmp_path / "report.json"
    path.write_text(json.dumps(broken))
    code, out, _ = run_cli("diagram", "--report", str(path), "--format", "dot", "--out", str(tmp_path),
                           capsys=capsys)
    assert code == 0
    text = (tmp_path / "coroutine-divergence.dot").read_text()
    assert "DEVIATES" in text and "close.await" in text


def broken_reports(clean: dict) -> dict:
    """Each kind of bad report file, and a word its one-line error must contain."""
    unknown = copy.deepcopy(clean)
    unknown["drivers"][0]["transitions"][0]["id"] = "no.such.transition"
    digest = copy.deepcopy(clean)
    digest["models"]["coroutine"]["digest"] = "0123456789abcdef"
    fmt = dict(clean, format="something-else/9")
    no_drivers = dict(clean, drivers="many")
    entry = copy.deepcopy(clean)
    entry["drivers"][0]["transitions"][0] = "created.send.none"
    return {"unknown": (json.dumps(unknown), "no.such.transition"), "digest": (json.dumps(digest), "different"),
            "format": (json.dumps(fmt), "format"), "not-json": ("{not json", "not a JSON report"),
            "drivers": (json.dumps(no_drivers), "malformed"), "entry": (json.dumps(entry), "malformed"),
            "array": ("[1, 2]", "format")}


@pytest.mark.parametrize("fault", ["unknown", "digest", "format", "not-json", "drivers", "entry", "array",
                                   "wrong-model"])
def test_a_bad_report_is_one_clear_line_and_exit_2(fault, reports, tmp_path, capsys):
    _, clean, _ = reports
    path = tmp_path / f"{fault}.json"
    arguments = ["diagram", "--report", str(path), "--format", "dot", "--out", str(tmp_path)]
    if fault == "wrong-model":
        path.write_text(json.dumps(clean))
        arguments.insert(1, "generator")
        word = "no run of the 'generator' model"
    else:
        text, word = broken_reports(clean)[fault]
        path.write_text(text)
    code, _, err = run_cli(*arguments, capsys=capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and word in lines[0], err
    assert "Traceback" not in err


@pytest.mark.parametrize("arguments, word", [
    (["--format", "gif"], "unknown format 'gif'"),
    (["--call", "resume"], "unknown call 'resume'"),
    (["--route", "teleport"], "unknown route 'teleport'"),
    (["--from", "3.12"], "needs both --from X.Y and --to X.Y"),
    (["--from", "3.12", "--to", "2.7"], "Python 2.7 is not one of the model's versions"),
    (["--python", "three"], "expected a Python version such as 3.12"),
    (["no-such-model"], "no model named 'no-such-model'"),
])
def test_bad_diagram_arguments_are_one_line_and_exit_2(arguments, word, tmp_path, capsys):
    code, _, err = run_cli("diagram", *arguments, "--out", str(tmp_path), capsys=capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and word in err, err
