"""Property test of the command line, run in process: whatever the arguments, the exit code is 0, 1 or 2,
nothing on stderr is a traceback, and an exit 2 is one line that names an argument it was given.

Hypothesis draws argument lists for every command from valid and invalid options, odd and unwritable
paths, numbers out of range, unknown targets, modules and kinds. Commands that would run long are kept
short (`--examples 0`, one driver), so each example takes a fraction of a second.
"""

from __future__ import annotations

import contextlib
import io
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.cli import main

PATHS = st.sampled_from(["/proc/version", "/proc/nowhere/r.json", "", " ", "/", "out dir/r é.json", "."])
VERSIONS = st.sampled_from(["3.12", "2.7", "9.9", "three", "3", "-1.0", "3.14"])
NUMBERS = st.sampled_from(["-1", "0", "x", "1e9", "99999999999999999999"])
# Example counts: out of range, not numbers, and small valid ones (a huge valid count would run for hours).
EXAMPLES = st.sampled_from(["-1", "0", "1", "x", "1e9", "2.5"])
WORDS = st.sampled_from(["teleport", "SLEEPING", "direct", "coroutine", "generator", "nosuchmodel", "--", "-x"])


def option(name: str, values) -> st.SearchStrategy:
    return values.map(lambda value: [name, value])


def command(name: str, fixed: list, *choices) -> st.SearchStrategy:
    """The command, its fixed arguments (those that keep it fast), and a few drawn options."""
    return st.lists(st.one_of(*choices), max_size=3).map(
        lambda drawn: [name, *fixed, *(part for chosen in drawn for part in chosen)])


RUN = command("run", ["--driver", "direct", "--examples", "0", "--quiet"],
              option("--report", PATHS), option("--junit", PATHS), option("--profile", VERSIONS),
              option("--examples", EXAMPLES), option("--driver", WORDS), option("--messages", WORDS),
              option("--model", WORDS), st.just(["--bogus"]))
MODEL = command("model", [], option("--state", WORDS), option("--call", WORDS), option("--python", VERSIONS),
                option("--route", WORDS), option("--format", WORDS), WORDS.map(lambda word: [word]))
DIAGRAM = command("diagram", ["--format", "dot"], option("--out", PATHS), option("--call", WORDS),
                  option("--python", VERSIONS), option("--route", WORDS), option("--report", PATHS),
                  option("--from", VERSIONS), option("--format", WORDS))
SPEC = command("spec", [], option("--out", PATHS), WORDS.map(lambda word: [word]))
CHECK = command("check", ["--examples", "1", "--driver", "direct", "--in-process"], st.sampled_from([["nosuchmodule:thing"], ["json:loads"], ["not a target"], [":"]]),
                option("--kind", WORDS), option("--examples", EXAMPLES), option("--profile", VERSIONS),
                option("--timeout", NUMBERS), option("--report", PATHS), option("--driver", WORDS))
REPLAY = command("replay", [], PATHS.map(lambda path: [path]), option("--failure", NUMBERS))
MATRIX = command("matrix", ["--list"], option("--examples", NUMBERS), option("--jobs", NUMBERS),
                 option("--targets", WORDS), option("--call-timeout", NUMBERS))


def run_in_process(arguments: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            code = main(arguments)
        except SystemExit as exit_:  # argparse's way out (bad usage, --help)
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(RUN, MODEL, DIAGRAM, SPEC, CHECK, MATRIX, REPLAY))
def test_any_arguments_give_a_clear_answer(tmp_path_factory, arguments):
    folder = tmp_path_factory.mktemp("cli")
    arguments = [str(folder / part) if part.startswith("out dir") else part for part in arguments]
    with contextlib.chdir(folder):
        code, out, err = run_in_process(arguments)
    assert code in (0, 1, 2), (arguments, code, err)
    assert "Traceback" not in err and "internal error" not in err, (arguments, err)
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, (arguments, err)
        said = lines[0].split("error:", 1)[-1]
        assert any(part and part in said for part in arguments[1:]) or "required" in said, \
            (arguments, lines[0])
