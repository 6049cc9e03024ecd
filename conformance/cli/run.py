"""`coroconf run` (the suite against this interpreter, another one through the agent, or a compiled subject)
and `coroconf model` (the model as a table)."""

from __future__ import annotations

import argparse
import signal
import sys

from conformance.cli.common import (
    EXIT_DEVIATION,
    EXIT_OK,
    add_depth_argument,
    add_origin_tracking,
    chosen_depth,
    chosen_seed,
    progress_printer,
    python_version,
)
from conformance.drivers import DRIVERS, modelled_drivers
from conformance.drivers.probing import AgentProber, InProcessProber
from conformance.engine.probing import run_probes
from conformance.engine.runner import (
    DEFAULT_DEPTH,
    RunOptions,
    run_driver_by_name,
    run_driver_in_child,
    start_interpreter,
)
from conformance.errors import UsageError
from conformance.output.html_report import write_html
from conformance.output.paths import check_writable_file
from conformance.output.report import (
    NOT_APPLICABLE,
    build_report,
    findings_text,
    shape_text,
    summary_table,
    write_json,
    write_junit,
)
from conformance.protocol.model import available_models, load_model, outcome_text, trigger_columns
from conformance.protocol.profiles import explicit_profile, interpreter_profile
from conformance.remote.compiled import SUBJECTS, build, build_probes

# -- coroconf run -----------------------------------------------------------------------------------

def register_run(commands) -> None:
    run = commands.add_parser("run", help="run the conformance suite against this interpreter's coroutines",
                              description="Tour every transition of the model, check every sequence of up to "
                                          "--depth calls, then let Hypothesis search for deviations, once per "
                                          "driver.")
    run.add_argument("--driver", dest="drivers", action="append", choices=sorted(DRIVERS), metavar="NAME",
                     help=f"a driver to run (repeatable; default: all of {', '.join(DRIVERS)})")
    run.add_argument("--examples", type=int, metavar="N",
                     help="Hypothesis examples per driver (default: the Hypothesis profile's max_examples; "
                          "0: no Hypothesis, the tour and --depth alone)")
    add_depth_argument(run, f"{DEFAULT_DEPTH}; through the agent (--interpreter, --subject) 0, as each sequence "
                            f"there costs a round trip and, where the child collects lazily, a garbage collection")
    run.add_argument("--seed", type=int, help="seed Hypothesis, to reproduce a run")
    run.add_argument("--messages", choices=("strict", "lenient"), default="strict",
                     help="strict: a different exception message is a failure; lenient: types only (default strict)")
    run.add_argument("--strict-coverage", action="store_true",
                     help="fail when any transition the driver can reach went unexercised")
    run.add_argument("--profile", type=python_version, metavar="X.Y",
                     help="the model's version profile (default: the running interpreter's version)")
    run.add_argument("--model", metavar="FILE", help="a model file to use instead of the shipped one")
    run.add_argument("--models", metavar="NAME[,NAME]", type=model_names,
                     help=f"run only the drivers of these models (default: all of {', '.join(available_models())})")
    add_origin_tracking(run)
    run.add_argument("--report", metavar="FILE", help="write the JSON report here (rewritten as drivers finish)")
    run.add_argument("--junit", metavar="FILE", help="write a JUnit XML report here")
    run.add_argument("--html", metavar="FILE", help="write a self-contained HTML report (summary, diagram, failures)")
    run.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    run.add_argument("--interpreter", metavar="TARGET",
                     help="run the subjects inside this interpreter through the agent: a Python command "
                          "(pypy3, /usr/bin/python3.11, ~/.pyenv/versions/3.8.18/bin/python), pyodide or "
                          "micropython; the profile follows the version it reports unless --profile is given")
    run.add_argument("--call-timeout", type=float, default=10.0, metavar="SECONDS",
                     help="with --interpreter: a call with no answer after this long is a hang (default 10)")
    run.add_argument("--subject-module", metavar="FILE",
                     help="with --interpreter: a module (source or compiled) whose scripted_body and "
                          "scripted_generator replace body.py's as the subject factory")
    run.add_argument("--probes-module", metavar="FILE", help=argparse.SUPPRESS)  # a build of probes.py (--subject)
    run.add_argument("--subject", choices=SUBJECTS, default="native",
                     help="native: this interpreter's async def (default); cython / nuitka / mypyc: compile the "
                          "body with that compiler (cached) and run the suite against it in a child process")
    run.set_defaults(handler=command_run)


def command_run(arguments) -> int:
    options = run_options(arguments)
    progress = progress_printer(arguments.quiet)
    use_compiled_subject(arguments, progress)  # a compiled subject runs in a child, through the agent
    run_one, interpreter, close_interpreter = run_driver_by_name, None, lambda: None
    prober = InProcessProber()
    if arguments.interpreter:  # the subjects live in another interpreter: see drivers/agent.py
        run_one, interpreter, close_interpreter, prober = interpreter_run(arguments, options, progress)
    if not arguments.profile:
        options.version, note = interpreter_profile(run_models(options), options.version)
        if note:
            print(f"[coroconf] {note}", file=sys.stderr, flush=True)
    if arguments.models:
        options.drivers = [name for name in options.drivers if DRIVERS[name].model_name in arguments.models]
    if not arguments.drivers:  # by default, only the drivers the model can judge on this profile
        options.drivers, left_out = modelled_drivers(options.drivers, options.version)
        for name, why in left_out.items():
            print(f"[coroconf] {name}: not run, as {why}", file=sys.stderr, flush=True)
    report, interrupted = run_drivers(arguments, options, run_one, interpreter, close_interpreter, progress, prober)
    return finish_run(arguments, options, report, interrupted)


def model_names(text: str) -> list[str]:
    """--models: model names, comma-separated, each one the suite ships."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in available_models()]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"expected model names from {', '.join(available_models())}, "
                                         f"found {text!r}")
    return names


def run_options(arguments) -> RunOptions:
    """The run's options from the command line, every path checked before anything runs."""
    if arguments.examples is not None and arguments.examples < 0:
        raise UsageError(f"--examples must be at least 0 (0: the tour alone), found {arguments.examples}")
    for option, path in (("--report", arguments.report), ("--junit", arguments.junit), ("--html", arguments.html)):
        check_writable_file(path, option)  # before the run, so that no result is lost to an unwritable path
    seed = chosen_seed(arguments)
    in_process = not arguments.interpreter and arguments.subject == "native"
    options = RunOptions(examples=arguments.examples, seed=seed,
                         depth=chosen_depth(arguments, DEFAULT_DEPTH if in_process else 0),
                         strict_messages=arguments.messages == "strict", model_path=arguments.model,
                         origin_tracking=arguments.origin_tracking)
    if arguments.drivers:
        options.drivers = list(dict.fromkeys(arguments.drivers))
    if arguments.profile:
        options.version = explicit_profile(run_models(options), arguments.profile)
    return options


def use_compiled_subject(arguments, progress=None) -> None:
    """Turn `--subject cython|nuitka|mypyc` into the agent options: this Python as the child, the build as subject."""
    if arguments.subject == "native":
        return
    if arguments.subject_module:
        raise UsageError("--subject and --subject-module both name the subject; give one of them")
    if arguments.interpreter not in (None, sys.executable, "python3"):
        raise UsageError("--subject compiles for this Python; it cannot be combined with another --interpreter")
    module, _ = build(arguments.subject, progress)
    probes_module, _ = build_probes(arguments.subject, progress)
    arguments.interpreter, arguments.subject_module = sys.executable, str(module)
    arguments.probes_module = str(probes_module)


def interpreter_run(arguments, options: RunOptions, progress=None):
    """Start the agent in --interpreter; return (run one driver by name, the report's interpreter field, close,
    the prober that runs the probes there)."""
    if arguments.call_timeout <= 0:
        raise UsageError(f"--call-timeout must be a positive number of seconds, found {arguments.call_timeout}")
    process = start_interpreter(arguments.interpreter, arguments.call_timeout, arguments.subject_module, progress,
                                arguments.probes_module)
    if not arguments.profile:
        options.version = process.version()
    if not arguments.drivers:
        offered = {*process.hello.get("drivers", ()), *process.hello.get("unavailable", {})}  # the latter: said why
        options.drivers = [name for name in DRIVERS if (DRIVERS[name].base_name or name) in offered]

    def run_one(name, run_options, models, say=None):
        return run_driver_in_child(name, run_options, models, process, say)

    return run_one, process.info(), process.close, AgentProber(process)


def run_drivers(arguments, options, run_one, interpreter, close_interpreter, progress, prober=None):
    """Each driver in turn, then the model's probes (once), the report rewritten as they finish (and every
    second within one), so that an interruption keeps what was checked. Returns (the report, whether it was
    interrupted)."""
    results, models = [], {}  # the models the drivers ran, for the report
    running = []  # the driver under way, as far as it got (see RunOptions.checkpoint)
    probes = []

    def save(partial: bool) -> dict:
        report = build_report(results + running, models, options, partial=partial, interpreter=interpreter,
                              probes=probes)
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
            results.append(run_one(name, options, models, progress))
            running.clear()
            save(partial=True)
        if prober is not None:
            probes[:] = run_run_probes(options, prober, progress)
    except KeyboardInterrupt:
        interrupted = True
        print("[coroconf] interrupted: the report keeps what was checked so far and says it is partial",
              file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        close_interpreter()
    return save(partial=interrupted), interrupted


def run_run_probes(options, prober, progress=None) -> list:
    """The coroutine model's probes, once, where the subjects live (this process or the agent's child)."""
    model = load_model(options.model_path or "coroutine")
    if not model.probes:
        return []
    if progress:
        progress(f"probes: running {len(model.probes_for(options.version))} in {prober.label}")
    return run_probes(model, prober, options.version, options.strict_messages)


def finish_run(arguments, options, report: dict, interrupted: bool) -> int:
    """Write the other report formats, print the findings and the summary; the exit code."""
    if arguments.junit:
        write_junit(report, arguments.junit)
    if arguments.html:
        write_html(report, arguments.html)
    findings = findings_text(report)
    if findings:
        print(f"\n{findings}\n")
    print(summary_table(report))
    shape = shape_text(report["interpreter"].get("shape"))
    if shape:
        print(f"interpreter: {shape}")
    uncovered = [d["driver"] for d in report["drivers"] if d["coverage"]["covered"] < d["coverage"]["exercisable"]]
    print(f"seed: {options.seed} (reproduce: add --seed {options.seed} to the same command)")
    if interrupted:
        return 130
    if report["verdict"] != "conforms":
        could_not_run = [d["driver"] for d in report["drivers"] if d["verdict"] == "error"]
        if could_not_run and all(d["verdict"] in ("error", "conforms", NOT_APPLICABLE) for d in report["drivers"]) \
                and (report.get("probes") or {}).get("verdict", "conforms") == "conforms":
            print(f"verdict: no deviation found, but {', '.join(could_not_run)} could not run (see above)")
        else:
            print("verdict: DEVIATES from the model (see above)")
        return EXIT_DEVIATION
    if arguments.strict_coverage and uncovered:
        print(f"verdict: transitions left unexercised by {', '.join(uncovered)} (--strict-coverage)")
        return EXIT_DEVIATION
    print("verdict: conforms to the model")
    return EXIT_OK


def run_models(options) -> list:
    """The models the chosen drivers check against (loaded now, so that a bad model stops the run first)."""
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

