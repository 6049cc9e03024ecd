"""The public testing API under its stable name: see conformance.checking.testing."""

from conformance.checking.testing import (
    ConformanceError,
    assert_conforms,
    conformance_tests,
)

__all__ = ["conformance_tests", "assert_conforms", "ConformanceError"]
