"""A conformance run: for each driver, the deterministic tour, then the Hypothesis machine."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from hypothesis import seed as hypothesis_seed
from hypothesis.stateful import get_state_machine_test

from .body import SuiteError
from .drivers import DRIVERS, DriverUnavailable
from .engine import build_machine, machine_settings
from .model import Model, load_model
from .results import DriverResults
from .session import ConformanceFailure, Session
from .tour import plan_tour, unexercisable


PROGRESS_SECONDS = 5.0  # how often a long Hypothesis phase says how far it is
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


def run_driver(model: Model, driver, options: RunOptions, progress=None) -> DriverResults:
    """Tour, then Hypothesis, for one driver. Never raises for a deviation: it is recorded."""
    version_text = "%d.%d" % options.version
    results = DriverResults(driver.name, driver.route, model.name, version_text, driver.description)
    session = Session(model, driver, options.version, results, options.strict_messages,
                      getattr(options, "require_observable", False))
    started = time.perf_counter()
    sequences, exercisable = plan_tour(session.oracle, driver)
    results.exercisable = exercisable
    results.unexercisable = unexercisable(session.oracle, driver, exercisable)
    say = progress or (lambda text: None)
    say(f"{driver.name}: touring {len(exercisable)} transitions in {len(sequences)} call sequences")
    tour_failures = 0
    last_saved = [time.perf_counter()]

    def save_progress():
        if options.checkpoint is not None and time.perf_counter() - last_saved[0] >= CHECKPOINT_SECONDS:
            last_saved[0] = time.perf_counter()
            results.seconds = last_saved[0] - started
            options.checkpoint(results)

    for sequence in sequences:
        save_progress()
        session.begin()
        try:
            for step in sequence + ["final"]:
                for actual in (session.final_steps() if step == "final" else [step]):
                    record = session.take(actual)
                    if record.failures:
                        tour_failures += 1
                        if tour_failures <= 20:
                            results.failures.append({"source": "tour", "text": session.explain(record),
                                                     "transitions": list(dict.fromkeys(
                                                         record.blame(d) for d in record.failures)),
                                                     "steps": [r.step.to_json() for r in session.history]})
                        raise StopIteration
        except StopIteration:
            pass
        finally:
            session.end()
    say(f"{driver.name}: tour done, {len(results.covered)}/{len(exercisable)} covered, "
        f"{tour_failures} deviating sequences; running Hypothesis")
    last_said = [time.perf_counter()]

    def tick():
        save_progress()
        if time.perf_counter() - last_said[0] >= PROGRESS_SECONDS:
            last_said[0] = time.perf_counter()
            say(f"{driver.name}: {results.examples} examples, {results.steps} steps so far, "
                f"{len(results.failures)} failures")

    session.on_begin = tick
    try:
        if options.examples != 0:  # 0: the deterministic tour alone (for expected-verdict comparisons)
            machine = build_machine(session)
            test = get_state_machine_test(machine, settings=machine_settings(options.examples))
            if options.seed is not None:
                test = hypothesis_seed(options.seed)(test)
            test()
    except Exception as error:  # noqa: BLE001 - every failure, or a crash of subject or driver, is recorded
        errors = getattr(error, "exceptions", [error])
        suite_errors = [e for e in errors if isinstance(e, SuiteError)]
        if suite_errors:  # a bug of the suite is never recorded as the subject's behaviour: the run ends
            raise suite_errors[0]
        found = [e for e in errors if isinstance(e, ConformanceFailure)]
        for failure in found:
            last = failure.history[-1]
            results.failures.append({"source": "hypothesis", "text": failure.text,
                                     "transitions": list(dict.fromkeys(last.blame(d) for d in last.failures)),
                                     "steps": [r.step.to_json() for r in failure.history]})
        if not found:
            results.error = f"{type(error).__name__}: {error}"
    results.seconds = time.perf_counter() - started
    say(f"{driver.name}: {results.examples} examples, {results.steps} steps, {results.seconds:.1f} s")
    return results


def run_driver_by_name(name: str, options: RunOptions, models: dict[str, Model], progress=None) -> DriverResults:
    """Run one named driver; `models` caches the loaded models (and ends up naming those used)."""
    driver_class = DRIVERS[name]
    model_name = driver_class.model_name
    if options.model_path:
        model = models.get(model_name) or load_model(options.model_path)
    else:
        model = models.get(model_name) or load_model(model_name)
    models[model_name] = model
    try:
        driver = driver_class(model)
    except DriverUnavailable as error:
        return DriverResults(name, driver_class.route, model.name, "%d.%d" % options.version, error=str(error))
    return run_driver(model, driver, options, progress)


def run(options: RunOptions, progress=None) -> list[DriverResults]:
    models: dict[str, Model] = {}
    return [run_driver_by_name(name, options, models, progress) for name in options.drivers]
