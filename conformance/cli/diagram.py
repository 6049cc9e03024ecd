"""The `coroconf diagram` and `coroconf spec` commands: files drawn and written from the model (and a report)."""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.errors import UsageError
from conformance.output import diagrams
from conformance.output.paths import check_writable_file, check_writable_folder
from conformance.output.report import read_json
from conformance.output.spec import spec_markdown
from conformance.protocol.model import available_models, load_model, version_tuple

ALL_FORMATS_DEFAULT = "svg,dot"


def parse_version(text: str) -> tuple[int, int]:
    try:
        return version_tuple(text)
    except ValueError:
        raise UsageError(f"expected a Python version such as 3.12, found {text!r}") from None


def parse_formats(text: str) -> list[str]:
    formats = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [f for f in formats if f not in diagrams.FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format {', '.join(unknown) or text!r}; choose from "
                          f"{', '.join(diagrams.FORMATS)} (comma-separated, e.g. --format svg,dot)")
    return formats


def model_version(model, text: str) -> tuple[int, int]:
    """A version given on the command line, checked against the model's list."""
    version = parse_version(text)
    if version not in model.version_tuples():
        raise UsageError(f"Python {text} is not one of the model's versions ({', '.join(model.versions)})")
    return version


def report_models(report: dict, driver: str | None) -> list:
    """The models a report ran (only the one `driver` ran, if given); [] when the report does not say."""
    recorded = report.get("models")
    if not isinstance(recorded, dict):
        return []
    runs = [d for d in report.get("drivers") or [] if isinstance(d, dict)]
    return [diagrams.report_model(report, name) for name in recorded
            if driver is None or any(d.get("driver") == driver and d.get("model") == name for d in runs)]


# -- coroconf diagram -------------------------------------------------------------------------------

def register_diagram(commands) -> None:
    diagram = commands.add_parser(
        "diagram", help="draw the model's state machine (and a run's coverage or divergence) with Graphviz",
        description="Draw the model as a state diagram. Without options: the whole machine. "
                    "`--all --out diagrams/` regenerates every checked-in diagram and specification.")
    diagram.add_argument("name", nargs="?", default=None,
                         help="a shipped model (coroutine, generator) or a model file (default: coroutine)")
    diagram.add_argument("--model", metavar="FILE", help="a model file (same as NAME)")
    view = diagram.add_mutually_exclusive_group()
    view.add_argument("--call", help="one call's diagram: its rows and the body's reactions to what it delivers")
    view.add_argument("--route", help="one route's diagram (await-iterator, delegation)")
    view.add_argument("--from", dest="old", metavar="X.Y", help="a version difference diagram, with --to")
    view.add_argument("--report", metavar="FILE", help="overlay a run report (from `coroconf run --report`)")
    view.add_argument("--all", action="store_true",
                      help="every diagram of every shipped model (or of NAME), plus each model's Markdown "
                           f"specification (default formats: {ALL_FORMATS_DEFAULT})")
    diagram.add_argument("--to", dest="new", metavar="X.Y", help="the later version of --from")
    diagram.add_argument("--overlay", choices=("auto", "coverage", "divergence"), default="auto",
                         help="with --report: coverage counts or deviations (auto: divergence if anything deviates)")
    diagram.add_argument("--driver", help="with --report: only this driver's results (default: all of the model's)")
    diagram.add_argument("--python", metavar="X.Y", help="the whole diagram for one version only")
    diagram.add_argument("--format", default=None,
                         help="comma-separated: svg, png, pdf, dot (default: svg)")
    diagram.add_argument("--out", default=".", metavar="DIR", help="folder to write into (default: .)")
    diagram.set_defaults(handler=command_diagram)


def command_diagram(arguments) -> int:
    if arguments.name and arguments.model:
        raise UsageError("give the model either as NAME or with --model, not both")
    if (arguments.old is None) != (arguments.new is None):
        raise UsageError("a version difference needs both --from X.Y and --to X.Y")
    formats = parse_formats(arguments.format or (ALL_FORMATS_DEFAULT if arguments.all else "svg"))
    check_writable_folder(arguments.out, "--out")
    name = arguments.name or arguments.model
    models = [load_model(name)] if name or not arguments.all else [load_model(n) for n in available_models()]
    model = models[0]
    if arguments.all:
        made = [d for m in models for d in diagrams.all_diagrams(m)]
    elif arguments.call:
        if arguments.call not in model.calls:
            raise UsageError(f"unknown call {arguments.call!r}; the model's calls are {', '.join(model.calls)}")
        made = [diagrams.call_diagram(model, arguments.call)]
    elif arguments.route:
        if arguments.route not in model.routes:
            raise UsageError(f"unknown route {arguments.route!r}; the model's routes are "
                              f"{', '.join(model.routes)}")
        made = [diagrams.route_diagram(model, arguments.route)]
    elif arguments.old:
        old, new = model_version(model, arguments.old), model_version(model, arguments.new)
        made = [diagrams.diff_diagram(model, old, new)]
    elif arguments.report:
        report = read_json(arguments.report)
        if not name:
            models = report_models(report, arguments.driver) or models
        made = [diagrams.overlay_diagram(each, diagrams.report_facts(report, each, arguments.report, arguments.driver),
                                         arguments.overlay) for each in models]
    else:
        version = model_version(model, arguments.python) if arguments.python else None
        made = [diagrams.whole_diagram(model, version)]
    have_dot = diagrams.dot_available()
    if not have_dot and "dot" not in formats:
        formats.append("dot")
    for diagram in made:
        for path in diagrams.write_diagram(diagram, arguments.out, formats):
            print(path)
        for note in diagram.notes:
            print(f"note: {diagram.stem}: {note}", file=sys.stderr)
    if arguments.all:
        for each in models:
            print(write_spec(each, Path(arguments.out) / f"{each.name}-spec.md", diagram=f"{each.name}.svg"))
    if not have_dot:
        print(f"coroconf diagram: {diagrams.INSTALL_HINT}", file=sys.stderr)
    return 0


# -- coroconf spec ----------------------------------------------------------------------------------

def register_spec(commands) -> None:
    spec = commands.add_parser("spec", help="write the model as a readable Markdown specification",
                               description="Per state and call: argument class, body reaction, outcome, next "
                                           "state and the versions where it differs.")
    spec.add_argument("name", nargs="?", default="coroutine",
                      help="a shipped model (coroutine, generator) or a model file (default: coroutine)")
    spec.add_argument("--out", metavar="FILE", help="write here instead of printing")
    spec.set_defaults(handler=command_spec)


def write_spec(model, path: Path, diagram: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_markdown(model, diagram=diagram))
    return path


def command_spec(arguments) -> int:
    from conformance.output.spec import spec_markdown

    model = load_model(arguments.name)
    if arguments.out is not None:
        check_writable_file(arguments.out, "--out")
        print(write_spec(model, Path(arguments.out)))
    else:
        sys.stdout.write(spec_markdown(model))
    return 0

