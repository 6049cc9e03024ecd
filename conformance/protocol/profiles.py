"""The version profile a run checks against: one of the model's versions.

An explicit `--profile` outside the model's versions is refused (the model says nothing about it). The
profile that follows the interpreter's own version is never refused: an interpreter newer than the model
knows is checked against the newest profile, an older one against the oldest, and the run says so.
"""

from __future__ import annotations

from conformance.errors import ProfileError


def as_text(version) -> str:
    return "%d.%d" % tuple(version)


def explicit_profile(models, version, option: str = "--profile") -> tuple[int, int]:
    """A profile the user asked for: it must be one of every model's versions."""
    for model in models:
        if tuple(version) not in model.version_tuples():
            raise ProfileError(f"{option} {as_text(version)}: the {model.name} model knows Python "
                               f"{', '.join(model.versions)}; choose one of those")
    return tuple(version)


def interpreter_profile(models, version) -> tuple[tuple[int, int], str | None]:
    """The profile for an interpreter of `version`, and a one-line note when it is not the version itself."""
    known = sorted({v for model in models for v in model.version_tuples()})
    version = tuple(version)
    if version > known[-1]:
        return known[-1], (f"Python {as_text(version)} is newer than the model knows (up to {as_text(known[-1])}): "
                           f"checking against the {as_text(known[-1])} profile")
    if version < known[0]:
        return known[0], (f"Python {as_text(version)} is older than the model knows (from {as_text(known[0])}): "
                          f"checking against the {as_text(known[0])} profile")
    return version, None
