"""coroutine-conformance: a formal state-model conformance suite for Python's coroutine protocol."""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent  # the package's own folder (model/ and node/ are found from it)
