"""The suite's errors: one base class for input it cannot use, so that the command line answers every one
of them the same way (one line saying what was expected, what was found and how to fix it; exit code 2).

A deviation of the subject is never an error: it is a finding, recorded in the results. A bug of the suite
itself is a `SuiteError` (defined beside the scripted body, which runs where nothing else can be imported):
the run ends as an internal error, with the traceback in the report.
"""

from conformance.subject.body import SuiteError


class CoroconfError(Exception):
    """Input the suite cannot use: the message is the one line the user sees; exit code 2."""

    exit_code = 2


class UsageError(CoroconfError):
    """A command-line option or argument that cannot be used as given."""


class ModelError(CoroconfError):
    """A model file that cannot be loaded: the message names the file, the row and the fault."""


class ProfileError(CoroconfError):
    """A Python version profile the model does not know."""


class PathError(CoroconfError):
    """A path the suite must write to and cannot."""


class ReportError(CoroconfError):
    """A report file that cannot be used: the message names the file and the fault."""


class ExpectationsError(CoroconfError):
    """An expected-verdicts file that cannot be used."""


class TargetError(CoroconfError):
    """An interpreter that cannot be started as a target (not found, not a Python, no agent greeting)."""


class CompileError(CoroconfError):
    """A compiled subject (Cython, Nuitka) that cannot be built."""


class SubjectError(CoroconfError):
    """The user's object cannot be checked at all (cannot import, wrong object, raises, hangs)."""


__all__ = ["CoroconfError", "UsageError", "ModelError", "ProfileError", "PathError", "ReportError",
           "ExpectationsError", "TargetError", "CompileError", "SubjectError", "SuiteError"]
