"""The verdict policy: the layers a step's (or a transition's) verdict can have, how bad each is, and which
of them make a run fail under the chosen strictness. Every part of the suite that decides "does this fail?"
asks here: the runner, the reports (JSON, JUnit, HTML, summary), the matrix, the expected verdicts and the
diagrams.
"""

from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    """Mildest first. A str, so that reports hold the plain words ("deviates", ...)."""

    CONFORMS = "conforms"
    NOT_OBSERVABLE = "not-observable"  # the subject offers no way to see it: never a failure by itself
    MESSAGE_ONLY = "message-only"  # same exception type, other text
    DEVIATES = "deviates"  # type, value, state or what the body saw differs
    HANG = "hang"  # no answer within the call timeout
    CRASH = "crash"  # the interpreter died

    def __str__(self) -> str:
        return self.value

    @property
    def severity(self) -> int:
        return SEVERITY_OF[self]

    def fails(self, strict_messages: bool = True, require_observable: bool = False) -> bool:
        """Whether this verdict makes the run fail: deviations, hangs and crashes always; a message-only
        difference under strict messages; a missing observation only when introspection is required."""
        if self is Verdict.MESSAGE_ONLY:
            return strict_messages
        if self is Verdict.NOT_OBSERVABLE:
            return require_observable
        return self is not Verdict.CONFORMS


SEVERITY = [v.value for v in Verdict]  # mildest first, as words
SEVERITY_OF = {word: rank for rank, word in enumerate(SEVERITY)}  # a member hashes as its word


def severity(word: str) -> int:
    """How bad a verdict word is; -1 for words that are no verdict (unexercised, not-run, unavailable).
    A table, not Verdict(word): the engine asks several times per step."""
    return SEVERITY_OF.get(word, -1)


def worse(a: str, b: str) -> str:
    """The worse of two verdict words."""
    return b if severity(b) > severity(a) else a


def fails(word: str, strict_messages: bool = True, require_observable: bool = False) -> bool:
    """`Verdict.fails` for a word read from a report; words that are no verdict never fail."""
    return severity(word) >= 0 and Verdict(word).fails(strict_messages, require_observable)


DIVERGENT = tuple(v.value for v in Verdict if v.severity >= Verdict.MESSAGE_ONLY.severity)  # drawn as divergence
