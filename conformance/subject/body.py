"""The scripted body: a coroutine whose every resumption does what a script says.

This file must run unchanged on any Python 3 (CPython 3.6+, PyPy, MicroPython, Pyodide) and compile with
Cython: it imports nothing, and uses no f-strings, annotations or dataclasses. The host (or the agent in a
child interpreter) queues one *plan* per resumption; a plan is a plain dict, so it crosses a JSON pipe:

    {"reaction": "await" | "return" | "raise" | "raise-stop-iteration" | "propagate",
     "value": the value to await with / return / raise ([type name, message]),
     "reenter": [[call, argument class, payload], ...],   # calls the running body makes on itself first
     "awaitee": [reaction, value]}   # optional: what the object the body awaits does when the call reaches it

What the body awaits is its script's `awaitee` kind (AWAITEES): a plain iterator with send() only, or a
generator or a native coroutine with send/throw/close of their own, whose reaction ("pass" what reached it
on, "await" again, "return" a value of its own, "raise" another exception) is the plan's "awaitee" entry.

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
    "stop-iteration": lambda payload: (StopIteration(payload),),
    "generator-exit": lambda payload: (GeneratorExit(),),
    "base-exception": lambda payload: (make_exception(payload),),
}

# The reactions the scripted body can have on a resumption (see scripted_body and Script.finish);
# `propagate` only makes sense when an exception arrived.
REACTIONS = ("await", "return", "raise", "raise-stop-iteration", "propagate")

# The reactions of an awaited object with send/throw/close of its own (see scripted_awaitee): pass on what
# reached it (return the sent value, let the exception through), pass a value out again, return a value of
# its own, raise another exception.
AWAITEE_REACTIONS = ("pass", "await", "return", "raise")


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


def describe_value(value):
    """A JSON-friendly description of a value: plain values as themselves, others by type and repr."""
    if isinstance(value, PLAIN_VALUES):
        return value
    text = repr(value)
    return {"object": type(value).__name__, "repr": text[:120]}


def describe_exception(error):
    """Type, message, StopIteration value, and the type names of __cause__ and __context__."""
    description = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, StopIteration):
        description["value"] = describe_value(error.value if hasattr(error, "value") else None)
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
        return "send", (payload if argument == "value" else None,)
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


def scripted_awaitee(script, value):
    """A generator the body awaits (its __await__ is this generator): passes `value` out, then reacts to what
    the caller's call delivers to it as the script's plan says."""
    while True:
        try:
            received = yield value
        except BaseException as error:
            reaction, value = script.awaitee_reaction(["caught", type(error).__name__, str(error)])
            if reaction == "pass":
                raise
            if reaction == "raise":
                raise make_exception(value)
        else:
            reaction, value = script.awaitee_reaction(["received", describe_value(received)])
            if reaction == "pass":
                return received
            if reaction == "raise":
                raise make_exception(value)
        if reaction == "return":
            return value


async def scripted_awaitee_coroutine(script, value):
    """The same awaited object as a native coroutine, which the body awaits directly."""
    while True:
        try:
            received = await Suspend(value)
        except BaseException as error:
            reaction, value = script.awaitee_reaction(["caught", type(error).__name__, str(error)])
            if reaction == "pass":
                raise
            if reaction == "raise":
                raise make_exception(value)
        else:
            reaction, value = script.awaitee_reaction(["received", describe_value(received)])
            if reaction == "pass":
                return received
            if reaction == "raise":
                raise make_exception(value)
        if reaction == "return":
            return value


class AwaitsGenerator:
    """An awaitable whose __await__ is a scripted_awaitee generator (so `await` delegates to it)."""

    def __init__(self, script, value):
        self.iterator = scripted_awaitee(script, value)

    def __await__(self):
        return self.iterator

    def __iter__(self):  # `yield from` in a generator-based coroutine
        return self.iterator


# What the body can await, by kind: each maker takes (script, value passed out) and returns the awaitable.
AWAITEES = {
    "iterator": lambda script, value: Suspend(value),
    "generator": AwaitsGenerator,
    "coroutine": scripted_awaitee_coroutine,
}


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
        self.awaitee = "iterator"  # the kind of object the body awaits: a key of AWAITEES

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
        """The awaitable the body awaits next, passing `value` out."""
        self.pauses += 1
        make = AWAITEES.get(self.awaitee)
        if make is None:
            raise SuiteError("unknown awaitee kind %r; known: %s" % (self.awaitee, ", ".join(AWAITEES)))
        return make(self, value)

    def awaitee_reaction(self, event):
        """The awaited object's reaction (reaction, value) to what reached it, taken from the current plan.
        Without one (the object is being finalized, or the call never meant to reach it) it passes on what
        reached it and logs nothing."""
        plan = self.plans[0] if self.plans else {}
        reaction = plan.pop("awaitee", None)
        if reaction is None:
            return "pass", None
        self.events.append(["awaitee"] + event)
        return reaction[0], reaction[1]

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
            return plan["value"]
        if reaction == "raise":
            raise make_exception(plan["value"])
        if reaction == "raise-stop-iteration":
            raise StopIteration(plan["value"])
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
