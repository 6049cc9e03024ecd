"""The scripted body: a coroutine whose every resumption does what a script says.

This file must run unchanged on any Python 3 (CPython 3.6+, PyPy, MicroPython, Pyodide) and compile with
Cython: it imports nothing, and uses no f-strings, annotations or dataclasses. The host (or the agent in a
child interpreter) queues one *plan* per resumption; a plan is a plain dict, so it crosses a JSON pipe:

    {"reaction": "await" | "return" | "raise" | "raise-stop-iteration" | "propagate",
     "value": the value to pass out / return / raise StopIteration with (a value spec, see make_value), or
              the exception to raise ([type name, message]),
     "reenter": [[call, argument class, payload], ...]}   # calls the running body makes on itself first

Values (sent, passed out at an await, returned, carried by StopIteration) cross the pipe as *value specs*,
a small tagged JSON encoding that make_value builds and describe_value reads back:

    None, true, 201, 2.5, "text"                  themselves
    {"tuple": [spec, ...]}                        a tuple of the specs' values
    {"exception": "ValueError", "args": [spec]}   an exception instance used as a value (not raised)
    {"class": "ValueError"}                       an exception class used as a value

Everything the body sees is logged in `Script.events`, so a driver can report it as an observation.
"""


class Unplanned(Exception):
    """Raised by the body when it was resumed in a way its plan was not made for (a value arrived where the
    step expected an exception to let through): the subject delivered something the model did not predict."""


class SuiteError(Exception):
    """A bug in the suite itself (a payload that does not fit its argument class, a plan the body cannot
    follow): never the subject's behaviour. `perform` lets it through instead of recording it, and a run
    that meets one ends as an internal error."""


class Interrupt(BaseException):
    """A BaseException that is not an Exception, for throw()'s `base-exception` argument class."""


EXCEPTIONS = {
    "ValueError": ValueError, "KeyError": KeyError, "LookupError": LookupError, "OSError": OSError,
    "RuntimeError": RuntimeError, "TypeError": TypeError, "StopIteration": StopIteration,
    "GeneratorExit": GeneratorExit, "Interrupt": Interrupt, "ZeroDivisionError": ZeroDivisionError,
}

PLAIN_VALUES = (type(None), bool, int, float, str)


def make_exception(spec):
    """[type name, message] -> a new exception instance."""
    kind = EXCEPTIONS.get(spec[0])
    if kind is None:
        raise SuiteError("unknown exception type in script: %r" % (spec[0],))
    return kind(spec[1]) if len(spec) > 1 and spec[1] is not None else kind()


# throw()'s argument classes: each name maps to the builder of throw()'s positional arguments from a
# payload. This table is what the code implements: the model loader (conformance/vocabulary.py) refuses a
# model naming any other class.
THROW_ARGUMENTS = {
    "instance": lambda payload: (make_exception(payload),),
    "class": lambda payload: (EXCEPTIONS[payload[0]],),
    "three-argument": lambda payload: (EXCEPTIONS[payload[0]], make_exception(payload), None),
    "non-exception": lambda payload: (payload,),
    "stop-iteration": lambda payload: (StopIteration(make_value(payload)),),
    "generator-exit": lambda payload: (GeneratorExit(),),
    "base-exception": lambda payload: (make_exception(payload),),
}

# The reactions the scripted body can have on a resumption (see scripted_body and Script.finish);
# `propagate` only makes sense when an exception arrived.
REACTIONS = ("await", "return", "raise", "raise-stop-iteration", "propagate")


def throw_arguments(argument, payload):
    """The positional arguments of throw() for an argument class and its payload."""
    build = THROW_ARGUMENTS.get(argument)
    if build is None:
        raise ValueError("unknown throw() argument class: %r" % (argument,))
    return build(payload)


def thrown_exception(argument, payload):
    """The exception instance that arrives at the body for a throw() call (None for a non-exception)."""
    if argument == "class":
        return EXCEPTIONS[payload[0]]()
    if argument == "non-exception":
        return None
    args = throw_arguments(argument, payload)
    return args[1] if argument == "three-argument" else args[0]


def make_value(spec):
    """A value spec (see the module docstring) -> the value it stands for. Exceptions are made, never raised."""
    if isinstance(spec, PLAIN_VALUES):
        return spec
    if isinstance(spec, dict) and len(spec) == 1 and isinstance(spec.get("tuple"), list):
        return tuple([make_value(item) for item in spec["tuple"]])
    if isinstance(spec, dict) and len(spec) == 1 and spec.get("class") in EXCEPTIONS:
        return EXCEPTIONS[spec["class"]]
    if isinstance(spec, dict) and len(spec) == 2 and spec.get("exception") in EXCEPTIONS \
            and isinstance(spec.get("args"), list):
        return EXCEPTIONS[spec["exception"]](*[make_value(item) for item in spec["args"]])
    raise SuiteError("not a value spec: %r (expected None, a number, a string, {\"tuple\": [...]}, "
                     "{\"exception\": name, \"args\": [...]} or {\"class\": name})" % (spec,))


# How deep and how long a described tuple, list or exception's args may be: a subject may hand back anything.
DESCRIBED_DEPTH = 4
DESCRIBED_ITEMS = 16


def describe_value(value, depth=0):
    """A JSON-friendly description of a value, in make_value's encoding where it has one (so a tuple, a list,
    an exception instance and an exception class all read apart); other objects by type and repr."""
    if isinstance(value, PLAIN_VALUES):
        return value
    if depth < DESCRIBED_DEPTH:
        if isinstance(value, (tuple, list)) and len(value) <= DESCRIBED_ITEMS:
            tag = "tuple" if isinstance(value, tuple) else "list"
            return {tag: [describe_value(item, depth + 1) for item in value]}
        if isinstance(value, BaseException) and len(value.args) <= DESCRIBED_ITEMS:
            return {"exception": type(value).__name__,
                    "args": [describe_value(item, depth + 1) for item in value.args]}
        if isinstance(value, type) and issubclass(value, BaseException):
            return {"class": value.__name__}
    text = repr(value)
    return {"object": type(value).__name__, "repr": text[:120]}


# A StopIteration without a `value` attribute carries nothing, which is not the same as carrying None.
NOTHING = {"nothing": "no value attribute"}


def value_text(description):
    """A value's description (or spec) as Python would write the value: (201,), ValueError('x'), KeyError."""
    if isinstance(description, dict):
        if "tuple" in description:
            items = [value_text(item) for item in description["tuple"]]
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if "list" in description:
            return "[" + ", ".join([value_text(item) for item in description["list"]]) + "]"
        if "exception" in description:
            return "%s(%s)" % (description["exception"],
                               ", ".join([value_text(item) for item in description.get("args", ())]))
        if "class" in description:
            return str(description["class"])
        if "repr" in description:
            return str(description["repr"])
        if "nothing" in description:
            return "nothing (%s)" % (description["nothing"],)
    return repr(description)


def is_exception_value(description):
    """Whether a value's description (or spec) is an exception instance or class used as a value."""
    return isinstance(description, dict) and ("exception" in description or "class" in description)


def describe_exception(error):
    """Type, message, StopIteration value, and the type names of __cause__ and __context__."""
    description = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, StopIteration):
        description["value"] = describe_value(error.value) if hasattr(error, "value") else NOTHING
    cause = getattr(error, "__cause__", None)
    context = getattr(error, "__context__", None)
    description["cause"] = type(cause).__name__ if cause is not None else None
    description["context"] = type(context).__name__ if context is not None else None
    return description


def call_arguments(call, argument, payload):
    """The method to call and its positional arguments. Built before the call is made, so that a bug here
    (a payload that does not fit its argument class) is raised as the suite's error, never recorded as
    the subject's answer."""
    if call == "send":
        return "send", (make_value(payload) if argument == "value" else None,)
    if call == "throw":
        return "throw", throw_arguments(argument, payload)
    if call == "close":
        return "close", ()
    raise ValueError("unknown call: %r" % (call,))


def perform(target, call, argument, payload):
    """Make one call on `target` and describe what happened: ["returned", v] or ["raised", {...}]."""
    try:
        method, arguments = call_arguments(call, argument, payload)
    except Exception as error:
        raise SuiteError("cannot build %s() for argument class %r from payload %r: %s: %s"
                         % (call, argument, payload, type(error).__name__, error))
    try:
        result = getattr(target, method)(*arguments)
    except SuiteError:  # the scripted body could not follow its plan: our bug, not the subject's answer
        raise
    except BaseException as error:  # the subject's answer, whatever it is
        return ["raised", describe_exception(error)]
    return ["returned", describe_value(result)]


class Suspend:
    """The await point: passes `value` out to the caller once, then returns what is sent back.

    It is a plain iterator with no throw() or close(), so a thrown exception lands in the awaiting frame.
    """

    def __init__(self, value):
        self.value = value
        self.passed = False

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, received):
        if self.passed:
            raise StopIteration(received)
        self.passed = True
        return self.value


# Scripts made so far in this process: each has its own number. A module-level list, not a class attribute
# assigned through the class: mypyc refuses that ("Only class variables defined as ClassVar can be assigned to").
SCRIPTS_MADE = [0]


class Script:
    """The plans still to run, the events seen so far, and the object re-entrant calls go to."""

    def __init__(self, plans=None):
        SCRIPTS_MADE[0] += 1
        self.number = SCRIPTS_MADE[0]
        self.plans = list(plans or [])
        self.events = []
        self.target = None  # set by the driver once the subject exists
        self.observer = None  # optional: returns (state, attributes) of the subject, seen from inside
        self.pauses = 0  # how many times the body has reached an await point (an event loop waits for it)
        self.before_reentry = None  # optional: told (call, argument) before each re-entrant call is made

    def prepare(self, plan):
        """The plan for the next call only: a plan the subject never used (say, a close() that did not
        reach the body) must not be taken by a later resumption."""
        self.plans[:] = [plan] if plan is not None else []

    def _next(self, default_reaction, event):
        self.events.append(event)
        if self.observer is not None:
            state, attributes = self.observer()
            self.events.append(["inside", state, attributes])
        plan = self.plans.pop(0) if self.plans else {"reaction": default_reaction, "value": None}
        for call, argument, payload in plan.get("reenter", ()):
            if self.before_reentry is not None:
                self.before_reentry(call, argument)
            self.events.append(["reentry", call, argument, perform(self.target, call, argument, payload)])
        return plan

    def __repr__(self):
        # Unique for the life of the process, unlike the default repr's address: caching decorators key
        # on the arguments' repr, and two scripts must never look like the same call.
        return "Script(%d)" % (self.number,)

    def pause(self, value):
        """The await point the body awaits next, passing out the value `value` (a value spec) stands for."""
        self.pauses += 1
        return Suspend(make_value(value))

    def started(self):
        return self._next("await", ["started"])

    def received(self, value):
        return self._next("await", ["received", describe_value(value)])

    def caught(self, error):
        return self._next("propagate", ["caught", type(error).__name__, str(error)])

    def finish(self, plan):
        """Return or raise as a plan that does not await says to."""
        reaction = plan["reaction"]
        if reaction == "return":
            return make_value(plan["value"])
        if reaction == "raise":
            raise make_exception(plan["value"])
        if reaction == "raise-stop-iteration":
            raise StopIteration(make_value(plan["value"]))
        raise Unplanned("the body was resumed with a value, but its plan was made for an exception that "
                        "arrived at its await (reaction %r)" % (reaction,))

    def ended(self):
        self.events.append(["finally"])


async def scripted_body(script):
    """A native coroutine driven by `script`; see the module docstring."""
    try:
        plan = script.started()
        while plan["reaction"] == "await":
            try:
                received = await script.pause(plan["value"])
            except BaseException as thrown:
                plan = script.caught(thrown)
                if plan["reaction"] == "propagate":
                    raise
                if plan["reaction"] != "await":
                    return script.finish(plan)
            else:
                plan = script.received(received)
        return script.finish(plan)
    finally:
        script.ended()


def scripted_generator(script):
    """The same body as a generator, for generator-based coroutines (`yield from` instead of `await`)."""
    try:
        plan = script.started()
        while plan["reaction"] == "await":
            try:
                received = yield from script.pause(plan["value"])
            except BaseException as thrown:
                plan = script.caught(thrown)
                if plan["reaction"] == "propagate":
                    raise
                if plan["reaction"] != "await":
                    return script.finish(plan)
            else:
                plan = script.received(received)
        return script.finish(plan)
    finally:
        script.ended()
