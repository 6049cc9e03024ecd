"""The `coroconf` command line: the parser, `main`, and the one way every error ends (each command lives in
its own module here; this package is the only place that knows argparse).

Exit codes: 0 conformant, 1 a deviation (or a driver that could not run), 2 bad usage or bad input.
"""

from __future__ import annotations

import sys

from conformance import __version__
from conformance.cli.common import (  # noqa: F401
    EXIT_DEVIATION,
    EXIT_OK,
    EXIT_USAGE,
    OneLineParser,
    python_version,
)
from conformance.errors import CoroconfError, ReportError


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="coroconf", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"coroutine-conformance {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for register in COMMANDS:
        register(commands)
    return parser


from conformance.cli.check import register_check  # noqa: E402 - each command lives in its own module
from conformance.cli.diagram import register_diagram, register_spec  # noqa: E402
from conformance.cli.matrix import register_matrix  # noqa: E402
from conformance.cli.replay import register_replay  # noqa: E402
from conformance.cli.run import register_model, register_run  # noqa: E402

COMMANDS = [register_run, register_model, register_diagram, register_spec, register_check, register_matrix,
            register_replay]


def main(argv=None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except CoroconfError as error:
        print(f"coroconf {arguments.command}: error: {error}", file=sys.stderr)
        return error.exit_code
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
        from conformance.output.report import REPORT_FORMAT, write_json

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
