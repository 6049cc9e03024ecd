"""The agent: runs body coroutines inside a target interpreter and reports what it observed, as JSON lines.

The host never runs this file alone: it sends the text of body.py, probes.py and shape.py followed by this file
to the child (see conformance/remote/targets.py), so the agent drives the very same scripted body as the in-process drivers. Like
body.py it must run on CPython 3.6+, PyPy, MicroPython and Pyodide: no f-strings, no annotations, and every
module beyond sys, json and gc is optional. What the interpreter does not offer (inspect, warnings,
__await__, cr_* attributes) is reported as null or left out, which the host reads as "not observable".

Protocol: one JSON object per line in, one per line out, in order.
  {"op": "hello"}                              -> implementation, version, drivers, unavailable (driver: why),
                                                  capabilities, shape
  {"op": "configure", "inspect": name, "prefix": "CORO_", "attributes": {observation: attribute name},
   "inside": [observations read from inside the running body], "origin_tracking": depth}
  {"op": "subject", "path": file, "probes": file} -> swap the subject factory (a module with scripted_body) and
                                                 the probes (a build of probes.py); either may be left out
  {"op": "begin", "driver": name, "awaitee": kind} -> a fresh subject (the previous one is released first)
                                                  whose body awaits a `kind` object (default: "iterator"), and
                                                  its origin where made under tracking (body.origin_frames)
  {"op": "perform", "step": Step.to_json()}    -> {"observation": {outcome, state, attributes, warnings, events}},
                                                  or {"hang": why} where an asyncio loop never settled
  {"op": "probe", "probe": function name}      -> {"outcome", "subject_type", "unobservable"} (see probes.py)
  {"op": "end"} / {"op": "echo", "data": x}
Every answer has "ok"; a refused request has "ok": false and "error" (or "unavailable" for a driver).
"""

import gc
import sys

try:
    import json
except ImportError:  # very old MicroPython builds
    import ujson as json

try:
    import inspect as _inspect
except ImportError:
    _inspect = None

try:
    import warnings as _warnings
    if not hasattr(_warnings, "catch_warnings"):
        _warnings = None
except ImportError:
    _warnings = None

# Every warning is recorded, for the whole life of the agent, as [category, message] (body.warning_recorder): a
# call's warnings are those added during it. (Entering catch_warnings once, rather than per call, halves the
# agent's cost per call.)
WARNINGS = None
if _warnings is not None:
    _warnings.catch_warnings().__enter__()
    _warnings.simplefilter("always")
    WARNINGS = []
    _warnings.showwarning = warning_recorder(WARNINGS)  # noqa: F821 - body.py's

try:
    import types as _types
except ImportError:
    _types = None

try:
    import linecache as _linecache
except ImportError:
    _linecache = None

AWAITABLE_DRIVERS = ("asend-awaitable", "anext-awaitable", "athrow-awaitable", "aclose-awaitable", "awaited-anext",
                     "async-for")  # one awaitable of an async generator as the subject
LOOP_DRIVERS = ("asyncgen-asyncio", "asyncgen-shutdown")  # each call inside a pass of an asyncio loop (SubjectLoop)
ASYNCGEN_DRIVERS = ("asyncgen", "asyncgen-hooks") + LOOP_DRIVERS + AWAITABLE_DRIVERS  # -hooks: firstiter/finalizer
AGENT_DRIVERS = ("direct", "await", "delegation", "generator") + ASYNCGEN_DRIVERS


def load_asyncgen():
    """Compile asyncgen_body.py's text (ASYNCGEN_SOURCE, sent before this file) into this namespace; why not, where
    the interpreter has no async generators (MicroPython: a SyntaxError), else None."""
    try:
        exec(ASYNCGEN_SOURCE, globals())  # noqa: F821, S102 - the host's own file, sent with this one
    except Exception as error:  # a SyntaxError, or whatever else an interpreter's compiler raises (Brython)
        return "this interpreter cannot compile an async generator (asyncgen_body.py: %s: %s)" % (
            type(error).__name__, error)
    return None


ASYNCGEN_PROBLEM = load_asyncgen()

# Exception chaining (__cause__, __context__) is missing on some interpreters (MicroPython): there the links
# are left out of exception descriptions, which the host reads as "not observable" rather than "no link".
CHAINING = hasattr(ValueError(), "__context__")


def without_links(outcome):
    """An outcome whose exception description has no cause/context entries (see CHAINING)."""
    if outcome is not None and outcome[0] == "raised":
        outcome[1].pop("cause", None)
        outcome[1].pop("context", None)
    return outcome

# The subject factories; `subject` swaps them for a module's (a compiled build of body.py, say).
SUBJECTS = {"scripted_body": scripted_body, "scripted_generator": scripted_generator,  # noqa: F821
            "Script": Script,  # noqa: F821 - body.py's names: this file runs concatenated after body.py
            "scripted_asyncgen": globals().get("scripted_asyncgen")}  # asyncgen_body.py's, where it compiled
PROBE_RUNNER = {"run": run_probe, "names": PROBES}  # noqa: F821 - probes.py's, swapped by `subject` too


async def delegate(inner):
    """The outer coroutine of the delegation driver: it only awaits the subject."""
    return await inner


def generator_coroutine(script):
    """A generator-based coroutine (types.coroutine) where the interpreter has it, else the plain generator."""
    factory = SUBJECTS["scripted_generator"]
    if _types is not None and hasattr(_types, "coroutine"):
        factory = _types.coroutine(factory)
    return factory(script)


def make_subject(plans):
    """A probe's subject: the scripted body (or the swapped-in factory's) following `plans`, and its events."""
    script = SUBJECTS["Script"](plans)
    subject = SUBJECTS["scripted_body"](script)
    script.target = subject
    return subject, script.events


def load_module(path, name):
    """Import a module from a file (CPython and PyPy only: compiled subjects need a real import system)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
PROBE = ["the value the probe's await passes out"]


async def probe_body():
    """The least a driver needs: a coroutine whose first send(None) passes out what its await passes out."""
    return await Suspend(PROBE)  # noqa: F821 - body.py's


def probe_generator():
    received = yield from Suspend(PROBE)  # noqa: F821 - body.py's
    return received


def probe_target(driver):
    """A probe made the way `begin` makes the driver's call target."""
    if driver == "generator":
        return _types.coroutine(probe_generator)() if _types is not None and hasattr(_types, "coroutine") \
            else probe_generator()
    if driver == "await":
        coroutine = probe_body()
        if not hasattr(coroutine, "__await__"):
            coroutine.close()
            raise AttributeError("this interpreter's coroutines have no __await__()")
        return coroutine.__await__()
    return delegate(probe_body()) if driver == "delegation" else probe_body()


def first_send(target):
    """["returned", value] or ["raised", error] for send(None), then the target closed. (No assignment in a
    try block: after a Brython coroutine's send(), assignments in try blocks of the calling frames are lost
    until the event loop runs, so the probes run once at load time, outside any function's try block.)"""
    try:
        return ["returned", target.send(None)]
    except BaseException as error:
        return ["raised", error]
    finally:
        try:
            target.close()
        except BaseException:
            pass


def driver_problem(driver):
    """Why the driver cannot follow the protocol here, or None. (Brython's coroutine.send() returns a
    JavaScript Promise and runs the body on in the event loop's microtasks, where a scripted body never stops.)"""
    if driver in ASYNCGEN_DRIVERS:
        return ASYNCGEN_PROBLEM or asyncgen_problem(driver)
    try:
        target = probe_target(driver)
    except Exception as error:
        return str(error)
    kind, result = first_send(target)
    if kind == "raised":
        return "send(None) on a new subject raised %s: %s" % (type(result).__name__, result)
    if result is not PROBE:
        return ("send(None) on a new subject returned %s instead of the value its await passed out, so no call "
                "sequence can be followed" % (repr(result)[:100],))
    return None


def asyncgen_problem(driver):
    """Why an async generator cannot be driven by hand here (its first asend() must end with StopIteration
    carrying the yielded value; for asyncgen-hooks, sys.set_asyncgen_hooks must exist), or None."""
    if driver == "asyncgen-hooks" and not hasattr(sys, "set_asyncgen_hooks"):
        return "this interpreter has no sys.set_asyncgen_hooks"
    script = SUBJECTS["Script"]([{"reaction": "yield", "value": 1}])
    generator = scripted_asyncgen(script)  # noqa: F821 - asyncgen_body.py's
    if not hasattr(generator, "asend"):  # MicroPython compiles it into a plain generator
        return ("this interpreter has no async generators: `async def` with `yield` makes a %s without asend()"
                % (type(generator).__name__,))
    try:
        outcome = Operations(generator).perform("asend", "none", None)  # noqa: F821 - body.py's
    except Exception as error:  # the interpreter's own failure (Brython's UnboundLocalError), not an answer
        return "driving a new async generator by hand failed: %s: %s" % (type(error).__name__, error)
    if outcome[0] != "raised" or outcome[1].get("type") != "StopIteration" or outcome[1].get("value") != 1:
        return "ag.asend(None).send(None) on a new async generator gave %r instead of StopIteration(1)" % (outcome,)
    return None


LOOP_PROBLEM = {}  # loop_problem()'s answer, found at the first begin of a LOOP_DRIVERS driver, not at start-up:
# importing asyncio would make every child start 50 ms later


def loop_problem():
    """find_loop_problem()'s answer, found once."""
    if "found" not in LOOP_PROBLEM:
        LOOP_PROBLEM["found"] = find_loop_problem()
    return LOOP_PROBLEM["found"]


def find_loop_problem():
    """Why no asyncio event loop can run a pass here, called from outside it (Pyodide's runs in the JavaScript
    event loop), or None."""
    try:
        loop = SubjectLoop()  # noqa: F821 - body.py's
    except Exception as error:
        return "no asyncio event loop can be made here: %s: %s" % (type(error).__name__, error)
    try:
        if loop.run(lambda: "ran") != "ran":
            return "a call made inside a pass of an asyncio event loop did not come back"
        loop.close()
    except Exception as error:
        return "an asyncio event loop cannot run a pass here: %s: %s" % (type(error).__name__, error)
    return None


def probe_drivers():
    """{driver: why it cannot run here} for the drivers whose probe fails."""
    problems = {}
    for driver in AGENT_DRIVERS:
        problem = driver_problem(driver)
        if problem is not None:
            problems[driver] = problem
    return problems


DRIVER_PROBLEMS = probe_drivers()


def freeze_startup_objects():
    """Move everything alive now out of the collector's sight (CPython 3.7+), so the gc.collect() of each
    `collect` step scans only the subject's objects: ten times faster."""
    freeze = getattr(gc, "freeze", None)
    if freeze is not None:
        gc.collect()
        freeze()


def close_quietly(thing):
    """Close a coroutine or generator, or drive an async generator's aclose() (None: nothing to close)."""
    if thing is None:
        return
    if hasattr(thing, "aclose"):
        closing = thing.aclose()
        for _ in range(8):
            closing.send(None)  # raises once the generator is closed (or refuses to be)
        return
    thing.close()


class Agent:
    """One subject at a time: built for a driver, called step by step, observed after each call."""

    def __init__(self):
        self.inspect_function = None
        self.prefix = ""
        self.attributes = {}
        self.inside = None  # the observations read from inside the running body (None: every readable one)
        self.origin_tracking = 0
        self.driver = None
        self.script = None
        self.subject = None
        self.target = None
        self.operations = None  # an async generator's operations (body.Operations), for that driver
        self.loop = None  # the subject's asyncio loop (body.SubjectLoop), for LOOP_DRIVERS
        self.readable = []

    # -- requests ------------------------------------------------------------------------------
    def hello(self, request):
        freeze_startup_objects()
        implementation = getattr(sys, "implementation", None)
        name = getattr(implementation, "name", "unknown")
        version = list(sys.version_info[:3])
        implementation_version = list(getattr(implementation, "version", ())[:3])
        return {"ok": True, "implementation": name, "version": version,
                "implementation_version": implementation_version,
                "version_text": sys.version.split("\n")[0], "platform": getattr(sys, "platform", "unknown"),
                "drivers": [driver for driver in AGENT_DRIVERS if driver not in DRIVER_PROBLEMS],
                "unavailable": DRIVER_PROBLEMS,
                "capabilities": {"inspect": _inspect is not None, "warnings": _warnings is not None,
                                 "exception chaining": CHAINING,
                                 "types.coroutine": _types is not None and hasattr(_types, "coroutine")},
                "shape": interpreter_shape()}  # shape.py, sent before this file: JIT, free-threading, debug

    def configure(self, request):
        name = request.get("inspect") or ""
        self.inspect_function = getattr(_inspect, name, None) if _inspect is not None and name else None
        self.prefix = request.get("prefix") or ""
        self.attributes = request.get("attributes") or {}
        self.inside = request.get("inside")
        self.origin_tracking = int(request.get("origin_tracking") or 0)
        return {"ok": True, "inspect": self.inspect_function is not None}

    def swap_subject(self, request):
        path = request.get("path")
        if path:
            module = load_module(path, request.get("module") or "conformance_subject")
            for name in ("scripted_body", "scripted_generator", "Script"):
                if hasattr(module, name):
                    SUBJECTS[name] = getattr(module, name)
            # never the agent's own async generator in place of a module's: without one, that driver cannot run
            SUBJECTS["scripted_asyncgen"] = getattr(module, "scripted_asyncgen", None)
        if request.get("probes"):
            module = load_module(request["probes"], "conformance_probes")
            PROBE_RUNNER["run"], PROBE_RUNNER["names"] = module.run_probe, module.PROBES
        freeze_startup_objects()
        return {"ok": True, "module": path}

    def begin(self, request):
        self.release()
        driver = request["driver"]
        if driver not in AGENT_DRIVERS:
            return {"ok": False, "unavailable": "the agent has no %r driver" % (driver,)}
        awaitee = request.get("awaitee") or "iterator"
        reason = awaitee_unavailable(awaitee)  # noqa: F821 - body.py's
        if reason is not None:
            return {"ok": False, "unavailable": reason}
        if driver in ASYNCGEN_DRIVERS and SUBJECTS["scripted_asyncgen"] is None:
            return {"ok": False, "unavailable": ASYNCGEN_PROBLEM or "the subject module has no scripted_asyncgen (a "
                                                                    "build of body.py alone has no async generator)"}
        if driver in LOOP_DRIVERS and loop_problem() is not None:
            return {"ok": False, "unavailable": loop_problem()}
        self.driver = driver
        self.script = SUBJECTS["Script"]()
        self.script.awaitee = awaitee
        self.subject = self.tracked(self.make_subject)
        self.script.target = self.subject
        # the attributes this kind of subject has at all, found once (a failed getattr is slow on MicroPython)
        self.readable = [(observation, self.attributes[observation]) for observation in self.attributes
                         if hasattr(self.subject, self.attributes[observation])]
        self.script.observer = self.observe_inside
        self.operations = None
        if driver in AWAITABLE_DRIVERS:
            operation = request.get("operation")
            if not (isinstance(operation, list) and len(operation) == 3 and operation[0] in AWAITABLE_SUBJECTS):  # noqa: F821
                self.release()
                return {"ok": False, "error": "begin %s: `operation` must be [call, argument, payload], found %r"
                                              % (driver, operation)}
            self.target = self.with_hooks(lambda: awaitable_at_first_yield(  # noqa: F821 - body.py's
                self.subject, self.script, operation[0], operation[1], operation[2]))
        elif driver in ASYNCGEN_DRIVERS:
            self.operations = Operations(self.subject)  # noqa: F821 - body.py's
            self.script.reenter = self.operations.perform
            self.target = None
            if driver in LOOP_DRIVERS:
                self.loop = SubjectLoop()  # noqa: F821 - body.py's
        elif driver == "await":
            if not hasattr(self.subject, "__await__"):
                self.release()
                return {"ok": False, "unavailable": "this interpreter's coroutines have no __await__()"}
            self.target = self.subject.__await__()
        elif driver == "delegation":
            self.target = delegate(self.subject)
        else:
            self.target = self.subject
        return {"ok": True, "origin": self.origin()}

    def make_subject(self):
        if self.driver == "generator":
            return generator_coroutine(self.script)
        if self.driver in ASYNCGEN_DRIVERS:
            return SUBJECTS["scripted_asyncgen"](self.script)
        return SUBJECTS["scripted_body"](self.script)

    def tracked(self, make):
        """make(), under origin tracking where asked for and offered (CPython 3.7+, PyPy)."""
        track = getattr(sys, "set_coroutine_origin_tracking_depth", None)
        if not self.origin_tracking or track is None:
            return make()
        previous = sys.get_coroutine_origin_tracking_depth()
        track(self.origin_tracking)
        try:
            return make()
        finally:
            track(previous)

    def origin(self):
        """The subject's origin as made under tracking, with each frame's source line, or None."""
        name = self.attributes.get("origin")
        if not self.origin_tracking or not name:
            return None
        getline = _linecache.getline if _linecache is not None else None
        return origin_frames(getattr(self.subject, name, None), self.origin_tracking, getline)  # noqa: F821

    def end(self, request):
        self.release()
        return {"ok": True}

    def perform(self, request):
        step = request["step"]
        self.script.prepare(step.get("plan"))
        first_event = len(self.script.events)
        if WARNINGS is not None:
            del WARNINGS[:]
        if step["call"] == "collect":
            outcome = None
            if not self.collect():
                return {"ok": True, "hang": UNSETTLED}  # noqa: F821 - body.py's
        elif step["call"] == "shutdown":
            outcome = self.loop.shut_down()
        elif self.loop is not None:
            outcome = self.loop.run(lambda: self.operations.perform(step["call"], step["argument"],
                                                                    step.get("payload")))
        elif self.operations is not None:
            outcome = self.with_hooks(lambda: self.operations.perform(step["call"], step["argument"],
                                                                      step.get("payload")))
        elif self.driver in AWAITABLE_DRIVERS:
            outcome = self.with_hooks(lambda: perform(self.target, step["call"], step["argument"],  # noqa: F821
                                                      step.get("payload")))
        else:
            outcome = perform(self.target, step["call"], step["argument"], step.get("payload"))  # noqa: F821
        if self.loop is not None:
            self.script.events.extend(self.loop.take_reports())
        events = self.script.events[first_event:]
        if not CHAINING:
            outcome = without_links(outcome)
            for event in events:
                if event[0] == "reentry":
                    without_links(event[3])
        observation = {"outcome": outcome, "events": events,
                       "warnings": None if WARNINGS is None else list(WARNINGS)}
        if step["call"] == "collect":
            observation["state"], observation["attributes"] = None, {}
        else:
            observation["state"], observation["attributes"] = self.observe()
        return {"ok": True, "observation": observation}

    def with_hooks(self, call):
        """call(), with the asyncgen hooks of the driver in effect: recorders for asyncgen-hooks, none for the
        other async generator drivers (see drivers/asyncgen.py)."""
        hooks = (None, None)
        if self.driver == "asyncgen-hooks":
            events = self.script.events
            hooks = (lambda generator: events.append(["hook", "firstiter"]),
                     lambda generator: events.append(["hook", "finalizer"]))
        previous = sys.get_asyncgen_hooks()
        sys.set_asyncgen_hooks(*hooks)
        try:
            return call()
        finally:
            sys.set_asyncgen_hooks(*previous)

    def probe(self, request):
        """Run one probe of probes.py on the subject factory's coroutines; a suite error is refused, not an
        outcome."""
        name = request.get("probe")
        if name not in PROBE_RUNNER["names"]:
            return {"ok": False, "error": "no probe %r" % (name,)}
        if "direct" in DRIVER_PROBLEMS:  # the probes drive native coroutines by send(), which cannot work here
            return {"ok": True, "outcome": None, "subject_type": None, "coroutine_type": None,
                    "unobservable": "native coroutines cannot be driven here: " + DRIVER_PROBLEMS["direct"]}
        kind, value, subject_type = PROBE_RUNNER["run"](name, make_subject)
        native = make_subject([])[0]
        names = {"subject_type": subject_type, "coroutine_type": probe_type_name(native)}  # noqa: F821 - probes.py's
        native.close()
        if kind == "unobservable":
            answer = {"ok": True, "outcome": None, "unobservable": value}
            answer.update(names)
            return answer
        if kind == "raised" and isinstance(value, SuiteError):  # noqa: F821 - body.py's
            return {"ok": False, "error": "SuiteError: %s" % (value,)}
        if kind == "raised":
            outcome = ["raised", describe_exception(value)]  # noqa: F821 - body.py's
        else:
            outcome = ["returned", describe_value(value)]  # noqa: F821 - body.py's
        if not CHAINING:
            outcome = without_links(outcome)
        answer = {"ok": True, "outcome": outcome, "unobservable": None}
        answer.update(names)
        return answer

    def echo(self, request):
        return {"ok": True, "data": request.get("data")}

    # -- helpers -------------------------------------------------------------------------------
    def observe_inside(self):
        """The subject seen from inside its running body: only the observations the host named."""
        return self.observe(self.inside, True)

    def observe(self, names=None, inside=False):
        """The subject's state and attributes in the model's words (body.attribute_word); from `inside` the
        running body only `names`, and no other object's attributes."""
        state = None
        if self.inspect_function is not None:
            try:
                state = self.inspect_function(self.subject)
            except Exception:
                state = None
            if isinstance(state, str) and state.startswith(self.prefix):
                state = state[len(self.prefix):]
            elif not isinstance(state, str):
                state = None
        attributes = {}
        awaited = getattr(self.script, "awaited", None)  # a subject module's own Script may not record it
        for observation, name in self.readable:
            if names is not None and observation not in names:
                continue
            try:
                value = getattr(self.subject, name)
                word = attribute_word(observation, value, awaited, not inside, self.origin_tracking)  # noqa: F821
            except Exception:  # not readable, or not an object Python can look into (Brython's JS undefined)
                continue
            attributes[observation] = word
        return state, attributes

    def collect(self):
        """Drop every reference to the subject and let the garbage collector finalize it; under a loop, run the
        loop until the finalizer's aclose() task is done, before and after the collector. Whether it is."""
        target = self.target
        if self.driver == "delegation" and target is not None:
            # An outer coroutine that never started is scaffolding: close it quietly (see drivers/direct.py).
            if getattr(target, "cr_frame", None) is not None and not getattr(target, "cr_running", False) \
                    and getattr(target, "cr_await", None) is None:
                target.close()
        target = None
        self.script.detach()  # first: finalization may run
        self.subject = self.target = self.operations = None  # the body at once
        if self.loop is not None and not self.loop.settle():
            return False
        gc.collect()
        return self.loop is None or self.loop.settle()

    def release(self):
        """Close the current subject without observing anything."""
        subject, target, loop = self.subject, self.target, self.loop
        self.subject = self.target = self.loop = None
        if subject is not None:
            self.script.plans.insert(0, {"reaction": "propagate", "value": None})
            for thing in (target, subject):
                try:
                    if loop is not None:
                        loop.run(lambda: close_quietly(thing))
                    else:
                        close_quietly(thing)
                except BaseException:
                    pass
        if loop is not None:
            loop.close()
        if self.script is not None:
            self.script.detach()
        self.operations = None
        self.script = None
        self.driver = None


AGENT = Agent()
OPERATIONS = {"hello": AGENT.hello, "configure": AGENT.configure, "subject": AGENT.swap_subject,
              "begin": AGENT.begin, "end": AGENT.end, "perform": AGENT.perform, "echo": AGENT.echo,
              "probe": AGENT.probe}


def handle_line(line):
    """One request line in, one answer line out (without the newline)."""
    try:
        request = json.loads(line)
        operation = OPERATIONS.get(request.get("op"))
        if operation is None:
            answer = {"ok": False, "error": "unknown op %r" % (request.get("op"),)}
        else:
            answer = operation(request)
    except Exception as error:
        answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
    try:
        return json.dumps(answer)
    except Exception as error:
        return json.dumps({"ok": False, "error": "answer not JSON-able: %s" % (error,)})


def main():
    """Serve requests from stdin until it closes; stray prints by a subject go to stderr, not the pipe."""
    out = sys.stdout
    try:
        sys.stdout = sys.stderr
    except Exception:
        pass
    read = sys.stdin.readline
    while True:
        line = read()
        if not line:
            break
        if not line.strip():
            continue
        out.write(handle_line(line) + "\n")
        out.flush()
