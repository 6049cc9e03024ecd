"""What every command module shares: the exit codes, the version argument type, the one-line parser."""

from __future__ import annotations

import argparse
import random
import sys

from conformance.errors import UsageError
from conformance.protocol.model import version_tuple

EXIT_OK, EXIT_DEVIATION, EXIT_USAGE = 0, 1, 2


def python_version(text: str) -> tuple[int, int]:
    try:
        return version_tuple(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a Python version such as 3.12, found {text!r}") from None


def tracking_depth(text: str) -> int:
    """--origin-tracking N: a depth for sys.set_coroutine_origin_tracking_depth (0: off)."""
    try:
        depth = int(text)
    except ValueError:
        depth = -1
    if depth < 0:
        raise argparse.ArgumentTypeError(f"expected a number of frames, 0 or more (asyncio's debug mode uses 10), "
                                         f"found {text!r}")
    return depth


def add_origin_tracking(parser) -> None:
    parser.add_argument("--origin-tracking", type=tracking_depth, default=0, metavar="N",
                        help="make the subjects under sys.set_coroutine_origin_tracking_depth(N), as asyncio's debug "
                             "mode does with 10: cr_origin and the never-awaited warning then tell where each was "
                             "made (Python 3.7+; default 0, off)")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (naming the argument and the fault), not usage text too."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def add_depth_argument(parser, default_text: str) -> None:
    """--depth K, shared by the commands that run the engine (its default is the command's to choose)."""
    parser.add_argument("--depth", type=int, metavar="K",
                        help=f"after the tour, check every sequence of at most K calls the model allows (a "
                             f"re-entrant call the body makes counts as one; 0: none; default {default_text})")


def chosen_depth(arguments, default: int) -> int:
    """--depth, or the command's default; one line and exit 2 for a negative depth."""
    if arguments.depth is None:
        return default
    if arguments.depth < 0:
        raise UsageError(f"--depth must be 0 or more (0: no exhaustive sequences), found {arguments.depth}")
    return arguments.depth


def chosen_seed(arguments) -> int:
    """--seed, or a fresh one: every run has a seed to print and record, so any run can be repeated."""
    return arguments.seed if arguments.seed is not None else random.randrange(2 ** 32)


def progress_printer(quiet: bool):
    """Progress lines on this moment's stderr (bound now: a check captures sys.stderr while the object runs),
    or None with --quiet."""
    terminal = sys.stderr
    return None if quiet else (lambda text: print(f"[coroconf] {text}", file=terminal, flush=True))
