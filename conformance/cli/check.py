"""`coroconf check MODULE:NAME --kind KIND`: check a user's wrapper, decorator or awaitable.

Exit codes as for every command: 0 conforms, 1 the object does not conform, 2 the input cannot be checked.
"""

from __future__ import annotations

import argparse
import json
import sys

from conformance.checking.check import CheckOptions, check_subject
from conformance.checking.isolation import check_isolated
from conformance.checking.subjects import (
    BASELINE_CHOICES,
    KIND_MODELS,
    KINDS,
    MODEL_DRIVERS,
    NotConforming,
    make_subject,
)
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
from conformance.engine.runner import DEFAULT_DEPTH
from conformance.errors import UsageError
from conformance.output.paths import check_writable_file
from conformance.output.report import (
    findings_text,
    output_summary,
    shape_text,
    summary_table,
    write_json,
)
from conformance.drivers import DRIVERS
from conformance.protocol.model import load_model
from conformance.protocol.profiles import explicit_profile, interpreter_profile


def register_check(commands) -> None:
    check = commands.add_parser(
        "check", help="check your own coroutine wrapper, decorator or awaitable against the model",
        description="Build native coroutines from scripted bodies, pass them through your object, and check that "
                    "the result behaves as the model says a native coroutine does (wrapper, decorator), or check "
                    "an awaitable's __await__ protocol (awaitable).")
    check.add_argument("target", metavar="MODULE:NAME", help="where to find your object, e.g. mylib.tracing:traced")
    check.add_argument("--kind", required=True, choices=KINDS,
                       help="wrapper: NAME(coro) -> object; decorator: NAME(async_fn) -> callable; "
                            "awaitable: NAME() -> object with __await__; asyncgen-wrapper: NAME(agen) -> object; "
                            "asyncgen-decorator: NAME(async_generator_fn) -> callable")
    every_driver = [name for drivers in MODEL_DRIVERS.values() for name in drivers]
    check.add_argument("--driver", dest="drivers", action="append", choices=every_driver, metavar="NAME",
                       help="a driver to use (repeatable; default: every one for the kind: "
                            + "; ".join(f"{model}: {', '.join(drivers)}" for model, drivers in MODEL_DRIVERS.items())
                            + ")")
    check.add_argument("--examples", type=int, metavar="N",
                       help="Hypothesis examples per driver (default: the Hypothesis profile's max_examples; "
                            "0: no Hypothesis, the tour and --depth alone)")
    add_depth_argument(check, str(DEFAULT_DEPTH))
    check.add_argument("--seed", type=int, help="seed Hypothesis, to reproduce a run")
    check.add_argument("--messages", choices=("strict", "lenient"), default="strict",
                       help="strict: a different exception message is a failure; lenient: types only")
    check.add_argument("--profile", type=python_version, metavar="X.Y",
                       help="the model's version profile (default: the running interpreter's version)")
    check.add_argument("--baseline", choices=BASELINE_CHOICES, default="auto",
                       help="what the object is judged against: coroutine (the native coroutine itself), awaiting "
                            "(a native coroutine that awaits it, as an `async def` decorator makes), or auto "
                            "(awaiting when the object is a native coroutine other than the one given, else "
                            "coroutine; the default)")
    add_origin_tracking(check)
    check.add_argument("--require-introspection", action="store_true",
                       help="fail when the object offers no cr_* attributes or inspect state (default: noted only)")
    check.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                       help="how long your factory may take to return once (default 10)")
    check.add_argument("--in-process", action="store_true",
                       help="run every driver in this process: faster, but an object that crashes the interpreter "
                            "ends the check (default: each driver in a child process, so that a crash or hang "
                            "becomes a verdict on its call sequence and the check goes on)")
    check.add_argument("--isolate", action="store_true", help="each driver in a child process (the default)")
    check.add_argument("--avoid", metavar="FILE", help=argparse.SUPPRESS)  # the parent's list of crashed steps
    check.add_argument("--probes", choices=("also", "no", "only"), default="also",
                       help=argparse.SUPPRESS)  # the isolated parent runs the probes in a child of their own
    check.add_argument("--report", metavar="FILE", help="write the JSON report here")
    check.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    check.set_defaults(handler=command_check)


def options_from(arguments) -> CheckOptions:
    if arguments.examples is not None and arguments.examples < 0:
        raise UsageError(f"--examples must be 0 or more (0: no Hypothesis), found {arguments.examples}")
    if arguments.timeout <= 0:
        raise UsageError(f"--timeout must be positive, found {arguments.timeout:g}")
    seed = chosen_seed(arguments)
    options = CheckOptions(examples=arguments.examples, seed=seed,
                           strict_messages=arguments.messages == "strict",
                           require_observable=arguments.require_introspection, timeout=arguments.timeout,
                           baseline=arguments.baseline, origin_tracking=arguments.origin_tracking,
                           depth=chosen_depth(arguments, DEFAULT_DEPTH))
    model_name = KIND_MODELS[arguments.kind]
    if arguments.drivers:
        options.drivers = list(dict.fromkeys(arguments.drivers))
        wrong = [name for name in options.drivers if name not in MODEL_DRIVERS[model_name]]
        if wrong:
            raise UsageError(f"--driver {wrong[0]} cannot hold an object of kind {arguments.kind}; expected one of "
                             f"{', '.join(MODEL_DRIVERS[model_name])}")
    if model_name != "coroutine" and arguments.baseline != "auto":
        raise UsageError(f"--baseline {arguments.baseline} is for coroutine kinds; an object of kind "
                         f"{arguments.kind} is judged against the async generator itself (leave --baseline out)")
    models = [load_model(name) for name in dict.fromkeys(DRIVERS[driver].model_name
                                                          for driver in options.drivers or MODEL_DRIVERS[model_name])]
    if arguments.profile:
        options.version = explicit_profile(models, arguments.profile)
    else:
        options.version, note = interpreter_profile(models, options.version)
        if note:
            print(f"[coroconf] {note}", file=sys.stderr, flush=True)
    if arguments.avoid:
        with open(arguments.avoid) as handle:
            avoid = json.load(handle)
        options.avoid = [[str(t) for t in transitions] for transitions in avoid if not is_probe_entry(transitions)]
        options.skip_probes = [str(entry[1]) for entry in avoid if is_probe_entry(entry)]
    options.probes = arguments.probes != "no"
    if arguments.probes == "only":
        options.drivers = []
    return options


def is_probe_entry(entry) -> bool:
    """An --avoid entry ["probe", id]: a probe that crashed an earlier child."""
    return isinstance(entry, list) and len(entry) == 2 and entry[0] == "probe"


def command_check(arguments) -> int:
    check_writable_file(arguments.report, "--report")
    options = options_from(arguments)
    try:
        subject = make_subject(arguments.kind, arguments.target, options.timeout)  # bad input: one line, here
    except NotConforming as error:
        print(f"coroconf check: {arguments.target} does not conform: {error}")
        return EXIT_DEVIATION
    progress = progress_printer(arguments.quiet)
    if arguments.in_process:
        report = check_subject(subject, options, progress).report
        if arguments.report:
            write_json(report, arguments.report)
    else:
        if options.baseline == "auto" and subject.baseline in BASELINE_CHOICES:  # the children judge alike
            options.baseline = subject.baseline
        report = check_isolated(arguments.target, arguments.kind, options, arguments.report, progress)
    return print_verdict(report, arguments)


def print_verdict(report: dict, arguments) -> int:
    """The end of `coroconf check`, in process or isolated: findings, summary, baseline, seed, verdict."""
    findings = findings_text(report)
    if findings:
        print(f"\n{findings}\n")
    if report["drivers"]:
        print(summary_table(report))
    said = output_summary(report)
    if said:
        print(said)
    for finding in report.get("findings", []):
        print(f"  {finding['verdict']:<14} {finding['check']}")
        if finding["verdict"] != "conforms":
            print(finding["text"])
    subject = report.get("subject") or {"baseline_text": "unknown (no child process finished)", "baseline": "auto"}
    for note in subject.get("notes", []):
        print(f"note: {note}")
    if arguments.kind != "awaitable":
        print(f"baseline: {subject.get('baseline_text')} (--baseline {subject.get('baseline')})")
    model = KIND_MODELS[arguments.kind]
    shape = shape_text(report.get("interpreter", {}).get("shape"))
    if shape:
        print(f"interpreter: {shape}")
    print(f"seed: {report['seed']} (reproduce: coroconf check {arguments.target} --kind {arguments.kind} "
          f"--seed {report['seed']})")
    held = f"{arguments.target} ({arguments.kind})"
    if report["verdict"] != "conforms":
        print(f"verdict: {held} DEVIATES from the {model} model (see above)")
        return EXIT_DEVIATION
    print(f"verdict: {held} conforms to the {model} model")
    return EXIT_OK
