"""Concrete values for the model's argument classes and body reactions: the examples every step starts from,
the value classes the step alphabet adds (which the Hypothesis machine and --depth draw from), and the
representatives the deterministic tour hands out in turn.

Every value that crosses the protocol (sent, passed out at an await, returned, carried by a StopIteration)
is a *value spec* (conformance/subject/body.py: make_value) drawn from the same classes: plain numbers,
None, tuples (empty, one element, several), exception instances and exception classes used as values (not
raised), and StopIteration instances used as values. Each role has its own tags, so a subject that hands
back a value in the wrong place (the sent value where the yielded one belongs) cannot pass by coincidence:
numbers from the role's own range (sent 100-199, yielded 200-299, returned 300-399, StopIteration values
400-499), also inside tuples and as exception arguments, exception messages naming the role, and each
role's own exception classes. None, the empty tuple and StopIteration() carry no tag; they are there
because real code uses them, and the tour gives each role tagged values as well.
"""

from __future__ import annotations

from conformance.protocol.vocabulary import PAYLOAD_CALL

# role -> (the first number of its range, the word its exception messages carry, its exception classes)
ROLES = {
    "sent": (100, "sent", ("KeyError", "TypeError")),
    "yielded": (200, "yielded", ("OSError", "RuntimeError")),
    "returned": (300, "returned", ("ValueError", "ZeroDivisionError")),
    "stop-value": (400, "stop", ("LookupError", "StopIteration")),
}
# The role of the value each body reaction passes on (raise's value is the exception it raises, not a value).
REACTION_ROLES = {"await": "yielded", "yield": "yielded", "return": "returned", "raise-stop-iteration": "stop-value"}


def tuple_spec(*items) -> dict:
    return {"tuple": list(items)}


def exception_spec(kind: str, *args) -> dict:
    """An exception instance used as a value (make_value builds it; nothing raises it)."""
    return {"exception": kind, "args": list(args)}


def class_spec(kind: str) -> dict:
    """An exception class used as a value."""
    return {"class": kind}


# The classes every role's values are drawn from.
VALUE_CLASSES = ("number", "None", "empty tuple", "one-element tuple", "tuple", "exception", "exception class",
                 "StopIteration")


def examples(role: str) -> list:
    """Every value class of one role, some twice (another exception type, a longer tuple, the role's other
    exception class), in VALUE_CLASSES order."""
    first, word, classes = ROLES[role]
    found = [representative(role, value_class) for value_class in VALUE_CLASSES]
    return found + [tuple_spec(first + 8, first + 9, first + 10), exception_spec("KeyError", f"{word} 6"),
                    exception_spec("OSError", f"{word} 7"), class_spec(classes[1]), exception_spec("StopIteration")]


def representative(role: str, value_class: str):
    """The tour's value of one class for one role."""
    first, word, classes = ROLES[role]
    return {"number": first + 7, "None": None, "empty tuple": tuple_spec(), "one-element tuple": tuple_spec(first + 1),
            "tuple": tuple_spec(first + 2, first + 3), "exception": exception_spec("ValueError", f"{word} 4"),
            "exception class": class_spec(classes[0]),
            "StopIteration": exception_spec("StopIteration", first + 5)}[value_class]


def value_class(spec) -> str:
    """The class of a value spec (VALUE_CLASSES)."""
    if spec is None:
        return "None"
    if isinstance(spec, dict) and "tuple" in spec:
        return ("empty tuple", "one-element tuple")[len(spec["tuple"])] if len(spec["tuple"]) < 2 else "tuple"
    if isinstance(spec, dict) and "class" in spec:
        return "exception class"
    if isinstance(spec, dict) and "exception" in spec:
        return "StopIteration" if spec["exception"] == "StopIteration" else "exception"
    return "number"


# The order in which the tour hands out each role's classes: a tagged number first (the paths use it; the planned
# moves start after it), then an order chosen so that the few moves of each role on one driver reach different
# classes (the returns, fewest, get a tuple of several items and an exception first; None comes from
# NONE_VARIANTS for await and return).
TOUR_ORDER = {
    "returned": ("number", "tuple", "exception", "StopIteration", "one-element tuple", "exception class",
                 "empty tuple"),
    "yielded": ("number", "one-element tuple", "exception class", "empty tuple", "StopIteration", "tuple",
                "exception"),
    "sent": ("number", "exception", "tuple", "StopIteration", "empty tuple", "exception class",
             "one-element tuple"),
    "stop-value": ("number", "tuple", "None", "exception", "exception class", "one-element tuple",
                   "StopIteration", "empty tuple"),
}


# The value classes the step alphabet (exhaustive depth, Hypothesis) offers per role beyond its number: those the
# classic wrapper mistakes hinge on (a None result, a returned tuple or exception taken apart). Every class of
# every role would multiply the sequences of --depth several times over; the tour rotates through all of them.
ALPHABET_CLASSES = {"returned": ("None", "tuple", "exception")}


def alphabet_values(reaction: str, yielded_values=None) -> list:
    """The values the step alphabet offers for a reaction: its example, and a representative of each class
    ALPHABET_CLASSES names for the reaction's role."""
    role = REACTION_ROLES.get(reaction)
    extra = [representative(role, value_class) for value_class in ALPHABET_CLASSES.get(role, ())]
    return [example_reaction_value(reaction, yielded_values)] + extra


def tour_values(role: str) -> list:
    """The tour's representatives of one role, in the order it hands them out."""
    return [representative(role, value_class) for value_class in TOUR_ORDER[role]]


# The argument classes whose payload is a value, and its role.
PAYLOAD_ROLES = {("send", "value"): "sent", ("throw", "stop-iteration"): "stop-value"}

EXAMPLES = {
    ("send", "none"): None,
    ("send", "value"): tour_values("sent")[0],
    ("throw", "instance"): ["KeyError", "thrown 1"],
    ("throw", "class"): ["ValueError"],
    ("throw", "three-argument"): ["OSError", "thrown 3"],
    ("throw", "non-exception"): 42,
    ("throw", "stop-iteration"): tour_values("stop-value")[0],
    ("throw", "generator-exit"): None,
    ("throw", "base-exception"): ["Interrupt", "interrupt 5"],
    ("anext", "none"): None,
    ("aclose", "none"): None,
}
# An async generator's operations take the payloads of the call whose argument classes they share.
for _operation, _shared in PAYLOAD_CALL.items():
    EXAMPLES.update({(_operation, a): v for (c, a), v in list(EXAMPLES.items()) if c == _shared})
    PAYLOAD_ROLES.update({(_operation, a): r for (c, a), r in list(PAYLOAD_ROLES.items()) if c == _shared})

REACTION_EXAMPLES = {"await": tour_values("yielded")[0], "return": tour_values("returned")[0],
                     "raise": ["ValueError", "raised 2"], "raise-stop-iteration": tour_values("stop-value")[0],
                     "propagate": None, "yield": tour_values("yielded")[0], "end": None,
                     "raise-stop-async-iteration": None}

# Reactions whose every row the tour also makes with the body passing out / returning None (the commonest
# value in real code, and the one wrappers confuse with "nothing": a close() whose body returns None, a
# yielded None read as "not ready", a StopIteration with no args).
NONE_VARIANTS = ("await", "yield", "return")


def example_payload(call: str, argument: str):
    return EXAMPLES.get((call, argument))


def example_reaction_value(reaction: str, yielded_values=None):
    return _example(reaction, yielded_values, REACTION_EXAMPLES)


def _example(reaction: str, yielded_values, examples: dict):
    """A reaction's example value; what it passes out at an await is one the driver allows, if it limits them
    (an event loop takes only None from a coroutine it runs, whoever passes it out: the body or what it awaits)."""
    if reaction == "await" and yielded_values is not None:
        return yielded_values[0]
    return examples[reaction]


# The awaited object's values (see body.scripted_awaitee): ranges of their own, so that a value it passes
# out or returns cannot be mistaken for the body's.
AWAITEE_EXAMPLES = {"pass": None, "await": 507, "return": 608, "raise": ["LookupError", "awaitee raised 3"]}


def example_awaitee_value(reaction: str, yielded_values=None):
    return _example(reaction, yielded_values, AWAITEE_EXAMPLES)


class Rotation:
    """Hands out each role's tour representatives in turn, so that a tour's steps together use every value
    class; a driver that allows only some yielded values (asyncio: None) gets those."""

    def __init__(self, yielded_values=None):
        self.given: dict[str, int] = {}  # the first representative is the one the paths use: start after it
        self.yielded_values = yielded_values

    def next(self, role: str):
        if role == "yielded" and self.yielded_values is not None:
            choices = list(self.yielded_values)
        else:
            choices = tour_values(role)
        index = self.given.get(role, 1)
        self.given[role] = index + 1
        return choices[index % len(choices)]
