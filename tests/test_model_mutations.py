"""Mutation test of the loader, and the vocabulary it checks models against.

Every field of every row of the shipped models (transition rows, a route's `unreachable` entries, the
[[warning]] entries, and the fields of a row's `raises` and `warns`) is deleted, given a value of another
type, or renamed, one at a time. Each mutant either still is a model the code can run, or is refused with
exactly one line naming the file, the row and the fault; a rename or a wrong type is always refused. Then
the cases of issue #12 that the loader used to accept: a model the code cannot run.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from conformance.protocol import values, vocabulary
from conformance.protocol.model import (
    ModelError,
    default_model_path,
    load_model,
    read_toml,
)
from conformance.subject import body

MODELS = ("coroutine", "generator")


# -- writing a model back as TOML (everything inline, which TOML allows) ------------------------------

def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"


def toml_text(data: dict) -> str:
    return "\n".join(f"{toml_key(key)} = {toml_value(value)}" for key, value in data.items()) + "\n"


# -- the rows of a model, each with the words a message about it must contain -------------------------

def rows_of(data: dict):
    """(path to the row inside the data, the row's label in the loader's messages) for every row."""
    for group_name in ("call", "reaction"):
        for g, group in enumerate(data.get(group_name, [])):
            for r, row in enumerate(group["rows"]):
                yield (group_name, g, "rows", r), repr(row["id"])
    for section in ("routes", "awaitees"):
        for route, spec in data.get(section, {}).items():
            for r, row in enumerate(spec.get("rows", [])):
                yield (section, route, "rows", r), repr(row["id"])
            for u in range(len(spec.get("unreachable", []))):
                yield (section, route, "unreachable", u), f"[{section}.{route}] unreachable entry {u + 1}"
    for w in range(len(data.get("warning", []))):
        yield ("warning", w), f"[[warning]] entry {w + 1}"


def at(data, path):
    for step in path:
        data = data[step]
    return data


def fields_of(row: dict):
    """Paths of every field of a row: its own keys, and the keys of an inline table it holds."""
    for key, value in row.items():
        yield (key,)
        if isinstance(value, dict):
            for inner in value:
                yield (key, inner)


def other_type(value):
    """A value of another TOML type than `value`."""
    if isinstance(value, str):
        return 7
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, dict):
        return "a word"
    return 7  # lists


def mutants(data: dict):
    """(description, mutated data, whether the mutant must be refused, the row's label)."""
    for row_path, label in rows_of(data):
        for field in fields_of(at(data, row_path)):
            for kind in ("deleted", "retyped", "renamed"):
                mutant = copy.deepcopy(data)
                holder = at(mutant, row_path + field[:-1])
                key = field[-1]
                if kind == "deleted":
                    del holder[key]
                elif kind == "retyped":
                    holder[key] = other_type(holder[key])
                else:
                    holder[key + "x"] = holder.pop(key)
                yield f"{label}: {'.'.join(field)} {kind}", mutant, kind != "deleted", label, field


@pytest.mark.parametrize("name", MODELS)
def test_every_field_of_every_row_deleted_retyped_or_renamed(tmp_path, name):
    data = read_toml(default_model_path(name), "model", ModelError)
    path = tmp_path / f"{name}-mutant.toml"
    tried = refused = 0
    for description, mutant, must_fail, label, field in mutants(data):
        path.write_text(toml_text(mutant))
        tried += 1
        try:
            load_model(path)
        except ModelError as error:
            refused += 1
            message = str(error)
            assert "\n" not in message, f"{description}: not one line: {message}"
            assert message.startswith(f"{path}: "), f"{description}: does not name the file: {message}"
            named = "missing its id" in message if field[0] == "id" else label in message
            assert named, f"{description}: does not name the row ({label}): {message}"
        except Exception as error:  # noqa: BLE001 - any other exception is the loader's bug
            pytest.fail(f"{description}: {type(error).__name__} instead of one line: {error}")
        else:
            assert not must_fail, f"{description}: the mutant loaded"
    assert tried > 500 and refused > tried // 2, (tried, refused)


def test_the_rewritten_model_is_the_shipped_one(tmp_path):
    """The mutation test's TOML writer changes nothing by itself."""
    for name in MODELS:
        data = read_toml(default_model_path(name), "model", ModelError)
        path = tmp_path / f"{name}.toml"
        path.write_text(toml_text(data))
        assert load_model(path).transitions == load_model(name).transitions


# -- the vocabulary: what the model names, the code implements ------------------------------------------

def test_every_argument_class_has_payloads_and_builds_throws_arguments():
    for call, arguments in vocabulary.CALLS.items():
        for argument in arguments:
            if call in ("send", "throw"):
                assert (call, argument) in values.EXAMPLES, (call, argument)
            if call == "throw":
                assert body.throw_arguments(argument, values.EXAMPLES[(call, argument)])


def test_every_reaction_has_values():
    assert set(vocabulary.REACTIONS) == set(values.REACTION_EXAMPLES)
    assert set(vocabulary.AWAITEE_REACTIONS) == set(values.AWAITEE_EXAMPLES)


def test_every_outcome_word_has_words_for_people():
    from conformance.protocol.model import OUTCOME_WORDS

    assert set(vocabulary.VALUE_WORDS + vocabulary.EXCEPTION_WORDS) <= set(OUTCOME_WORDS)


def test_the_shipped_models_use_only_the_vocabulary():
    for name in MODELS:
        model = load_model(name)
        for call in model.calls.values():
            assert set(call.arguments) <= set(vocabulary.CALLS[call.name])
        assert set(model.reactions) <= set(vocabulary.REACTIONS + vocabulary.AWAITEE_REACTIONS)


# -- the cases of issue #12 ------------------------------------------------------------------------------

SHIPPED = default_model_path().read_text()


def refused(tmp_path, old: str, new: str) -> str:
    assert SHIPPED.count(old) == 1, f"the shipped model changed: {old!r}"
    path = tmp_path / "broken.toml"
    path.write_text(SHIPPED.replace(old, new))
    with pytest.raises(ModelError) as caught:
        load_model(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message, message
    return message


def test_a_misspelt_exception_name(tmp_path):
    message = refused(tmp_path, 'argument = "value",          to = "CREATED",   raises = { type = "TypeError"',
                      'argument = "value",          to = "CREATED",   raises = { type = "TypErrror"')
    assert "'created.send.value'" in message and "'TypErrror'" in message and "builtin exception" in message


def test_a_throw_argument_class_the_code_cannot_make(tmp_path):
    message = refused(tmp_path, 'generator-exit = "throw(GeneratorExit())",',
                      'generator-exit = "throw(GeneratorExit())", keyboard = "throw(KeyboardInterrupt)",')
    assert "[calls.throw]" in message and "no argument class 'keyboard'" in message


def test_warns_without_a_category(tmp_path):
    message = refused(tmp_path, 'warns = { category = "RuntimeWarning", message = "never-awaited" }',
                      'warns = { message = "never-awaited" }')
    assert "'created.collect'" in message and "`warns` needs a `category`" in message


def test_a_warning_category_that_is_not_one(tmp_path):
    message = refused(tmp_path, 'category = "RuntimeWarning"', 'category = "RuntimeWarnin"')
    assert "'created.collect'" in message and "not a builtin warning category" in message


def test_an_unreachable_case_listed_twice(tmp_path):
    entry = '  { delivered = "close",          body = "await", why = "x" },\n'
    delegation = '[routes.delegation]\nmeaning = "the coroutine is awaited by an outer coroutine (`return await coro`); ' \
                 'the calls are made on the outer one"\nunreachable = [\n'
    message = refused(tmp_path, delegation, delegation + entry)
    assert "[routes.delegation] unreachable entry" in message and "both list the case" in message


def test_a_body_word_in_a_row_whose_body_does_not_make_it(tmp_path):
    message = refused(tmp_path, '{ id = "value.raise",                delivered = "value", body = "raise",                to = "CLOSED",    raises = { type = "raised" }',
                      '{ id = "value.raise",                delivered = "value", body = "raise",                to = "CLOSED",    raises = { type = "raised", value = "yielded" }')
    assert "'value.raise'" in message and "'yielded'" in message


def test_a_message_field_the_oracle_does_not_fill(tmp_path):
    message = refused(tmp_path, "coroutine '{name}' was never awaited", "coroutine '{qualname}' was never awaited")
    assert "[messages] never-awaited" in message and "{qualname}" in message


def test_a_reaction_the_body_does_not_have(tmp_path):
    message = refused(tmp_path, 'propagate            = "does not catch what was thrown"',
                      'propagate            = "does not catch what was thrown"\nsleep = "sleeps"')
    assert "[reactions] sleep" in message


def test_propagate_after_a_value(tmp_path):
    message = refused(tmp_path, 'value          = { arrives = "value", reactions = ["await", ',
                      'value          = { arrives = "value", reactions = ["propagate", "await", ')
    assert "[deliveries.value]" in message and "'propagate'" in message


def test_thrown_on_a_call_that_throws_nothing(tmp_path):
    message = refused(tmp_path, 'argument = "value",          to = "CREATED",   raises = { type = "TypeError"',
                      'argument = "value",          to = "CREATED",   raises = { type = "thrown"')
    assert "'created.send.value'" in message and "throws no exception" in message


# -- awaitee kinds: what the body awaits ---------------------------------------------------------------

def test_an_awaitee_kind_the_body_cannot_await(tmp_path):
    message = refused(tmp_path, "[awaitees.coroutine]", "[awaitees.task]")
    assert "[awaitees.task]" in message and "cannot await" in message and "body.AWAITEES" in message


def test_under_names_a_route_not_an_awaitee_kind(tmp_path):
    message = refused(tmp_path, '{ id = "awaitee-delegated-exit.pass",   under = "delegation"',
                      '{ id = "awaitee-delegated-exit.pass",   under = "coroutine"')
    assert "'awaitee-delegated-exit.pass'" in message and "under" in message and "names a route" in message


def test_a_row_entering_a_delivery_that_needs_its_exception_named(tmp_path):
    message = refused(tmp_path, 'enters = "close-failed", arrives = { type = "RuntimeError", message = "generator-ignored-exit" } },',
                      'enters = "close-failed" },')
    assert "'awaitee-close.await'" in message and "arrives" in message


def test_arrives_on_a_row_that_hands_in_a_value(tmp_path):
    message = refused(tmp_path, '{ id = "awaitee-value.pass",   delivered = "awaitee-value", body = "pass",   to = "RUNNING",   enters = "value", receives = "forwarded" }',
                      '{ id = "awaitee-value.pass",   delivered = "awaitee-value", body = "pass",   to = "RUNNING",   enters = "value", receives = "forwarded", arrives = { type = "KeyError" } }')
    assert "'awaitee-value.pass'" in message and "arrives" in message


def test_an_awaited_objects_value_in_a_row_of_another_reaction(tmp_path):
    message = refused(tmp_path, 'body = "await",  to = "SUSPENDED", returns = "awaitee-yielded", note = "the body does not run" }',
                      'body = "await",  to = "SUSPENDED", returns = "awaitee-returned", note = "the body does not run" }')
    assert "'awaitee-value.await'" in message and "'awaitee-returned'" in message
