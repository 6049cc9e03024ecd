"""The pytest plugin (entry point `pytest11`): a fixture and an option for checking your own coroutine
wrappers, decorators and awaitables inside your test suite. The test-class factory is in conformance.testing.

    def test_my_wrapper(coroutine_conformance):
        coroutine_conformance(traced, kind="wrapper")

`--coroconf-require-introspection` makes every such check fail where the object offers no cr_* attributes;
`--coroconf-origin-tracking N` makes the fixture's checks run under sys.set_coroutine_origin_tracking_depth(N),
as asyncio's debug mode does with 10.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("coroutine-conformance")
    group.addoption("--coroconf-require-introspection", action="store_true", default=False,
                    help="coroutine conformance checks fail when an object offers no cr_* attributes / inspect state")
    group.addoption("--coroconf-origin-tracking", type=int, default=0, metavar="N",
                    help="the fixture's checks make coroutines under sys.set_coroutine_origin_tracking_depth(N), as "
                         "asyncio's debug mode does with 10 (default 0, off)")


def pytest_configure(config):
    tracking = config.getoption("--coroconf-origin-tracking")
    if tracking < 0:
        raise pytest.UsageError(f"--coroconf-origin-tracking: expected a number of frames, 0 or more (asyncio's "
                                f"debug mode uses 10), found {tracking}")


@pytest.fixture
def coroutine_conformance(request):
    """`coroutine_conformance(obj, kind=..., **options)`: check now, fail the test with the shortest call
    sequence if `obj` deviates from the coroutine model; returns the CheckResult."""
    from conformance.checking.testing import assert_conforms

    required = request.config.getoption("--coroconf-require-introspection")
    tracking = request.config.getoption("--coroconf-origin-tracking")

    def run(obj, kind, **options):
        options.setdefault("require_introspection", required)
        options.setdefault("origin_tracking", tracking)
        return assert_conforms(obj, kind, **options)

    return run
