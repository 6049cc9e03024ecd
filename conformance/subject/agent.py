"""The agent: runs body coroutines inside a target interpreter and reports what it observed, as JSON lines.

The host never runs this file alone: it sends the text of body.py and shape.py followed by this file to the
child (see conformance/remote/targets.py), so the agent drives the very same scripted body as the in-process drivers. Like
body.py it must run on CPython 3.6+, PyPy, MicroPython and Pyodide: no f-strings, no annotations, and every
module beyond sys, json and gc is optional. What the interpreter does not offer (inspect, warnings,
__await__, cr_* attributes) is reported as null or left out, which the host reads as "not observable".

Protocol: one JSON object per line in, one per line out, in order.
  {"op": "hello"}                              -> implementation, version, drivers, capabilities, shape
  {"op": "configure", "inspect": name, "prefix": "CORO_", "attributes": {observation: attribute name}}
  {"op": "subject", "path": file}              -> swap the subject factory (a module with scripted_body)
  {"op": "begin", "driver": name, "awaitee": kind} -> a fresh subject (the previous one is released first)
                                                  whose body awaits a `kind` object (default: "iterator")
  {"op": "perform", "step": Step.to_json()}    -> {"observation": {outcome, state, attributes, warnings, events}}
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

# Every warning is recorded, for the whole life of the agent: a call's warnings are those added during it.
# (Entering catch_warnings once, rather than per call, halves the agent's cost per call.)
WARNINGS = None
if _warnings is not None:
    WARNINGS = _warnings.catch_warnings(record=True).__enter__()
    _warnings.simplefilter("always")

try:
    import types as _types
except ImportError:
    _types = None

AGENT_DRIVERS = ("direct", "await", "delegation", "generator")

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
            "Script": Script}  # noqa: F821 - body.py's names: this file runs concatenated after body.py


async def delegate(inner):
    """The outer coroutine of the delegation driver: it only awaits the subject."""
    return await inner


def generator_coroutine(script):
    """A generator-based coroutine (types.coroutine) where the interpreter has it, else the plain generator."""
    factory = SUBJECTS["scripted_generator"]
    if _types is not None and hasattr(_types, "coroutine"):
        factory = _types.coroutine(factory)
    return factory(script)


def freeze_startup_objects():
    """Move everything alive now out of the collector's sight (CPython 3.7+), so the gc.collect() of each
    `collect` step scans only the subject's objects: ten times faster."""
    freeze = getattr(gc, "freeze", None)
    if freeze is not None:
        gc.collect()
        freeze()


class Agent:
    """One subject at a time: built for a driver, called step by step, observed after each call."""

    def __init__(self):
        self.inspect_function = None
        self.prefix = ""
        self.attributes = {}
        self.driver = None
        self.script = None
        self.subject = None
        self.target = None
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
                "drivers": list(AGENT_DRIVERS),
                "capabilities": {"inspect": _inspect is not None, "warnings": _warnings is not None,
                                 "exception chaining": CHAINING,
                                 "types.coroutine": _types is not None and hasattr(_types, "coroutine")},
                "shape": interpreter_shape()}  # shape.py, sent before this file: JIT, free-threading, debug

    def configure(self, request):
        name = request.get("inspect") or ""
        self.inspect_function = getattr(_inspect, name, None) if _inspect is not None and name else None
        self.prefix = request.get("prefix") or ""
        self.attributes = request.get("attributes") or {}
        return {"ok": True, "inspect": self.inspect_function is not None}

    def swap_subject(self, request):
        path = request["path"]
        import importlib.util  # CPython and PyPy only: compiled subjects need a real import system
        spec = importlib.util.spec_from_file_location(request.get("module") or "conformance_subject", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in ("scripted_body", "scripted_generator", "Script"):
            if hasattr(module, name):
                SUBJECTS[name] = getattr(module, name)
        freeze_startup_objects()
        return {"ok": True, "module": path}

    def begin(self, request):
        self.release()
        driver = request["driver"]
        if driver not in AGENT_DRIVERS:
            return {"ok": False, "unavailable": "the agent has no %r driver" % (driver,)}
        self.driver = driver
        self.script = SUBJECTS["Script"]()
        self.script.awaitee = request.get("awaitee") or "iterator"
        if driver == "generator":
            self.subject = generator_coroutine(self.script)
        else:
            self.subject = SUBJECTS["scripted_body"](self.script)
        self.script.target = self.subject
        # the attributes this kind of subject has at all, found once (a failed getattr is slow on MicroPython)
        self.readable = [(observation, self.attributes[observation]) for observation in self.attributes
                         if hasattr(self.subject, self.attributes[observation])]
        self.script.observer = self.observe
        if driver == "await":
            if not hasattr(self.subject, "__await__"):
                self.release()
                return {"ok": False, "unavailable": "this interpreter's coroutines have no __await__()"}
            self.target = self.subject.__await__()
        elif driver == "delegation":
            self.target = delegate(self.subject)
        else:
            self.target = self.subject
        return {"ok": True}

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
            self.collect()
        else:
            outcome = perform(self.target, step["call"], step["argument"], step.get("payload"))  # noqa: F821
        events = self.script.events[first_event:]
        if not CHAINING:
            outcome = without_links(outcome)
            for event in events:
                if event[0] == "reentry":
                    without_links(event[3])
        observation = {"outcome": outcome, "events": events,
                       "warnings": None if WARNINGS is None else
                       [[w.category.__name__, str(w.message)] for w in WARNINGS]}
        if step["call"] == "collect":
            observation["state"], observation["attributes"] = None, {}
        else:
            observation["state"], observation["attributes"] = self.observe()
        return {"ok": True, "observation": observation}

    def echo(self, request):
        return {"ok": True, "data": request.get("data")}

    # -- helpers -------------------------------------------------------------------------------
    def observe(self):
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
        for observation, name in self.readable:
            try:
                value = getattr(self.subject, name)
            except AttributeError:
                continue
            attributes[observation] = value if isinstance(value, bool) else ("none" if value is None else "present")
        return state, attributes

    def collect(self):
        """Drop every reference to the subject and let the garbage collector finalize it."""
        target = self.target
        if self.driver == "delegation" and target is not None:
            # An outer coroutine that never started is scaffolding: close it quietly (see drivers/direct.py).
            if getattr(target, "cr_frame", None) is not None and not getattr(target, "cr_running", False) \
                    and getattr(target, "cr_await", None) is None:
                target.close()
        target = None
        self.script.target = self.script.observer = None  # first: finalization may run the body at once
        self.subject = self.target = None
        gc.collect()

    def release(self):
        """Close the current subject without observing anything."""
        subject, target = self.subject, self.target
        self.subject = self.target = None
        if subject is not None:
            self.script.plans.insert(0, {"reaction": "propagate", "value": None})
            for thing in (target, subject):
                try:
                    thing.close()
                except BaseException:
                    pass
        self.script = None
        self.driver = None


AGENT = Agent()
OPERATIONS = {"hello": AGENT.hello, "configure": AGENT.configure, "subject": AGENT.swap_subject,
              "begin": AGENT.begin, "end": AGENT.end, "perform": AGENT.perform, "echo": AGENT.echo}


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
