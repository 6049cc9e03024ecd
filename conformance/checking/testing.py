"""Conformance in your own test suite: a few lines make a test class for your wrapper, decorator or awaitable.

    from conformance.checking.testing import conformance_tests
    from mylib.tracing import traced

    TestTracedConformance = conformance_tests(traced, kind="wrapper")

Each driver (or, for an awaitable, each protocol check) becomes one test, so a failure names the way the
object was held and prints the minimal call sequence. The number of Hypothesis examples follows the settings
profile your suite has loaded (`settings.load_profile(...)`), as `coroconf check` does.
"""

from __future__ import annotations

from conformance.checking.check import CheckOptions, check_subject
from conformance.checking.subjects import (
    KIND_MODELS,
    KINDS,
    MODEL_DRIVERS,
    NotConforming,
    SubjectError,
    object_subject,
)


class ConformanceError(AssertionError):
    """The object does not behave as its model says; the message is the explanation."""


def assert_conforms(obj, kind: str, *, drivers=None, require_introspection: bool = False, examples=None,
                    strict_messages: bool = True, timeout: float = 10.0, origin_tracking: int = 0):
    """Check `obj` now; raise ConformanceError with the shortest failing call sequence if it deviates.
    `origin_tracking`: make the coroutines under sys.set_coroutine_origin_tracking_depth(N), as asyncio's debug
    mode does with 10 (cr_origin, and the never-awaited warning telling where each was made).
    Returns the CheckResult, for tests that want to look further (notes, coverage)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, found {kind!r}")
    options = CheckOptions(examples=examples, strict_messages=strict_messages, timeout=timeout,
                           require_observable=require_introspection, origin_tracking=origin_tracking)
    if drivers is not None:
        options.drivers = list(drivers)
    try:
        subject = object_subject(kind, obj, timeout)
    except (SubjectError, NotConforming) as error:
        raise ConformanceError(str(error)) from None
    result = check_subject(subject, options)
    if not result.conforms:
        shortest = result.shortest_failure()
        texts = [shortest["text"]] if shortest else [f["text"] for f in result.failures[:3]]
        raise ConformanceError("\n\n".join(texts + [f"note: {note}" for note in subject.notes]))
    return result


def conformance_tests(obj, kind: str, *, require_introspection: bool = False, strict_messages: bool = True,
                      examples=None, name: str | None = None, origin_tracking: int = 0) -> type:
    """A pytest test class checking `obj` (a wrapper(coro), a decorator(async_fn), an awaitable factory, or an
    async generator's wrapper or decorator): one test per driver of the kind's model, one test for an
    awaitable's protocol checks."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, found {kind!r}")
    options = dict(require_introspection=require_introspection, strict_messages=strict_messages,
                   examples=examples, origin_tracking=origin_tracking)
    namespace = {"__doc__": f"{KIND_MODELS[kind].title()}-protocol conformance of "
                            f"{getattr(obj, '__qualname__', obj)!r} ({kind})."}
    if kind == "awaitable":
        namespace["test_awaitable_protocol"] = lambda self: assert_conforms(obj, kind, **options) and None
    else:
        for driver in MODEL_DRIVERS[KIND_MODELS[kind]]:
            def test(self, driver=driver):
                assert_conforms(obj, kind, drivers=[driver], **options)

            # direct/generator: test_direct_generator; asyncgen-hooks: test_asyncgen_hooks
            test.__name__ = "test_" + driver.replace("/", "_").replace("-", "_")
            test.__doc__ = f"held the way the {driver!r} driver holds it"
            namespace[test.__name__] = test
    class_name = name or f"TestConformance_{getattr(obj, '__name__', kind)}"
    return type(class_name, (), namespace)


__all__ = ["conformance_tests", "assert_conforms", "ConformanceError"]
