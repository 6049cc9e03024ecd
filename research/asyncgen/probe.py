"""Empirical probe of async generator behaviour, driven by hand (no event loop).

Runs unchanged on CPython 3.6+ and PyPy 3.  Prints one JSON object to stdout:

    {scenario name: [observation, ...], "_meta": [{...interpreter...}]}

Every scenario creates fresh async generators and calls asend()/athrow()/aclose()/
__anext__() and then send()/throw()/close() on the returned awaitables directly.
Each call is one "step"; a step records

    step      what was called
    outcome   "return" (with "value": repr) or "raise" (with "exc", "msg", and for
              StopIteration/StopAsyncIteration "value"; "cause"/"context" type names)
    log       what the bodies / hooks appended to the scenario's log during the call
    state     the primary generator after the call: ag_running, ag_frame_is_none,
              ag_await (None or a type name), ag_suspended and getasyncgenstate
              when the interpreter has them
    warnings  [category name, message] recorded with simplefilter('always')
    unraisable  sys.unraisablehook calls (3.8+), and/or the non-indented lines
              written to sys.stderr during the call (3.6/3.7 print "Exception
              ignored in" there)

Usage:  python probe.py [scenario-name-substring ...]   > results/<label>.json
"""

import gc
import inspect
import json
import re
import sys
import types
import warnings

try:
    from io import StringIO
except ImportError:  # pragma: no cover
    from StringIO import StringIO

try:
    import builtins
except ImportError:  # pragma: no cover
    builtins = None

ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
HAS_UNRAISABLEHOOK = hasattr(sys, "unraisablehook")
HAS_GETSTATE = hasattr(inspect, "getasyncgenstate")


def clean(text):
    return ADDR.sub(" at 0x?", text)


def srepr(value):
    try:
        text = repr(value)
    except BaseException as exc:  # noqa
        text = "<repr raised %s>" % type(exc).__name__
    return clean(text)


def sstr(value):
    try:
        text = str(value)
    except BaseException as exc:  # noqa
        text = "<str raised %s>" % type(exc).__name__
    return clean(text)


def gstate(ag):
    """The observable state of an async generator, as a dict of plain data."""
    out = {}
    try:
        out["ag_running"] = ag.ag_running
    except BaseException as exc:  # noqa
        out["ag_running"] = "<%s>" % type(exc).__name__
    try:
        out["ag_frame_is_none"] = ag.ag_frame is None
    except BaseException as exc:  # noqa
        out["ag_frame_is_none"] = "<%s>" % type(exc).__name__
    try:
        aw = ag.ag_await
        out["ag_await"] = None if aw is None else type(aw).__name__
    except AttributeError:
        out["ag_await"] = "<absent>"
    except BaseException as exc:  # noqa
        out["ag_await"] = "<%s>" % type(exc).__name__
    if hasattr(type(ag), "ag_suspended") or hasattr(ag, "ag_suspended"):
        try:
            out["ag_suspended"] = ag.ag_suspended
        except BaseException as exc:  # noqa
            out["ag_suspended"] = "<%s>" % type(exc).__name__
    if HAS_GETSTATE:
        try:
            out["getasyncgenstate"] = inspect.getasyncgenstate(ag)
        except BaseException as exc:  # noqa
            out["getasyncgenstate"] = "<%s>" % type(exc).__name__
    return out


def agname(ag):
    """type name and __qualname__ (reprs differ between CPython and PyPy)."""
    return "%s %s" % (type(ag).__name__, getattr(ag, "__qualname__", "?"))


def describe_exception(exc):
    out = {"outcome": "raise", "exc": type(exc).__name__, "msg": sstr(exc)}
    if isinstance(exc, (StopIteration, StopAsyncIteration)):
        out["value"] = srepr(getattr(exc, "value", None)) if isinstance(exc, StopIteration) \
            else srepr(exc.args[0] if exc.args else None)
    if exc.__cause__ is not None:
        out["cause"] = type(exc.__cause__).__name__
    if exc.__context__ is not None:
        out["context"] = type(exc.__context__).__name__
    return out


class Capture(object):
    """Collects warnings, unraisablehook calls and stderr output during a block."""

    def __enter__(self):
        self._wcm = warnings.catch_warnings(record=True)
        self._w = self._wcm.__enter__()
        warnings.simplefilter("always")
        self.unraisable = []
        self._old_hook = None
        if HAS_UNRAISABLEHOOK:
            self._old_hook = sys.unraisablehook
            sys.unraisablehook = self._hook
        self._old_err = sys.stderr
        self._buf = StringIO()
        sys.stderr = self._buf
        return self

    def _hook(self, args):
        try:
            self.unraisable.append({
                "hook_exc_type": getattr(args.exc_type, "__name__", srepr(args.exc_type)),
                "hook_exc_value": sstr(args.exc_value),
                "hook_err_msg": None if args.err_msg is None else sstr(args.err_msg),
                "hook_object": srepr(args.object),
            })
        except BaseException as exc:  # noqa
            self.unraisable.append({"hook_failed": type(exc).__name__})

    def __exit__(self, *exc_info):
        # Turn the recorded warnings into plain data and drop the WarningMessage
        # objects while still capturing: their .source can be the very awaitable
        # whose release finalizes a generator (3.13 warns about unawaited ones).
        self.warnings = [[w.category.__name__, sstr(w.message)] for w in self._w]
        del self._w[:]
        sys.stderr = self._old_err
        if HAS_UNRAISABLEHOOK:
            sys.unraisablehook = self._old_hook
        self._wcm.__exit__(*exc_info)
        for line in self._buf.getvalue().splitlines():
            if line and not line[0].isspace() and not line.startswith("Traceback ("):
                self.unraisable.append({"stderr": clean(line)})
        return False

    def fill(self, entry):
        if self.warnings:
            entry["warnings"] = self.warnings
        if self.unraisable:
            entry["unraisable"] = self.unraisable


class Rec(object):
    """Records the steps of one scenario."""

    def __init__(self):
        self.obs = []
        self.log = []
        self.ag = None
        self._seen = 0

    def _newlog(self):
        new = self.log[self._seen:]
        self._seen = len(self.log)
        return [clean(x) if isinstance(x, str) else x for x in new]

    def step(self, label, fn):
        """Call fn() and record what it did. Returns the value (or None on raise)."""
        entry = {"step": label}
        value = None
        with Capture() as cap:
            try:
                value = fn()
                entry["outcome"] = "return"
                entry["value"] = srepr(value)
            except BaseException as exc:  # noqa
                entry.update(describe_exception(exc))
                value = None
        cap.fill(entry)
        new = self._newlog()
        if new:
            entry["log"] = new
        if self.ag is not None:
            entry["state"] = gstate(self.ag)
        self.obs.append(entry)
        return value

    def note(self, label, value):
        self.obs.append({"note": label, "value": value})

    def state(self, label="state"):
        if self.ag is not None:
            self.obs.append({"note": label, "state": gstate(self.ag)})

    def collect(self, label="gc.collect()"):
        def run():
            for _ in range(4):
                gc.collect()
        self.step(label, run)


def passout(value, log=None):
    """A generator-based awaitable that passes `value` out to whoever drives the
    awaitable, and returns what is sent back in."""
    @types.coroutine
    def _passout():
        try:
            got = yield value
        except BaseException as exc:  # noqa
            if log is not None:
                log.append("passout(%r) got %s" % (value, type(exc).__name__))
            raise
        if log is not None:
            log.append("passout(%r) resumed with %r" % (value, got))
        return got
    return _passout()


SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def exhaust(R, ag, label="exhaust"):
    """Drive ag until StopAsyncIteration (max 5 values), each as a recorded step."""
    for i in range(5):
        R.step("%s: asend(None).send(None) #%d" % (label, i), lambda: ag.asend(None).send(None))
        last = R.obs[-1]
        if last.get("exc") != "StopIteration":
            break


# ---------------------------------------------------------------- A. starting

@scenario
def asend_none_new_yields(R):
    async def g():
        yield 1
        yield 2
    R.ag = ag = g()
    R.state("new")
    a = R.step("ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    b = R.step("ag.asend(None)", lambda: ag.asend(None))
    R.step("b.send(None)", lambda: b.send(None))
    c = R.step("ag.asend(None)", lambda: ag.asend(None))
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.asend(None).send(None) after exhaustion", lambda: ag.asend(None).send(None))


@scenario
def anext_new_yields(R):
    async def g():
        yield 1
    R.ag = ag = g()
    a = R.step("ag.__anext__()", lambda: ag.__anext__())
    R.step("a.send(None)", lambda: a.send(None))
    R.step("ag.__anext__().send(None)", lambda: ag.__anext__().send(None))
    R.step("ag.__anext__().send(None) again", lambda: ag.__anext__().send(None))


@scenario
def anext_builtin(R):
    if builtins is None or not hasattr(builtins, "anext"):
        R.note("builtins.anext", "absent")
        return
    R.note("builtins.anext", "present")

    async def g():
        yield 1
    R.ag = ag = g()
    a = R.step("anext(ag)", lambda: builtins.anext(ag))
    R.step("a.send(None)", lambda: a.send(None))
    d = R.step("anext(ag, 'dflt')", lambda: builtins.anext(ag, "dflt"))
    R.step("d.send(None)", lambda: d.send(None))
    R.step("anext(ag).send(None)", lambda: builtins.anext(ag).send(None))


@scenario
def asend_value_into_yield(R):
    async def g():
        x = yield 1
        R.log.append("body got %r" % (x,))
        yield ("echo", x)
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend('v').send(None)", lambda: ag.asend("v").send(None))


@scenario
def asend_nonnone_just_started(R):
    async def g():
        R.log.append("body started")
        yield 1
    R.ag = ag = g()
    a = R.step("ag.asend(5)", lambda: ag.asend(5))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("ag.asend(None).send(None) afterwards", lambda: ag.asend(None).send(None))


@scenario
def asend_awaitable_send_nonnone_not_started_new_gen(R):
    async def g():
        R.log.append("body started")
        yield 1
    R.ag = ag = g()
    a = R.step("ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(5)", lambda: a.send(5))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def asend_awaitable_send_nonnone_not_started_suspended_gen(R):
    async def g():
        x = yield 1
        R.log.append("body got %r" % (x,))
        yield ("echo", x)
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    a = R.step("ag.asend('A')", lambda: ag.asend("A"))
    R.step("a.send('B')", lambda: a.send("B"))


@scenario
def anext_awaitable_send_nonnone_not_started_suspended_gen(R):
    async def g():
        x = yield 1
        R.log.append("body got %r" % (x,))
        yield ("echo", x)
    R.ag = ag = g()
    R.step("ag.__anext__().send(None)", lambda: ag.__anext__().send(None))
    a = R.step("ag.__anext__()", lambda: ag.__anext__())
    R.step("a.send('B')", lambda: a.send("B"))


@scenario
def athrow_before_start_class(R):
    async def g():
        R.log.append("body started")
        yield 1
    R.ag = ag = g()
    t = R.step("ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_before_start_instance(R):
    async def g():
        R.log.append("body started")
        yield 1
    R.ag = ag = g()
    t = R.step("ag.athrow(ValueError('m'))", lambda: ag.athrow(ValueError("m")))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_before_start_3arg(R):
    async def g():
        R.log.append("body started")
        yield 1
    R.ag = ag = g()
    t = R.step("ag.athrow(ValueError, ValueError('m'), None)",
               lambda: ag.athrow(ValueError, ValueError("m"), None))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_before_start_body_catches(R):
    async def g():
        try:
            R.log.append("body started")
            yield 1
        except ValueError:
            R.log.append("body caught")
            yield "caught"
    R.ag = ag = g()
    R.step("ag.athrow(ValueError).send(None)", lambda: ag.athrow(ValueError).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_before_start(R):
    async def g():
        try:
            R.log.append("body started")
            yield 1
        finally:
            R.log.append("finally")
    R.ag = ag = g()
    c = R.step("ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None) again", lambda: ag.aclose().send(None))


@scenario
def awaitable_types(R):
    async def g():
        yield 1
    R.ag = ag = g()
    out = {}
    for name, make in (("asend", lambda: ag.asend(None)), ("anext", lambda: ag.__anext__()),
                       ("athrow", lambda: ag.athrow(ValueError)), ("aclose", lambda: ag.aclose())):
        try:
            aw = make()
            it = aw.__await__()
            out[name] = {
                "type": type(aw).__name__,
                "await_returns_self": it is aw,
                "iter_returns_self": iter(aw) is aw,
                "has_send_throw_close": [hasattr(aw, "send"), hasattr(aw, "throw"), hasattr(aw, "close")],
                "is_awaitable": inspect.isawaitable(aw),
            }
        except BaseException as exc:  # noqa
            out[name] = describe_exception(exc)
    R.note("awaitables", out)
    R.note("type(ag).__name__", type(ag).__name__)
    R.note("inspect.isasyncgen", inspect.isasyncgen(ag))


@scenario
def two_anext_awaitables_created_before_send(R):
    async def g():
        yield 1
        yield 2
    R.ag = ag = g()
    a1 = R.step("a1 = ag.__anext__()", lambda: ag.__anext__())
    a2 = R.step("a2 = ag.__anext__()", lambda: ag.__anext__())
    R.step("a2.send(None)", lambda: a2.send(None))
    R.step("a1.send(None)", lambda: a1.send(None))


# ---------------------------------------------------------------- B. body ends

@scenario
def body_returns_immediately(R):
    async def g():
        R.log.append("body started")
        return
        yield  # pragma: no cover
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None) again", lambda: ag.asend(None).send(None))


@scenario
def body_returns_after_yield(R):
    async def g():
        yield 1
    R.ag = ag = g()
    exhaust(R, ag)


@scenario
def body_raises(R):
    async def g():
        raise ValueError("boom")
        yield  # pragma: no cover
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None) again", lambda: ag.asend(None).send(None))


@scenario
def body_raises_after_yield(R):
    async def g():
        yield 1
        raise ValueError("boom")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None) again", lambda: ag.asend(None).send(None))


@scenario
def body_raises_stopasynciteration(R):
    async def g():
        raise StopAsyncIteration("inner")
        yield  # pragma: no cover
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None) again", lambda: ag.asend(None).send(None))


@scenario
def body_raises_stopasynciteration_after_yield(R):
    async def g():
        yield 1
        raise StopAsyncIteration("inner")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def body_raises_stopiteration(R):
    async def g():
        raise StopIteration("inner")
        yield  # pragma: no cover
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None) again", lambda: ag.asend(None).send(None))


@scenario
def body_raises_generatorexit(R):
    async def g():
        raise GeneratorExit("inner")
        yield  # pragma: no cover
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None) again", lambda: ag.asend(None).send(None))


# ---------------------------------------------------------------- C. in flight

def inflight_gen(R):
    async def g():
        R.log.append("body started")
        try:
            got = await passout("x", R.log)
        except ValueError as exc:
            R.log.append("body caught ValueError")
            yield ("caught", str(exc))
            return
        R.log.append("body resumed with %r" % (got,))
        yield ("got", got)
        yield "second"
    return g()


@scenario
def inflight_passout_then_send(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.send('v')", lambda: a.send("v"))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def inflight_throw_caught(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.throw(ValueError('t'))", lambda: a.throw(ValueError("t")))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def inflight_throw_uncaught(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.throw(KeyError('t'))", lambda: a.throw(KeyError("t")))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def inflight_close(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.close()", lambda: a.close())
    R.step("a.send(None) after close", lambda: a.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


@scenario
def inflight_second_asend(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    b = R.step("b = ag.asend(None)", lambda: ag.asend(None))
    R.step("b.send(None)", lambda: b.send(None))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_second_anext(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.__anext__()", lambda: ag.__anext__())
    R.step("a.send(None)", lambda: a.send(None))
    b = R.step("b = ag.__anext__()", lambda: ag.__anext__())
    R.step("b.send(None)", lambda: b.send(None))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_second_asend_nonnone(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("ag.asend('w').send(None)", lambda: ag.asend("w").send(None))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_aclose(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_athrow(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    t = R.step("t = ag.athrow(ValueError('t'))", lambda: ag.athrow(ValueError("t")))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_athrow_throw_then_asend_throw(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    t = R.step("t = ag.athrow(ValueError('t'))", lambda: ag.athrow(ValueError("t")))
    R.step("t.throw(KeyError('k'))", lambda: t.throw(KeyError("k")))
    R.step("a.throw(ValueError('a'))", lambda: a.throw(ValueError("a")))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def inflight_aclose_throw(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.throw(KeyError('k'))", lambda: c.throw(KeyError("k")))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def athrow_inflight_then_asend_throw(R):
    async def g():
        try:
            yield 1
        except ValueError:
            R.log.append("body caught ValueError")
            try:
                got = await passout("h", R.log)
            except KeyError:
                R.log.append("body caught KeyError in handler")
                yield "caught-key"
                return
            R.log.append("handler resumed with %r" % (got,))
            yield ("handled", got)
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    b = R.step("b = ag.asend(None)", lambda: ag.asend(None))
    R.step("b.throw(KeyError('k'))", lambda: b.throw(KeyError("k")))
    R.step("t.send('v')", lambda: t.send("v"))


@scenario
def athrow_inflight_then_send(R):
    async def g():
        try:
            yield 1
        except ValueError:
            got = await passout("h", R.log)
            yield ("handled", got)
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("t.send('v')", lambda: t.send("v"))
    R.step("t.send(None) after StopIteration", lambda: t.send(None))



@scenario
def inflight_second_asend_throw(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    b = R.step("b = ag.asend(None)", lambda: ag.asend(None))
    R.step("b.throw(ValueError('b'))", lambda: b.throw(ValueError("b")))
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_second_asend_close(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    b = R.step("b = ag.asend(None)", lambda: ag.asend(None))
    R.step("b.close()", lambda: b.close())
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def inflight_athrow_close_not_started(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.close()", lambda: t.close())
    R.step("a.send('v')", lambda: a.send("v"))


@scenario
def unawaited_awaitables_dropped(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None) dropped", lambda: ag.asend(None) and None)
    R.step("ag.__anext__() dropped", lambda: ag.__anext__() and None)
    R.step("ag.athrow(ValueError) dropped", lambda: ag.athrow(ValueError) and None)
    R.step("ag.aclose() dropped", lambda: ag.aclose() and None)
    h = {}
    h["a"] = R.step("h['a'] = ag.asend(None)", lambda: ag.asend(None))
    R.step("h['a'].close()", lambda: h["a"].close())
    R.step("drop h['a'] (closed, never sent)", lambda: h.clear())
    R.ag = ag2 = g()
    h["t"] = R.step("h['t'] = ag2.aclose() (fresh generator)", lambda: ag2.aclose())
    R.step("h['t'].close()", lambda: h["t"].close())
    R.step("drop h['t'] (closed, never sent)", lambda: h.clear())
    R.collect()


# ---------------------------------------------------------------- D. reuse

@scenario
def reuse_asend_after_stopiteration(R):
    async def g():
        yield 1
        yield 2
    R.ag = ag = g()
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.send(None) again", lambda: a.send(None))
    R.step("a.throw(ValueError) again", lambda: a.throw(ValueError))
    R.step("a.close() again", lambda: a.close())
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def reuse_anext_after_stopiteration(R):
    async def g():
        yield 1
        yield 2
    R.ag = ag = g()
    a = R.step("a = ag.__anext__()", lambda: ag.__anext__())
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.send(None) again", lambda: a.send(None))
    R.step("ag.__anext__().send(None)", lambda: ag.__anext__().send(None))


@scenario
def reuse_asend_after_exception(R):
    async def g():
        raise ValueError("boom")
        yield  # pragma: no cover
    R.ag = ag = g()
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.send(None) again", lambda: a.send(None))


@scenario
def reuse_asend_after_stopasynciteration(R):
    async def g():
        return
        yield  # pragma: no cover
    R.ag = ag = g()
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.send(None) again", lambda: a.send(None))


@scenario
def reuse_aclose_after_stopiteration(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("c.send(None) again", lambda: c.send(None))
    R.step("c.throw(ValueError) again", lambda: c.throw(ValueError))
    R.step("c.close() again", lambda: c.close())


@scenario
def reuse_aclose_unstarted_gen(R):
    async def g():
        yield 1
    R.ag = ag = g()
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("c.send(None) again", lambda: c.send(None))


@scenario
def reuse_athrow_after_stopiteration(R):
    async def g():
        try:
            yield 1
        except ValueError:
            yield "caught"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("t.send(None) again", lambda: t.send(None))
    R.step("t.throw(KeyError) again", lambda: t.throw(KeyError))


@scenario
def reuse_athrow_after_exception(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("t.send(None) again", lambda: t.send(None))



@scenario
def reuse_asend_after_inflight_stopiteration(R):
    R.ag = ag = inflight_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.send('v')", lambda: a.send("v"))
    R.step("a.send(None) again", lambda: a.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def reuse_athrow_after_inflight_exception(R):
    async def g():
        try:
            yield 1
        except ValueError:
            await passout("h", R.log)
            raise KeyError("from handler")
        yield "unreached"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("t.send('v')", lambda: t.send("v"))
    R.step("t.send(None) again", lambda: t.send(None))


@scenario
def reuse_athrow_after_inflight_stopiteration_more_values(R):
    async def g():
        try:
            yield 1
        except ValueError:
            await passout("h", R.log)
            yield "handled"
        R.log.append("body resumed after 'handled'")
        yield "next"
        yield "last"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("t.send('v')", lambda: t.send("v"))
    R.step("t.send(None) again", lambda: t.send(None))
    R.step("t.send(None) again", lambda: t.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


# ---------------------------------------------------------------- E. aclose bodies

@scenario
def aclose_started_simple(R):
    async def g():
        try:
            yield 1
        finally:
            R.log.append("finally")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_body_catches_and_yields(R):
    async def g():
        try:
            yield 1
        except GeneratorExit:
            R.log.append("caught GeneratorExit")
            yield 2
        R.log.append("after")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_body_awaits_passout(R):
    async def g():
        try:
            yield 1
        finally:
            R.log.append("finally start")
            got = await passout("cleanup", R.log)
            R.log.append("finally got %r" % (got,))
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("c.send('v')", lambda: c.send("v"))
    R.step("c.send(None) again", lambda: c.send(None))


@scenario
def aclose_body_awaits_then_yields(R):
    async def g():
        try:
            yield 1
        finally:
            await passout("cleanup", R.log)
            yield 2
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_body_returns_in_except(R):
    async def g():
        try:
            yield 1
        except GeneratorExit:
            R.log.append("caught GeneratorExit")
            return
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


@scenario
def aclose_body_raises_other(R):
    async def g():
        try:
            yield 1
        except GeneratorExit:
            raise ValueError("from cleanup")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_body_raises_stopasynciteration(R):
    async def g():
        try:
            yield 1
        except GeneratorExit:
            raise StopAsyncIteration("from cleanup")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


@scenario
def aclose_after_finished(R):
    async def g():
        yield 1
    R.ag = ag = g()
    exhaust(R, ag)
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))


@scenario
def aclose_twice_sequential(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))
    R.step("ag.aclose().send(None) again", lambda: ag.aclose().send(None))


@scenario
def athrow_after_finished(R):
    async def g():
        yield 1
    R.ag = ag = g()
    exhaust(R, ag)
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))


@scenario
def athrow_after_aclose(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))
    R.step("ag.athrow(ValueError).send(None)", lambda: ag.athrow(ValueError).send(None))


@scenario
def athrow_after_body_raised(R):
    async def g():
        yield 1
        raise KeyError("k")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(ValueError).send(None)", lambda: ag.athrow(ValueError).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


def cleanup_await_gen(R):
    async def g():
        try:
            yield 1
        finally:
            R.log.append("finally start")
            try:
                got = await passout("cleanup", R.log)
            except BaseException as exc:  # noqa
                R.log.append("finally await raised %s" % type(exc).__name__)
                raise
            R.log.append("finally got %r" % (got,))
    return g()


@scenario
def aclose_inflight_throw(R):
    R.ag = ag = cleanup_await_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("c.throw(ValueError('t'))", lambda: c.throw(ValueError("t")))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_inflight_second_aclose(R):
    R.ag = ag = cleanup_await_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))
    R.step("c.send('v')", lambda: c.send("v"))


@scenario
def aclose_inflight_asend(R):
    R.ag = ag = cleanup_await_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("c.send('v')", lambda: c.send("v"))


@scenario
def aclose_inflight_athrow(R):
    R.ag = ag = cleanup_await_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("ag.athrow(KeyError).send(None)", lambda: ag.athrow(KeyError).send(None))
    R.step("c.send('v')", lambda: c.send("v"))


# ---------------------------------------------------------------- F. athrow on a started generator

@scenario
def athrow_started_caught_yields(R):
    async def g():
        try:
            yield 1
        except ValueError as exc:
            R.log.append("caught %s(%s)" % (type(exc).__name__, exc))
            yield "caught"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError('m'))", lambda: ag.athrow(ValueError("m")))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_started_uncaught(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(ValueError('m')).send(None)", lambda: ag.athrow(ValueError("m")).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_started_caught_returns(R):
    async def g():
        try:
            yield 1
        except ValueError:
            R.log.append("caught, returning")
            return
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(ValueError).send(None)", lambda: ag.athrow(ValueError).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_started_stopasynciteration_uncaught(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(StopAsyncIteration('s')).send(None)",
           lambda: ag.athrow(StopAsyncIteration("s")).send(None))


@scenario
def athrow_started_stopiteration_uncaught(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(StopIteration('s')).send(None)", lambda: ag.athrow(StopIteration("s")).send(None))


@scenario
def athrow_started_generatorexit_uncaught(R):
    async def g():
        try:
            yield 1
        finally:
            R.log.append("finally")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(GeneratorExit).send(None)", lambda: ag.athrow(GeneratorExit).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_started_generatorexit_caught_yields(R):
    async def g():
        try:
            yield 1
        except GeneratorExit:
            yield "ignored"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(GeneratorExit).send(None)", lambda: ag.athrow(GeneratorExit).send(None))


@scenario
def athrow_started_3arg(R):
    async def g():
        try:
            yield 1
        except ValueError as exc:
            yield ("caught", str(exc))
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError, ValueError('m'), None)",
               lambda: ag.athrow(ValueError, ValueError("m"), None))
    R.step("t.send(None)", lambda: t.send(None))


@scenario
def athrow_bad_arguments(R):
    async def g():
        yield 1
    R.ag = ag = g()
    R.step("ag.athrow()", lambda: ag.athrow())
    R.step("ag.athrow(1)", lambda: ag.athrow(1))
    R.step("ag.athrow(ValueError, 'value')", lambda: ag.athrow(ValueError, "value"))
    R.step("ag.athrow(ValueError, None, 5)", lambda: ag.athrow(ValueError, None, 5))


@scenario
def awaitable_throw_3arg(R):
    async def g():
        while True:
            try:
                yield 1
            except ValueError as exc:
                R.log.append("caught %s" % (exc,))
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).throw(ValueError, ValueError('a'), None)",
           lambda: ag.asend(None).throw(ValueError, ValueError("a"), None))
    R.step("ag.athrow(KeyError).throw(ValueError, ValueError('t'), None)",
           lambda: ag.athrow(KeyError).throw(ValueError, ValueError("t"), None))
    R.step("ag.asend(None).throw(ValueError)", lambda: ag.asend(None).throw(ValueError))


# ---------------------------------------------------------------- G. the awaitables' close/throw/send

def yielding_gen(R):
    async def g():
        try:
            x = yield 1
            R.log.append("body got %r" % (x,))
            yield 2
            yield 3
        finally:
            R.log.append("finally")
    return g()


@scenario
def asend_close_before_start(R):
    R.ag = ag = yielding_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.close()", lambda: a.close())
    R.step("a.send(None) after close", lambda: a.send(None))
    R.step("a.close() again", lambda: a.close())
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def anext_close_before_start(R):
    R.ag = ag = yielding_gen(R)
    a = R.step("a = ag.__anext__()", lambda: ag.__anext__())
    R.step("a.close()", lambda: a.close())
    R.step("a.send(None) after close", lambda: a.send(None))
    R.step("ag.__anext__().send(None)", lambda: ag.__anext__().send(None))


@scenario
def asend_close_before_start_suspended_gen(R):
    R.ag = ag = yielding_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.close()", lambda: a.close())
    R.step("a.throw(ValueError) after close", lambda: a.throw(ValueError))
    R.step("ag.asend('next').send(None)", lambda: ag.asend("next").send(None))


@scenario
def athrow_close_before_start(R):
    R.ag = ag = yielding_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.close()", lambda: t.close())
    R.step("t.send(None) after close", lambda: t.send(None))
    R.step("ag.asend('next').send(None)", lambda: ag.asend("next").send(None))


@scenario
def aclose_awaitable_close_before_start(R):
    R.ag = ag = yielding_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.close()", lambda: c.close())
    R.step("c.send(None) after close", lambda: c.send(None))
    R.step("ag.asend('next').send(None)", lambda: ag.asend("next").send(None))


@scenario
def athrow_close_inflight(R):
    async def g():
        try:
            yield 1
        except ValueError:
            got = await passout("h", R.log)
            yield ("handled", got)
        finally:
            R.log.append("finally")
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(None)", lambda: t.send(None))
    R.step("t.close()", lambda: t.close())
    R.step("t.send(None) after close", lambda: t.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def aclose_awaitable_close_inflight(R):
    R.ag = ag = cleanup_await_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(None)", lambda: c.send(None))
    R.step("c.close()", lambda: c.close())
    R.step("c.send(None) after close", lambda: c.send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


@scenario
def asend_close_inflight_body_catches_and_awaits(R):
    async def g():
        try:
            await passout("x", R.log)
        except GeneratorExit:
            R.log.append("body caught GeneratorExit")
            await passout("y", R.log)
        yield "done"
    R.ag = ag = g()
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.close()", lambda: a.close())
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def asend_close_inflight_body_catches_and_yields(R):
    async def g():
        try:
            await passout("x", R.log)
        except GeneratorExit:
            R.log.append("body caught GeneratorExit")
            yield "yielded after GeneratorExit"
        yield "done"
    R.ag = ag = g()
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))
    R.step("a.close()", lambda: a.close())
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def athrow_send_nonnone_not_started(R):
    R.ag = ag = yielding_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.send(5)", lambda: t.send(5))
    R.step("t.send(None)", lambda: t.send(None))


@scenario
def aclose_send_nonnone_not_started(R):
    R.ag = ag = yielding_gen(R)
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.send(5)", lambda: c.send(5))
    R.step("c.send(None)", lambda: c.send(None))


@scenario
def asend_throw_before_start_new_gen(R):
    R.ag = ag = yielding_gen(R)
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.throw(ValueError('m'))", lambda: a.throw(ValueError("m")))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def asend_throw_before_start_suspended_gen(R):
    async def g():
        try:
            yield 1
        except ValueError as exc:
            R.log.append("caught %s(%s)" % (type(exc).__name__, exc))
            yield "caught"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.throw(ValueError('m'))", lambda: a.throw(ValueError("m")))
    R.step("a.send(None)", lambda: a.send(None))


@scenario
def athrow_throw_before_start(R):
    async def g():
        try:
            yield 1
        except ValueError:
            R.log.append("caught ValueError")
            yield "caught V"
        except KeyError:
            R.log.append("caught KeyError")
            yield "caught K"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.throw(KeyError)", lambda: t.throw(KeyError))
    R.step("t.send(None)", lambda: t.send(None))


@scenario
def aclose_throw_before_start(R):
    async def g():
        try:
            yield 1
        except GeneratorExit:
            R.log.append("caught GeneratorExit")
            raise
        except KeyError:
            R.log.append("caught KeyError")
            yield "caught K"
    R.ag = ag = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    c = R.step("c = ag.aclose()", lambda: ag.aclose())
    R.step("c.throw(KeyError)", lambda: c.throw(KeyError))
    R.step("c.send(None)", lambda: c.send(None))


@scenario
def athrow_throw_before_start_new_gen(R):
    R.ag = ag = yielding_gen(R)
    t = R.step("t = ag.athrow(ValueError)", lambda: ag.athrow(ValueError))
    R.step("t.throw(KeyError)", lambda: t.throw(KeyError))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


# ---------------------------------------------------------------- H. hooks and collection

class Hooks(object):
    """Installs asyncgen hooks that log, restoring the previous ones on exit."""

    def __init__(self, R, firstiter=True, finalizer=True, drive_aclose=True, raise_in_firstiter=False):
        self.R = R
        self.use_firstiter = firstiter
        self.use_finalizer = finalizer
        self.drive_aclose = drive_aclose
        self.raise_in_firstiter = raise_in_firstiter

    def firstiter(self, ag):
        self.R.log.append({"firstiter": agname(ag), "state": gstate(ag)})
        if self.raise_in_firstiter:
            raise KeyError("from firstiter")

    def finalizer(self, ag):
        entry = {"finalizer": agname(ag), "state": gstate(ag)}
        if self.drive_aclose:
            results = []
            try:
                c = ag.aclose()
                for i in range(4):
                    try:
                        results.append(["return", srepr(c.send(None))])
                    except BaseException as exc:  # noqa
                        d = describe_exception(exc)
                        results.append(["raise", d["exc"], d["msg"]])
                        break
            except BaseException as exc:  # noqa
                results.append(["aclose() raised", type(exc).__name__, sstr(exc)])
            entry["aclose_by_hand"] = results
            entry["state_after"] = gstate(ag)
        self.R.log.append(entry)

    def __enter__(self):
        self.old = sys.get_asyncgen_hooks()
        sys.set_asyncgen_hooks(
            firstiter=self.firstiter if self.use_firstiter else None,
            finalizer=self.finalizer if self.use_finalizer else None)
        return self

    def __exit__(self, *exc_info):
        sys.set_asyncgen_hooks(firstiter=self.old[0], finalizer=self.old[1])
        return False


def hooked_gen(R):
    async def g():
        try:
            yield 1
            yield 2
        finally:
            R.log.append("finally")
    return g()


def firstiter_scenario(R, make, label):
    with Hooks(R, finalizer=False):
        R.ag = ag = hooked_gen(R)
        aw = R.step("create %s" % label, lambda: make(ag))
        R.step("send(None) on it", lambda: aw.send(None))
        aw2 = R.step("create %s again" % label, lambda: make(ag))
        R.step("send(None) on it", lambda: aw2.send(None))
        R.ag = None
    R.collect("gc.collect() after hooks restored")


@scenario
def hooks_firstiter_asend(R):
    firstiter_scenario(R, lambda ag: ag.asend(None), "ag.asend(None)")


@scenario
def hooks_firstiter_anext(R):
    firstiter_scenario(R, lambda ag: ag.__anext__(), "ag.__anext__()")


@scenario
def hooks_firstiter_athrow(R):
    firstiter_scenario(R, lambda ag: ag.athrow(ValueError), "ag.athrow(ValueError)")


@scenario
def hooks_firstiter_aclose(R):
    firstiter_scenario(R, lambda ag: ag.aclose(), "ag.aclose()")


@scenario
def hooks_firstiter_raises(R):
    with Hooks(R, finalizer=False, raise_in_firstiter=True):
        R.ag = ag = hooked_gen(R)
        R.step("ag.asend(None)", lambda: ag.asend(None))
        R.step("ag.asend(None) again", lambda: ag.asend(None))
        R.step("ag.asend(None).send(None) (hook raises each time?)", lambda: ag.asend(None).send(None))
        R.ag = None


@scenario
def hooks_get_set(R):
    hooks = sys.get_asyncgen_hooks()
    R.note("type(sys.get_asyncgen_hooks())", type(hooks).__name__)
    R.note("fields", list(getattr(hooks, "_fields", ())))
    old = hooks
    try:
        R.step("sys.set_asyncgen_hooks(firstiter=1)", lambda: sys.set_asyncgen_hooks(firstiter=1))
        R.step("sys.set_asyncgen_hooks(finalizer=1)", lambda: sys.set_asyncgen_hooks(finalizer=1))
        R.step("sys.set_asyncgen_hooks()", lambda: sys.set_asyncgen_hooks())
    finally:
        sys.set_asyncgen_hooks(firstiter=old[0], finalizer=old[1])


def collect_scenario(R, prepare, hooks=True, drive_aclose=True):
    holder = {}
    ctx = Hooks(R, drive_aclose=drive_aclose) if hooks else None
    if ctx is not None:
        ctx.__enter__()
    try:
        prepare(R, holder)
        R.ag = None
        R.step("drop every reference", lambda: holder.clear())
        R.collect()
    finally:
        if ctx is not None:
            ctx.__exit__(None, None, None)


def prep_suspended(R, holder):
    ag = holder["ag"] = hooked_gen(R)
    R.ag = ag
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


def prep_created(R, holder):
    ag = holder["ag"] = hooked_gen(R)
    R.ag = ag
    R.state("created, never iterated")


def prep_awaitable_only(R, holder):
    ag = holder["ag"] = hooked_gen(R)
    R.ag = ag
    holder["a"] = R.step("a = ag.asend(None) (never sent)", lambda: ag.asend(None))


def prep_exhausted(R, holder):
    ag = holder["ag"] = hooked_gen(R)
    R.ag = ag
    exhaust(R, ag)


def prep_closed(R, holder):
    ag = holder["ag"] = hooked_gen(R)
    R.ag = ag
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


def prep_inflight(R, holder):
    async def g():
        try:
            await passout("x", R.log)
            yield 1
        finally:
            R.log.append("finally")
    ag = holder["ag"] = g()
    R.ag = ag
    a = holder["a"] = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None)", lambda: a.send(None))


def prep_finally_awaits(R, holder):
    ag = holder["ag"] = cleanup_await_gen(R)
    R.ag = ag
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


def prep_finally_yields(R, holder):
    async def g():
        try:
            yield 1
        finally:
            R.log.append("finally")
            yield 2
    ag = holder["ag"] = g()
    R.ag = ag
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def hooks_finalizer_collect_suspended(R):
    collect_scenario(R, prep_suspended)


@scenario
def hooks_finalizer_collect_suspended_no_aclose(R):
    collect_scenario(R, prep_suspended, drive_aclose=False)


@scenario
def hooks_finalizer_collect_created(R):
    collect_scenario(R, prep_created)


@scenario
def hooks_finalizer_collect_awaitable_created_not_sent(R):
    collect_scenario(R, prep_awaitable_only)


@scenario
def hooks_finalizer_collect_exhausted(R):
    collect_scenario(R, prep_exhausted)


@scenario
def hooks_finalizer_collect_closed(R):
    collect_scenario(R, prep_closed)


@scenario
def hooks_finalizer_collect_inflight(R):
    collect_scenario(R, prep_inflight)


@scenario
def hooks_finalizer_collect_finally_awaits(R):
    collect_scenario(R, prep_finally_awaits)


@scenario
def hooks_captured_at_firstiter(R):
    holder = {}
    first = Hooks(R)
    first.__enter__()
    try:
        ag = holder["ag"] = hooked_gen(R)
        R.ag = ag
        R.step("ag.asend(None).send(None) under hooks A", lambda: ag.asend(None).send(None))
        del ag
    finally:
        first.__exit__(None, None, None)
    R.note("hooks A removed", "sys.set_asyncgen_hooks(None, None)")
    R.ag = None
    R.step("drop every reference", lambda: holder.clear())
    R.collect()


@scenario
def hooks_set_after_first_iteration(R):
    holder = {}
    ag = holder["ag"] = hooked_gen(R)
    R.ag = ag
    R.step("ag.asend(None).send(None) without hooks", lambda: ag.asend(None).send(None))
    del ag
    with Hooks(R):
        R.step("ag.asend(None).send(None) with hooks now set", lambda: holder["ag"].asend(None).send(None))
        R.ag = None
        R.step("drop every reference", lambda: holder.clear())
        R.collect()


@scenario
def collect_suspended_no_hooks(R):
    collect_scenario(R, prep_suspended, hooks=False)


@scenario
def collect_created_no_hooks(R):
    collect_scenario(R, prep_created, hooks=False)


@scenario
def collect_inflight_no_hooks(R):
    collect_scenario(R, prep_inflight, hooks=False)


@scenario
def collect_suspended_no_hooks_finally_awaits(R):
    collect_scenario(R, prep_finally_awaits, hooks=False)


@scenario
def collect_suspended_no_hooks_finally_yields(R):
    collect_scenario(R, prep_finally_yields, hooks=False)


# ---------------------------------------------------------------- I. introspection

@scenario
def introspect_lifecycle(R):
    async def g():
        await passout("x", R.log)
        yield 1
    R.ag = ag = g()
    R.state("created")
    a = R.step("a = ag.asend(None)", lambda: ag.asend(None))
    R.step("a.send(None) -> in flight at await", lambda: a.send(None))
    R.step("a.send(None) -> yields 1", lambda: a.send(None))
    R.step("ag.asend(None).send(None) -> exhausted", lambda: ag.asend(None).send(None))


@scenario
def introspect_inside_body_asend(R):
    box = {}

    async def g():
        R.log.append({"inside asend": gstate(box["ag"])})
        yield 1
        R.log.append({"inside 2nd asend": gstate(box["ag"])})
        yield 2
    R.ag = ag = box["ag"] = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.__anext__().send(None)", lambda: ag.__anext__().send(None))


@scenario
def introspect_inside_body_athrow_handler(R):
    box = {}

    async def g():
        try:
            yield 1
        except ValueError:
            R.log.append({"inside athrow handler": gstate(box["ag"])})
            yield 2
    R.ag = ag = box["ag"] = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.athrow(ValueError).send(None)", lambda: ag.athrow(ValueError).send(None))


@scenario
def introspect_inside_body_aclose_finally(R):
    box = {}

    async def g():
        try:
            yield 1
        finally:
            R.log.append({"inside aclose finally": gstate(box["ag"])})
    R.ag = ag = box["ag"] = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.aclose().send(None)", lambda: ag.aclose().send(None))


def self_call_scenario(R, call, label):
    box = {}

    async def g():
        try:
            res = call(box["ag"])
            R.log.append({"inside: %s" % label: ["return", srepr(res)]})
        except BaseException as exc:  # noqa
            d = describe_exception(exc)
            R.log.append({"inside: %s" % label: ["raise", d["exc"], d["msg"]]})
        yield 1
    R.ag = ag = box["ag"] = g()
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))
    R.step("ag.asend(None).send(None)", lambda: ag.asend(None).send(None))


@scenario
def self_asend_inside_body(R):
    self_call_scenario(R, lambda ag: ag.asend(None).send(None), "ag.asend(None).send(None)")


@scenario
def self_anext_inside_body(R):
    self_call_scenario(R, lambda ag: ag.__anext__().send(None), "ag.__anext__().send(None)")


@scenario
def self_aclose_inside_body(R):
    self_call_scenario(R, lambda ag: ag.aclose().send(None), "ag.aclose().send(None)")


@scenario
def self_athrow_inside_body(R):
    self_call_scenario(R, lambda ag: ag.athrow(KeyError).send(None), "ag.athrow(KeyError).send(None)")


# ---------------------------------------------------------------- runner

def meta():
    impl = sys.implementation
    out = {
        "implementation": impl.name,
        "version": "%d.%d.%d" % sys.version_info[:3],
        "sys.version": sys.version.replace("\n", " "),
        "has_unraisablehook": HAS_UNRAISABLEHOOK,
        "has_getasyncgenstate": HAS_GETSTATE,
    }
    if impl.name == "pypy":
        out["pypy_version"] = "%d.%d.%d" % tuple(sys.pypy_version_info[:3])
    return out


def run(selected=None):
    results = {"_meta": [meta()]}
    base_hooks = sys.get_asyncgen_hooks()
    for fn in SCENARIOS:
        name = fn.__name__
        if selected and not any(s in name for s in selected):
            continue
        sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
        R = Rec()
        with Capture() as cap:
            try:
                fn(R)
            except BaseException as exc:  # noqa
                d = describe_exception(exc)
                R.obs.append({"scenario_error": [d["exc"], d["msg"]]})
            R.ag = None
        cap.fill({})
        # teardown: whatever the scenario left behind is finalized here
        tear = {"step": "teardown"}
        with Capture() as cap2:
            del fn
            for _ in range(4):
                gc.collect()
        with Capture() as cap3:
            for _ in range(2):
                gc.collect()
        cap2.warnings += cap3.warnings
        cap2.unraisable += cap3.unraisable
        leftover = [x for x in R.log[R._seen:]]
        if leftover:
            tear["log"] = [clean(x) if isinstance(x, str) else x for x in leftover]
        tw = cap.warnings + cap2.warnings
        tu = cap.unraisable + cap2.unraisable
        if tw:
            tear["warnings"] = tw
        if tu:
            tear["unraisable"] = tu
        if len(tear) > 1:
            R.obs.append(tear)
        results[name] = R.obs
        fn = None
    sys.set_asyncgen_hooks(firstiter=base_hooks[0], finalizer=base_hooks[1])
    return results


def main():
    results = run(sys.argv[1:])
    text = json.dumps(results, sort_keys=True, indent=1)
    sys.stdout.write(clean(text) + "\n")


if __name__ == "__main__":
    main()
