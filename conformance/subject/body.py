"""The scripted body: a coroutine whose every resumption does what a script says.

This file must run unchanged on any Python 3 (CPython 3.6+, PyPy, MicroPython, Pyodide) and compile with
Cython: it imports nothing at the top (asyncio only where a driver asks for a loop or a Future), and uses no
f-strings, annotations or dataclasses. The host (or the agent in a child interpreter) queues one *plan* per
resumption; a plan is a plain dict, so it crosses a JSON pipe:

    {"reaction": "await" | "return" | "raise" | "raise-stop-iteration" | "propagate",
     "value": the value to pass out / return / raise StopIteration with (a value spec, see make_value), or
              the exception to raise ([type name, message]),
     "reenter": [[call, argument class, payload], ...],   # calls the running body makes on itself first
     "awaitee": [reaction, value]}   # optional: what the object the body awaits does when the call reaches it

What the body awaits is its script's `awaitee` kind (AWAITEES): a plain iterator with send() only, or a
generator or a native coroutine with send/throw/close of their own, whose reaction ("pass" what reached it
on, "await" again, "return" a value of its own, "raise" another exception) is the plan's "awaitee" entry.

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


class SetUpRefused(Exception):
    """The subject did not do what a driver's set-up needs from any conforming subject (a new async generator that
    does not yield its first value: a wrapper that already started it): the subject's failure, which the driver
    reports as its error, not a bug of the suite."""


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
    return describe_object(type(value).__name__, repr(value))


def describe_object(type_name, text):
    """How describe_value shows an object that is not a plain value: its type's name and its repr."""
    return {"object": type_name, "repr": text[:120]}


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


def warning_recorder(recorded):
    """A warnings.showwarning that appends each warning to `recorded` as [category name, message text] and keeps
    nothing else. (catch_warnings(record=True) keeps each warning's source: the never-awaited awaitable it names
    would then keep the subject alive, and the suite would change when its generator is finalized.)"""
    def show(message, category, filename, lineno, file=None, line=None):
        recorded.append([category.__name__, str(message)])
    return show


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
    finally:
        # A thrown exception that comes back holds this frame in its traceback, and this frame would hold the
        # exception: a cycle that keeps the frames it passed through (and the subject they hold) alive until the
        # collector runs, so the subject would not be finalized when it is dropped.
        arguments = None
    return ["returned", describe_value(result)]


# An async generator's operations (asyncgen_body.py has the generator): the calls that make an operation and start
# it, each taking the argument classes of send() (asend) or throw() (athrow).
OPERATION_CALLS = ("asend", "anext", "athrow", "aclose")


def make_operation(generator, call, argument, payload):
    """The awaitable of one operation, made but not started."""
    if call == "asend":
        return generator.asend(make_value(payload) if argument == "value" else None)
    if call == "anext":
        return special_method(generator, "__anext__")()
    if call == "athrow":
        return generator.athrow(*throw_arguments(argument, payload))
    if call == "aclose":
        return generator.aclose()
    raise ValueError("not an operation: %r" % (call,))


def special_method(target, name):
    """`target`'s special method as anext(), `async for` and `await` find it: looked up on its type (an instance
    attribute does not count) and bound through the descriptor found there. AttributeError where the type has
    none."""
    found = getattr(type(target), name)
    bind = getattr(type(found), "__get__", None)
    return bind(found, target, type(target)) if bind is not None else found


class Operations:
    """The generator a caller holds, and the operation it has in flight (None: none is)."""

    def __init__(self, generator):
        self.generator = generator
        self.in_flight = None

    def perform(self, call, argument, payload):
        """Make one call and describe what happened (body.perform's words). An operation call makes the
        operation and sends None to it; send/throw/close go to the operation in flight. An operation stays in
        flight while its calls return (the body passed a value out at an await); a refused new operation
        leaves the one in flight as it was."""
        if call in OPERATION_CALLS:
            try:
                operation = make_operation(self.generator, call, argument, payload)
            except Exception as error:  # noqa: BLE001 - refusing the arguments is the generator's answer
                return ["raised", describe_exception(error)]
            outcome = perform(operation, "send", "none", None)
        else:
            operation = self.in_flight
            if operation is None:
                raise Unplanned("%s() with no operation in flight: the model offers it only while one is" % (call,))
            outcome = perform(operation, call, argument, payload)
        if in_flight_after(self.in_flight is not None, call, outcome):
            self.in_flight = operation if outcome[0] == "returned" else self.in_flight
        else:
            self.in_flight = None
        return outcome


def awaitable_at_first_yield(generator, script, call, argument, payload):
    """Run a new async generator to its first yield, then make the awaitable of the operation `call` on it, not
    sent to yet: the subject of model/asyncgen-awaitable.toml (for "awaited-anext" and "async-for", the coroutine
    that awaits __anext__()). The first yield is the driver's set-up, not a step of the run, so its events are dropped."""
    script.prepare({"reaction": "yield", "value": "first yield"})
    outcome = Operations(generator).perform("asend", "none", None)
    if outcome[0] != "raised" or outcome[1].get("type") != "StopIteration" or outcome[1].get("value") != "first yield":
        raise SetUpRefused("asend(None).send(None) on the new object gave %r instead of StopIteration('first yield'), "
                           "the body's first yield, as a new async generator does: the awaitable drivers make their "
                           "subject there" % (outcome,))
    del script.events[:]
    if call in CONSUMERS:
        return CONSUMERS[call](generator)
    return make_operation(generator, call, argument, payload)


async def iterating(generator):
    """`async for` over the generator in a native coroutine that hands each item out to its caller (an await that
    passes it out) before the loop asks for the next one."""
    async for item in generator:
        await Suspend(item)


async def awaiting_anext(generator):
    """What `await anext(generator)` does in a native coroutine: await the awaitable of __anext__(), found on the
    type (anext() is a builtin from 3.10; this works on every version)."""
    return await special_method(generator, "__anext__")()


# The coroutines awaitable_at_first_yield can make to consume the generator, by name; with OPERATION_CALLS, what it
# can make at all.
CONSUMERS = {"awaited-anext": awaiting_anext, "async-for": iterating}
AWAITABLE_SUBJECTS = OPERATION_CALLS + tuple(CONSUMERS)


def in_flight_after(in_flight, call, outcome):
    """Whether an operation is in flight after a call with this outcome: one whose call returned a value (the
    body paused at an await) is, until a call on it raises or closes it; a new operation that was refused
    leaves the one in flight, if any, as it was."""
    if outcome is None:
        return False
    if call in OPERATION_CALLS:
        return outcome[0] == "returned" or in_flight
    return outcome[0] == "returned" and call != "close"


# How many loop passes SubjectLoop.settle runs at most: the finalizer's aclose() task is done after 3.
SETTLE_PASSES = 20
UNSETTLED = ("the loop still had tasks after %d passes following the collection (the finalizer's aclose() task "
             "should be done after 3)" % SETTLE_PASSES)  # a hang, in process and in the agent


class SubjectLoop:
    """A new asyncio event loop of one subject, for the drivers that run an async generator inside a loop
    (drivers/asyncgen.py, and the agent's): each call runs inside one pass of it, so the loop's own asyncgen hooks
    are in effect; what its exception handler receives is kept as ["reported", exception] events (`reported`).
    asyncio is imported here, not at the top: body.py also runs where there is none."""

    def __init__(self):
        import asyncio
        self.asyncio = asyncio
        self.reported = []
        self.loop = new_quiet_loop()
        self.loop.set_exception_handler(self.report)

    def report(self, loop, context):
        """The exception handler: the exception it was handed, or the message of a report without one."""
        error = context.get("exception")
        self.reported.append(["reported", describe_exception(error) if error is not None else
                              {"type": None, "message": context.get("message")}])

    def take_reports(self):
        """The reports since the last time they were taken."""
        reports = self.reported[:]
        del self.reported[:]
        return reports

    def run(self, call):
        """call() made inside one pass of the loop; what it returned (what it raised is raised here, outside)."""
        result = []

        def inside():
            try:
                result.append((True, call()))
            except BaseException as error:  # noqa: BLE001 - raised again below, outside the loop
                result.append((False, error))

        self.loop.call_soon(inside)
        self.loop.call_soon(self.loop.stop)
        self.loop.run_forever()
        if not result:
            raise RuntimeError("%s.run_forever() came back without running the call scheduled with call_soon(): this "
                               "loop runs its callbacks later, in the host's own event loop (as Pyodide's WebLoop does, "
                               "in JavaScript's)" % (type(self.loop).__name__,))
        returned, value = result[0]
        if not returned:
            raise value
        return value

    def shut_down(self):
        """loop.shutdown_asyncgens() run to completion (its failures go to the exception handler)."""
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())

    def pending(self):
        """The loop's tasks that are not done (3.6 has only Task.all_tasks, which also lists done ones)."""
        all_tasks = getattr(self.asyncio, "all_tasks", None) or self.asyncio.Task.all_tasks
        return [task for task in all_tasks(self.loop) if not task.done()]

    def settle(self):
        """Run loop passes until the tasks a collection made are done (the finalizer's callback makes the aclose()
        task in the pass after the collection, whose first step runs in the pass after that); whether they are."""
        for done in range(SETTLE_PASSES):
            self.loop.call_soon(self.loop.stop)
            self.loop.run_forever()
            if done >= 2 and not self.pending():
                return True
        return False

    def close(self):
        """Let what the subject left in the loop end (a broken subject's tasks are cancelled: nothing of it may
        run later), then close the loop. A generator the collector finalizes later finds it closed, and its
        finalizer then does nothing."""
        if not self.settle():
            for task in self.pending():
                task.cancel()
            self.settle()
        self.loop.close()


def new_quiet_loop():
    """A new asyncio event loop, made without asyncio's debug record of the selector it chose: the suite's loop is
    not the subject's doing (a check reports what the subject logs)."""
    import asyncio
    try:
        import logging
        logger = logging.getLogger("asyncio")
    except ImportError:
        return asyncio.new_event_loop()
    was_disabled, logger.disabled = logger.disabled, True
    try:
        return asyncio.new_event_loop()
    finally:
        logger.disabled = was_disabled


# The words an observed attribute is reported in (the model's [states] use them; see attribute_word).
ATTRIBUTE_WORDS = ("none", "present", "awaited", "awaits-awaited", "frames")
AWAIT_LINKS = ("cr_await", "gi_yieldfrom")  # where an awaiting coroutine or generator shows what it awaits
AWAIT_DEPTH = 8  # how many awaiting objects `leads_to` walks down before giving up


def attribute_word(observation, value, awaited=None, follow=False, origin_depth=0):
    """An observed attribute in the model's words: True/False as themselves, "none", "awaited" (`value` is
    the object the body's await is suspended on), "awaits-awaited" (following its cr_await down reaches that
    object; only with `follow`, which reads the attributes of other objects, so never from inside a running
    body), "frames" (an origin of at most `origin_depth` frames), else "present"."""
    if isinstance(value, bool):
        return value
    if value is None:
        return "none"
    if observation == "origin" and origin_frames(value, origin_depth) is not None:
        return "frames"
    if observation == "awaiting" and awaited is not None:
        if value is awaited:
            return "awaited"
        if follow and leads_to(value, awaited):
            return "awaits-awaited"
    return "present"


def leads_to(holder, awaited):
    """Whether `holder` awaits `awaited`, directly or through awaiting objects (suspended ones only)."""
    for _ in range(AWAIT_DEPTH):
        found = None
        for link in AWAIT_LINKS:
            found = getattr(holder, link, None)
            if found is not None:
                break
        if found is None:
            return False
        if found is awaited:
            return True
        holder = found
    return False


def origin_frames(origin, depth, getline=None):
    """A cr_origin as [[filename, line, function, source line], ...] (innermost first; the source stripped,
    "" where `getline` is None or finds none), or None when it is not a tuple of 1 to `depth` (filename,
    line, function) tuples."""
    if not isinstance(origin, tuple) or not 0 < len(origin) <= depth:
        return None
    frames = []
    for frame in origin:
        if not (isinstance(frame, tuple) and len(frame) == 3 and isinstance(frame[0], str)
                and isinstance(frame[1], int) and isinstance(frame[2], str)):
            return None
        source = getline(frame[0], frame[1]).strip() if getline is not None else ""
        frames.append([frame[0], frame[1], frame[2], source])
    return frames


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


def awaitee_step(script, error, received):
    """What the awaited object does with what reached it (`error` thrown in, else the value `received`), as the
    script's plan says: returns ("await", value to pass out) or ("return", its result), or raises: what reached
    it, or another exception (raised while it handles `error`, so that one is its context, as in CPython)."""
    if error is not None:
        reaction, value = script.awaitee_reaction(["caught", type(error).__name__, str(error)])
        if reaction == "pass":
            raise error
    else:
        reaction, value = script.awaitee_reaction(["received", describe_value(received)])
        if reaction == "pass":
            return "return", received
    if reaction == "raise":
        raise make_exception(value)
    if reaction == "await":
        script.pauses += 1  # waiting for its caller again, as the body does at an await of its own
    return reaction, make_value(value)


def scripted_awaitee(script, value):
    """A generator the body awaits (its __await__ is this generator): passes `value` out, then reacts to what
    the caller's call delivers to it as the script's plan says (awaitee_step)."""
    while True:
        try:
            received = yield value
        except BaseException as error:
            reaction, value = awaitee_step(script, error, None)
        else:
            reaction, value = awaitee_step(script, None, received)
        if reaction == "return":
            return value


async def scripted_awaitee_coroutine(script, value):
    """The same awaited object as a native coroutine, which the body awaits directly."""
    while True:
        try:
            received = await Suspend(value)
        except BaseException as error:
            reaction, value = awaitee_step(script, error, None)
        else:
            reaction, value = awaitee_step(script, None, received)
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


class StandInLoop:
    """The little an asyncio Future asks of its loop while nobody adds callbacks: no event loop runs here."""

    def get_debug(self):
        return False

    def call_exception_handler(self, context):
        pass


def future_class(kind):
    """asyncio's Future class of a kind ("future": the C one, "py-future": the pure-Python one), or None where
    this interpreter has none. Imported only when asked for: the body itself imports nothing."""
    try:
        from asyncio import futures
    except ImportError:
        return None
    return getattr(futures, "_CFuture" if kind == "future" else "_PyFuture", None)


def make_future(kind):
    def make(script, value):
        future = future_class(kind)(loop=StandInLoop())
        script.settle = lambda reaction, value: settle_future(future, reaction, value)
        return future
    return make


def settle_future(future, reaction, value):
    """An awaited Future's "reaction", made before the call reaches it (as an event loop would): its result,
    or its exception; "pass" leaves it pending."""
    if reaction == "return":
        future.set_result(make_value(value))
    elif reaction == "raise":
        future.set_exception(make_exception(value))


# What the body can await, by kind: each maker takes (script, value passed out) and returns the awaitable.
AWAITEES = {
    "iterator": lambda script, value: Suspend(value),
    "generator": AwaitsGenerator,
    "coroutine": scripted_awaitee_coroutine,
    "future": make_future("future"),
    "py-future": make_future("py-future"),
    "bare-yield": None,  # a generator-based coroutine's own `yield` (scripted_generator): nothing is awaited
}


def awaitee_unavailable(kind):
    """Why the body cannot await a `kind` object on this interpreter, or None where it can."""
    if kind not in AWAITEES:
        return "the scripted body cannot await a %r (it can: %s)" % (kind, ", ".join(AWAITEES))
    if kind == "bare-yield":
        return None
    if kind in ("future", "py-future") and future_class(kind) is None:
        return "this interpreter's asyncio has no %s Future" % ("C" if kind == "future" else "pure-Python")
    return None


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
        self.pauses = 0  # how often the body, or what it awaits, has paused for its caller (a loop waits for it)
        self.before_reentry = None  # optional: told (call, argument) before each re-entrant call is made
        self.awaitee = "iterator"  # the kind of object the body awaits: a key of AWAITEES
        self.settle = None  # for an awaited object our code does not run in (a Future): applies its reaction
        self.awaited = None  # what the body's await is suspended on (what cr_await must be), once it paused
        self.reenter = None  # optional: makes a re-entrant call (call, argument, payload) instead of perform on target

    def detach(self):
        """Cut the body off from the subject and the driver: a body the collector finalizes later (left in a
        reference cycle) must not observe, or call, whatever subject the driver holds by then."""
        self.target = self.observer = self.reenter = None

    def prepare(self, plan):
        """The plan for the next call only: a plan the subject never used (say, a close() that did not
        reach the body) must not be taken by a later resumption. An awaited Future gets its reaction now."""
        self.plans[:] = [plan] if plan is not None else []
        if plan is not None and plan.get("awaitee") is not None and self.settle is not None:
            self.settle(*plan.pop("awaitee"))

    def _next(self, default_reaction, event):
        self.events.append(event)
        if self.observer is not None:
            state, attributes = self.observer()
            self.events.append(["inside", state, attributes])
        plan = self.plans.pop(0) if self.plans else {"reaction": default_reaction, "value": None}
        for call, argument, payload in plan.get("reenter", ()):
            if self.before_reentry is not None:
                self.before_reentry(call, argument)
            # one expression, no assignment: Brython loses a local assigned in a branch while a generator
            # frame re-enters itself (UnboundLocalError), which would change what the body reports
            self.events.append(["reentry", call, argument,
                                (self.reenter or self.perform_on_target)(call, argument, payload)])
        return plan

    def __repr__(self):
        # Unique for the life of the process, unlike the default repr's address: caching decorators key
        # on the arguments' repr, and two scripts must never look like the same call.
        return "Script(%d)" % (self.number,)

    def perform_on_target(self, call, argument, payload):
        """A re-entrant call on the object the driver holds (body.perform's words)."""
        return perform(self.target, call, argument, payload)

    def value(self, spec):
        """The value a spec stands for (what an async generator's yield passes out)."""
        return make_value(spec)

    def pause(self, value):
        """The awaitable the body awaits next, passing `value` out."""
        self.pauses += 1
        make = AWAITEES.get(self.awaitee)
        if make is None:
            raise SuiteError("the body cannot await a %r (it can: %s)"
                             % (self.awaitee, ", ".join(kind for kind in AWAITEES if AWAITEES[kind])))
        awaitable = make(self, make_value(value))
        # what the await is suspended on: the iterator an __await__ of ours returns, or the awaitable itself
        # (a Future's own iterator cannot be named before the await; the model says so for that kind)
        self.awaited = getattr(awaitable, "iterator", awaitable)
        return awaitable

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
            return make_value(plan["value"])
        if reaction == "raise":
            raise make_exception(plan["value"])
        if reaction == "raise-stop-iteration":
            raise StopIteration(make_value(plan["value"]))
        if reaction == "end":  # an async generator's end: it returns no value
            return None
        if reaction == "raise-stop-async-iteration":
            raise StopAsyncIteration()
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
                if script.awaitee == "bare-yield":  # no delegation at all: gi_yieldfrom stays None
                    script.pauses += 1
                    script.awaited = None
                    received = yield make_value(plan["value"])
                else:
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
