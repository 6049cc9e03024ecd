"""The model's vocabulary as the code implements it: the one place the loader checks a model against.

A model may only use words the code can run: calls the drivers make, throw() argument classes the body
can build (body.THROW_ARGUMENTS), reactions the scripted body can have (body.REACTIONS), outcome words the
oracle can turn into values, exception names that exist, and message fields the oracle fills in. A model
naming anything else is refused by the loader with one line, instead of reaching a run that would crash
or, worse, report a correct interpreter as deviating.
"""

from __future__ import annotations

import builtins
import re

from conformance.subject import asyncgen_body, body, probes

# Each call and the argument classes the code can make for it. send's classes are body.call_arguments'
# (None, or the payload), throw's are body.THROW_ARGUMENTS, collect is the drivers' final call, and shutdown the
# final call of a driver inside an event loop (loop.shutdown_asyncgens(), run to completion). An async
# generator's operations (body.make_operation) take the same classes: asend send()'s, athrow throw()'s.
CALLS = {
    "send": ("none", "value"),
    "throw": tuple(body.THROW_ARGUMENTS),
    "close": ("none",),
    "collect": ("none",),
    "shutdown": ("none",),
    "asend": ("none", "value"),
    "anext": ("none",),
    "athrow": tuple(body.THROW_ARGUMENTS),
    "aclose": ("none",),
}
assert set(body.OPERATION_CALLS) <= set(CALLS)
# The call whose argument classes (and payloads) each call shares.
PAYLOAD_CALL = {"asend": "send", "athrow": "throw"}

# throw() argument classes that deliver an exception (the others deliver an object that is not one).
THROWS_AN_EXCEPTION = tuple(name for name in body.THROW_ARGUMENTS if name != "non-exception")
THROWING_CALLS = ("throw", "athrow")

# The reactions of the scripted bodies: the coroutine's (body.REACTIONS) and the async generator's.
REACTIONS = tuple(dict.fromkeys(body.REACTIONS + asyncgen_body.ASYNCGEN_REACTIONS))
REACTIONS_TO_A_VALUE = tuple(r for r in REACTIONS if r != "propagate")  # nothing was thrown to let through

# The reactions of an awaited object with send/throw/close of its own (body.AWAITEE_REACTIONS), and the
# layers a delivery can reach: the body, or the object it awaits (which reacts first).
AWAITEE_REACTIONS = body.AWAITEE_REACTIONS
LAYER_REACTIONS = {"body": REACTIONS, "awaitee": AWAITEE_REACTIONS}

# The kinds of object the body can await (body.AWAITEES); the model's [awaitees] sections name them.
AWAITEE_KINDS = tuple(body.AWAITEES)

# What a delivery can make arrive at the body's await: a value, the thrown exception, an exception the
# body can be handed by name (body.EXCEPTIONS, such as close()'s GeneratorExit), or "exception": whatever
# exception the row entering it names in its `arrives`.
ARRIVALS = ("value", "thrown", "exception")

# Outcome words. Those of the call are known from the call alone; those of the body only from its plan,
# so only a reaction row whose body does that very reaction may use them.
# "forwarded" is the value an awaited object received, when it passes it on; "arrived" the exception that
# reached the body's await (what was thrown, unless a row on the way named another in its `arrives`).
CALL_VALUE_WORDS = ("None", "sent", "stop-value", "forwarded")
BODY_WORDS = {"yielded": ("await", "yield"), "returned": ("return",), "raised": ("raise",)}  # word -> the reactions
# that give it
AWAITEE_WORDS = {"awaitee-yielded": ("await",), "awaitee-returned": ("return",), "awaitee-raised": ("raise",),
                 "forwarded": ("pass",)}  # the awaited object's values: word -> its reaction the row must be
# "awaited-object": the awaited object itself, which a Future passes out (its kind's `passes_out` says how it
# looks).
VALUE_WORDS = CALL_VALUE_WORDS + ("yielded", "returned", "awaitee-yielded", "awaitee-returned", "awaited-object")
EXCEPTION_WORDS = ("thrown", "raised", "arrived", "awaitee-raised")
LINK_WORDS = ("thrown", "arrived")  # the words a cause or context may use besides exception names

# The fields a [messages] text may fill in: {type} (throw()'s argument's type), {name} (the subject's
# __qualname__), {origin} (where it was made, under origin tracking) and the fields of one origin frame
# ({file}, {line}, {function}, {source}); see oracle.Oracle._outcome and _warning.
MESSAGE_FIELDS = ("type", "name", "origin", "file", "line", "function", "source")

# What a state may say of an attribute: true/false, or one of these words, which the drivers compute from the
# attribute's value (body.attribute_word); and the keys of an [attributes] entry.
ATTRIBUTE_WORDS = body.ATTRIBUTE_WORDS
ATTRIBUTE_KEYS = ("name", "since", "inspect", "tracked")

# Probe functions the model's [[probe]] rows may name (conformance/subject/probes.py), those that take the
# object under test, and the message fields a probe's message may fill in ({type}: that object's type name).
PROBES = tuple(probes.PROBES)
PROBES_TAKING_THE_SUBJECT = tuple(probes.PROBE_SUBJECT)
PROBE_MESSAGE_FIELDS = ("type",)

# The async generator hooks of sys.set_asyncgen_hooks a row may say its call runs first (an event ["hook", name]):
# firstiter at a generator's first operation, finalizer when a generator that has one is collected.
HOOKS = ("firstiter", "finalizer")

OBSERVABLE_ASPECTS = ("outcome", "state", "attributes", "warnings", "events")

VERSION_PATTERN = re.compile(r"^[0-9]+\.[0-9]+$")


def is_exception_name(name) -> bool:
    """A builtin exception class's name (what a subject's exception reports as its type)."""
    found = getattr(builtins, name, None) if isinstance(name, str) else None
    return isinstance(found, type) and issubclass(found, BaseException)


def is_warning_name(name) -> bool:
    """A builtin warning category's name."""
    return is_exception_name(name) and issubclass(getattr(builtins, name), Warning)


def is_arrival(word) -> bool:
    return word in ARRIVALS or (isinstance(word, str) and word in body.EXCEPTIONS)


def is_version(text) -> bool:
    """'3.12' yes; 3.12 (a number), '3', 'three' no."""
    return isinstance(text, str) and bool(VERSION_PATTERN.match(text))
