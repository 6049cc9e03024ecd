"""Users' objects as subjects: find MODULE:NAME, and turn a coroutine wrapper, a decorator of async functions
or an awaitable factory into something the drivers can build, with one clear message for each way the
input can be wrong.

A `Subject` holds a factory `script -> object the user holds`: the suite makes a native coroutine from the
scripted body and hands it to the user's code, so the user's object is driven exactly like the native one
the model describes. Re-entrant calls from the body go to that same object, because it is what callers hold.
The never-awaited warning names the coroutine that is dropped unawaited: the user's own when the object is a
native coroutine (an `async def` decorator's), else the scripted body inside the wrapper.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import sys
import threading
import types
import warnings
from dataclasses import dataclass, field
from typing import Callable

from conformance.errors import SubjectError
from conformance.subject import asyncgen_body, body

# Each kind of object a user can check, and the model its objects are judged by.
KIND_MODELS = {"wrapper": "coroutine", "decorator": "coroutine", "awaitable": "coroutine",
               "asyncgen-wrapper": "asyncgen", "asyncgen-decorator": "asyncgen"}
KINDS = tuple(KIND_MODELS)

# The drivers a check runs by default, per model: the ways a caller can hold a coroutine-like object (the
# generator driver is about generator-based coroutines, which a wrapper of a native coroutine is not), and an
# async-generator-like one: the generator driven by hand (its own model), and each awaitable its methods make
# (model/asyncgen-awaitable.toml, which each of those drivers names as its model_name).
WRAPPER_DRIVERS = ("direct", "await", "delegation", "asyncio", "direct/generator", "direct/coroutine")
ASYNCGEN_DRIVERS = ("asyncgen", "asyncgen-hooks", "asyncgen-asyncio", "asyncgen-shutdown", "asend-awaitable",
                    "anext-awaitable", "athrow-awaitable", "aclose-awaitable", "awaited-anext", "async-for")
MODEL_DRIVERS = {"coroutine": WRAPPER_DRIVERS, "asyncgen": ASYNCGEN_DRIVERS}


def drivers_for(kind: str, options) -> list[str]:
    """The drivers a check of this kind runs: those `options` asks for, else every driver of the kind's model."""
    return list(options.drivers) if options.drivers is not None else list(MODEL_DRIVERS[KIND_MODELS[kind]])

# What a user's object is judged against: the model's rows for a route, and how the report names it.
# "auto" picks `awaiting` for an object that is itself a native coroutine other than the one the suite made
# (an `async def` wrapper that awaits it), and `coroutine` for the coroutine itself or a proxy of it.
BASELINES = {
    "coroutine": (None, "a native coroutine (the scripted coroutine itself)"),
    "awaiting": ("awaiter", "a native coroutine that awaits the scripted one (CPython's delegation rules)"),
    "asyncgen": (None, "a native async generator (the scripted async generator itself)"),
}
BASELINE_CHOICES = ("auto", "coroutine", "awaiting")  # an async generator's wrapper has one baseline, its own
PROTOCOL_METHODS = ("send", "throw", "close")
ASYNCGEN_METHODS = ("asend", "athrow", "aclose", "__anext__")
NATIVE_NAME = body.scripted_body.__qualname__
ASYNCGEN_NAME = asyncgen_body.scripted_asyncgen.__qualname__




class NotConforming(Exception):
    """The object was found and called, but breaks the protocol before any call can be made: exit code 1."""


@dataclass
class Subject:
    """A user's object, ready for the drivers."""

    kind: str
    spec: str
    factory: Callable  # wrapper/decorator: script -> coroutine-like object; awaitable: () -> awaitable
    name: str = NATIVE_NAME  # the __qualname__ the never-awaited warning names
    has_await: bool = True
    notes: list[str] = field(default_factory=list)  # facts worth telling the user, not verdicts
    baseline: str = "coroutine"  # a key of BASELINES: what the object is judged against

    @property
    def baseline_route(self) -> str | None:
        return BASELINES[self.baseline][0]

    @property
    def baseline_text(self) -> str:
        return BASELINES[self.baseline][1]


def natural_baseline(found) -> str:
    """`awaiting` for a native coroutine that is not the scripted body's own (it must await the body to
    reach it), `coroutine` for the body's coroutine itself or any other object (a proxy of it)."""
    if isinstance(found, types.CoroutineType) and found.cr_code is not body.scripted_body.__code__:
        return "awaiting"
    return "coroutine"


def locate(spec: str):
    """'package.module:name.attr' -> that object; the working directory is importable, as with pytest."""
    module_name, colon, attribute_path = spec.partition(":")
    if not colon or not module_name or not attribute_path:
        raise SubjectError(f"expected MODULE:NAME (for example mylib.tracing:traced), found {spec!r}")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        found = importlib.import_module(module_name)
    except ImportError as error:
        raise SubjectError(f"cannot import module {module_name!r}: {error} "
                           f"(is it on PYTHONPATH, or in the current directory?)") from None
    except BaseException as error:  # noqa: BLE001 - the user's module failed while importing
        raise SubjectError(f"importing module {module_name!r} raised {type(error).__name__}: {error}") from None
    for part in attribute_path.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise SubjectError(f"module {module_name!r} has no name {attribute_path!r} "
                               f"(found no attribute {part!r})") from None
    return found


def call_with_timeout(function, arguments: tuple, timeout: float, what: str):
    """Call the user's function once, in a helper thread so that a hang becomes a message, not a stuck run."""
    outcome: dict = {}

    def target():
        # A thread of its own has no event loop; asyncio code that asks for the current one (asyncio.Future())
        # gets a fresh loop that is set but not running, as in a synchronous main thread.
        asyncio.set_event_loop(asyncio.new_event_loop())
        try:
            outcome["value"] = function(*arguments)
        except BaseException as error:  # noqa: BLE001 - reported as the user's error below
            outcome["error"] = error

    worker = threading.Thread(target=target, name=f"coroconf: {what}", daemon=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        worker.start()
        worker.join(timeout)
    if worker.is_alive():
        raise SubjectError(f"{what} did not return within {timeout:g} s; expected it to return at once "
                           f"(raise --timeout if it is only slow)")
    if "error" in outcome:
        error = outcome["error"]
        raise SubjectError(f"{what} raised {type(error).__name__}: {error}")
    return outcome["value"]


def describe(value) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:80]}" if value is not None else "None"


def check_asyncgen_like(found, what: str) -> None:
    if found is None:
        raise SubjectError(f"{what} returned None; expected an async-generator-like object (did it forget `return`?)")
    missing = [name for name in ASYNCGEN_METHODS if not callable(getattr(found, name, None))]
    if missing:
        hint = ("it is a function: for NAME(async_generator_function) -> function, use --kind asyncgen-decorator"
                if callable(found) else "an object that async for can iterate needs at least __anext__")
        raise SubjectError(f"{what} returned {describe(found)}, which has no {', '.join(m + '()' for m in missing)}; "
                           f"expected an async-generator-like object with asend(), athrow(), aclose() and "
                           f"__anext__() ({hint})")


def check_coroutine_like(found, what: str) -> None:
    if found is None:
        raise SubjectError(f"{what} returned None; expected a coroutine-like object (did it forget `return`?)")
    missing = [name for name in PROTOCOL_METHODS if not callable(getattr(found, name, None))]
    if missing:
        hint = ("it is a function: for NAME(async_function) -> function, use --kind decorator" if callable(found)
                else "for an object that only has __await__, use --kind awaitable")
        raise SubjectError(f"{what} returned {describe(found)}, which has no {', '.join(m + '()' for m in missing)}; "
                           f"expected a coroutine-like object with send(), throw() and close() ({hint})")


def quietly_close(*objects) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for thing in objects:
            try:
                thing.close()
            except BaseException:  # noqa: BLE001 - a probe's clean-up must not stop the check
                pass


def warning_name(found) -> str:
    """The coroutine the never-awaited warning will name: the user's own if it is native, else the body."""
    return found.__qualname__ if isinstance(found, types.CoroutineType) else NATIVE_NAME


def wrapper_subject(spec: str, wrapper, timeout: float) -> Subject:
    """NAME(coro) -> a coroutine-like object."""
    if not callable(wrapper):
        raise SubjectError(f"{spec} is {describe(wrapper)}; expected a callable wrapper(coro) -> coroutine-like object")
    inner = body.scripted_body(body.Script())
    try:
        found = call_with_timeout(wrapper, (inner,), timeout, f"{spec}(coro)")
        check_coroutine_like(found, f"{spec}(coro)")
    except SubjectError:
        quietly_close(inner)
        raise
    subject = Subject("wrapper", spec, lambda script: wrapper(body.scripted_body(script)), warning_name(found),
                      inspect.isawaitable(found), baseline=natural_baseline(found))
    quietly_close(found, inner)
    return subject


def decorator_subject(spec: str, decorator, timeout: float) -> Subject:
    """NAME(async_function) -> a callable whose call gives a coroutine-like object."""
    if not callable(decorator):
        raise SubjectError(f"{spec} is {describe(decorator)}; expected a decorator(async_function) -> callable")
    decorated = call_with_timeout(decorator, (body.scripted_body,), timeout, f"{spec}(async_function)")
    if not callable(decorated):
        raise SubjectError(f"{spec}(async_function) returned {describe(decorated)}; expected a callable "
                           f"that makes coroutines")
    found = call_with_timeout(decorated, (body.Script(),), timeout, f"{spec}(async_function)(...)")
    check_coroutine_like(found, f"calling {spec}(async_function)")
    keeps = inspect.iscoroutinefunction(decorated)
    subject = Subject("decorator", spec, decorated, warning_name(found), inspect.isawaitable(found),
                      baseline=natural_baseline(found))
    subject.notes.append(f"inspect.iscoroutinefunction() of the decorated function: {keeps}"
                         + ("" if keeps else " (it was True before decorating; frameworks that check it, such as "
                                              "pytest-asyncio or Starlette, will treat the function as synchronous)"))
    quietly_close(found)
    return subject


def asyncgen_wrapper_subject(spec: str, wrapper, timeout: float) -> Subject:
    """NAME(agen) -> an async-generator-like object, judged against the async generator itself."""
    if not callable(wrapper):
        raise SubjectError(f"{spec} is {describe(wrapper)}; expected a callable wrapper(agen) -> "
                           f"async-generator-like object")
    inner = asyncgen_body.scripted_asyncgen(body.Script())
    found = call_with_timeout(wrapper, (inner,), timeout, f"{spec}(agen)")
    check_asyncgen_like(found, f"{spec}(agen)")
    return Subject("asyncgen-wrapper", spec, lambda script: wrapper(asyncgen_body.scripted_asyncgen(script)),
                   ASYNCGEN_NAME, has_await=False, baseline="asyncgen")


def asyncgen_decorator_subject(spec: str, decorator, timeout: float) -> Subject:
    """NAME(async_generator_function) -> a callable whose call gives an async-generator-like object."""
    if not callable(decorator):
        raise SubjectError(f"{spec} is {describe(decorator)}; expected a decorator(async_generator_function) -> "
                           f"callable")
    decorated = call_with_timeout(decorator, (asyncgen_body.scripted_asyncgen,), timeout,
                                  f"{spec}(async_generator_function)")
    if not callable(decorated):
        raise SubjectError(f"{spec}(async_generator_function) returned {describe(decorated)}; expected a callable "
                           f"that makes async generators")
    found = call_with_timeout(decorated, (body.Script(),), timeout, f"{spec}(async_generator_function)(...)")
    check_asyncgen_like(found, f"calling {spec}(async_generator_function)")
    subject = Subject("asyncgen-decorator", spec, decorated, ASYNCGEN_NAME, has_await=False, baseline="asyncgen")
    keeps = inspect.isasyncgenfunction(decorated)
    subject.notes.append(f"inspect.isasyncgenfunction() of the decorated function: {keeps}")
    return subject


def awaitable_subject(spec: str, factory, timeout: float) -> Subject:
    """NAME() -> an object with __await__; its __await__() must give an iterator, not a coroutine."""
    if not callable(factory):
        raise SubjectError(f"{spec} is {describe(factory)}; expected a factory NAME() -> awaitable object")
    found = call_with_timeout(factory, (), timeout, f"{spec}()")
    if found is None:
        raise SubjectError(f"{spec}() returned None; expected an awaitable object (did it forget `return`?)")
    if not callable(getattr(found, "__await__", None)):
        raise SubjectError(f"{spec}() returned {describe(found)}, which has no __await__ method; "
                           f"expected an awaitable object")
    check_await_iterator(found, spec, timeout)
    quietly_close(found)
    return Subject("awaitable", spec, factory)


def check_await_iterator(found, spec: str, timeout: float):
    """The iterator __await__() returns, or NotConforming saying why it is not one."""
    iterator = call_with_timeout(found.__await__, (), timeout, f"{spec}().__await__()")
    if inspect.iscoroutine(iterator):
        quietly_close(iterator)
        raise NotConforming(f"{spec}().__await__() returned a coroutine ({describe(iterator)}); expected an "
                            f"iterator (`return coro.__await__()` or `yield from`, not `return coro`)")
    if not callable(getattr(iterator, "__next__", None)):
        raise NotConforming(f"{spec}().__await__() returned {describe(iterator)}, which has no __next__; "
                            f"expected an iterator (a generator, or an object with __next__)")
    return iterator


def needs_event_loop(subject: Subject) -> str | None:
    """Why the object cannot be driven outside an event loop (its first send(None) there fails for want of a
    running loop, as asyncio-only code does), or None when it can."""
    if KIND_MODELS[subject.kind] != "coroutine":  # only a coroutine-like object is sent to directly
        return None
    made = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            made = subject.factory(body.Script([{"reaction": "await", "value": None}]))
            made.send(None)
    except RuntimeError as error:
        if "event loop" in str(error):
            return f"it needs a running event loop (its first send(None) outside one raised RuntimeError: {error})"
    except BaseException:  # noqa: BLE001 - any other answer is the drivers' to judge
        pass
    finally:
        if made is not None:
            quietly_close(made)
    return None


MAKERS = {"wrapper": wrapper_subject, "decorator": decorator_subject, "awaitable": awaitable_subject,
          "asyncgen-wrapper": asyncgen_wrapper_subject, "asyncgen-decorator": asyncgen_decorator_subject}


def make_subject(kind: str, spec: str, timeout: float = 10.0) -> Subject:
    """The Subject for the object at MODULE:NAME `spec`."""
    check_kind(kind)
    return object_subject(kind, locate(spec), timeout, spec)


def object_subject(kind: str, found, timeout: float = 10.0, spec: str | None = None) -> Subject:
    """The Subject for an object at hand; `spec` names it in messages (by default its module:qualname)."""
    check_kind(kind)
    spec = spec or f"{getattr(found, '__module__', '?')}:{getattr(found, '__qualname__', found)}"
    return MAKERS[kind](spec, found, timeout)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise SubjectError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
