"""`coroconf check` on real third-party libraries, applied as their users apply them (examples/real_world/):
each verdict must be the true one recorded in examples/real-world.md, found by hand with standalone scripts.
A false positive here (blaming a library for what CPython itself does) is the worst bug the project can have.

The libraries are installed by the README's test command (pyproject's `test` extra); a missing one skips
locally and fails under CI.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.checking.check import CheckOptions, check
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
REPRODUCERS = ROOT / "examples" / "real_world" / "reproducers"
BEFORE_3_12 = sys.version_info < (3, 12)

# (object in examples/real_world, kind, PyPI modules it needs, what must be reported: None for "conforms", else
# {driver: a transition or words (or a tuple of them) that its findings must include}). From
# examples/real-world.md.
CASES = [
    ("tenacity_retry:retried", "decorator", ["tenacity"], None),
    ("backoff_retry:retried", "decorator", ["backoff"], None),
    ("stamina_retry:retried", "decorator", ["stamina"], None),
    ("wrapt_proxy:passthrough", "decorator", ["wrapt"], None),
    ("wrapt_proxy:awaiting", "decorator", ["wrapt"], None),
    ("decorator_async:logged", "decorator", ["decorator"], None),
    ("asyncstdlib_cache:uncached", "decorator", ["asyncstdlib"], None),
    ("opentelemetry_span:traced", "decorator", ["opentelemetry.sdk"], None),
    ("asyncio_future:py_future", "awaitable", [], None),
    # Real differences, each with a reproducer that runs without coroconf:
    ("asyncstdlib_cache:lru_cached", "decorator", ["asyncstdlib"],
     {"direct": "outcome.context: expected None, observed 'KeyError'"}),
    ("wrapt_proxy:proxied", "wrapper", ["wrapt"],
     {"delegation": "object ObjectProxy can't be used in 'await' expression"}),
    ("async_lru_cache:cached", "decorator", ["async_lru"],
     {"direct": "not applicable: it needs a running event loop",
      "asyncio": ("exception.propagate", "value.await", "cr_await: expected 'awaits-awaited', observed 'present'")}),
    ("aiocache_cached:cached", "decorator", ["aiocache"], {"direct": "was never awaited"}),
    ("aiomisc_timeout:limited", "decorator", ["aiomisc"],
     {"direct": "not applicable: it needs a running event loop"}
     | ({"asyncio": ("exception.propagate", "value.await")} if BEFORE_3_12 else {})),
    ("asyncio_future:future", "awaitable", [], {"": "SystemError"}),
    # Async generators (their own checks are async-generator kinds):
    ("asyncgen_wrappers:passthrough", "asyncgen-decorator", ["decorator"], None),
    ("wrapt_proxy:passthrough", "asyncgen-decorator", ["wrapt"], None),
    ("asyncgen_wrappers:borrowed", "asyncgen-wrapper", ["asyncstdlib"],
     {"asyncgen": ("running.aclose", "exit.propagate", "GeneratorExit('') was raised at the body's await"),
      "asyncgen-asyncio": ("asyncio.awaiting.collect", "expected 1 events in all, observed 2"),
      "anext-awaitable": "can't send non-None value to a just-started async generator",
      "aclose-awaitable": ("aclose-exit.propagate", "GeneratorExit('') was raised at the body's await")}),
    ("asyncgen_wrappers:proxied", "asyncgen-wrapper", ["wrapt"],
     {"asyncgen": "type object 'ObjectProxy' has no attribute '__anext__'",
      "anext-awaitable": "type object 'ObjectProxy' has no attribute '__anext__'",
      "async-for": "'async for' requires an object with __aiter__ method, got ObjectProxy"}),
    ("asyncgen_wrappers:auto_proxied", "asyncgen-wrapper", ["wrapt"],
     {"asyncgen": ("exception.propagate", "ag_running: expected False, observed True"),
      "anext-awaitable": "can't send non-None value to a just-started coroutine"}),
]
# The async-generator rows need sequences of two calls (an __anext__() in flight, then a throw into it), which
# the tour alone does not make: a default check (depth 3) finds them, depth 2 is the least that does.
DEPTH = {"asyncgen-wrapper": 2, "asyncgen-decorator": 2}


def needs(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            missing(f"needs the PyPI package that provides {name!r} (pip install -e '.[test]')")


def findings_of(result) -> dict[str, str]:
    """Per driver, everything the check said about it, as one text to search."""
    texts: dict[str, str] = {}
    for entry in result.report["drivers"]:
        said = [failure["text"] for failure in entry["failures"]]
        said += [", ".join(failure["transitions"]) for failure in entry["failures"]]
        said += [f"not applicable: {entry['not_applicable']}"] if entry.get("not_applicable") else []
        said += [f"could not run: {entry['error']}"] if entry.get("error") else []
        texts[entry["driver"]] = "\n".join(said)
    texts[""] = "\n".join(finding["text"] for finding in result.findings)
    return texts


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("spec, kind, modules, expected", CASES, ids=[case[0] for case in CASES])
def test_a_real_library_gets_its_true_verdict(spec, kind, modules, expected):
    needs(modules)
    result = check(kind, f"examples.real_world.{spec}", CheckOptions(examples=15, seed=1, depth=DEPTH.get(kind, 0)))
    said = findings_of(result)
    if expected is None:
        assert result.conforms, "\n\n".join(f["text"] for f in result.failures)
        return
    assert not result.conforms
    for driver, wanted in expected.items():
        for words in (wanted,) if isinstance(wanted, str) else wanted:
            assert words in said.get(driver, ""), f"{driver or 'awaitable checks'}: {words!r} not in:\n{said.get(driver)}"


# Each reproducer exits 1 where the difference shows on plain CPython (no coroconf), 0 where it does not.
REPRODUCED = {
    "anext_awaitable_first_send.py": (["asyncstdlib", "wrapt"], True),
    "aiocache_no_loop_warnings.py": (["aiocache"], True),
    "aiomisc_timeout_await_chain.py": (["aiomisc"], BEFORE_3_12),
    "aiomisc_timeout_cancel.py": (["aiomisc"], BEFORE_3_12),
    "aiomisc_timeout_no_loop.py": (["aiomisc"], True),
    "async_lru_await_chain.py": (["async_lru"], True),
    "async_lru_cancel.py": (["async_lru"], True),
    "async_lru_no_loop.py": (["async_lru"], True),
    "asyncio_future_send_after_throw.py": ([], True),
    "asyncstdlib_borrow_aclose.py": (["asyncstdlib"], True),
    "asyncstdlib_borrow_loop_reports.py": (["asyncstdlib"], True),
    "asyncstdlib_borrow_throw_exit.py": (["asyncstdlib"], True),
    "asyncstdlib_keyerror_context.py": (["asyncstdlib"], True),
    "asyncstdlib_thrown_context.py": (["asyncstdlib"], True),
    "decorator_finalizer_state.py": (["decorator"], BEFORE_3_12),
    "tenacity_finalizer_state.py": (["tenacity"], BEFORE_3_12),
    "wrapt_autoproxy_throw_exit.py": (["wrapt"], True),
    "wrapt_objectproxy_anext.py": (["wrapt"], True),
    "wrapt_objectproxy_await.py": (["wrapt"], True),
}


def test_every_reproducer_is_listed():
    assert sorted(path.name for path in REPRODUCERS.glob("*.py")) == sorted(REPRODUCED)


@pytest.mark.parametrize("name", sorted(REPRODUCED))
def test_each_reproducer_shows_its_difference_without_coroconf(name):
    modules, shows = REPRODUCED[name]
    needs(modules)
    completed = subprocess.run([sys.executable, "-I", str(REPRODUCERS / name)], capture_output=True, text=True,
                               timeout=120, cwd=REPRODUCERS)
    assert completed.returncode == (1 if shows else 0), completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
