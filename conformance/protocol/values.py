"""Concrete values for the model's argument classes and body reactions: Hypothesis strategies for the
machine, and one fixed example of each for the deterministic tour.

Sent, yielded, returned and thrown values are drawn from separate ranges, so a subject that hands back
the wrong one (say, the sent value where the yielded one belongs) cannot pass by coincidence.
"""

from __future__ import annotations

from hypothesis import strategies as st

EXCEPTION_TYPES = ("ValueError", "KeyError", "OSError")

SENT = st.integers(100, 199)
YIELDED = st.integers(200, 299)
RETURNED = st.integers(300, 399)
STOP_VALUES = st.integers(400, 499)
NON_EXCEPTIONS = st.sampled_from([42, "not an exception", 2.5])


def _exception(message_prefix: str, types=EXCEPTION_TYPES):
    return st.builds(lambda kind, n: [kind, f"{message_prefix} {n}"], st.sampled_from(types), st.integers(0, 9))


PAYLOADS = {
    ("send", "none"): st.none(),
    ("send", "value"): SENT,
    ("throw", "instance"): _exception("thrown"),
    ("throw", "class"): st.sampled_from(EXCEPTION_TYPES).map(lambda kind: [kind]),
    ("throw", "three-argument"): _exception("thrown"),
    ("throw", "non-exception"): NON_EXCEPTIONS,
    ("throw", "stop-iteration"): STOP_VALUES,
    ("throw", "generator-exit"): st.none(),
    ("throw", "base-exception"): _exception("interrupt", ("Interrupt",)),
}

EXAMPLES = {
    ("send", "none"): None,
    ("send", "value"): 107,
    ("throw", "instance"): ["KeyError", "thrown 1"],
    ("throw", "class"): ["ValueError"],
    ("throw", "three-argument"): ["OSError", "thrown 3"],
    ("throw", "non-exception"): 42,
    ("throw", "stop-iteration"): 404,
    ("throw", "generator-exit"): None,
    ("throw", "base-exception"): ["Interrupt", "interrupt 5"],
}

REACTION_VALUES = {
    "await": YIELDED,
    "return": RETURNED,
    "raise": _exception("raised"),
    "raise-stop-iteration": STOP_VALUES,
    "propagate": st.none(),
}

REACTION_EXAMPLES = {"await": 208, "return": 309, "raise": ["ValueError", "raised 2"],
                     "raise-stop-iteration": 410, "propagate": None}


def payload_strategy(call: str, argument: str):
    return PAYLOADS.get((call, argument), st.none())


def example_payload(call: str, argument: str):
    return EXAMPLES.get((call, argument))


def reaction_value_strategy(reaction: str, yielded_values=None):
    if reaction == "await" and yielded_values is not None:
        return st.sampled_from(yielded_values)
    return REACTION_VALUES[reaction]


def example_reaction_value(reaction: str, yielded_values=None):
    if reaction == "await" and yielded_values is not None:
        return yielded_values[0]
    return REACTION_EXAMPLES[reaction]


# The awaited object's values (see body.scripted_awaitee): ranges of their own, so that a value it passes
# out or returns cannot be mistaken for the body's.
AWAITEE_VALUES = {
    "pass": st.none(),
    "await": st.integers(500, 599),
    "return": st.integers(600, 699),
    "raise": _exception("awaitee raised"),
}

AWAITEE_EXAMPLES = {"pass": None, "await": 507, "return": 608, "raise": ["LookupError", "awaitee raised 3"]}


def awaitee_value_strategy(reaction: str):
    return AWAITEE_VALUES[reaction]


def example_awaitee_value(reaction: str):
    return AWAITEE_EXAMPLES[reaction]
