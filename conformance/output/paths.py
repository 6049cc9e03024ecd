"""Checks that an output path can be written, made before the work starts so that no result is lost to
a path that was never writable (`--report /proc/version`, `--out /proc/nowhere`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conformance.errors import PathError


def check_writable_file(path, option: str) -> None:
    """Refuse `path` unless a file can be written there the way the reports write (a temporary file in
    the same folder, then a rename); the folder is made if missing."""
    if path is None:
        return
    text = str(path)
    if not text.strip():
        raise PathError(f"{option}: an empty path; give a file name such as report.json")
    path = Path(text)
    if path.is_dir():
        raise PathError(f"{option} {text}: is a folder; give the path of a file inside it")
    _probe_folder(path.parent, option, text)
    if path.exists() and not os.access(path, os.W_OK):
        raise PathError(f"{option} {text}: the file exists and cannot be overwritten; choose another path")


def check_writable_folder(path, option: str) -> None:
    """Refuse `path` unless it is (or can be made) a folder that files can be written into."""
    text = str(path)
    if not text.strip():
        raise PathError(f"{option}: an empty path; give a folder such as out/")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise PathError(f"{option} {text}: is a file, not a folder; give a folder to write into")
    _probe_folder(path, option, text)


def _probe_folder(folder: Path, option: str, text: str) -> None:
    """Make the folder if needed and write (then remove) a temporary file in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".coroconf-probe-"):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PathError(f"{option} {text}: cannot write there ({reason}); "
                        "choose a path in a folder you can write to") from None
