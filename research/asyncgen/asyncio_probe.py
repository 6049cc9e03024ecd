"""What an asyncio event loop does to async generators driven inside it.

Companion of probe.py (which drives async generators by hand).  Runs unchanged on
CPython 3.6+ and PyPy 3, standard library only.  Prints one JSON object, keys sorted:

    {"_meta": [{...interpreter...}], scenario name: [observation, ...]}

Every scenario builds a fresh loop with asyncio.new_event_loop(), installs an
exception handler that records every call (loop.set_exception_handler), and on
most scenarios wraps the loop's own asyncgen hooks (instance attributes
_asyncgen_firstiter_hook / _asyncgen_finalizer_hook, which run_forever installs
with sys.set_asyncgen_hooks) so that each hook call is logged before the original
hook runs.  The loop is driven in "passes": one pass is
loop.call_soon(loop.stop); loop.run_forever(), followed by gc.collect().  Passes
are bounded (MAX_PASSES) so that nothing can hang.

An observation is a dict with

    step        what was done ("pass 3", "drop ag; gc.collect() inside a task", ...)
    log         what bodies, tasks and hook wrappers appended meanwhile
    handler     exception handler calls: message, exc (type), exc_msg, keys
    unraisable  sys.unraisablehook calls (3.8+, PyPy) or the non-indented lines
                written to sys.stderr (3.6/3.7)
    warnings    [category, message] (simplefilter("always"))
    state       a held generator's state: ag_running, ag_frame_is_none, ag_await,
                ag_suspended/getasyncgenstate where present
    asyncgens   len(loop._asyncgens) after the step
    pending     the not-done tasks of the loop (type and qualname of their coroutine)

Passes in which nothing was logged or reported are left out; the pass number
counts from 0 for the first pass after the step that triggered it.

Usage:  python asyncio_probe.py [scenario-name-substring ...] > results/asyncio-<label>.json
"""

import asyncio
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

ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
HAS_UNRAISABLEHOOK = hasattr(sys, "unraisablehook")
HAS_GETSTATE = hasattr(inspect, "getasyncgenstate")
HAS_RUN = hasattr(asyncio, "run")
MAX_PASSES = 20
QUIET_PASSES = 3  # stop spinning after this many passes with nothing happening


def clean(text):
    return ADDR.sub(" at 0x?", text)


def sstr(value):
    try:
        return clean(str(value))
    except BaseException as exc:  # noqa
        return "<str raised %s>" % type(exc).__name__


def srepr(value):
    try:
        return clean(repr(value))
    except BaseException as exc:  # noqa
        return "<repr raised %s>" % type(exc).__name__


def gstate(ag):
    out = {}
    for name in ("ag_running", "ag_suspended"):
        if name == "ag_suspended" and not hasattr(ag, name):
            continue
        try:
            out[name] = getattr(ag, name)
        except BaseException as exc:  # noqa
            out[name] = "<%s>" % type(exc).__name__
    out["ag_frame_is_none"] = ag.ag_frame is None
    aw = getattr(ag, "ag_await", "<absent>")
    out["ag_await"] = aw if aw is None or aw == "<absent>" else type(aw).__name__
    if HAS_GETSTATE:
        out["getasyncgenstate"] = inspect.getasyncgenstate(ag)
    return out


def coro_name(task):
    coro = getattr(task, "_coro", None)
    if coro is None and hasattr(task, "get_coro"):
        coro = task.get_coro()
    return "%s %s" % (type(coro).__name__, getattr(coro, "__qualname__", "-"))


def pending(loop):
    if hasattr(asyncio, "all_tasks"):
        tasks = asyncio.all_tasks(loop)
    else:  # 3.6
        tasks = asyncio.Task.all_tasks(loop)
    names = sorted(coro_name(t) for t in tasks if not t.done())
    tasks = None
    return names


class Capture(object):
    """Warnings, unraisablehook calls and stderr lines during a block."""

    def __enter__(self):
        self._wcm = warnings.catch_warnings(record=True)
        self._w = self._wcm.__enter__()
        warnings.simplefilter("always")
        self.unraisable = []
        if HAS_UNRAISABLEHOOK:
            self._old_hook = sys.unraisablehook
            sys.unraisablehook = self._hook
        self._old_err = sys.stderr
        self._buf = StringIO()
        sys.stderr = self._buf
        return self

    def _hook(self, args):
        self.unraisable.append({
            "exc": getattr(args.exc_type, "__name__", srepr(args.exc_type)),
            "exc_msg": sstr(args.exc_value),
            "err_msg": None if args.err_msg is None else sstr(args.err_msg),
            "object": srepr(args.object),
        })

    def __exit__(self, *exc_info):
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


class Rec(object):
    """One scenario: its log, the handler calls, and the observations."""

    def __init__(self):
        self.obs = []
        self.log = []
        self.handler = []
        self.loop = None
        self.ag = None  # a generator whose state is recorded after each step
        self._seen_log = 0
        self._seen_handler = 0

    def handle(self, loop, context):
        exc = context.get("exception")
        entry = {"message": sstr(context.get("message")),
                 "keys": sorted(k for k in context
                                if k not in ("message", "exception", "source_traceback"))}
        if exc is not None:
            entry["exc"] = type(exc).__name__
            entry["exc_msg"] = sstr(exc)
            if exc.__context__ is not None:
                entry["exc_context"] = type(exc.__context__).__name__
        if "task" in context:
            entry["task_coro"] = coro_name(context["task"])
        if "future" in context:
            entry["future_type"] = type(context["future"]).__name__
        self.handler.append(entry)

    def new_loop(self, instrument=True):
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(self.handle)
        if instrument:
            wrap_hooks(loop, self)
        self.loop = loop
        return loop

    def _fill(self, entry, cap, counts=True):
        new = self.log[self._seen_log:]
        self._seen_log = len(self.log)
        if new:
            entry["log"] = [clean(x) if isinstance(x, str) else x for x in new]
        hnew = self.handler[self._seen_handler:]
        self._seen_handler = len(self.handler)
        if hnew:
            entry["handler"] = hnew
        if cap.warnings:
            entry["warnings"] = cap.warnings
        if cap.unraisable:
            entry["unraisable"] = cap.unraisable
        if self.ag is not None:
            entry["state"] = gstate(self.ag)
        if counts and self.loop is not None:
            entry["asyncgens"] = len(self.loop._asyncgens)
            if not self.loop.is_closed():
                entry["pending"] = pending(self.loop)

    def step(self, label, fn):
        entry = {"step": label}
        value = None
        with Capture() as cap:
            try:
                value = fn()
                entry["outcome"] = "return"
                if value is not None:
                    entry["value"] = srepr(value)
            except BaseException as exc:  # noqa
                entry["outcome"] = "raise"
                entry["exc"] = type(exc).__name__
                entry["exc_msg"] = sstr(exc)
        self._fill(entry, cap)
        self.obs.append(entry)
        return value

    def spin(self, label="pass", until=None):
        """Run passes until `until()` is true (if given) and QUIET_PASSES quiet
        passes in a row, at most MAX_PASSES.  Records the passes in which
        something happened, and one summary entry."""
        loop = self.loop
        quiet = 0
        done_at = None
        n = 0
        for n in range(MAX_PASSES):
            entry = {"step": "%s %d" % (label, n)}
            with Capture() as cap:
                loop.call_soon(loop.stop)
                loop.run_forever()
                gc.collect()
            before = len(self.obs)
            self._fill(entry, cap, counts=False)
            eventful = any(k in entry for k in ("log", "handler", "warnings", "unraisable"))
            if eventful:
                entry["asyncgens"] = len(loop._asyncgens)
                entry["pending"] = pending(loop)
                entry.pop("state", None)
                if self.ag is not None:
                    entry["state"] = gstate(self.ag)
                self.obs.append(entry)
                quiet = 0
            else:
                quiet += 1
            if until is not None and done_at is None and until():
                done_at = n
            if quiet >= QUIET_PASSES and (until is None or done_at is not None):
                break
        summary = {"step": "%s: stopped" % label, "passes_run": n + 1,
                   "asyncgens": len(loop._asyncgens), "pending": pending(loop)}
        if until is not None:
            summary["condition_met_at_pass"] = done_at
        if self.ag is not None:
            summary["state"] = gstate(self.ag)
        self.obs.append(summary)
        return done_at

    def note(self, **kw):
        self.obs.append(dict(kw))


def wrap_hooks(loop, R):
    """Log each call of the loop's asyncgen hooks, then call the original."""
    orig_first = loop._asyncgen_firstiter_hook
    orig_final = loop._asyncgen_finalizer_hook

    def firstiter(agen):
        R.log.append({"hook": "firstiter", "registered_before": agen in loop._asyncgens,
                      "state": gstate(agen)})
        try:
            orig_first(agen)
        except BaseException as exc:  # noqa
            R.log.append({"hook": "firstiter raised", "exc": type(exc).__name__,
                          "exc_msg": sstr(exc)})
            raise
        R.log.append({"hook": "firstiter done", "registered_after": agen in loop._asyncgens})

    def finalizer(agen):
        R.log.append({"hook": "finalizer", "state": gstate(agen),
                      "registered": agen in loop._asyncgens,
                      "loop_closed": loop.is_closed(), "loop_running": loop.is_running()})
        try:
            orig_final(agen)
        except BaseException as exc:  # noqa
            R.log.append({"hook": "finalizer raised", "exc": type(exc).__name__,
                          "exc_msg": sstr(exc)})
            raise
        R.log.append({"hook": "finalizer done", "pending": pending(loop),
                      "ready_callbacks": len(loop._ready)})

    loop._asyncgen_firstiter_hook = firstiter
    loop._asyncgen_finalizer_hook = finalizer


# --- bodies -----------------------------------------------------------------

@types.coroutine
def passnone():
    """An awaitable that yields None out to the Task (asyncio: "run me again
    soon") and returns what is sent back."""
    got = yield None
    return got


REACTIONS = {
    "a": "lets GeneratorExit through",
    "b": "catches GeneratorExit and returns",
    "c": "catches GeneratorExit and yields again",
    "d": "catches GeneratorExit, awaits passnone() (yields None out), returns",
    "e": "catches GeneratorExit and raises ValueError('boom')",
}


def make_agen(R, reaction):
    async def body():
        R.log.append("body: started")
        try:
            yield 1
            R.log.append("body: resumed after yield 1")
            yield 11
        except GeneratorExit:
            R.log.append("body: GeneratorExit at yield")
            if reaction == "a":
                raise
            if reaction == "b":
                return
            if reaction == "c":
                yield 2
                R.log.append("body: resumed after yield 2")
            if reaction == "d":
                got = await passnone()
                R.log.append("body: passnone() gave %r" % (got,))
                return
            if reaction == "e":
                raise ValueError("boom")
        except BaseException as exc:  # noqa
            R.log.append("body: %s at yield" % type(exc).__name__)
            raise
        finally:
            R.log.append("body: finally")
    return body()


# --- scenarios --------------------------------------------------------------

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def hookname(h):
    if h is None:
        return None
    return getattr(h, "__qualname__", getattr(h, "__name__", srepr(h)))


@scenario
def hooks_installed(R):
    """Which sys asyncgen hooks are in force before, during and after run_forever."""
    loop = R.new_loop(instrument=False)
    seen = {}

    def show(tag):
        h = sys.get_asyncgen_hooks()
        seen[tag] = {"firstiter": hookname(h[0]), "finalizer": hookname(h[1]),
                     "are_loop_hooks": h[0] == loop._asyncgen_firstiter_hook
                     and h[1] == loop._asyncgen_finalizer_hook}

    async def main():
        show("inside run_until_complete")

    show("before")
    R.step("run_until_complete(main())", lambda: loop.run_until_complete(main()))
    show("after")
    R.note(hooks=seen)
    loop.close()


@scenario
def firstiter_timing(R):
    """When is the firstiter hook called, for each first operation?"""
    loop = R.new_loop()
    ops = {
        "asend(None) created": lambda ag: ag.asend(None),
        "__anext__() created": lambda ag: ag.__anext__(),
        "athrow(KeyError) created": lambda ag: ag.athrow(KeyError),
        "aclose() created": lambda ag: ag.aclose(),
    }

    async def main():
        for name in sorted(ops):
            ag = make_agen(R, "a")
            R.log.append("%s: generator created, registered=%s" % (name, ag in loop._asyncgens))
            aw = ops[name](ag)
            R.log.append("%s: registered=%s" % (name, ag in loop._asyncgens))
            aw.close()
            await ag.aclose()
            R.log.append("%s: closed, registered=%s" % (name, ag in loop._asyncgens))
        ag = make_agen(R, "a")
        R.log.append("async for: start")
        async for v in ag:
            R.log.append("async for: got %r, registered=%s" % (v, ag in loop._asyncgens))
            break
        await ag.aclose()
        R.log.append("after aclose: registered=%s" % (ag in loop._asyncgens,))

    R.step("run_until_complete(main())", lambda: loop.run_until_complete(main()))
    loop.close()


def start_in_task(R, loop, reaction, holder):
    async def starter():
        ag = make_agen(R, reaction)
        holder.append(ag)
        v = await ag.__anext__()
        R.log.append("task: __anext__() gave %r" % (v,))
    return loop.create_task(starter())


def collect_at_yield(R, reaction):
    loop = R.new_loop()
    holder = []
    task = start_in_task(R, loop, reaction, holder)
    R.step("run_until_complete(task: ag.__anext__())", lambda: loop.run_until_complete(task))
    task = None

    async def dropper():
        R.log.append("dropper: dropping the last reference")
        del holder[:]
        gc.collect()
        R.log.append("dropper: after gc.collect()")

    R.step("create_task(dropper())", lambda: loop.create_task(dropper()) and None)
    R.spin()
    R.step("run_until_complete(shutdown_asyncgens())",
           lambda: loop.run_until_complete(loop.shutdown_asyncgens()))
    loop.close()


for _r in sorted(REACTIONS):
    def _mk(r):
        def fn(R):
            collect_at_yield(R, r)
        fn.__name__ = "collect_at_yield_%s" % r
        fn.__doc__ = "Started in a task, suspended at yield, last reference dropped " \
                     "inside a task; body %s." % REACTIONS[r]
        return fn
    scenario(_mk(_r))


@scenario
def collect_at_yield_between_passes(R):
    """As collect_at_yield_a, but the reference is dropped while the loop is not running
    (hooks uninstalled; the generator keeps the finalizer it got at first iteration)."""
    loop = R.new_loop()
    holder = []
    task = start_in_task(R, loop, "a", holder)
    R.step("run_until_complete(task: ag.__anext__())", lambda: loop.run_until_complete(task))
    task = None

    def drop():
        R.log.append("hooks now: %r" % ([hookname(h) for h in sys.get_asyncgen_hooks()],))
        del holder[:]
        gc.collect()
    R.step("drop ag; gc.collect() outside the loop", drop)
    R.spin()
    loop.close()


@scenario
def collect_at_yield_loop_closed(R):
    """Started in a task; loop closed without shutdown_asyncgens; then dropped."""
    loop = R.new_loop()
    holder = []
    task = start_in_task(R, loop, "a", holder)
    R.step("run_until_complete(task: ag.__anext__())", lambda: loop.run_until_complete(task))
    task = None
    R.step("loop.close() (no shutdown_asyncgens)", loop.close)

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop ag; gc.collect()", drop)


@scenario
def collect_at_yield_loop_stopped_not_closed(R):
    """Started in a task; dropped after the last pass; the loop is never run again,
    then closed."""
    loop = R.new_loop()
    holder = []
    task = start_in_task(R, loop, "a", holder)
    R.step("run_until_complete(task: ag.__anext__())", lambda: loop.run_until_complete(task))
    task = None

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop ag; gc.collect()", drop)
    R.step("loop.close()", loop.close)


@scenario
def collect_in_await(R):
    """The generator is suspended in an await (on a Future nobody resolves) inside
    __anext__() run by a task; the task and the future are dropped together (a cycle)."""
    loop = R.new_loop()
    box = []

    async def body():
        R.log.append("body: started")
        try:
            fut = loop.create_future()
            box.append(fut)
            R.log.append("body: awaiting a future")
            yield await fut
        except BaseException as exc:  # noqa
            R.log.append("body: %s at await" % type(exc).__name__)
            raise
        finally:
            R.log.append("body: finally")

    async def starter():
        ag = body()
        box.append(ag)
        try:
            await ag.__anext__()
        except BaseException as exc:  # noqa
            R.log.append("task: %s from __anext__()" % type(exc).__name__)
            raise

    task = loop.create_task(starter())
    R.step("spin until the body awaits", lambda: None)
    R.spin(until=lambda: len(box) == 2)
    R.ag = box[0]
    R.step("inspect the generator", lambda: None)
    R.ag = None

    def drop():
        del box[:]
        gc.collect()
    R.step("drop task, future and generator; gc.collect()", drop)
    task = None
    R.step("drop the task variable too; gc.collect()", lambda: gc.collect() and None)
    R.spin()
    R.step("run_until_complete(shutdown_asyncgens())",
           lambda: loop.run_until_complete(loop.shutdown_asyncgens()))
    loop.close()


def shutdown_alive(R, reaction):
    loop = R.new_loop()
    holder = []
    task = start_in_task(R, loop, reaction, holder)
    R.step("run_until_complete(task: ag.__anext__())", lambda: loop.run_until_complete(task))
    task = None
    R.ag = holder[0]
    sd = loop.create_task(loop.shutdown_asyncgens())
    R.step("create_task(loop.shutdown_asyncgens())", lambda: None)
    R.spin(until=sd.done)
    R.step("shutdown task result",
           lambda: sd.result() if sd.done() else "<not done>")
    sd = None
    R.step("loop.close()", loop.close)
    R.ag = None

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop ag; gc.collect()", drop)


for _r in sorted(REACTIONS):
    def _mk2(r):
        def fn(R):
            shutdown_alive(R, r)
        fn.__name__ = "shutdown_alive_%s" % r
        fn.__doc__ = "Started in a task, held by a variable, loop.shutdown_asyncgens(); " \
                     "body %s." % REACTIONS[r]
        return fn
    scenario(_mk2(_r))


def make_awaiting_agen(R, loop, box):
    """A generator whose first __anext__() awaits a Future nobody resolves."""
    async def body():
        R.log.append("body: started")
        try:
            fut = loop.create_future()
            box.append(fut)
            R.log.append("body: awaiting a future")
            yield await fut
        except BaseException as exc:  # noqa
            R.log.append("body: %s at await" % type(exc).__name__)
            raise
        finally:
            R.log.append("body: finally")
    return body()


@scenario
def shutdown_in_await(R):
    """shutdown_asyncgens() while a pending task holds the generator suspended in an
    await (inside __anext__())."""
    loop = R.new_loop()
    box = []
    holder = [make_awaiting_agen(R, loop, box)]
    R.ag = holder[0]

    async def user():
        try:
            await holder[0].__anext__()
        except BaseException as exc:  # noqa
            R.log.append("task: %s from __anext__()" % type(exc).__name__)
            raise

    task = loop.create_task(user())
    R.spin(label="start pass", until=lambda: len(box) == 1)
    sd = loop.create_task(loop.shutdown_asyncgens())
    R.step("create_task(loop.shutdown_asyncgens())", lambda: None)
    R.spin(until=sd.done)
    R.step("shutdown task result", lambda: sd.result() if sd.done() else "<not done>")
    R.step("user task", lambda: "done=%s cancelled=%s" % (task.done(), task.cancelled()))
    R.step("box[0].set_result('late')", lambda: box[0].set_result("late"))
    R.spin(label="after set_result pass")
    R.step("user task", lambda: "done=%s" % (task.done(),)
           + (" exc=%r" % (type(task.exception()).__name__,) if task.done()
              and not task.cancelled() and task.exception() else ""))
    sd = task = None
    R.ag = None
    loop.close()

    def drop():
        del holder[:]
        del box[:]
        gc.collect()
    R.step("loop.close(); drop all; gc.collect()", drop)


@scenario
def shutdown_then_new_generator(R):
    """A generator first iterated after shutdown_asyncgens() ran."""
    loop = R.new_loop()
    R.step("run_until_complete(shutdown_asyncgens())",
           lambda: loop.run_until_complete(loop.shutdown_asyncgens()))
    holder = []
    task = start_in_task(R, loop, "a", holder)
    R.step("run_until_complete(task: ag.__anext__())", lambda: loop.run_until_complete(task))
    task = None
    R.ag = holder[0]
    R.step("run_until_complete(shutdown_asyncgens()) again",
           lambda: loop.run_until_complete(loop.shutdown_asyncgens()))
    R.ag = None

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop ag; gc.collect()", drop)
    R.spin()
    loop.close()


def never_started(R, keep):
    loop = R.new_loop()
    holder = []

    async def main():
        ag = make_agen(R, "a")
        holder.append(ag)
        ag = None
        if not keep:
            del holder[:]
            gc.collect()
            R.log.append("main: dropped the never-started generator")

    R.step("run_until_complete(main())", lambda: loop.run_until_complete(main()))
    if keep:
        R.ag = holder[0]
    R.step("run_until_complete(shutdown_asyncgens())",
           lambda: loop.run_until_complete(loop.shutdown_asyncgens()))
    R.step("loop.close()", loop.close)
    R.ag = None

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop ag; gc.collect()", drop)


@scenario
def never_started_dropped(R):
    """Created inside the loop, never iterated, dropped inside the loop."""
    never_started(R, False)


@scenario
def never_started_kept_past_shutdown(R):
    """Created inside the loop, never iterated, alive at shutdown_asyncgens()."""
    never_started(R, True)


def started_outside(R, reaction):
    """First iterated by hand with no hooks installed, then dropped inside the loop."""
    loop = R.new_loop()
    holder = [make_agen(R, reaction)]
    R.ag = holder[0]

    def first():
        aw = holder[0].asend(None)
        try:
            aw.send(None)
        except StopIteration as exc:
            return "StopIteration(%r)" % (exc.value,)
    R.step("outside the loop, hooks %r: asend(None).send(None)"
           % ([hookname(h) for h in sys.get_asyncgen_hooks()],), first)

    async def resume():
        try:
            v = await holder[0].__anext__()
            R.log.append("task: __anext__() gave %r, registered=%s"
                         % (v, holder[0] in loop._asyncgens))
        except BaseException as exc:  # noqa
            R.log.append("task: %s" % type(exc).__name__)
    R.step("run_until_complete(task: __anext__())", lambda: loop.run_until_complete(resume()))
    R.ag = None

    async def dropper():
        R.log.append("dropper: dropping the last reference")
        del holder[:]
        gc.collect()
        R.log.append("dropper: after gc.collect()")
    R.step("run_until_complete(dropper())", lambda: loop.run_until_complete(dropper()))
    R.spin()
    loop.close()


@scenario
def started_outside_a(R):
    """First iterated outside any loop (no hooks), dropped inside; body lets GeneratorExit through."""
    started_outside(R, "a")


@scenario
def started_outside_c(R):
    """First iterated outside any loop (no hooks), dropped inside; body yields again."""
    started_outside(R, "c")


def run_main(R, mode, reaction="a"):
    """asyncio.run(main()) (3.6: run_until_complete + shutdown_asyncgens + close)
    where main starts a generator and returns while it is suspended."""
    holder = []

    async def main():
        loop = asyncio.get_event_loop()
        loop.set_exception_handler(R.handle)
        R.loop = loop
        ag = make_agen(R, reaction)
        holder.append(ag)
        v = await ag.__anext__()
        R.log.append("main: __anext__() gave %r, registered=%s" % (v, ag in loop._asyncgens))
        ag = None
        if mode == "dropped":
            del holder[:]
            gc.collect()
            R.log.append("main: dropped the generator; pending %r" % (pending(loop),))
        if mode == "dropped_then_yield":
            del holder[:]
            gc.collect()
            R.log.append("main: dropped the generator; pending %r" % (pending(loop),))
            await passnone()
            R.log.append("main: after one more pass; pending %r" % (pending(loop),))
        R.log.append("main: returning")
        return "main result"

    def go():
        if HAS_RUN:
            return asyncio.run(main())
        loop = asyncio.new_event_loop()
        try:
            result = loop.run_until_complete(main())
            loop.run_until_complete(loop.shutdown_asyncgens())
            return result
        finally:
            loop.close()

    R.note(driver="asyncio.run" if HAS_RUN else
           "new_event_loop; run_until_complete(main()); run_until_complete(shutdown_asyncgens()); close()")
    R.step("run", go)
    loop = R.loop
    R.loop = None
    if holder:
        R.ag = holder[0]
        R.step("after run: generator held", lambda: None)
        R.ag = None
    R.note(loop_closed=loop.is_closed(), asyncgens_left=len(loop._asyncgens))
    loop = None

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop everything; gc.collect()", drop)


@scenario
def run_kept(R):
    """asyncio.run: main returns while the generator is suspended at yield; a
    global list keeps it alive past run."""
    run_main(R, "kept")


@scenario
def run_kept_c(R):
    """As run_kept, the body yields again on GeneratorExit."""
    run_main(R, "kept", "c")


@scenario
def run_dropped(R):
    """asyncio.run: main drops the generator (gc.collect()) and returns at once."""
    run_main(R, "dropped")


@scenario
def run_dropped_then_yield(R):
    """asyncio.run: main drops the generator, yields to the loop once, returns."""
    run_main(R, "dropped_then_yield")


@scenario
def run_task_in_await(R):
    """asyncio.run: main leaves behind a task that is iterating the generator with
    async for, suspended in the generator's await; main returns."""
    holder = []

    async def main():
        loop = asyncio.get_event_loop()
        loop.set_exception_handler(R.handle)
        R.loop = loop
        box = []
        holder.append(make_awaiting_agen(R, loop, box))

        async def user():
            try:
                async for v in holder[0]:
                    R.log.append("task: got %r" % (v,))
            except BaseException as exc:  # noqa
                R.log.append("task: %s from async for" % type(exc).__name__)
                raise
        holder.append(loop.create_task(user()))
        await passnone()
        await passnone()
        R.log.append("main: returning; pending %r" % (pending(loop),))

    if not HAS_RUN:
        R.note(skipped="no asyncio.run")
        return
    R.step("asyncio.run(main())", lambda: asyncio.run(main()))
    loop = R.loop
    R.loop = None
    R.ag = holder[0]
    R.step("after run", lambda: "task done=%s cancelled=%s" % (holder[1].done(), holder[1].cancelled()))
    R.ag = None
    R.note(loop_closed=loop.is_closed(), asyncgens_left=len(loop._asyncgens))
    loop = None

    def drop():
        del holder[:]
        gc.collect()
    R.step("drop everything; gc.collect()", drop)


# --- running ----------------------------------------------------------------

def meta():
    impl = sys.implementation
    out = {
        "implementation": impl.name,
        "version": "%d.%d.%d" % sys.version_info[:3],
        "sys.version": sys.version.replace("\n", " "),
        "has_unraisablehook": HAS_UNRAISABLEHOOK,
        "has_getasyncgenstate": HAS_GETSTATE,
        "has_asyncio_run": HAS_RUN,
        "max_passes": MAX_PASSES,
        "quiet_passes": QUIET_PASSES,
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
        R.obs.append({"doc": " ".join((fn.__doc__ or "").split())})
        with Capture() as cap:
            try:
                fn(R)
            except BaseException as exc:  # noqa
                R.obs.append({"scenario_error": [type(exc).__name__, sstr(exc)]})
        # teardown: whatever is still alive is released here
        tear = {"step": "teardown"}
        loop = R.loop
        R.loop = None
        R.ag = None
        with Capture() as cap2:
            if loop is not None and not loop.is_closed():
                R.log.append("teardown: loop was not closed")
                loop.close()
            loop = None
            for _ in range(4):
                gc.collect()
        R._fill(tear, cap2, counts=False)
        if cap.warnings or cap.unraisable:
            tear["during_scenario_uncaptured"] = {"warnings": cap.warnings,
                                                  "unraisable": cap.unraisable}
        if len(tear) > 1:
            R.obs.append(tear)
        results[name] = R.obs
        asyncio.set_event_loop(None)
    sys.set_asyncgen_hooks(firstiter=base_hooks[0], finalizer=base_hooks[1])
    return results


def main():
    results = run(sys.argv[1:])
    text = json.dumps(results, sort_keys=True, indent=1)
    sys.stdout.write(clean(text) + "\n")


if __name__ == "__main__":
    main()
