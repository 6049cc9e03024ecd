"""Shared test helpers.

A test that needs an outside program (Graphviz's dot, PyPy, Node, Chromium) asks for it with
`require_program`: on a developer's machine without it the test skips and says why; under CI (the
variable CI is set) it fails instead, because CI installs everything and a skip there would hide a gap.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

UNDER_CI = bool(os.environ.get("CI"))

# Under CI: derandomized (the same examples every run), no example database, and bounded examples so the
# whole suite stays well inside CI's time limit. The engine builds its settings on the loaded profile.
settings.register_profile("coroconf-ci", derandomize=True, database=None, max_examples=40, deadline=None,
                          print_blob=True)
if UNDER_CI:
    settings.load_profile("coroconf-ci")


def missing(reason: str):
    """Skip locally, fail under CI."""
    if UNDER_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip: .ci/run must install it)")
    pytest.skip(reason)


def require_program(name: str, *alternatives: str) -> str:
    """The path of the first of these programs found on PATH, or skip/fail with the reason."""
    for candidate in (name, *alternatives):
        found = shutil.which(candidate)
        if found:
            return found
    missing(f"needs the program {name!r}, which is not on PATH")


@pytest.fixture
def model():
    from conformance.protocol.model import load_model

    return load_model()
