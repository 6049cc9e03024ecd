"""coroutine-conformance: a formal state-model conformance suite for Python's coroutine protocol."""

__version__ = "0.1.0"
