"""Load a protocol model (a TOML specification table) and check that it is a sound state machine.

The model is the single source of truth: every state, transition, exception type and message the engine,
the reports and the diagrams use comes from here. `load_model` rejects a bad file with one `ModelError`
naming the file, the transition and the fault, so a mistake in the table never reaches a test run.
"""

from __future__ import annotations

import os
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

import networkx

from conformance import PACKAGE_DIR
from conformance.errors import ModelError
from conformance.protocol import vocabulary
from conformance.subject import body

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

RUNNING = "RUNNING"
DIRECT = "direct"
ORIGIN_MESSAGES = ("origin-header", "origin-frame", "origin-source")  # how a message tells {origin}

# Words of the outcome vocabulary (see the header of model/coroutine.toml and conformance/vocabulary.py).
VALUE_WORDS = vocabulary.VALUE_WORDS
EXCEPTION_WORDS = vocabulary.EXCEPTION_WORDS
OBSERVABLE_ASPECTS = vocabulary.OBSERVABLE_ASPECTS

# A row's keys and the TOML type of each.
ROW_FIELDS = {"id": str, "from": str, "to": str, "call": str, "argument": str, "delivered": str, "body": str,
              "enters": str, "receives": str, "returns": str, "raises": dict, "arrives": dict, "warns": dict,
              "finally": str, "under": str, "hook": str, "reports": dict,
              "since": str, "until": str, "note": str}

# A [[probe]] row's keys and the TOML type of each.
PROBE_FIELDS = {"id": str, "function": str, "does": str, "raises": dict, "holds": bool, "since": str, "until": str,
                "note": str}




STATE_KEYS = ("meaning", "shows", "since", "until", "routes")  # a [states] entry's keys besides its attributes' words


def _names_route(routes, route: str) -> bool:
    """Whether a `routes` list (None: every route) takes `route`, or, for routes combined with "+", one of its parts."""
    return routes is None or any(part in routes for part in route.split("+"))


def version_tuple(text: str) -> tuple[int, int]:
    """'3.12' -> (3, 12)."""
    major, _, minor = str(text).partition(".")
    return int(major), int(minor or 0)


@dataclass(frozen=True)
class Raises:
    """An expected exception: its type (a builtin name, or 'thrown' / 'raised'), and what it carries."""

    type: str
    message: str | None = None  # a key of the model's [messages] table
    value: str | None = None  # StopIteration's value, an outcome word
    cause: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class Warning_:
    category: str
    message: str  # a key of the model's [messages] table


@dataclass(frozen=True)
class Transition:
    """One row of the table: a call edge (from a state) or a reaction edge (from RUNNING)."""

    id: str
    source: str
    target: str
    call: str | None = None
    argument: str | None = None
    delivered: str | None = None
    body: str | None = None
    enters: str | None = None
    arrives: Raises | None = None  # the exception that reaches the next layer, where it is not what was thrown
    receives: str | None = None
    returns: str | None = None
    raises: Raises | None = None
    warns: Warning_ | None = None
    runs_finally: bool = False
    since: str | None = None
    until: str | None = None
    route: str = DIRECT
    under: str | None = None  # an awaitee kind's row that applies only combined with this route
    note: str | None = None
    hook: str | None = None  # an async generator hook (vocabulary.HOOKS) the call runs before anything else
    reports: Raises | None = None  # an exception the step makes an event loop report to its exception handler

    @property
    def kind(self) -> str:
        return "call" if self.call else "reaction"

    @property
    def case(self) -> tuple:
        """The situation this row answers; two rows of one route and version must not share it."""
        if self.call:
            return ("call", self.source, self.call, self.argument)
        return ("reaction", self.delivered, self.body)

    def applies_to(self, version: tuple[int, int]) -> bool:
        return _in_versions(self, version)

    def versions_text(self) -> str:
        if self.since and self.until:
            return f"{self.since} to before {self.until}"
        if self.since:
            return f"{self.since} and later"
        if self.until:
            return f"before {self.until}"
        return "all"

    def describe_trigger(self) -> str:
        if self.call:
            return f"{self.source} --{self.call}({self.argument})-->"
        return f"RUNNING, {self.delivered} delivered, reaction {self.body!r} -->"


@dataclass(frozen=True)
class Probe:
    """One [[probe]] row: a fact of the protocol that is not an edge of the state machine, checked once per run
    by the function of conformance/subject/probes.py it names, which must raise `raises` or make `holds` true."""

    id: str
    function: str
    does: str
    raises: Raises | None = None
    holds: bool | None = None
    since: str | None = None
    until: str | None = None
    note: str | None = None

    @property
    def takes_subject(self) -> bool:
        """Whether the probe drives the object under test (and so applies to a user's wrapper or decorator)."""
        return self.function in vocabulary.PROBES_TAKING_THE_SUBJECT

    def applies_to(self, version: tuple[int, int]) -> bool:
        return _in_versions(self, version)

    def versions_text(self) -> str:
        return Transition("", "", "", since=self.since, until=self.until).versions_text()


@dataclass(frozen=True)
class CallSpec:
    name: str
    arguments: dict[str, str]
    final: bool = False
    states: tuple[str, ...] | None = None
    body: str | None = None
    observes: tuple[str, ...] = OBSERVABLE_ASPECTS
    routes: tuple[str, ...] | None = None  # the only routes that make this call (None: every route)


@dataclass(frozen=True)
class StateSpec:
    name: str
    meaning: str
    observations: dict[str, object]
    shows: str | None = None  # the state the inspect function reports for it, where that is another state's name
    since: str | None = None  # the versions that can reach it, where not all can
    until: str | None = None
    routes: tuple[str, ...] | None = None  # the routes that can reach it, where not all can


@dataclass(frozen=True)
class Unreachable:
    """A case a route cannot deliver: a call from a state, or a body reaction to a delivery (on the Python
    versions `since`/`until` name, like a row's)."""

    why: str
    source: str | None = None
    call: str | None = None
    arguments: tuple[str, ...] | None = None
    delivered: str | None = None
    body: str | None = None
    since: str | None = None
    until: str | None = None
    under: str | None = None  # of an awaitee kind: only where it is combined with this route
    where: str = ""  # the section and entry number it was written as, for messages

    def matches(self, case: tuple, version: tuple[int, int] | None = None) -> bool:
        if version is not None and not _in_versions(self, version):
            return False
        if case[0] == "call":
            _, source, call, argument = case
            return (self.call == call and self.source == source
                    and (self.arguments is None or argument in self.arguments))
        _, delivered, body = case
        return self.delivered == delivered and self.body == body


def _entered(rows) -> set[str]:
    """The deliveries some row enters."""
    return {row.enters for row in rows if row.enters}


def _entered_closure(rows) -> set[str]:
    """The deliveries some call row enters, or a reaction row to one of those, and so on."""
    rows = list(rows)
    entered = _entered(row for row in rows if row.call)
    while True:
        more = _entered(row for row in rows if not row.call and row.delivered in entered) - entered
        if not more:
            return entered
        entered |= more


def _in_versions(item, version: tuple[int, int]) -> bool:
    """Whether a row or unreachable entry with `since`/`until` applies to `version`."""
    if item.since and version < version_tuple(item.since):
        return False
    return not (item.until and version >= version_tuple(item.until))


@dataclass(frozen=True)
class ObservationOverride:
    """What a route shows of one attribute in one state instead of the [states] table's word (on the Python
    versions `since`/`until` name); `value` None: the attribute is not read there at all."""

    state: str
    attribute: str
    why: str
    value: object = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class Route:
    """A way calls reach the subject. Its rows replace the direct rows of the same case; `extends` names a
    route whose rows it takes first (not its unreachable cases)."""

    name: str
    meaning: str
    unreachable: tuple[Unreachable, ...] = ()
    extends: str | None = None
    awaitee: bool = False  # an awaitee kind (what the body awaits), combined with a route by "+"
    passes_out: dict | None = None  # of an awaitee kind that passes itself out (a Future): {object, repr}
    observations: tuple[ObservationOverride, ...] = ()


@dataclass
class Model:
    """A validated protocol model. Build it with `load_model`."""

    path: Path
    name: str
    title: str
    inspect_function: str
    state_prefix: str
    initial: str
    versions: tuple[str, ...]
    states: dict[str, StateSpec]
    attributes: dict[str, dict]
    calls: dict[str, CallSpec]
    deliveries: dict[str, dict]
    reactions: dict[str, str]
    messages: dict[str, str]
    warnings: tuple[dict, ...]
    transitions: tuple[Transition, ...]
    routes: dict[str, Route]
    probes: tuple[Probe, ...] = ()
    inspect_since: str | None = None  # the first version whose inspect module has the inspect function
    _tables: dict = field(default_factory=dict, repr=False)

    # -- lookups -------------------------------------------------------------------------------
    def table(self, version: tuple[int, int], route: str = DIRECT) -> dict[tuple, Transition]:
        """Every case answered for this version and route: the route's rows over the direct ones.

        `route` may combine routes with "+" ("delegation+awaiter": a driver's route seen through a
        baseline's): their rows apply in that order and the cases any of them cannot deliver are left out."""
        key = (version, route)
        if key not in self._tables:
            rows = {}
            layers = self.route_layers(route)
            for layer in layers:  # a layer's rows for any route, then those for a route it is combined with
                for row in self.transitions:
                    if row.route == layer and row.under is None and row.applies_to(version):
                        rows[row.case] = row
                for row in self.transitions:
                    if row.route == layer and row.under in layers and row.applies_to(version):
                        rows[row.case] = row
            unreachable = self.unreachable_cases(route, version)
            rows = {case: row for case, row in rows.items() if not any(u.matches(case) for u in unreachable)}
            # A reaction row counts only where some call of this version and route delivers into it (or a
            # reaction row that does, as an awaited object's reaction passes on into the body).
            entered = _entered_closure(rows.values())
            self._tables[key] = {case: row for case, row in rows.items() if row.call or row.delivered in entered}
        return self._tables[key]

    def route_layers(self, route: str) -> list[str]:
        """The routes whose rows make up `route`, in the order they apply (direct first)."""
        layers = [DIRECT]
        for part in route.split("+"):
            if part not in self.routes:
                raise KeyError(f"the {self.name} model has no route {part!r}; its routes are {', '.join(self.routes)}")
            chain, name = [], part
            while name is not None:
                chain.insert(0, name)
                name = self.routes[name].extends
            layers += [name for name in chain if name not in layers]
        return layers

    def unreachable_cases(self, route: str, version: tuple[int, int]) -> list[Unreachable]:
        """The cases that `route` (each of its "+" parts) cannot deliver on `version`."""
        layers = self.route_layers(route)
        sections = [self.routes[part] for part in route.split("+")]
        # an awaitee kind also cannot deliver what the kind it extends cannot
        sections += [self.routes[s.extends] for s in sections if s.awaitee and s.extends]
        return [u for section in sections for u in section.unreachable
                if _in_versions(u, version) and (u.under is None or u.under in layers)]

    def transition(self, transition_id: str) -> Transition:
        for row in self.transitions:
            if row.id == transition_id:
                return row
        raise KeyError(transition_id)

    def call_row(self, version, state, call, argument, route=DIRECT) -> Transition | None:
        return self.table(version, route).get(("call", state, call, argument))

    def reaction_row(self, version, delivered, body, route=DIRECT) -> Transition | None:
        return self.table(version, route).get(("reaction", delivered, body))

    def layer(self, delivered: str) -> str:
        """Who reacts to a delivery: "body", or "awaitee" (the object the body awaits)."""
        return self.deliveries[delivered].get("layer", "body")

    def passes_out(self, route: str) -> dict | None:
        """How the awaited object looks where the route's awaitee kind passes itself out at the await."""
        for layer in self.route_layers(route):
            if self.routes[layer].passes_out:
                return self.routes[layer].passes_out
        return None

    def awaitee_kinds(self) -> list[str]:
        """The kinds of object the body can await in this model; the first is what the base rows describe."""
        return [name for name, route in self.routes.items() if route.awaitee]

    def reachable_reactions(self, version, delivered, route=DIRECT) -> list[str]:
        """The body reactions to `delivered` that this route can exercise, in the model's order."""
        table = self.table(version, route)
        return [body for body in self.deliveries[delivered]["reactions"]
                if ("reaction", delivered, body) in table]

    def applicable_transitions(self, version, route=DIRECT) -> list[Transition]:
        """This version's and route's rows, in the model's order."""
        if "order" not in self._tables:
            self._tables["order"] = {row.id: number for number, row in enumerate(self.transitions)}
        order = self._tables["order"]
        return sorted(self.table(version, route).values(), key=lambda row: order[row.id])

    def interactive_calls(self) -> list[tuple[str, str]]:
        """(call, argument) pairs a caller makes during a run; final calls (collect) come at the end."""
        return [(call.name, argument) for call in self.calls.values() if not call.final
                for argument in call.arguments]

    def probes_for(self, version: tuple[int, int]) -> list[Probe]:
        """The probe rows that apply to this version, one per probe function, in the model's order."""
        return [probe for probe in self.probes if probe.applies_to(version)]

    def attribute_since(self, observation: str) -> str | None:
        return self.attributes.get(observation, {}).get("since")

    def has_attribute(self, observation: str, version: tuple[int, int]) -> bool:
        since = self.attribute_since(observation)
        return observation in self.attributes and not (since and version < version_tuple(since))

    def observations(self, state: str, version: tuple[int, int], route: str = DIRECT,
                     origin_tracking: bool = False) -> dict:
        """The attribute words `state` shows on `version` through `route`: the [states] table with the route's
        overrides (one without a value leaves the attribute unread), without the attributes the version lacks,
        and, for a coroutine made under origin tracking, each attribute's `tracked` word."""
        shown = dict(self.states[state].observations)
        for layer in self.route_layers(route):
            for override in self.routes[layer].observations:
                if override.state == state and _in_versions(override, version):
                    shown[override.attribute] = override.value
        for name in list(shown):
            if shown[name] is None or not self.has_attribute(name, version):
                del shown[name]
            elif origin_tracking and "tracked" in self.attributes[name]:
                shown[name] = self.attributes[name]["tracked"]
        return shown

    def shown_state(self, state: str, version: tuple[int, int]) -> str | None:
        """What the inspect function reports for `state` on `version` (None: the model names no inspect function,
        or that version has none)."""
        if not self.inspect_function or self.inspect_since and version < version_tuple(self.inspect_since):
            return None
        return self.states[state].shows or state

    def inspected(self, version: tuple[int, int]) -> tuple[str, ...]:
        """The observations the inspect function reads on `version` (all or none must be offered); none where
        that version has no such function."""
        if self.shown_state(self.initial, version) is None:
            return ()
        return tuple(name for name, spec in self.attributes.items()
                     if spec.get("inspect") and self.has_attribute(name, version))

    def message_fields(self, key: str) -> set[str]:
        """The {fields} a message fills in."""
        return {name for _, name, _, _ in string.Formatter().parse(self.messages[key]) if name}

    def message(self, key: str | None, **values) -> str | None:
        if key is None:
            return None
        return self.messages[key].format(**values)

    def graph(self, version=None, route=DIRECT) -> networkx.MultiDiGraph:
        """The state graph: one edge per transition (for one version and route, or all rows)."""
        graph = networkx.MultiDiGraph()
        graph.add_nodes_from(self.states)
        rows = self.transitions if version is None else self.applicable_transitions(version, route)
        for row in rows:
            graph.add_edge(row.source, row.target, key=row.id, transition=row)
        return graph

    def states_on(self, version: tuple[int, int], route: str | None = None) -> list[str]:
        """The states the subject can be in on `version` (a state may exist only from or until some version) and,
        where given, `route` (a state may exist only on some routes: one of them must be among its layers)."""
        return [name for name, spec in self.states.items() if _in_versions(spec, version)
                and (route is None or self.on_route(name, route))]

    def on_route(self, state: str, route: str) -> bool:
        """Whether `route` can reach `state`: a state that names its routes must name the route (or, for a route
        combined with "+", one of its parts; a route that extends another does not take its states)."""
        return _names_route(self.states[state].routes, route)

    def makes(self, call: str, route: str) -> bool:
        """Whether a caller on `route` makes `call` (a call such as an event loop's shutdown has its own routes)."""
        return _names_route(self.calls[call].routes, route)

    def version_tuples(self) -> list[tuple[int, int]]:
        return [version_tuple(v) for v in self.versions]


# ---------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------

def default_model_path(name: str = "coroutine") -> Path:
    """The model file shipped with the package: the source tree's model/ or the wheel's copy."""
    here = PACKAGE_DIR
    for folder in (here.parent / "model", here / "model"):
        candidate = folder / f"{name}.toml"
        if candidate.exists():
            return candidate
    raise ModelError(f"no model named {name!r}: looked for {name}.toml in {here.parent / 'model'} "
                     f"and {here / 'model'}; reinstall coroutine-conformance or pass --model FILE")


def available_models() -> list[str]:
    here = PACKAGE_DIR
    names = set()
    for folder in (here.parent / "model", here / "model"):
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.toml"))
    return sorted(names)


def load_model(path: str | os.PathLike | None = None) -> Model:
    """Read and validate a model file; raise ModelError naming the file, row and fault."""
    path = Path(path) if path is not None else default_model_path()
    if not path.exists() and not str(path).endswith(".toml") and os.sep not in str(path):
        path = default_model_path(str(path))
    return _Builder(path, read_toml(path, "model", ModelError)).build()


def read_toml(path, what: str, error_class) -> dict:
    """Parse a TOML file, turning a missing or malformed file into one `error_class` line naming it."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise error_class(f"{path}: no such {what} file") from None
    except tomllib.TOMLDecodeError as error:
        raise error_class(f"{path}: not valid TOML: {error}") from None


class _Builder:
    """Turns the parsed TOML into a Model, checking every row as it goes.

    Besides the shape of the table (known states, one answer per case, reachable states), every word a row
    uses is checked against conformance/vocabulary.py, what the code can actually run.
    """

    def __init__(self, path: Path, data: dict):
        self.path = path
        self.data = data

    def fail(self, where: str, fault: str, fix: str = "") -> None:
        text = f"{self.path}: {where}: {fault}"
        if fix:
            text += f". {fix}"
        raise ModelError(text)

    def section(self, name: str, kind=dict):
        value = self.data.get(name)
        if value is None:
            self.fail(f"[{name}]", "missing section", f"add a [{name}] table (see model/coroutine.toml)")
        if not isinstance(value, kind):
            self.fail(f"[{name}]", f"expected a {kind.__name__}, found {type(value).__name__}")
        return value

    def require_type(self, where: str, key: str, value, kind, what: str) -> None:
        """Refuse a value of the wrong TOML type (a number where a word belongs, say)."""
        if not isinstance(value, kind) or (kind is str and not value):
            self.fail(where, f"`{key}` must be {what}, found {value!r}")

    def words(self, where: str, key: str, value, known, noun: str) -> list:
        """The word, or list of words, under `key`: each must be one of `known` (a `noun`)."""
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
            self.fail(where, f"`{key}` must be a {noun} or a list of them, found {value!r}")
        for item in items:
            if item not in known:
                self.fail(where, f"unknown {noun} {item!r} in `{key}`", f"known: {', '.join(known)}")
        return items

    def build(self) -> Model:
        protocol = self.section("protocol")
        for key in ("name", "initial", "versions"):
            if key not in protocol:
                self.fail("[protocol]", f"missing key {key!r}")
        self.require_type("[protocol]", "name", protocol["name"], str, "a word")
        self.versions("[protocol]", {key: protocol[key] for key in ("inspect_since",) if key in protocol})
        versions = protocol["versions"]
        if not isinstance(versions, list) or not versions or not all(vocabulary.is_version(v) for v in versions):
            self.fail("[protocol]", f"`versions` must be a list of versions such as [\"3.12\", \"3.13\"], "
                      f"found {versions!r}")
        states = self.states()
        self.attributes(states)
        if protocol["initial"] not in states:
            self.fail("[protocol]", f"initial state {protocol['initial']!r} is not one of the states "
                      f"{sorted(states)}")
        if RUNNING not in states:
            self.fail("[states]", f"missing the {RUNNING} state")
        reactions = self.reactions()
        calls = {name: self.call_spec(name, spec, states, reactions) for name, spec in self.section("calls").items()}
        deliveries = self.section("deliveries")
        for name, spec in deliveries.items():
            self.delivery(name, spec, reactions)
        messages = self.messages()
        routes = {DIRECT: Route(DIRECT, "calls made on the object itself")}
        rows: list[Transition] = []
        for group in self.groups("call") + self.groups("reaction"):
            for raw in group.get("rows", []):
                rows.append(self.transition(raw, DIRECT, states, calls, deliveries, reactions, messages))
        for section in ("routes", "awaitees"):
            for route_name, spec in self.section_or_empty(section).items():
                if route_name in routes and route_name != DIRECT:  # [routes.direct] may describe the base rows
                    self.fail(f"[{section}.{route_name}]", "the name is taken by a route or awaitee kind already",
                              "give route and awaitee sections distinct names")
                routes[route_name] = self.route(section, route_name, spec, states, calls, deliveries)
                for raw in spec.get("rows", []):
                    rows.append(self.transition(raw, route_name, states, calls, deliveries, reactions, messages))
        warnings = tuple(self.warning(number, raw, calls, messages, states)
                         for number, raw in enumerate(self.groups("warning"), 1))
        for where, named in [(f"[states] {s.name}", s.routes) for s in states.values()] + \
                            [(f"[calls.{c.name}]", c.routes) for c in calls.values()]:
            for route_name in named or ():
                if route_name not in routes:
                    self.fail(where, f"`routes` names {route_name!r}, which is not a route",
                              f"name the routes it is on: some of {', '.join(routes)}")
        for row in rows:
            if row.call and not _names_route(calls[row.call].routes, row.route):
                self.fail(f"transition {row.id!r}", f"is a row of route {row.route!r}, which does not make "
                          f"{row.call}() (its [calls.{row.call}] names the routes that do)", "move the row")
        for route in routes.values():
            bases = [r.name for r in routes.values() if not r.extends and r.awaitee == route.awaitee]
            if route.extends is not None and route.extends not in bases:
                self.fail(f"[{'awaitees' if route.awaitee else 'routes'}.{route.name}]",
                          f"extends {route.extends!r}, which is not one of its kind that extends nothing",
                          f"name one of {', '.join(bases)}")
        model = Model(
            path=self.path, name=protocol["name"], title=protocol.get("title", protocol["name"]),
            inspect_function=protocol.get("inspect_function", ""),
            state_prefix=protocol.get("state_prefix", ""),
            initial=protocol["initial"],
            versions=tuple(protocol["versions"]), states=states,
            attributes=dict(self.data.get("attributes", {})), calls=calls, deliveries=deliveries,
            reactions=reactions, messages=messages, warnings=warnings, transitions=tuple(rows),
            routes=routes, probes=self.probes(messages, rows), inspect_since=protocol.get("inspect_since"))
        self.check_ids(rows)
        self.check_under(rows, routes)
        for combined in checked_routes(model):
            reached = {version_tuple(version): self.check_table(model, version_tuple(version), combined, version)
                       for version in model.versions}
            self.check_reachable(model, combined, reached)
        self.check_live(model, rows)
        return model

    def route(self, section: str, name: str, spec, states, calls, deliveries) -> Route:
        """A [routes.NAME] or [awaitees.NAME] section: its meaning, the cases it cannot deliver, what it extends."""
        where = f"[{section}.{name}]"
        if not isinstance(spec, dict):
            self.fail(where, f"expected a table, found {spec!r}")
        if section == "awaitees" and name not in vocabulary.AWAITEE_KINDS:
            self.fail(where, f"the scripted body cannot await a {name!r}",
                      f"it can await: {', '.join(vocabulary.AWAITEE_KINDS)} (see body.AWAITEES)")
        unreachable = spec.get("unreachable", [])
        if not isinstance(unreachable, list):
            self.fail(where, f"`unreachable` must be a list of cases, found {unreachable!r}")
        entries = tuple(self.unreachable(where, number, raw, states, calls, deliveries)
                        for number, raw in enumerate(unreachable, 1))
        self.check_unreachable_twice(where, entries, calls, states)
        passes_out = spec.get("passes_out")
        if passes_out is not None and (section != "awaitees" or not isinstance(passes_out, dict)
                                       or set(passes_out) != {"object", "repr"}
                                       or not all(isinstance(v, str) for v in passes_out.values())):
            self.fail(where, f"`passes_out` must be {{ object = \"TYPE\", repr = \"TEXT\" }} on an awaitee kind, "
                      f"found {passes_out!r}")
        overrides = spec.get("observations", [])
        if not isinstance(overrides, list):
            self.fail(where, f"`observations` must be a list of inline tables, found {overrides!r}")
        overrides = tuple(self.observation_override(where, number, raw, states)
                          for number, raw in enumerate(overrides, 1))
        return Route(name, spec.get("meaning", ""), entries, spec.get("extends"), section == "awaitees", passes_out,
                     overrides)

    # -- the tables the rows refer to ----------------------------------------------------------------
    def section_or_empty(self, name: str) -> dict:
        return self.section(name) if name in self.data else {}

    def groups(self, name: str) -> list:
        """The [[name]] array of tables (empty if absent)."""
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(f"[[{name}]]", f"expected an array of tables, found {type(value).__name__}")
        for item in value:
            if not isinstance(item.get("rows", []), list) or not all(isinstance(r, dict) for r in item.get("rows", [])):
                self.fail(f"[[{name}]]", "`rows` must be a list of inline tables { id = ..., ... }")
        return value

    def states(self) -> dict[str, StateSpec]:
        states = {}
        for name, spec in self.section("states").items():
            if not isinstance(spec, dict):
                self.fail(f"[states] {name}", f"expected a table of observations, found {spec!r}")
            observations = {k: v for k, v in spec.items() if k not in STATE_KEYS}
            self.versions(f"[states] {name}", spec)
            routes = spec.get("routes")
            if routes is not None and (not isinstance(routes, list) or not routes
                                       or not all(isinstance(r, str) for r in routes)):
                self.fail(f"[states] {name}", f"`routes` must be a list of route names, found {routes!r}")
            states[name] = StateSpec(name, spec.get("meaning", ""), observations, spec.get("shows"),
                                     spec.get("since"), spec.get("until"), tuple(routes) if routes else None)
        for state in states.values():
            if state.shows is not None and state.shows not in states:
                self.fail(f"[states] {state.name}", f"`shows` names {state.shows!r}, which is not a state",
                          f"name the state the inspect function reports: one of {', '.join(states)}")
        return states

    def attributes(self, states) -> None:
        """Every [attributes] entry names its attribute; every word a state or an attribute gives is one the
        drivers can report (body.ATTRIBUTE_WORDS, or true/false)."""
        attributes = self.section_or_empty("attributes")
        for name, spec in attributes.items():
            where = f"[attributes] {name}"
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
                self.fail(where, f"expected {{ name = \"attribute name\", ... }}, found {spec!r}")
            unknown = set(spec) - set(vocabulary.ATTRIBUTE_KEYS)
            if unknown:
                self.fail(where, f"unknown key(s) {sorted(unknown)}", f"it takes {', '.join(vocabulary.ATTRIBUTE_KEYS)}")
            self.versions(where, spec)
            if not isinstance(spec.get("inspect", False), bool):
                self.fail(where, f"`inspect` must be true or false, found {spec['inspect']!r}")
            if "tracked" in spec:
                self.attribute_word(where, "tracked", spec["tracked"])
        for state in states.values():
            for name, word in state.observations.items():
                where = f"[states] {state.name}"
                if name not in attributes:
                    self.fail(where, f"unknown attribute {name!r}", f"known (in [attributes]): {', '.join(attributes)}")
                self.attribute_word(where, name, word)

    def attribute_word(self, where: str, key: str, word) -> None:
        if not isinstance(word, bool) and word not in vocabulary.ATTRIBUTE_WORDS:
            self.fail(where, f"`{key}` must be true, false or one of {', '.join(vocabulary.ATTRIBUTE_WORDS)}, "
                      f"found {word!r}")

    def observation_override(self, section, number, raw, states) -> ObservationOverride:
        where = f"{section} observations entry {number}"
        if not isinstance(raw, dict):
            self.fail(where, f"expected an inline table {{ state = ..., attribute = ..., why = ... }}, found {raw!r}")
        unknown = set(raw) - {"state", "attribute", "value", "why", "since", "until"}
        if unknown:
            self.fail(where, f"unknown key(s) {sorted(unknown)}", "it takes state, attribute, value, why, since, until")
        for key in ("state", "attribute", "why"):
            if key not in raw:
                self.fail(where, f"missing `{key}`")
        self.words(where, "state", raw["state"], list(states), "state")
        self.words(where, "attribute", raw["attribute"], list(self.section_or_empty("attributes")), "attribute")
        if "value" in raw:
            self.attribute_word(where, "value", raw["value"])
        self.versions(where, raw)
        return ObservationOverride(raw["state"], raw["attribute"], raw["why"], raw.get("value"), raw.get("since"),
                                   raw.get("until"))

    def reactions(self) -> dict[str, str]:
        reactions = self.section("reactions")
        known = dict.fromkeys(vocabulary.REACTIONS + vocabulary.AWAITEE_REACTIONS)
        for name in reactions:
            if name not in known:
                self.fail(f"[reactions] {name}", f"neither the scripted body nor an awaited object has a reaction "
                          f"{name!r}", f"they can: {', '.join(known)} (see body.REACTIONS, body.AWAITEE_REACTIONS)")
        return reactions

    def call_spec(self, name: str, spec, states, reactions) -> CallSpec:
        where = f"[calls.{name}]"
        if name not in vocabulary.CALLS:
            self.fail(where, f"the drivers cannot make a call {name!r}", f"they make: {', '.join(vocabulary.CALLS)}")
        if not isinstance(spec, dict) or not isinstance(spec.get("arguments"), dict) or not spec["arguments"]:
            self.fail(where, "missing its argument classes", "give `arguments = { name = \"description\", ... }`")
        for argument in spec["arguments"]:
            if argument not in vocabulary.CALLS[name]:
                self.fail(where, f"the code has no argument class {argument!r} for {name}()",
                          f"it can make: {', '.join(vocabulary.CALLS[name])} (see body.THROW_ARGUMENTS)")
        if "states" in spec:
            self.words(where, "states", spec["states"], list(states), "state")
        if "body" in spec and spec["body"] not in reactions:
            self.fail(where, f"unknown body reaction {spec['body']!r}", f"known: {', '.join(reactions)}")
        if "observes" in spec:
            self.words(where, "observes", spec["observes"], vocabulary.OBSERVABLE_ASPECTS, "aspect")
        if not isinstance(spec.get("final", False), bool):
            self.fail(where, f"`final` must be true or false, found {spec['final']!r}")
        if "routes" in spec and not (isinstance(spec["routes"], list) and spec["routes"]
                                     and all(isinstance(r, str) for r in spec["routes"])):
            self.fail(where, f"`routes` must be a list of route names, found {spec['routes']!r}")
        return CallSpec(name, dict(spec["arguments"]), bool(spec.get("final", False)),
                        tuple(spec["states"]) if "states" in spec else None, spec.get("body"),
                        tuple(spec.get("observes", OBSERVABLE_ASPECTS)),
                        tuple(spec["routes"]) if "routes" in spec else None)

    def delivery(self, name: str, spec, reactions) -> None:
        where = f"[deliveries.{name}]"
        if not isinstance(spec, dict):
            self.fail(where, f"expected a table, found {spec!r}")
        arrives = spec.get("arrives", "value")
        if not vocabulary.is_arrival(arrives):
            self.fail(where, f"unknown `arrives` {arrives!r}", "give \"value\", \"thrown\", \"exception\" or one of "
                      f"the exceptions the body can be handed: {', '.join(body.EXCEPTIONS)}")
        if not isinstance(spec.get("logs", True), bool):
            self.fail(where, f"`logs` must be true or false, found {spec['logs']!r}")
        layer = spec.get("layer", "body")
        if layer not in vocabulary.LAYER_REACTIONS:
            self.fail(where, f"unknown `layer` {layer!r}", f"give one of {', '.join(vocabulary.LAYER_REACTIONS)}")
        allowed = [r for r in reactions if r in vocabulary.LAYER_REACTIONS[layer]]
        if arrives == "value" and layer == "body":
            allowed = [r for r in allowed if r in vocabulary.REACTIONS_TO_A_VALUE]
        self.words(where, "reactions", spec.get("reactions"), allowed, "reaction")

    def messages(self) -> dict[str, str]:
        messages = self.section("messages")
        for name, text in messages.items():
            where = f"[messages] {name}"
            if not isinstance(text, str):  # an empty text is a message too (CancelledError() has none)
                self.fail(where, f"`{name}` must be a text, found {text!r}")
            try:
                fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
            except ValueError as error:
                self.fail(where, f"not a valid message template ({error})", "write a literal brace as {{ or }}")
            for field_name in fields:
                if field_name not in vocabulary.MESSAGE_FIELDS:
                    self.fail(where, f"unknown field {{{field_name}}}",
                              f"a message can fill in {', '.join('{%s}' % f for f in vocabulary.MESSAGE_FIELDS)}")
            if "origin" in fields:
                for part in ORIGIN_MESSAGES:
                    if part not in messages:
                        self.fail(where, f"tells {{origin}}, but there is no `{part}` message to tell it with",
                                  f"give {', '.join(ORIGIN_MESSAGES)} (see model/coroutine.toml)")
        return messages

    # -- one row ---------------------------------------------------------------------------------
    def transition(self, raw, route, states, calls, deliveries, reactions, messages) -> Transition:
        row_id = raw.get("id")
        if not isinstance(row_id, str) or not row_id:
            self.fail(f"a row of route {route!r}", f"missing its id (a non-empty string): {raw}",
                      "give every row a unique id")
        where = f"transition {row_id!r}"
        for key in raw:
            if key not in ROW_FIELDS:
                self.fail(where, f"unknown key {key!r}", f"a row's keys are: {', '.join(ROW_FIELDS)}")
            if ROW_FIELDS[key] is str:
                self.require_type(where, key, raw[key], str, "a word (a TOML string)")
            elif not isinstance(raw[key], ROW_FIELDS[key]):
                self.fail(where, f"`{key}` must be an inline table {{ ... }}, found {raw[key]!r}")
        source, target = self.row_trigger(where, raw, states, calls, deliveries)
        enters = self.row_outcome(where, raw, calls, deliveries, target)
        raises = self.raises(where, raw, messages) if "raises" in raw else None
        arrives = self.arrives(where, raw, deliveries, messages)
        warns = self.warns(where, raw["warns"], messages) if "warns" in raw else None
        reports = self.raises(where, {**raw, "raises": raw["reports"]}, messages) if "reports" in raw else None
        if "hook" in raw and raw["hook"] not in vocabulary.HOOKS:
            self.fail(where, f"unknown hook {raw['hook']!r}", f"known: {', '.join(vocabulary.HOOKS)}")
        if "finally" in raw and raw["finally"] != "runs":
            self.fail(where, f"`finally` can only be \"runs\", found {raw['finally']!r}", "or leave it out")
        self.versions(where, raw)
        return Transition(
            id=row_id, source=source, target=target, call=raw.get("call"), argument=raw.get("argument"),
            delivered=raw.get("delivered"), body=raw.get("body"), enters=enters, arrives=arrives,
            receives=raw.get("receives"), returns=raw.get("returns"), raises=raises, warns=warns,
            runs_finally=raw.get("finally") == "runs", since=raw.get("since"), until=raw.get("until"),
            route=route, under=raw.get("under"), note=raw.get("note"), hook=raw.get("hook"),
            reports=reports)

    def row_trigger(self, where: str, raw, states, calls, deliveries) -> tuple[str, str]:
        """A row's from- and to-states, and its trigger: a known call and argument class, or a known delivery
        and body reaction (from RUNNING)."""
        is_call = "call" in raw
        if is_call == ("delivered" in raw):
            self.fail(where, "a row needs either `call` (a caller's call) or `delivered` and `body` "
                      "(the body's reaction), and not both")
        source = raw.get("from", RUNNING if not is_call else None)
        target = raw.get("to")
        for label, state in (("from", source), ("to", target)):
            if state is None:
                self.fail(where, f"missing `{label}` state")
            if state not in states:
                self.fail(where, f"unknown state {state!r} in `{label}`", f"known states: {', '.join(states)}")
        if is_call:
            call = raw["call"]
            if call not in calls:
                self.fail(where, f"unknown call {call!r}", f"known calls: {', '.join(calls)}")
            argument = raw.get("argument")
            if argument not in calls[call].arguments:
                self.fail(where, f"unknown argument class {argument!r} for {call}()",
                          f"known: {', '.join(calls[call].arguments)}")
        else:
            if source != RUNNING:
                self.fail(where, f"a reaction row starts in {RUNNING}, not {source}")
            if raw["delivered"] not in deliveries:
                self.fail(where, f"unknown delivery {raw['delivered']!r}", f"known: {', '.join(deliveries)}")
            if raw.get("body") not in deliveries[raw["delivered"]].get("reactions", []):
                self.fail(where, f"unknown body reaction {raw.get('body')!r} to {raw['delivered']!r}",
                          f"known: {', '.join(deliveries[raw['delivered']]['reactions'])}")
        return source, target

    def row_outcome(self, where: str, raw, calls, deliveries, target: str) -> str | None:
        """Exactly one outcome (`enters`, `returns` or `raises`; none for a final call), each with words
        the oracle can compute; returns the delivery the row enters the body with, if any."""
        enters = raw.get("enters")
        if enters is not None:
            if enters not in deliveries:
                self.fail(where, f"unknown delivery {enters!r} in `enters`", f"known: {', '.join(deliveries)}")
            if target != RUNNING:
                self.fail(where, f"a row that enters a delivery goes to {RUNNING}, not {target}")
        if "receives" in raw and enters is None:
            self.fail(where, "`receives` says what the body's await returns, so it needs `enters`")
        outcomes = [key for key in ("enters", "returns", "raises") if key in raw]
        final = "call" in raw and calls[raw["call"]].final
        if len(outcomes) > 1:
            self.fail(where, f"more than one outcome ({', '.join(outcomes)})", "keep exactly one")
        if not outcomes and not final:
            self.fail(where, "missing outcome", "add `returns`, `raises` or `enters`")
        for key in ("returns", "receives"):
            if key in raw:
                self.outcome_word(where, key, raw[key], raw, vocabulary.VALUE_WORDS)
        return enters

    def outcome_word(self, where: str, key: str, word: str, raw, known) -> None:
        """An outcome word the oracle can compute for this row: a body's or awaited object's word needs that
        reaction (and a body's value is never what a body receives)."""
        if word not in known:
            self.fail(where, f"unknown value {word!r} in `{key}`", f"known: {', '.join(known)}")
        needs = vocabulary.BODY_WORDS.get(word) or vocabulary.AWAITEE_WORDS.get(word)
        received = key == "receives" and word in vocabulary.BODY_WORDS
        if needs is not None and (received or raw.get("body") not in needs):
            wanted = " or ".join(repr(reaction) for reaction in needs)
            self.fail(where, f"{word!r} in `{key}` is the value of the {wanted} reaction, which this row is not",
                      f"use it only in a reaction row with body = \"{needs[0]}\"")

    def exception_word(self, where: str, key: str, word: str, raw, words) -> None:
        """`thrown`/`raised` or the name of a builtin exception (a typo would make every subject deviate)."""
        if word in words:
            self.outcome_word(where, key, word, raw, words)
            if word == "thrown" and "call" in raw and not _throws_an_exception(raw["call"], raw.get("argument")):
                self.fail(where, f"'thrown' in `{key}`, but {raw['call']}({raw.get('argument')}) throws no exception",
                          "name the exception's type instead")
        elif not vocabulary.is_exception_name(word):
            self.fail(where, f"{word!r} in `{key}` is not a builtin exception's name",
                      f"give one (TypeError, RuntimeError, ...) or one of: {', '.join(words)}")

    def raises(self, where: str, raw, messages) -> Raises:
        spec = raw["raises"]
        if "type" not in spec:
            self.fail(where, "`raises` needs a `type`")
        unknown = set(spec) - {"type", "message", "value", "cause", "context"}
        if unknown:
            self.fail(where, f"unknown key(s) {sorted(unknown)} in `raises`",
                      "it takes type, message, value, cause, context")
        for key, value in spec.items():
            self.require_type(where, f"raises.{key}", value, str, "a word (a TOML string)")
        self.exception_word(where, "raises.type", spec["type"], raw, vocabulary.EXCEPTION_WORDS)
        for link in ("cause", "context"):
            if link in spec:  # the oracle names these words' exceptions by type; others are exception names
                self.exception_word(where, f"raises.{link}", spec[link], raw, vocabulary.LINK_WORDS)
        if "message" in spec and spec["message"] not in messages:
            self.fail(where, f"unknown message {spec['message']!r}", f"known: {', '.join(messages)}")
        if "value" in spec:
            self.outcome_word(where, "raises.value", spec["value"], raw, vocabulary.VALUE_WORDS)
        return Raises(**spec)

    def arrives(self, where: str, raw, deliveries, messages) -> Raises | None:
        """`arrives`: the exception a row hands to the delivery it enters, where that is not what was thrown.
        A delivery that arrives "exception" needs one from every row entering it."""
        enters = raw.get("enters")
        needed = enters is not None and deliveries[enters].get("arrives") == "exception"
        if "arrives" not in raw:
            if needed:
                self.fail(where, f"enters {enters!r}, which takes the exception the entering row names",
                          "add `arrives = { type = ... }`")
            return None
        if enters is None or deliveries[enters].get("arrives", "value") == "value":
            self.fail(where, "`arrives` names the exception a delivery hands in, so it needs `enters` with a "
                      "delivery that arrives an exception")
        spec = raw["arrives"]
        if spec.get("type") == "arrived" or "value" in spec:
            self.fail(where, "`arrives` takes type (not \"arrived\"), message, cause and context")
        return self.raises(where, {**raw, "raises": spec}, messages)

    def warns(self, where: str, spec, messages) -> Warning_:
        unknown = set(spec) - {"category", "message"}
        if unknown:
            self.fail(where, f"unknown key(s) {sorted(unknown)} in `warns`", "it takes category and message")
        for key in ("category", "message"):
            if key not in spec:
                self.fail(where, f"`warns` needs a `{key}`")
            self.require_type(where, f"warns.{key}", spec[key], str, "a word (a TOML string)")
        if not vocabulary.is_warning_name(spec["category"]):
            self.fail(where, f"{spec['category']!r} in `warns.category` is not a builtin warning category",
                      "give one such as RuntimeWarning or DeprecationWarning")
        if spec["message"] not in messages:
            self.fail(where, f"unknown message {spec['message']!r} in `warns`", f"known: {', '.join(messages)}")
        return Warning_(spec["category"], spec["message"])

    def versions(self, where: str, raw) -> None:
        for key in ("since", "until"):
            if key in raw and not vocabulary.is_version(raw[key]):
                self.fail(where, f"`{key}` must be a version such as \"3.12\", found {raw[key]!r}")

    def warning(self, number: int, raw, calls, messages, states) -> dict:
        """A [[warning]] entry: a warning a call emits in every state, or in the `states` it lists."""
        where = f"[[warning]] entry {number}"
        unknown = set(raw) - {"call", "argument", "category", "message", "since", "until", "states"}
        if unknown:
            self.fail(where, f"unknown key(s) {sorted(unknown)}",
                      "it takes call, argument, category, message, since, until, states")
        if "states" in raw:
            raw = {**raw, "states": tuple(self.words(where, "states", raw["states"], list(states), "state"))}
        for key in ("call", "argument", "category", "message"):
            if key not in raw:
                self.fail(where, f"missing `{key}`")
            self.require_type(where, key, raw[key], str, "a word (a TOML string)")
        if raw["call"] not in calls:
            self.fail(where, f"unknown call {raw['call']!r}", f"known calls: {', '.join(calls)}")
        if raw["argument"] not in calls[raw["call"]].arguments:
            self.fail(where, f"unknown argument class {raw['argument']!r} for {raw['call']}()",
                      f"known: {', '.join(calls[raw['call']].arguments)}")
        self.warns(where, {"category": raw["category"], "message": raw["message"]}, messages)
        self.versions(where, raw)
        return raw

    def unreachable(self, section, number, raw, states, calls, deliveries) -> Unreachable:
        where = f"{section} unreachable entry {number}"
        if not isinstance(raw, dict):
            self.fail(where, f"expected an inline table {{ from = ..., call = ..., why = ... }}, found {raw!r}")
        unknown = set(raw) - {"from", "call", "argument", "delivered", "body", "why", "since", "until", "under"}
        if unknown:
            self.fail(where, f"unknown key(s) {sorted(unknown)}",
                      "a call case takes from, call, argument; a reaction case delivered, body; both take why, "
                      "since, until")
        self.versions(where, raw)
        if "why" not in raw:
            self.fail(where, "missing `why`", "say why the route cannot deliver this case")
        for key, value in raw.items():
            if key != "argument":
                self.require_type(where, key, value, str, "a word (a TOML string)")
        if ("call" in raw) == ("delivered" in raw):
            self.fail(where, "needs either `call` and `from` (a call case) or `delivered` and `body` "
                      "(a reaction case)")
        if "call" in raw:
            if "body" in raw:
                self.fail(where, "a call case has no `body`")
            self.words(where, "call", raw["call"], list(calls), "call")
            self.words(where, "from", raw.get("from"), list(states), "state")
            arguments = raw.get("argument")
            if arguments is not None:
                arguments = self.words(where, "argument", arguments, list(calls[raw["call"]].arguments), "argument class")
        else:
            if "from" in raw or "argument" in raw:
                self.fail(where, "a reaction case has no `from` or `argument`")
            self.words(where, "delivered", raw["delivered"], list(deliveries), "delivery")
            self.words(where, "body", raw.get("body"), deliveries[raw["delivered"]]["reactions"], "body reaction")
            arguments = None
        return Unreachable(raw["why"], raw.get("from"), raw.get("call"),
                           tuple(arguments) if arguments else None, raw.get("delivered"), raw.get("body"),
                           raw.get("since"), raw.get("until"), raw.get("under"), where)

    def check_unreachable_twice(self, section: str, entries, calls, states) -> None:
        """Each case a route cannot deliver is listed once for a version: a second entry is a copy left behind."""
        where = f"{section} unreachable entry"
        for version in self.data["protocol"]["versions"]:
            seen: dict[tuple, int] = {}
            for number, entry in enumerate(entries, 1):
                if not _in_versions(entry, version_tuple(version)):
                    continue
                if entry.call:
                    cases = [("call", entry.source, entry.call, a)
                             for a in entry.arguments or calls[entry.call].arguments]
                else:
                    cases = [("reaction", entry.delivered, entry.body)]
                for case in ((entry.under, *case) for case in cases):
                    if case in seen:
                        self.fail(f"{where} {seen[case]} and {where} {number}",
                                  f"both list the case {_case_text(case[1:])} on Python {version}",
                                  "remove one of the two, or give them versions that do not overlap")
                    seen[case] = number

    # -- probes --------------------------------------------------------------------------------------
    def probes(self, messages, transitions) -> tuple[Probe, ...]:
        """The [[probe]] rows: each names a probe function and its outcome; ids unique (transitions' too), and
        every probe function answered exactly once on every version of a model that has probes."""
        probes = [self.probe(raw, messages) for group in self.groups("probe") for raw in group.get("rows", [])]
        taken = {row.id for row in transitions}
        for probe in probes:
            if probe.id in taken:
                self.fail(f"probe {probe.id!r}", "the id is used twice (by a transition or another probe)",
                          "ids must be unique")
            taken.add(probe.id)
        for version in self.data["protocol"]["versions"] if probes else ():
            for function in vocabulary.PROBES:
                claiming = [p for p in probes if p.function == function and p.applies_to(version_tuple(version))]
                if len(claiming) > 1:
                    self.fail(f"probe {claiming[1].id!r}", f"nondeterministic: {claiming[0].id!r} and "
                              f"{claiming[1].id!r} both answer probe {function!r} on Python {version}",
                              "give them non-overlapping `since`/`until`, or remove one")
                if not claiming:
                    self.fail("[[probe]]", f"no row answers probe {function!r} on Python {version}",
                              "add a row for it (conformance/subject/probes.py runs it)")
        return tuple(probes)

    def probe(self, raw, messages) -> Probe:
        probe_id = raw.get("id")
        if not isinstance(probe_id, str) or not probe_id:
            self.fail("a [[probe]] row", f"missing its id (a non-empty string): {raw}", "give every row a unique id")
        where = f"probe {probe_id!r}"
        for key, value in raw.items():
            if key not in PROBE_FIELDS:
                self.fail(where, f"unknown key {key!r}", f"a probe's keys are: {', '.join(PROBE_FIELDS)}")
            kind = PROBE_FIELDS[key]
            if not isinstance(value, kind) or (kind is str and not value):
                what = {str: "a text", dict: "an inline table { ... }", bool: "true"}[kind]
                self.fail(where, f"`{key}` must be {what}, found {value!r}")
        for key in ("function", "does"):
            if key not in raw:
                self.fail(where, f"missing `{key}`", "say which probe function runs it and, in words, what it does")
        if raw["function"] not in vocabulary.PROBES:
            self.fail(where, f"unknown probe function {raw['function']!r}",
                      f"conformance/subject/probes.py has: {', '.join(vocabulary.PROBES)}")
        if ("raises" in raw) == ("holds" in raw):
            self.fail(where, "needs exactly one outcome: `raises` (the exception the probe lets out) or "
                      "`holds = true` (a fact the probe confirms)")
        if raw.get("holds") is False:
            self.fail(where, "`holds` can only be true", "state the fact the other way round")
        self.versions(where, raw)
        raises = self.probe_raises(where, raw, messages) if "raises" in raw else None
        return Probe(probe_id, raw["function"], raw["does"], raises, raw.get("holds"), raw.get("since"),
                     raw.get("until"), raw.get("note"))

    def probe_raises(self, where: str, raw, messages) -> Raises:
        """A probe's exception: builtin names only (no thrown or raised exception here), no StopIteration value,
        and a message that fills in only {type}, the object under test's type name, where the probe takes one."""
        spec = raw["raises"]
        for key in ("type", "cause", "context"):
            if spec.get(key) in vocabulary.EXCEPTION_WORDS:
                self.fail(where, f"{spec[key]!r} in `raises.{key}`: a probe throws nothing into a body",
                          "name a builtin exception")
        if "value" in spec:
            self.fail(where, "`raises.value` is for a call's StopIteration; a probe's exception has none")
        found = self.raises(where, raw, messages)
        if found.message is not None:
            fields = {f for _, f, _, _ in string.Formatter().parse(messages[found.message]) if f is not None}
            allowed = vocabulary.PROBE_MESSAGE_FIELDS if raw["function"] in vocabulary.PROBES_TAKING_THE_SUBJECT \
                else ()
            for name in fields - set(allowed):
                self.fail(where, f"message {found.message!r} fills in {{{name}}}, which probe {raw['function']!r} "
                          "cannot give", "probes that take the object under test fill in {type}, its type name")
        return found

    # -- whole-table checks ------------------------------------------------------------------------
    def check_under(self, rows, routes) -> None:
        """`under` (on an awaitee kind's rows and unreachable cases) names a route, not an awaitee kind."""
        calling = [name for name, route in routes.items() if not route.awaitee]
        entries = [(f"transition {row.id!r}", routes[row.route], row.under) for row in rows]
        entries += [(f"[awaitees.{route.name}] unreachable entry", route, entry.under)
                    for route in routes.values() for entry in route.unreachable]
        for where, route, under in entries:
            if under is not None and (not route.awaitee or under not in calling):
                self.fail(where, f"`under = {under!r}`: only an awaitee kind's rows take `under`, and it names a "
                          "route", f"routes: {', '.join(calling)}")


    def check_ids(self, rows):
        seen = {}
        for row in rows:
            if row.id in seen:
                self.fail(f"transition {row.id!r}", "the id is used twice", "ids must be unique")
            seen[row.id] = row
        by_case: dict[tuple, list[Transition]] = {}
        for row in rows:
            by_case.setdefault((row.route, row.under, row.case), []).append(row)
        versions = [version_tuple(v) for v in self.data["protocol"]["versions"]]
        for (route, _, case), group in by_case.items():
            for version in versions:
                claiming = [row for row in group if row.applies_to(version)]
                if len(claiming) > 1:
                    ids = " and ".join(repr(row.id) for row in claiming)
                    self.fail(f"transition {claiming[1].id!r}",
                              f"nondeterministic: {ids} both claim the case {_case_text(case)} on "
                              f"Python {version[0]}.{version[1]}",
                              "give them non-overlapping `since`/`until`, or remove one")

    def check_thrown_delivery(self, model: Model, table, row: Transition, version_text) -> None:
        """A delivery whose body receives, or whose reactions answer with, the thrown exception can only be
        entered by a throw() of an exception: otherwise there is no thrown exception to predict with."""
        uses_thrown = (model.deliveries[row.enters].get("arrives") == "thrown" and row.arrives is None) or any(
            reaction.delivered == row.enters and reaction.raises is not None
            and "thrown" in (reaction.raises.type, reaction.raises.cause, reaction.raises.context)
            for reaction in table.values())
        if uses_thrown and not _throws_an_exception(row.call, row.argument):
            self.fail(f"transition {row.id!r}", f"enters {row.enters!r}, which works with the thrown exception, "
                      f"but {row.call}({row.argument}) throws none (Python {version_text}, route {row.route!r})",
                      "enter another delivery")

    def check_table(self, model: Model, version, route, version_text) -> set:
        """Every case of this version and route answered once; returns the states reachable there."""
        table = model.table(version, route)
        unreachable = model.unreachable_cases(route, version)
        entered = set()
        for call in [c for c in model.calls.values() if model.makes(c.name, route)]:
            for state in [s for s in call.states or model.states if s in model.states_on(version, route)]:
                for argument in call.arguments:
                    case = ("call", state, call.name, argument)
                    if any(u.matches(case) for u in unreachable):
                        continue
                    row = table.get(case)
                    if row is None:
                        self.fail(f"route {route!r}", f"undefined case {_case_text(case)} on Python "
                                  f"{version_text}", "add a row for it (or an `unreachable` entry for a route)")
                    if row.enters:
                        entered.add(row.enters)
                        self.check_thrown_delivery(model, table, row, version_text)
        entered |= _entered_closure(table.values())
        for delivered in sorted(entered):
            for reaction in model.deliveries[delivered]["reactions"]:
                case = ("reaction", delivered, reaction)
                if any(u.matches(case) for u in unreachable):
                    continue
                if case not in table:
                    self.fail(f"route {route!r}", f"undefined case {_case_text(case)} on Python {version_text}",
                              "add a [[reaction]] row for it")
        for call in model.calls.values():
            if call.body and call.body not in model.reactions:
                self.fail(f"[calls.{call.name}]", f"unknown body reaction {call.body!r}")
        return networkx.descendants(model.graph(version, route), model.initial) | {model.initial}

    def check_live(self, model: Model, rows) -> None:
        """Every row answers a case on some version and route: a row no table takes (a reaction to a delivery that
        no call enters on the row's versions, say) describes nothing and would never be checked."""
        versions = model.version_tuples()
        live = {row.id for combined in checked_routes(model) for version in versions
                for row in model.table(version, combined).values()}
        for row in rows:
            if row.id in live or not any(row.applies_to(version) for version in versions):
                continue  # (a row for versions the model does not list yet is kept for them)
            removers = [u.where for route in model.routes.values() for u in route.unreachable if u.matches(row.case)]
            if removers:
                self.fail(f"transition {row.id!r}", f"no version and route reaches it: {removers[0]} removes its "
                          "case wherever the row applies", "remove the row, or narrow that entry (`under`, versions)")
            self.fail(f"transition {row.id!r}", "no version and route reaches it (a reaction to a delivery that no "
                      "call enters on its versions)", "remove the row, or give it the versions where its delivery "
                      "is entered")

    def check_reachable(self, model: Model, route: str, reached: dict) -> None:
        """Every state is reachable on the route: on every version its `since`/`until` name, where it names
        some, else on some version (where the versions are not one range, its rows say which)."""
        for state, spec in model.states.items():
            if not model.on_route(state, route):
                continue
            ranged = spec.since or spec.until
            versions = [v for v in reached if state in model.states_on(v)] if ranged else list(reached)
            missing = [v for v in versions if state not in reached[v]]
            if (ranged and missing) or not ranged and len(missing) == len(versions):
                where = f"on Python {missing[0][0]}.{missing[0][1]}" if ranged else "on every version"
                self.fail(f"state {state!r}", f"unreachable from {model.initial} {where} (route {route!r})",
                          "add a transition into it, or remove the state")


def checked_routes(model: Model) -> list[str]:
    """Every route the loader checks: each calling route alone and combined with each awaitee kind but the first
    (the one the base rows describe)."""
    kinds = model.awaitee_kinds()
    return [combined for route in model.routes if not model.routes[route].awaitee
            for combined in [route] + [f"{route}+{kind}" for kind in kinds[1:]]]


def _throws_an_exception(call, argument) -> bool:
    return call in vocabulary.THROWING_CALLS and argument in vocabulary.THROWS_AN_EXCEPTION


def _case_text(case: tuple) -> str:
    if case[0] == "call":
        return f"{case[1]} + {case[2]}({case[3]})"
    return f"RUNNING + body received {case[1]!r} and does {case[2]!r}"


# ---------------------------------------------------------------------------------------------------
# Words for people: shared by `coroconf model`, the Markdown specification and the diagrams.
# ---------------------------------------------------------------------------------------------------

OUTCOME_WORDS = {"None": "None", "sent": "the sent value", "yielded": "the yielded value",
                 "returned": "the body's return value", "stop-value": "the StopIteration's value",
                 "thrown": "the thrown exception", "raised": "the body's exception",
                 "arrived": "the exception that reached the body", "forwarded": "the value it received",
                 "awaitee-yielded": "the awaited object's value", "awaitee-returned": "the awaited object's return value",
                 "awaitee-raised": "the awaited object's exception", "awaited-object": "the awaited object itself"}


def exception_text(model: Model, spec: Raises) -> str:
    """An expected exception in words: 'RuntimeError('...') from StopIteration, context StopIteration'."""
    text = OUTCOME_WORDS.get(spec.type, spec.type)
    if spec.message:
        text += f"({model.messages[spec.message]!r})"
    if spec.value:
        text += f" carrying {OUTCOME_WORDS[spec.value]}"
    if spec.cause:
        text += f" from {OUTCOME_WORDS.get(spec.cause, spec.cause)}"
    if spec.context:
        text += f", context {OUTCOME_WORDS.get(spec.context, spec.context)}"
    return text


def outcome_text(model: Model, row: Transition) -> str:
    """What the row says happens, in a few words: 'raises TypeError("...")', 'returns the yielded value'."""
    parts = []
    if row.enters:
        layer = "the awaited object" if model.layer(row.enters) == "awaitee" else "the body"
        handed = f" with {exception_text(model, row.arrives)}" if row.arrives else ""
        handed += f" receiving {OUTCOME_WORDS[row.receives]}" if row.receives else ""
        parts.append(f"enters {layer} ({row.enters}){handed}")
    if row.returns:
        parts.append(f"returns {OUTCOME_WORDS[row.returns]}")
    if row.raises:
        parts.append(f"raises {exception_text(model, row.raises)}")
    if row.warns:
        parts.append(f"warns {row.warns.category}({model.messages[row.warns.message]!r})")
    if row.runs_finally:
        parts.append("finally runs")
    if row.reports:
        parts.append(f"the event loop reports {exception_text(model, row.reports)}")
    if row.hook:
        parts.insert(0, f"calls the {row.hook} hook")
    return "; ".join(parts) or "nothing"


def probe_outcome_text(model: Model, probe: Probe) -> str:
    """What a probe row says its function gives, in words."""
    if probe.holds:
        return "the fact holds"
    spec = probe.raises
    text = spec.type + (f"({model.messages[spec.message]!r})" if spec.message else "")
    return f"raises {text}" + (f" from {spec.cause}" if spec.cause else "") + \
        (f", context {spec.context}" if spec.context else "")


def trigger_columns(row: Transition) -> tuple[str, str, str]:
    """(call, argument, body reaction) columns of a row, for tables."""
    if row.call:
        return row.call, row.argument, "-"
    return "(body)", f"after {row.delivered}", row.body


def model_digest(model: Model) -> str:
    """A short fingerprint of the model file, so a report can be matched to the model that made it."""
    import hashlib

    return hashlib.sha256(model.path.read_bytes()).hexdigest()[:16]
