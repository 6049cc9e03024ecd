"""The `coroconf` command line.

Exit codes: 0 conformant, 1 a deviation (or a driver that could not run), 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys

from . import __version__
from .model import ModelError, load_model, outcome_text, trigger_columns, version_tuple
from .paths import PathError, check_writable_file
from .profiles import ProfileError, explicit_profile, interpreter_profile
from .report import ReportError

EXIT_OK, EXIT_DEVIATION, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def python_version(text: str) -> tuple[int, int]:
    try:
        return version_tuple(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a Python version such as 3.12, found {text!r}") from None


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (naming the argument and the fault), not usage text too."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="coroconf", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"coroutine-conformance {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for register in COMMANDS:
        register(commands)
    return parser


# -- coroconf run -----------------------------------------------------------------------------------

def register_run(commands) -> None:
    from .drivers import DRIVERS

    run = commands.add_parser("run", help="run the conformance suite against this interpreter's coroutines",
                              description="Tour every transition of the model, then let Hypothesis search for "
                                          "deviations, once per driver.")
    run.add_argument("--driver", dest="drivers", action="append", choices=sorted(DRIVERS), metavar="NAME",
                     help=f"a driver to run (repeatable; default: all of {', '.join(DRIVERS)})")
    run.add_argument("--examples", type=int, metavar="N",
                     help="Hypothesis examples per driver (default: the Hypothesis profile's max_examples; "
                          "0: the deterministic tour alone)")
    run.add_argument("--seed", type=int, help="seed Hypothesis, to reproduce a run")
    run.add_argument("--messages", choices=("strict", "lenient"), default="strict",
                     help="strict: a different exception message is a failure; lenient: types only (default strict)")
    run.add_argument("--strict-coverage", action="store_true",
                     help="fail when any transition the driver can reach went unexercised")
    run.add_argument("--profile", type=python_version, metavar="X.Y",
                     help="the model's version profile (default: the running interpreter's version)")
    run.add_argument("--model", metavar="FILE", help="a model file to use instead of the shipped one")
    run.add_argument("--report", metavar="FILE", help="write the JSON report here (rewritten as drivers finish)")
    run.add_argument("--junit", metavar="FILE", help="write a JUnit XML report here")
    run.add_argument("--html", metavar="FILE", help="write a self-contained HTML report (summary, diagram, failures)")
    run.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    from .drivers.agent import add_interpreter_options
    add_interpreter_options(run)
    from .compiled import add_subject_option  # --subject cython|nuitka: see compiled.py
    add_subject_option(run)
    run.set_defaults(handler=command_run)


def command_run(arguments) -> int:
    from .report import build_report, findings_text, summary_table, write_json, write_junit
    from .runner import RunOptions, run_driver_by_name

    if arguments.examples is not None and arguments.examples < 0:
        raise UsageError(f"--examples must be at least 0 (0: the tour alone), found {arguments.examples}")
    for option, path in (("--report", arguments.report), ("--junit", arguments.junit), ("--html", arguments.html)):
        check_writable_file(path, option)  # before the run, so that no result is lost to an unwritable path
    seed = arguments.seed if arguments.seed is not None else random.randrange(2 ** 32)
    options = RunOptions(examples=arguments.examples, seed=seed,
                         strict_messages=arguments.messages == "strict", model_path=arguments.model)
    if arguments.drivers:
        options.drivers = list(dict.fromkeys(arguments.drivers))
    model_list = run_models(options)
    if arguments.profile:
        options.version = explicit_profile(model_list, arguments.profile)
    progress = None if arguments.quiet else (lambda text: print(f"[coroconf] {text}", file=sys.stderr, flush=True))
    results, models = [], {}  # the models the drivers ran, for the report
    run_driver_by_name, interpreter, close_interpreter = run_driver_by_name, None, lambda: None
    from .compiled import use_compiled_subject
    use_compiled_subject(arguments, progress)  # a compiled subject runs in a child, through the agent
    if getattr(arguments, "interpreter", None):  # the subjects live in another interpreter: see drivers/agent.py
        from .drivers.agent import interpreter_run
        run_driver_by_name, interpreter, close_interpreter = interpreter_run(arguments, options, progress)
    if not arguments.profile:
        options.version, note = interpreter_profile(model_list, options.version)
        if note:
            print(f"[coroconf] {note}", file=sys.stderr, flush=True)

    running = []  # the driver under way, as far as it got (see RunOptions.checkpoint)

    def save(partial: bool) -> dict:
        report = build_report(results + running, models, options, partial=partial, interpreter=interpreter)
        if arguments.report:
            write_json(report, arguments.report)
        return report

    def checkpoint(current) -> None:
        running[:] = [current]
        save(partial=True)

    options.checkpoint = checkpoint if arguments.report else None
    interrupted = False
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_interrupt)  # a kill keeps the results too
    try:
        for name in options.drivers:
            results.append(run_driver_by_name(name, options, models, progress))
            running.clear()
            save(partial=True)
    except KeyboardInterrupt:
        interrupted = True
        print("[coroconf] interrupted: the report keeps what was checked so far and says it is partial",
              file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        close_interpreter()
    report = save(partial=interrupted)
    if arguments.junit:
        write_junit(report, arguments.junit)
    if arguments.html:
        from .html_report import write_html

        write_html(report, arguments.html)
    findings = findings_text(report)
    if findings:
        print(f"\n{findings}\n")
    print(summary_table(report))
    uncovered = [d["driver"] for d in report["drivers"] if d["coverage"]["covered"] < d["coverage"]["exercisable"]]
    print(f"seed: {seed} (reproduce: add --seed {seed} to the same command)")
    if interrupted:
        return 130
    if report["verdict"] != "conforms":
        print("verdict: DEVIATES from the model (see above)")
        return EXIT_DEVIATION
    if arguments.strict_coverage and uncovered:
        print(f"verdict: transitions left unexercised by {', '.join(uncovered)} (--strict-coverage)")
        return EXIT_DEVIATION
    print("verdict: conforms to the model")
    return EXIT_OK


def run_models(options) -> list:
    """The models the chosen drivers check against (loaded now, so that a bad model stops the run first)."""
    from .drivers import DRIVERS

    names = {options.model_path or DRIVERS[name].model_name for name in options.drivers}
    return [load_model(name) for name in sorted(names)]


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


# -- coroconf model ---------------------------------------------------------------------------------

def register_model(commands) -> None:
    model = commands.add_parser("model", help="print the model as a table",
                                description="Print the model's transitions: state, call, argument, body reaction, "
                                            "outcome, next state and versions.")
    model.add_argument("name", nargs="?", default="coroutine",
                       help="a shipped model (coroutine, generator) or a model file (default: coroutine)")
    model.add_argument("--state", help="only rows starting from this state (CREATED, RUNNING, SUSPENDED, CLOSED)")
    model.add_argument("--call", help="only rows of this call (send, throw, close, collect)")
    model.add_argument("--python", type=python_version, metavar="X.Y", help="only rows that apply to this version")
    model.add_argument("--route", default=None, help="show this route's rows (with --python: the route's table)")
    model.add_argument("--format", choices=("text", "markdown"), default="text")
    model.set_defaults(handler=command_model)


def command_model(arguments) -> int:
    model = load_model(arguments.name)
    states = {s.upper() for s in model.states}
    if arguments.state and arguments.state.upper() not in states:
        raise UsageError(f"unknown state {arguments.state!r}; the model's states are {', '.join(model.states)}")
    if arguments.call and arguments.call not in model.calls:
        raise UsageError(f"unknown call {arguments.call!r}; the model's calls are {', '.join(model.calls)}")
    if arguments.route and arguments.route not in model.routes:
        raise UsageError(f"unknown route {arguments.route!r}; the model's routes are {', '.join(model.routes)}")
    if arguments.python:
        rows = model.applicable_transitions(arguments.python, arguments.route or "direct")
    else:
        rows = [r for r in model.transitions if arguments.route is None or r.route == arguments.route]
    if arguments.state:
        rows = [r for r in rows if r.source == arguments.state.upper()]
    if arguments.call:
        rows = [r for r in rows if r.call == arguments.call]
    header = ("id", "state", "call", "argument", "body reaction", "outcome", "next state", "versions")
    table = [header] + [(r.id, r.source, *trigger_columns(r), outcome_text(model, r), r.target, r.versions_text())
                        for r in rows]
    print(f"{model.title}: {len(rows)} of {len(model.transitions)} transitions ({model.path})")
    if arguments.format == "markdown":
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in table[1:]:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        return EXIT_OK
    widths = [min(max(len(row[i]) for row in table), 70) for i in range(len(header))]
    for number, row in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))
    return EXIT_OK


from .diagram_commands import register_diagram, register_spec  # noqa: E402 - commands live in their modules

from .check_command import register_check  # noqa: E402 - `coroconf check` lives in its own module

from .matrix import register_matrix  # noqa: E402 - `coroconf matrix` lives in its own module
COMMANDS = [register_run, register_model, register_diagram, register_spec, register_check, register_matrix]


def main(argv=None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except (UsageError, ModelError, ReportError, PathError, ProfileError) as error:
        print(f"coroconf {arguments.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - a bug of the suite: one line here, the traceback kept aside
        where = save_internal_error(arguments, error)
        print(f"coroconf {arguments.command}: internal error (a bug in coroutine-conformance, not a finding "
              f"about the subject): {type(error).__name__}: {_one_line(error)}; the traceback is in {where}",
              file=sys.stderr)
        return EXIT_USAGE


def save_internal_error(arguments, error: BaseException) -> str:
    """Keep the traceback: in the run's own report when one was asked for (marked partial, with what was
    checked before the error), otherwise in a file of its own. Returns where it went."""
    import json
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    report_path = getattr(arguments, "report", None) if arguments.command in ("run", "check") else None
    if report_path:
        from .report import REPORT_FORMAT, write_json

        try:
            with open(report_path) as handle:
                report = json.load(handle)
            if report.get("format") != REPORT_FORMAT:
                raise ValueError("not our report")
        except (OSError, ValueError):
            report = {"format": REPORT_FORMAT, "drivers": []}
        report.update(partial=True, verdict="internal-error",
                      internal_error={"error": f"{type(error).__name__}: {error}", "traceback": text})
        try:
            write_json(report, report_path)
            return f"{report_path} (internal_error)"
        except ReportError:
            pass
    with tempfile.NamedTemporaryFile("w", prefix="coroconf-internal-error-", suffix=".txt", delete=False) as handle:
        handle.write(text)
    return handle.name


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]


if __name__ == "__main__":
    sys.exit(main())
