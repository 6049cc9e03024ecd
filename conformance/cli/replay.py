"""`coroconf replay REPORT [--failure K]`: repeat a reported failure's call sequence on a fresh subject."""

from __future__ import annotations

from conformance.checking.replay import replay
from conformance.cli.common import EXIT_DEVIATION, EXIT_OK
from conformance.errors import UsageError
from conformance.output.report import read_json


def register_replay(commands) -> None:
    command = commands.add_parser(
        "replay", help="repeat a reported failure's call sequence on a fresh subject",
        description="Read a report of `coroconf run` or `coroconf check` and make failure K's calls again, in this "
                    "process, through the same session code, on a fresh subject (the native body, or the object "
                    "the check named). Exit 1 if it fails again, 0 if it does not.")
    command.add_argument("report", metavar="REPORT", help="a JSON report (--report FILE of run or check)")
    command.add_argument("--failure", type=int, default=1, metavar="K",
                         help="which failure, as numbered in the list of violated transitions (default 1)")
    command.set_defaults(handler=command_replay)


def command_replay(arguments) -> int:
    if not arguments.report.strip():
        raise UsageError(f"a REPORT path is required, found {arguments.report!r}; give the --report FILE of a run "
                         f"or check")
    report = read_json(arguments.report)
    done = replay(report, arguments.failure, arguments.report)
    what = f"failure {arguments.failure} ({done.driver}: {', '.join(done.transitions)})"
    if done.explanation is not None:
        print(done.explanation)
        print(f"\nreplayed {what}: it fails again")
        return EXIT_DEVIATION
    print(f"replayed {what}: its {done.steps} calls did not fail this time (a flaky subject, or one that "
          f"depends on what ran before it in the original run)")
    return EXIT_OK
