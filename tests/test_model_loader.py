"""The loader rejects every kind of bad model file with one message naming the file, the row and the fault.

Each test starts from the real shipped model, breaks exactly one thing, and checks the message.
"""

from __future__ import annotations

import re

import pytest

from conformance.protocol.model import ModelError, default_model_path, load_model

SHIPPED = default_model_path().read_text()


def broken(tmp_path, text: str):
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(ModelError) as caught:
        load_model(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message, "one clear line"
    return message


def replace_once(old: str, new: str, text: str = SHIPPED) -> str:
    assert text.count(old) == 1, f"the shipped model changed: {old!r} is no longer unique"
    return text.replace(old, new)


def row_of(transition_id: str) -> str:
    match = re.search(r"^  \{ id = \"" + re.escape(transition_id) + r"\".*\},$", SHIPPED, re.M)
    assert match, transition_id
    return match.group(0)


def test_the_shipped_models_load():
    assert load_model("asyncgen-awaitable").transitions  # its states are the awaitable's, not inspect's
    for name in ("coroutine", "generator", "asyncgen"):
        model = load_model(name)
        assert model.transitions and {"CREATED", "RUNNING", "SUSPENDED", "CLOSED"} <= set(model.states)
        # the inspect function's four states are all the coroutine protocols have; an async generator has more
        assert (set(model.states) == {"CREATED", "RUNNING", "SUSPENDED", "CLOSED"}) == (name != "asyncgen")


def test_not_toml(tmp_path):
    message = broken(tmp_path, SHIPPED + "\n[[call]\n")
    assert "not valid TOML" in message


def test_unknown_state(tmp_path):
    row = row_of("created.close")
    message = broken(tmp_path, replace_once(row, row.replace('to = "CLOSED"', 'to = "FINISHED"')))
    assert "'created.close'" in message and "unknown state 'FINISHED'" in message


def test_unknown_call(tmp_path):
    row = row_of("closed.close")
    message = broken(tmp_path, replace_once(row, row.replace('call = "close"', 'call = "shut"')))
    assert "'closed.close'" in message and "unknown call 'shut'" in message


def test_unknown_argument_class(tmp_path):
    row = row_of("created.send.value")
    message = broken(tmp_path, replace_once(row, row.replace('argument = "value"', 'argument = "number"')))
    assert "'created.send.value'" in message and "unknown argument class 'number'" in message


def test_unknown_body_reaction(tmp_path):
    row = row_of("value.await")
    message = broken(tmp_path, replace_once(row, row.replace('body = "await"', 'body = "sleep"')))
    assert "'value.await'" in message and "unknown body reaction 'sleep'" in message


def test_unknown_message(tmp_path):
    row = row_of("created.send.value")
    message = broken(tmp_path, replace_once(row, row.replace('"just-started"', '"just-begun"')))
    assert "'created.send.value'" in message and "unknown message 'just-begun'" in message


def test_nondeterminism(tmp_path):
    row = row_of("suspended.close")
    twin = row.replace('"suspended.close"', '"suspended.close.twin"')
    message = broken(tmp_path, replace_once(row, row + "\n" + twin))
    assert "nondeterministic" in message
    assert "'suspended.close'" in message and "'suspended.close.twin'" in message


def test_overlapping_versions_are_nondeterministic(tmp_path):
    row = row_of("close.return")
    message = broken(tmp_path, replace_once(row, row.replace('since = "3.13"', 'since = "3.12"')))
    assert "nondeterministic" in message and "3.12" in message and "'close.return'" in message


def test_a_row_no_version_reaches(tmp_path):
    """A reaction row whose versions are those where no call enters its delivery describes nothing: refused."""
    row = row_of("stop-iteration.propagate")
    older = row[:-len(" },")] + ', until = "3.12" },'
    later = older.replace('"stop-iteration.propagate"', '"stop-iteration.propagate.later"').replace(
        'until = "3.12"', 'since = "3.12"')
    message = broken(tmp_path, replace_once(row, older + "\n" + later))
    assert "'stop-iteration.propagate.later'" in message and "no version and route reaches it" in message


def test_undefined_case(tmp_path):
    message = broken(tmp_path, replace_once(row_of("closed.throw.class") + "\n", ""))
    assert "undefined case CLOSED + throw(class)" in message


def test_undefined_case_in_one_version_only(tmp_path):
    row = row_of("close.return")
    message = broken(tmp_path, replace_once(row, row.replace('since = "3.13"', 'since = "3.14"')))
    assert "undefined case" in message and "'close'" in message and "3.13" in message


def test_unreachable_state(tmp_path):
    text = SHIPPED
    for row in re.findall(r'^  \{ id = "[^"]*".*to = "SUSPENDED".*\},$', SHIPPED, re.M):
        text = text.replace(row, row.replace('to = "SUSPENDED"', 'to = "CLOSED"'))
    message = broken(tmp_path, text)
    assert "state 'SUSPENDED'" in message and "unreachable from CREATED" in message


def test_missing_outcome(tmp_path):
    row = row_of("created.close")
    without = re.sub(r',\s*returns = "None"', "", row)
    assert without != row
    message = broken(tmp_path, replace_once(row, without))
    assert "'created.close'" in message and "missing outcome" in message


def test_two_outcomes(tmp_path):
    row = row_of("created.close")
    message = broken(tmp_path, replace_once(row, row.replace('returns = "None"',
                                                            'returns = "None", raises = { type = "TypeError" }')))
    assert "'created.close'" in message and "more than one outcome" in message


def test_duplicate_id(tmp_path):
    row = row_of("closed.close")
    message = broken(tmp_path, replace_once(row, row.replace('"closed.close"', '"closed.send.none"')))
    assert "'closed.send.none'" in message and "used twice" in message


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "absent.toml")


def test_bad_version(tmp_path):
    row = row_of("close.return")
    message = broken(tmp_path, replace_once(row, row.replace('since = "3.13"', 'since = "three"')))
    assert "'close.return'" in message and "`since` must be a version" in message


AWAITABLE = default_model_path("asyncgen-awaitable").read_text()


def test_a_state_naming_an_unknown_route(tmp_path):
    old = AWAITABLE.split("\nDRIVING_FINISHED = ")[1].split("\n")[0]
    text = AWAITABLE.replace(old, old.replace('routes = ["athrow", "aclose"]', 'routes = ["athrow", "acclose"]'))
    message = broken(tmp_path, text)
    assert "[states] DRIVING_FINISHED" in message and "'acclose', which is not a route" in message


def test_a_state_of_some_routes_must_be_reachable_on_each(tmp_path):
    """UNSTARTED_FINISHED names the aclose route: with no row leading there on it, the loader says so."""
    text = AWAITABLE
    for row in re.findall(r'^  \{ id = "unstarted-closing-[^"]*".*to = "UNSTARTED_FINISHED".*\},$', AWAITABLE, re.M):
        text = text.replace(row, row.replace('to = "UNSTARTED_FINISHED"', 'to = "FINISHED"'))
    message = broken(tmp_path, text)
    assert "state 'UNSTARTED_FINISHED'" in message and "route 'aclose'" in message


def test_a_warning_naming_an_unknown_state(tmp_path):
    message = broken(tmp_path, replace_once('states = ["CREATED", "IN_FLIGHT", "UNSTARTED_AWAITING"',
                                            'states = ["CREATED", "IN_FLIGHT", "UNSTARTED_WAITING"', AWAITABLE))
    assert "[[warning]] entry 1" in message and "unknown state 'UNSTARTED_WAITING'" in message



ASYNCGEN = default_model_path("asyncgen").read_text()


def asyncgen_row(transition_id: str) -> str:
    match = re.search(r"^  \{ id = \"" + re.escape(transition_id) + r"\".*\},$", ASYNCGEN, re.M)
    assert match, transition_id
    return match.group(0)


def test_a_report_that_is_no_builtin_exception(tmp_path):
    row = asyncgen_row("asyncio.stuck.collect")
    text = replace_once(row, row.replace('reports = { type = "RuntimeError"', 'reports = { type = "LoopError"'),
                        ASYNCGEN)
    message = broken(tmp_path, text)
    assert "'asyncio.stuck.collect'" in message and "'LoopError' in `raises.type`" in message


def test_a_report_with_an_unknown_message(tmp_path):
    row = asyncgen_row("asyncio.stuck.collect")
    text = replace_once(row, row.replace('message = "aclose-running"', 'message = "aclose-runs"'), ASYNCGEN)
    message = broken(tmp_path, text)
    assert "'asyncio.stuck.collect'" in message and "unknown message 'aclose-runs'" in message


def test_a_call_naming_an_unknown_route(tmp_path):
    text = replace_once('routes = ["asyncio"]', 'routes = ["asyncoi"]', ASYNCGEN)
    message = broken(tmp_path, text)
    assert "[calls.shutdown]" in message and "'asyncoi', which is not a route" in message


def test_a_row_of_a_route_that_does_not_make_its_call(tmp_path):
    """shutdown() is made on the asyncio route only: a row for it on the hooks route is refused."""
    row = asyncgen_row("asyncio.closed.shutdown")
    hooks_row = asyncgen_row("hooks.stuck.collect")
    moved = row.replace('id = "asyncio.closed.shutdown"', 'id = "hooks.closed.shutdown"')
    text = replace_once(hooks_row, hooks_row + "\n" + moved, ASYNCGEN)
    message = broken(tmp_path, text)
    assert "'hooks.closed.shutdown'" in message and "route 'hooks', which does not make shutdown()" in message


def test_a_route_that_makes_a_call_answers_it_in_every_state(tmp_path):
    text = replace_once(asyncgen_row("asyncio.closed.shutdown") + "\n", "", ASYNCGEN)
    message = broken(tmp_path, text)
    assert "route 'asyncio'" in message and "undefined case CLOSED + shutdown(none)" in message
