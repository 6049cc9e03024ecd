"""`coroconf check MODULE:NAME --kind KIND`: check a user's wrapper, decorator or awaitable.

Exit codes as for every command: 0 conforms, 1 the object does not conform, 2 the input cannot be checked.
"""

from __future__ import annotations

import sys

from .check import WRAPPER_DRIVERS, CheckOptions, check_subject
from .model import load_model
from .paths import check_writable_file
from .profiles import explicit_profile, interpreter_profile
from .subjects import KINDS, NotConforming, SubjectError, make_subject

EXIT_OK, EXIT_DEVIATION, EXIT_USAGE = 0, 1, 2


def register_check(commands) -> None:
    from .cli import python_version

    check = commands.add_parser(
        "check", help="check your own coroutine wrapper, decorator or awaitable against the model",
        description="Build native coroutines from scripted bodies, pass them through your object, and check that "
                    "the result behaves as the model says a native coroutine does (wrapper, decorator), or check "
                    "an awaitable's __await__ protocol (awaitable).")
    check.add_argument("target", metavar="MODULE:NAME", help="where to find your object, e.g. mylib.tracing:traced")
    check.add_argument("--kind", required=True, choices=KINDS,
                       help="wrapper: NAME(coro) -> object; decorator: NAME(async_fn) -> callable; "
                            "awaitable: NAME() -> object with __await__")
    check.add_argument("--driver", dest="drivers", action="append", choices=WRAPPER_DRIVERS, metavar="NAME",
                       help=f"a driver to use (repeatable; default: all of {', '.join(WRAPPER_DRIVERS)})")
    check.add_argument("--examples", type=int, metavar="N",
                       help="Hypothesis examples per driver (default: the Hypothesis profile's max_examples)")
    check.add_argument("--seed", type=int, help="seed Hypothesis, to reproduce a run")
    check.add_argument("--messages", choices=("strict", "lenient"), default="strict",
                       help="strict: a different exception message is a failure; lenient: types only")
    check.add_argument("--profile", type=python_version, metavar="X.Y",
                       help="the model's version profile (default: the running interpreter's version)")
    check.add_argument("--require-introspection", action="store_true",
                       help="fail when the object offers no cr_* attributes or inspect state (default: noted only)")
    check.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                       help="how long your factory may take to return once (default 10)")
    check.add_argument("--isolate", action="store_true",
                       help="run the check in a child process, so that a crash or hang becomes a verdict")
    check.add_argument("--report", metavar="FILE", help="write the JSON report here")
    check.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    check.set_defaults(handler=command_check)


def options_from(arguments) -> CheckOptions:
    if arguments.examples is not None and arguments.examples < 1:
        raise SubjectError(f"--examples must be at least 1, found {arguments.examples}")
    if arguments.timeout <= 0:
        raise SubjectError(f"--timeout must be positive, found {arguments.timeout:g}")
    options = CheckOptions(examples=arguments.examples, seed=arguments.seed,
                           strict_messages=arguments.messages == "strict",
                           require_observable=arguments.require_introspection, timeout=arguments.timeout)
    if arguments.drivers:
        options.drivers = list(dict.fromkeys(arguments.drivers))
    models = [load_model("coroutine")]
    if arguments.profile:
        options.version = explicit_profile(models, arguments.profile)
    else:
        options.version, note = interpreter_profile(models, options.version)
        if note:
            print(f"[coroconf] {note}", file=sys.stderr, flush=True)
    return options


def command_check(arguments) -> int:
    from .cli import UsageError

    check_writable_file(arguments.report, "--report")
    try:
        options = options_from(arguments)
        if arguments.isolate:
            from .isolation import check_isolated

            return check_isolated(arguments, options)
        subject = make_subject(arguments.kind, arguments.target, options.timeout)
    except SubjectError as error:
        raise UsageError(str(error)) from None
    except NotConforming as error:
        print(f"coroconf check: {arguments.target} does not conform: {error}")
        return EXIT_DEVIATION
    progress = None if arguments.quiet else (lambda text: print(f"[coroconf] {text}", file=sys.stderr, flush=True))
    result = check_subject(subject, options, progress)
    return print_result(result, arguments.report)


def print_result(result, report_path=None) -> int:
    from .report import summary_table, write_json

    report = result.report
    if report_path:
        write_json(report, report_path)
    shortest = result.shortest_failure()
    if shortest is not None:
        print(f"\n{shortest['text']}\n")
    for failure in result.failures:
        if failure is not shortest and not failure.get("steps"):
            print(f"\n{failure['text']}\n")
    if result.results:
        print(summary_table(report))
    for finding in result.findings:
        print(f"  {finding['verdict']:<14} {finding['check']}")
    for note in result.subject.notes:
        print(f"note: {note}")
    subject = f"{result.subject.spec} ({result.subject.kind})"
    if report["verdict"] != "conforms":
        print(f"verdict: {subject} DEVIATES from the coroutine model (see above)")
        return EXIT_DEVIATION
    print(f"verdict: {subject} conforms to the coroutine model")
    return EXIT_OK
