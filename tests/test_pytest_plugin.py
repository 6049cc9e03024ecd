"""The pytest plugin and conformance.testing, used the way a library would: a real pytest run in a child
process over a small test file, once with a correct wrapper and once with a broken one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conformance.checking.check import WRAPPER_DRIVERS

ROOT = Path(__file__).resolve().parent.parent


def plugin_arguments() -> list[str]:
    """`-p conformance.checking.pytest_plugin` unless the installed package already registers it (entry point)."""
    from importlib.metadata import entry_points

    installed = any(ep.value == "conformance.checking.pytest_plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "conformance.checking.pytest_plugin"]

USER_TESTS = '''
from hypothesis import settings
from conformance.testing import conformance_tests  # the public name the README gives
from examples.tracing import traced
from examples.buggy_tracing import timed
from examples.future_like import Box

settings.register_profile("tiny", max_examples=2)
settings.load_profile("tiny")

TestTraced = conformance_tests(traced, kind="wrapper")
TestTimed = conformance_tests(timed, kind="wrapper")
TestBox = conformance_tests(Box, kind="awaitable")


def test_with_the_fixture(coroutine_conformance):
    result = coroutine_conformance(traced, kind="wrapper", drivers=["direct"])
    assert result.conforms
'''


def run_pytest(tmp_path, *extra):
    (tmp_path / "test_user_library.py").write_text(textwrap.dedent(USER_TESTS))
    return subprocess.run([sys.executable, "-m", "pytest", *plugin_arguments(), "-q",
                           "-p", "no:cacheprovider", "--rootdir", str(tmp_path), *extra,
                           str(tmp_path / "test_user_library.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


def test_a_library_gets_one_test_per_driver_and_the_broken_wrapper_fails_with_its_call_sequence(tmp_path):
    completed = run_pytest(tmp_path)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    drivers = [driver.replace("/", "_") for driver in WRAPPER_DRIVERS]
    assert f"{len(drivers)} failed, {len(drivers) + 2} passed" in output, output
    for driver in drivers:
        assert f"test_user_library.py::TestTimed::test_{driver}" in output
    assert "Violated transition: value.return" in output


def user_file_runner(tmp_path, name: str, text: str):
    """Write a user's test file; return a function that runs pytest on it with some options."""
    (tmp_path / name).write_text(textwrap.dedent(text))
    base = [sys.executable, "-m", "pytest", *plugin_arguments(), "-q", "-p", "no:cacheprovider",
            "--rootdir", str(tmp_path), str(tmp_path / name)]
    environment = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    return lambda *options: subprocess.run(base + list(options), cwd=ROOT, capture_output=True, text=True,
                                           timeout=300, env=environment)


def test_the_require_introspection_option_reaches_the_fixture(tmp_path):
    run = user_file_runner(tmp_path, "test_bare.py", '''
        from tests.check_fixtures.wrappers import Bare

        def test_bare(coroutine_conformance):
            coroutine_conformance(Bare, kind="wrapper", drivers=["direct"], examples=2)
    ''')
    lenient = run()
    assert lenient.returncode == 0, lenient.stdout
    strict = run("--coroconf-require-introspection")
    assert strict.returncode == 1, strict.stdout
    assert "Violated transition:" in strict.stdout and "not observable here" in strict.stdout, strict.stdout


def test_the_origin_tracking_option_reaches_the_fixture(tmp_path):
    """A wrapper whose cr_origin names a place the coroutine was not made at conforms while nothing tracks
    origins, and fails under --coroconf-origin-tracking (the never-awaited warning names the real place)."""
    run = user_file_runner(tmp_path, "test_origin.py", '''
        from examples.tracing import Traced

        class OriginElsewhere(Traced):
            @property
            def cr_origin(self):
                made = self._coro.cr_origin
                return made and (("elsewhere.py", 1, "nowhere"),)

        def test_origin(coroutine_conformance):
            coroutine_conformance(OriginElsewhere, kind="wrapper", drivers=["direct"], examples=2)
    ''')
    untracked = run()
    assert untracked.returncode == 0, untracked.stdout
    tracked = run("--coroconf-origin-tracking", "10")
    assert tracked.returncode == 1 and "elsewhere.py" in tracked.stdout, tracked.stdout
    negative = run("--coroconf-origin-tracking", "-1")
    assert negative.returncode == 4 and "expected a number of frames" in negative.stderr, negative.stderr
