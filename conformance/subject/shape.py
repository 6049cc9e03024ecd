"""What else shapes the interpreter the suite runs on: a JIT switched on, free-threading, a debug build.

Sent to the child between body.py and agent.py (conformance/remote/targets.py), whose hello reports it, and
imported by the host for its own report. Written like body.py: no f-strings, no annotations, every module
beyond sys optional, so it runs on CPython 3.6+, PyPy, MicroPython and Pyodide.
"""

import sys


def jits_active():
    """The JITs at work: pyston-lite (the pyston_lite_autoload package's .pth imports and enables it at
    start-up), CPython's own experimental JIT (sys._jit, 3.14+), PyPy's (the pypyjit module)."""
    jits = []
    if "pyston_lite" in getattr(sys, "modules", {}):
        jits.append("pyston_lite")
    cpython_jit = getattr(sys, "_jit", None)
    if cpython_jit is not None:
        try:
            if cpython_jit.is_enabled():
                jits.append("cpython")
        except Exception:
            pass
    if getattr(getattr(sys, "implementation", None), "name", "") == "pypy":
        try:
            import pypyjit  # noqa: F401 - only a PyPy built with its JIT has it
            jits.append("pypy")
        except ImportError:
            pass
    return jits


def interpreter_shape():
    """{"jit": [names], "free_threaded_build": bool, "gil_enabled": bool or None (unknown before 3.13),
    "debug_build": bool}."""
    free_threaded_build = False
    if getattr(getattr(sys, "implementation", None), "name", "") in ("cpython", "pypy"):
        try:  # (elsewhere there is no such build, and Brython's sysconfig costs a third of its start-up)
            import sysconfig
            free_threaded_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
        except Exception:
            pass
    gil_check = getattr(sys, "_is_gil_enabled", None)  # CPython 3.13+
    gil_enabled = None
    if gil_check is not None:
        gil_enabled = bool(gil_check())
    return {"jit": jits_active(), "free_threaded_build": free_threaded_build, "gil_enabled": gil_enabled,
            "debug_build": hasattr(sys, "gettotalrefcount")}  # only a debug (Py_REF_DEBUG) build has it
