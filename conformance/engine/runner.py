"""A conformance run: for each driver, the deterministic tour, then the Hypothesis machine."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from hypothesis.stateful import get_state_machine_test

from conformance.drivers import DRIVERS, DriverUnavailable
from conformance.drivers.agent import AgentDriver
from conformance.engine.enumerator import explore
from conformance.engine.machine import build_machine, machine_settings
from conformance.engine.results import DriverResults
from conformance.engine.session import Avoided, ConformanceFailure, Session
from conformance.engine.tour import (
    move_key,
    plan_tour,
    planned_transitions,
    unexercisable,
)
from conformance.protocol.model import Model, load_model
from conformance.protocol.observation import SubjectFailure
from conformance.remote.targets import AgentProcess, resolve_target
from conformance.subject.body import SuiteError

PROGRESS_SECONDS = 5.0  # how often a long Hypothesis phase says how far it is
DEFAULT_DEPTH = 3  # `coroconf run` and `check` check every sequence of at most this many calls (see README)
CHECKPOINT_SECONDS = 1.0  # how often a driver's results so far are handed to RunOptions.checkpoint


@dataclass
class RunOptions:
    drivers: list[str] = field(default_factory=lambda: list(DRIVERS))
    examples: int | None = None  # None: the Hypothesis profile's max_examples
    seed: int | None = None
    strict_messages: bool = True
    version: tuple[int, int] = tuple(sys.version_info[:2])
    model_path: str | None = None  # overrides the driver's own model (coroutine, generator)
    require_observable: bool = False  # a missing cr_* observation fails the run instead of being noted
    checkpoint: object = None  # called with a driver's results so far, every second or so, to save them
    avoid: list = field(default_factory=list)  # transition lists of steps that crashed an earlier child
    origin_tracking: int = 0  # make the subjects under sys.set_coroutine_origin_tracking_depth(this), if > 0
    depth: int = 0  # check every sequence of at most this many calls after the tour (0: none)


MAX_ROUNDS = 8  # Hypothesis runs per driver, each looking for a violated transition not yet reported


def run_driver(model: Model, driver, options: RunOptions, progress=None) -> DriverResults:
    """Tour, then Hypothesis, for one driver. Never raises for a deviation: it is recorded, once per violated
    transition, with the shortest call sequence found for it."""
    version_text = "%d.%d" % options.version
    driver.track_origins(options.origin_tracking)
    results = DriverResults(driver.name, driver.route, model.name, version_text, driver.description)
    session = Session(model, driver, options.version, results, options.strict_messages,
                      options.require_observable, options.avoid)
    started = time.perf_counter()
    say = progress or (lambda text: None)
    checkpoint = Checkpoint(options, results, started)
    sequences, exercisable = plan_tour(session.oracle, driver, alphabet=session.alphabet)
    results.exercisable = exercisable
    results.unexercisable = unexercisable(session.oracle, driver, exercisable)
    say(f"{driver.name}: touring {len(exercisable)} transitions in {len(sequences)} call sequences")
    try:
        deviating = take_tour(session, sequences, checkpoint)
        say(f"{driver.name}: tour done, {len(results.covered)}/{len(exercisable)} covered, "
            f"{deviating} deviating sequences")
        if options.depth:
            explore(session, options.depth, checkpoint.save, say)
        if options.examples != 0:  # 0: no Hypothesis (the tour, and the depth if asked for)
            say(f"{driver.name}: running Hypothesis")
            hypothesis_rounds(session, options, checkpoint, say)
    finally:
        driver.finish()
    results.seconds = time.perf_counter() - started
    say(f"{driver.name}: {results.examples} examples, {results.steps} steps, {results.seconds:.1f} s")
    return results


class Checkpoint:
    """Hands a driver's results so far to RunOptions.checkpoint, at most once a second."""

    def __init__(self, options: RunOptions, results: DriverResults, started: float):
        self.options, self.results, self.started = options, results, started
        self.last = time.perf_counter()

    def save(self) -> None:
        if self.options.checkpoint is not None and time.perf_counter() - self.last >= CHECKPOINT_SECONDS:
            self.last = time.perf_counter()
            self.results.seconds = self.last - self.started
            self.options.checkpoint(self.results)


MAX_REPLANS = 4  # further tours around deviating moves, while they still reach something new


def take_tour(session: Session, sequences, checkpoint: Checkpoint) -> int:
    """The tour's sequences, then, while transitions stay unexercised because sequences deviated before
    reaching them, new sequences that avoid the moves where the subject left the model's path; last, for
    what is still unexercised, sequences that go on from the model's state where the subject was seen in
    another. A conforming subject takes the planned sequences alone. Returns how many sequences deviated."""
    results, avoid, deviating = session.results, set(), 0
    for replan in range(2 + MAX_REPLANS):
        before = (len(avoid), len(results.covered))
        for sequence in sequences:
            checkpoint.save()
            outcome = tour_sequence(session, sequence)
            deviating += outcome.deviated
            avoid |= outcome.avoid
            if outcome.off_path:
                results.cut_short.update(planned_transitions(session.oracle, sequence))
        if not results.uncovered or not session.follow_observed:
            break
        if (len(avoid), len(results.covered)) == before or replan == MAX_REPLANS:
            session.follow_observed = False  # the last pass: through the deviating moves, trusting the model
            avoid = set()
        sequences, _ = plan_tour(session.oracle, session.driver, frozenset(avoid), results.covered,
                                 session.alphabet)
        sequences = [s for s in sequences if s]  # an empty path: the final calls of the initial state, made already
    session.follow_observed = True
    return deviating


@dataclass
class SequenceOutcome:
    deviated: bool = False  # a step failed
    cut_short: bool = False  # the sequence ended before its planned steps were all made
    diverted: bool = False  # the session followed the subject into a state the plan did not expect
    avoid: set = field(default_factory=set)  # move keys where the subject left the model's path

    @property
    def off_path(self) -> bool:
        return self.cut_short or self.diverted


def tour_sequence(session: Session, sequence) -> SequenceOutcome:
    """Take one tour sequence (then the final calls) on a fresh subject. A failing step is recorded and the
    sequence goes on, from the model's state or from the model state the subject was seen in; it ends
    where the subject is in no model state, or where a planned step has no row from the state it is in."""
    outcome = SequenceOutcome()
    session.begin()
    try:
        ended = bool(sequence) and session.model.calls[sequence[-1].call].final  # it plans its own ending
        for step in sequence + ([] if ended else ["final"]):
            for actual in (session.final_steps() if step == "final" else [step]):
                if not session.can_take(actual):
                    outcome.cut_short = True
                    return outcome
                state = session.state
                record = session.take(actual)
                if record.failures:
                    outcome.deviated = True
                    session.results.add_failure(session.failure_entry(record, "tour"))
                if record.lost or record.continued_from_observed:
                    outcome.avoid.add(move_key(state, actual))
                    outcome.diverted = outcome.diverted or record.continued_from_observed
                if record.lost:
                    outcome.cut_short = True
                    return outcome
        return outcome
    except Avoided:
        outcome.cut_short = True
        return outcome
    finally:
        session.end()


def hypothesis_rounds(session: Session, options: RunOptions, checkpoint: Checkpoint, say) -> None:
    """Let Hypothesis look for violated transitions not reported yet, one per round: each round shrinks its
    failure to a shortest sequence, and the next round passes over failures of transitions already known."""
    results = session.results
    last_said = [time.perf_counter()]

    def tick():
        checkpoint.save()
        if time.perf_counter() - last_said[0] >= PROGRESS_SECONDS:
            last_said[0] = time.perf_counter()
            say(f"{session.driver.name}: {results.examples} examples, {results.steps} steps so far, "
                f"{len(results.violated)} violated transitions")

    session.on_begin = tick
    for _ in range(MAX_ROUNDS):
        known = set(results.violated)
        test = get_state_machine_test(build_machine(session, known), settings=machine_settings(options.examples))
        if options.seed is not None:
            test = hypothesis_seed(options.seed)(test)
        try:
            test()
            return
        except Unsatisfiable:  # every example ran into a transition already reported
            return
        except Exception as error:  # noqa: BLE001 - every failure, or a crash of subject or driver, is recorded
            errors = getattr(error, "exceptions", [error])
            suite_errors = [e for e in errors if isinstance(e, SuiteError)]
            if suite_errors:  # a bug of the suite is never recorded as the subject's behaviour: the run ends
                raise suite_errors[0]
            found = [e for e in errors if isinstance(e, ConformanceFailure)]
            if not found:
                results.error = f"{type(error).__name__}: {error}"
                return
            for failure in found:
                results.add_failure(failure.entry)
            if results.violated <= known:
                return


def unmodelled_result(name: str, model: Model, options: RunOptions) -> DriverResults | None:
    """A driver's results when the run's profile does not describe all it reaches (an error saying why), or
    None when the model can judge it."""
    why = DRIVERS[name].unmodelled(options.version)
    if why is None:
        return None
    return DriverResults(name, DRIVERS[name].route, model.name, "%d.%d" % options.version, error=why)


def run_driver_by_name(name: str, options: RunOptions, models: dict[str, Model], progress=None) -> DriverResults:
    """Run one named driver; `models` caches the loaded models (and ends up naming those used)."""
    driver_class = DRIVERS[name]
    model_name = driver_class.model_name
    if options.model_path:
        model = models.get(model_name) or load_model(options.model_path)
    else:
        model = models.get(model_name) or load_model(model_name)
    models[model_name] = model
    unmodelled = unmodelled_result(name, model, options)
    if unmodelled is not None:
        return unmodelled
    try:
        driver = driver_class(model)
    except DriverUnavailable as error:
        return DriverResults(name, driver_class.route, model.name, "%d.%d" % options.version, error=str(error))
    return run_driver(model, driver, options, progress)


def run(options: RunOptions, progress=None) -> list[DriverResults]:
    models: dict[str, Model] = {}
    return [run_driver_by_name(name, options, models, progress) for name in options.drivers]


# -- the subjects in another interpreter (through the agent) -------------------------------------------

def start_interpreter(target: str, call_timeout: float, subject_module: str | None = None,
                      progress=None, probes_module: str | None = None) -> AgentProcess:
    """Start the agent in `target` (a Python command, pyodide, micropython); TargetError if it cannot be."""
    spec = resolve_target(target)
    process = AgentProcess(spec, call_timeout=call_timeout, subject_module=subject_module,
                           probes_module=probes_module)
    if progress:
        progress(f"starting the agent in {spec.describe()}")
    hello = process.start()
    if progress:
        progress(f"{spec.label}: {hello.get('version_text')}")
    return process


def run_driver_in_child(name: str, options: RunOptions, models: dict[str, Model], process: AgentProcess,
                        progress=None) -> DriverResults:
    """Like run_driver_by_name, with the subject inside the child interpreter `process` runs."""
    model_name = DRIVERS[name].model_name
    model = models.get(model_name) or load_model(options.model_path or model_name)
    models[model_name] = model
    version = "%d.%d" % options.version
    unmodelled = unmodelled_result(name, model, options)
    if unmodelled is not None:
        return unmodelled
    try:
        driver = AgentDriver(model, process, name)
    except DriverUnavailable as error:
        return DriverResults(name, DRIVERS[name].route, model.name, version, error=str(error))
    except SubjectFailure as failure:
        return DriverResults(name, DRIVERS[name].route, model.name, version, error=f"{failure.verdict}: {failure.detail}")
    return run_driver(model, driver, options, progress)
