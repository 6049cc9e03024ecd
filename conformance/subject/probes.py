"""Probes: one-off facts of the coroutine protocol that are not edges of one coroutine's state machine (the
await expression, the iterator surface). model/coroutine.toml's [[probe]] rows name these functions and say
what each must give; the engine runs each once per run and target and compares.

Like body.py this file must run unchanged on any Python 3 (CPython 3.6+, PyPy, MicroPython, Pyodide) and
compile with Cython, Nuitka and mypyc: it imports nothing it cannot do without, and uses no f-strings,
annotations or dataclasses. In the agent it runs concatenated after body.py, so every name here is prefixed
(probe_, Probe) to stay clear of body.py's.

A probe function takes `make`: `make(plans)` builds the object under test from a list of body plans (see
body.py) and returns (that object, the list of events its body logs). Probes in PROBE_SUBJECT use it, so they
also judge a user's wrapper or decorator; the others build their own coroutines here, so they judge the
interpreter (or the compiler that built this module). A probe either lets the protocol's exception out, or
returns True when its fact holds and a short description of what it saw instead when it does not. It raises
ProbeUnobservable when the interpreter lacks what it needs (types.coroutine, __await__).
"""

PROBE_MODULES = {}  # optional modules, by name (a dict: mypyc refuses a module-or-None variable)
try:
    import types as probe_types_module
    PROBE_MODULES["types"] = probe_types_module
except ImportError:  # pragma: no cover - very small MicroPython builds
    pass


class ProbeUnobservable(Exception):
    """The interpreter or the object lacks what the probe needs: nothing can be observed."""


class ProbePause:
    """An await point: passes `value` out once, then returns what is sent back (like body.Suspend)."""

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


async def probe_pausing():
    """A native coroutine of this module: passes 71 out, then returns [72, what it was sent]."""
    received = await ProbePause(71)
    return [72, received]


async def probe_awaiter(awaitable):
    """A native coroutine that awaits `awaitable` and returns its result."""
    return await awaitable


async def probe_await_int():
    return await 1


class ProbeAwaitGivesInt:
    """An object whose __await__() returns an int, not an iterator."""

    def __await__(self):
        return 1


class ProbeAwaitGivesCoroutine:
    """An object whose __await__() returns a coroutine, not an iterator."""

    def __init__(self):
        self.made = None

    def __await__(self):
        self.made = probe_pausing()
        return self.made


def probe_plain_delegator(awaitable):
    """A plain generator (not a coroutine) that delegates with `yield from`."""
    return (yield from awaitable)


def probe_coroutine_delegator(awaitable):
    """The same, made a generator-based coroutine by types.coroutine in probe_coroutine_generator."""
    return (yield from awaitable)


def probe_close(*objects):
    """Release what a probe made, whatever it says."""
    for thing in objects:
        try:
            thing.close()
        except BaseException:
            pass


def probe_step(target, value=None):
    """send(value) to `target`: what it yielded, as words, or StopIteration's value; exceptions pass."""
    try:
        yielded = target.send(value)
    except StopIteration as stop:
        return getattr(stop, "value", None)
    return "suspended, yielding %r" % (yielded,)


def probe_attempt(target):
    """send(None) to `target`, in words when it does not raise: what a probe whose row expects an exception
    returns when none comes."""
    try:
        yielded = target.send(None)
    except StopIteration as stop:
        return "finished, returning %r" % (getattr(stop, "value", None),)
    return "suspended, yielding %r" % (yielded,)


def probe_await_method(subject):
    method = getattr(subject, "__await__", None)
    if method is None:
        probe_close(subject)
        raise ProbeUnobservable("it has no __await__() method")
    return method()


# -- the await expression ----------------------------------------------------------------------------

def await_non_awaitable(make):
    """`await 1` in a native coroutine."""
    return probe_attempt(probe_await_int())


def await_returns_non_iterator(make):
    """`await obj` where obj.__await__() returns an int."""
    return probe_attempt(probe_awaiter(ProbeAwaitGivesInt()))


def await_returns_coroutine(make):
    """`await obj` where obj.__await__() returns a coroutine."""
    awaitable = ProbeAwaitGivesCoroutine()
    try:
        return probe_attempt(probe_awaiter(awaitable))
    finally:
        probe_close(awaitable.made)


def probe_first_awaiter(make):
    """The subject (awaits once with 21, then returns 22) and a native coroutine awaiting it, suspended."""
    subject, events = make([{"reaction": "await", "value": 21}, {"reaction": "return", "value": 22}])
    first = probe_awaiter(subject)
    yielded = first.send(None)
    return subject, first, yielded


def second_awaiter(make):
    """A second native coroutine awaits the subject while a first one is suspended awaiting it."""
    subject, first, yielded = probe_first_awaiter(make)
    second = probe_awaiter(subject)
    try:
        return probe_attempt(second)
    finally:
        probe_close(second, first, subject)


def second_awaiter_leaves_first(make):
    """After a second awaiter was refused, the first one still finishes the subject with its return value."""
    subject, first, yielded = probe_first_awaiter(make)
    if yielded != 21:
        probe_close(first, subject)
        return "the first awaiter's send(None) gave %r, not the value the body awaited with (21)" % (yielded,)
    second = probe_awaiter(subject)
    try:
        said = probe_attempt(second)
    except Exception:
        said = None
    probe_close(second)
    if said is not None:
        probe_close(first, subject)
        return "the second awaiter was not refused (its send(None): %s)" % (said,)
    try:
        result = probe_step(first)
    except Exception as error:
        probe_close(first, subject)
        return "the first awaiter's send(None) then raised %s(%r)" % (type(error).__name__, str(error))
    probe_close(first, subject)
    if result != 22:
        return "the first awaiter then gave %r, not the body's return value (22)" % (result,)
    return True


def await_finished(make):
    """A native coroutine awaits the subject after the subject has returned."""
    subject, events = make([{"reaction": "return", "value": 31}])
    try:
        subject.send(None)
    except StopIteration:
        pass
    awaiter = probe_awaiter(subject)
    try:
        return probe_attempt(awaiter)
    finally:
        probe_close(awaiter, subject)


def yield_from_in_generator(make):
    """`yield from` a native coroutine inside a plain generator."""
    inner = probe_pausing()
    delegator = probe_plain_delegator(inner)
    try:
        return probe_attempt(delegator)
    finally:
        probe_close(delegator, inner)


def yield_from_in_coroutine_generator(make):
    """`yield from` a native coroutine inside a types.coroutine generator: values pass out and in, and the
    coroutine's return value comes back."""
    coroutine = getattr(PROBE_MODULES.get("types"), "coroutine", None)
    if coroutine is None:
        raise ProbeUnobservable("this interpreter has no types.coroutine")
    inner = probe_pausing()
    delegator = coroutine(probe_coroutine_delegator)(inner)
    try:
        first = probe_step(delegator)
        if first != "suspended, yielding 71":
            return "the generator's send(None) gave %r, not the coroutine's yielded 71" % (first,)
        last = probe_step(delegator, 5)
        if last != [72, 5]:
            return "the generator's send(5) gave %r, not the coroutine's return value [72, 5]" % (last,)
        return True
    finally:
        probe_close(delegator, inner)


# -- the iterator surface ------------------------------------------------------------------------------

def iter_coroutine(make):
    """iter() of the subject."""
    subject, events = make([])
    try:
        return "iter() returned a %s" % (type(iter(subject)).__name__,)
    finally:
        probe_close(subject)


def next_coroutine(make):
    """next() of the subject, before it started."""
    subject, events = make([{"reaction": "await", "value": 81}])
    try:
        return "next() returned %r" % (next(subject),)
    finally:
        probe_close(subject)


def await_iterator_is_iterator(make):
    """iter(w) is w, for w = subject.__await__()."""
    subject, events = make([])
    iterator = probe_await_method(subject)
    try:
        again = iter(iterator)
        if again is iterator:
            return True
        return "iter() of the __await__() iterator returned another object (a %s)" % (type(again).__name__,)
    finally:
        probe_close(iterator, subject)


def await_iterator_next_is_send(make):
    """next(w) resumes the body as send(None) does: it passes the awaited value out, the body's await gets
    None, and the body's return ends it with StopIteration carrying the value."""
    subject, events = make([{"reaction": "await", "value": 91}, {"reaction": "return", "value": 92}])
    iterator = probe_await_method(subject)
    try:
        first = next(iterator)
        if first != 91:
            return "the first next() gave %r, not the value the body awaited with (91)" % (first,)
        try:
            second = next(iterator)
        except StopIteration as stop:
            value = getattr(stop, "value", None)
            if value != 92:
                return "the second next() ended with StopIteration(%r), not the return value 92" % (value,)
        else:
            return "the second next() gave %r instead of ending with StopIteration(92)" % (second,)
        received = [event[1] for event in events if event[0] == "received"]
        if received != [None]:
            return "the body's await received %r, not None" % (received,)
        return True
    finally:
        probe_close(iterator, subject)


def probe_counting():
    """A generator that passes out 1 and 2, then ends."""
    yield 1
    yield 2


def coroutine_generator_iterates(make):
    """A types.coroutine generator stays an ordinary iterator (unlike a native coroutine): iter(g) is g,
    next(g) gives its first value, and list() runs it to the end."""
    coroutine = getattr(PROBE_MODULES.get("types"), "coroutine", None)
    if coroutine is None:
        raise ProbeUnobservable("this interpreter has no types.coroutine")
    generator = coroutine(probe_counting)()
    try:
        if iter(generator) is not generator:
            return "iter() of the generator returned another object"
        first = next(generator)
        if first != 1:
            return "next() gave %r, not the first value 1" % (first,)
        rest = list(generator)
        if rest != [2]:
            return "list() of the rest gave %r, not [2]" % (rest,)
        return True
    finally:
        probe_close(generator)


def await_iterator_next_exhausted(make):
    """next(w) once w = subject.__await__() has ended with StopIteration."""
    subject, events = make([{"reaction": "return", "value": 95}])
    iterator = probe_await_method(subject)
    try:
        try:
            next(iterator)
        except StopIteration:
            pass
        else:
            return "the first next() did not end the body"
        return "next() returned %r" % (next(iterator),)
    finally:
        probe_close(iterator, subject)


# Every probe function, by name: the model's rows may name only these (conformance/protocol/vocabulary.py).
PROBES = {
    "await_non_awaitable": await_non_awaitable,
    "coroutine_generator_iterates": coroutine_generator_iterates,
    "await_returns_non_iterator": await_returns_non_iterator,
    "await_returns_coroutine": await_returns_coroutine,
    "second_awaiter": second_awaiter,
    "second_awaiter_leaves_first": second_awaiter_leaves_first,
    "await_finished": await_finished,
    "yield_from_in_generator": yield_from_in_generator,
    "yield_from_in_coroutine_generator": yield_from_in_coroutine_generator,
    "iter_coroutine": iter_coroutine,
    "next_coroutine": next_coroutine,
    "await_iterator_is_iterator": await_iterator_is_iterator,
    "await_iterator_next_is_send": await_iterator_next_is_send,
    "await_iterator_next_exhausted": await_iterator_next_exhausted,
}

# The probes that take the object under test (and so also judge a user's wrapper or decorator).
PROBE_SUBJECT = ("second_awaiter", "second_awaiter_leaves_first", "await_finished", "iter_coroutine",
                 "next_coroutine", "await_iterator_is_iterator", "await_iterator_next_is_send",
                 "await_iterator_next_exhausted")


def probe_type_name(thing):
    """The name CPython's own messages give the type of `thing` (its tp_name: "module.Name" for some compiled
    types), read off such a message: int's __add__ called with `thing` as self names its type without calling
    anything of `thing` (a proxy that forwards every dunder cannot change it). Else the type's __name__."""
    try:
        int.__add__(thing, 1)
    except TypeError as error:
        quoted = str(error).split("'")[1::2]
        if quoted and quoted[-1] != "int":
            return quoted[-1]
    except Exception:
        pass
    return getattr(type(thing), "__name__", "?")


def run_probe(name, make):
    """Run one probe: ["returned", value, type] | ["raised", exception, type] | ["unobservable", why, type],
    where type is the type name of the first object `make` made (the {type} of the row's message)."""
    made = []

    def recording(plans):
        subject, events = make(plans)
        if not made:
            made.append(probe_type_name(subject))
        return subject, events

    function = PROBES[name]
    try:
        result = function(recording)
    except ProbeUnobservable as missing:
        return ["unobservable", str(missing), made[0] if made else None]
    except BaseException as error:  # the subject's answer, whatever it is
        return ["raised", error, made[0] if made else None]
    return ["returned", result, made[0] if made else None]
