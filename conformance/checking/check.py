"""Check a user's object against the coroutine model: a wrapper or a decorator is driven by every driver
exactly as the native scripted body is; an awaitable is checked by the awaitable protocol checks.

This module is the public entry point behind `coroconf check`, the pytest plugin and the benchmarks.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import sys
import time
import warnings
from dataclasses import dataclass, field

from conformance.checking.awaitables import check_awaitable
from conformance.checking.isolation import journaled, probe_journal
from conformance.checking.subjects import (  # noqa: F401 - WRAPPER_DRIVERS, ASYNCGEN_DRIVERS: re-exported
    ASYNCGEN_DRIVERS,
    KIND_MODELS,
    WRAPPER_DRIVERS,
    Subject,
    drivers_for,
    make_subject,
    needs_event_loop,
    object_subject,
)
from conformance.drivers import DRIVERS
from conformance.drivers.probing import InProcessProber
from conformance.engine.probing import run_probes
from conformance.engine.results import DriverResults, sequence_length
from conformance.engine.runner import RunOptions, run_driver
from conformance.output.report import build_report, probe_findings, probe_section
from conformance.protocol.model import load_model
from conformance.protocol.observation import CONFORMS, DEVIATES
from conformance.subject.body import SuiteError

NEEDS_AWAIT = ("await", "delegation")
LOOP_DRIVERS = ("asyncio",)  # the drivers that run the object inside an event loop


@dataclass
class CheckOptions:
    examples: int | None = None  # Hypothesis examples per driver; None: the loaded profile's max_examples
    seed: int | None = None
    strict_messages: bool = True
    version: tuple[int, int] = tuple(sys.version_info[:2])
    require_observable: bool = False  # --require-introspection: missing cr_* / inspect state fails
    drivers: list[str] | None = None  # None: every driver of the kind's model (MODEL_DRIVERS)
    timeout: float = 10.0  # seconds the user's factory may take to return once
    baseline: str = "auto"  # what the object is judged against: auto, or a key of subjects.BASELINES
    avoid: list = field(default_factory=list)  # transition lists of steps that crashed an earlier child
    probes: bool = True  # run the model's probes that take the object under test (a wrapper or decorator)
    skip_probes: list = field(default_factory=list)  # probe ids that crashed an earlier child
    origin_tracking: int = 0  # make the subjects under sys.set_coroutine_origin_tracking_depth(this), if > 0
    depth: int = 0  # check every sequence of at most this many calls (0: none)


@dataclass
class CheckResult:
    """What a check found: per-driver results (wrapper, decorator) or protocol findings (awaitable)."""

    subject: Subject
    options: CheckOptions
    results: list[DriverResults] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # awaitable checks: {check, verdict, text}
    probes: list | dict | None = None  # ProbeResults, or {"not_applicable": why}; None: not run
    seconds: float = 0.0
    first_failure_seconds: float | None = None
    models: dict = field(default_factory=dict)  # the models the drivers were judged by, loaded once, by name

    @property
    def report(self) -> dict:
        name = KIND_MODELS[self.subject.kind]
        models = self.models or {name: load_model(name)}
        report = build_report(self.results, models, self.options, probes=self.probes)
        report["subject"] = {"kind": self.subject.kind, "spec": self.subject.spec, "notes": self.subject.notes,
                             "baseline": self.subject.baseline, "baseline_text": self.subject.baseline_text}
        shortest = self.shortest_failure()
        report["detection"] = {"seconds": round(self.seconds, 3),
                               "first_failure_seconds": self.first_failure_seconds,
                               "shortest_failure_calls": sequence_length(shortest["steps"]) if shortest else None}
        if self.findings:
            report["findings"] = self.findings
            if any(f["verdict"] != CONFORMS for f in self.findings):
                report["verdict"] = DEVIATES
        return report

    @property
    def conforms(self) -> bool:
        return self.report["verdict"] == CONFORMS

    @property
    def failures(self) -> list[dict]:
        """Every failure found, each with its call sequence ("steps") and explanation ("text")."""
        found = [dict(failure, driver=result.driver) for result in self.results for failure in result.failures]
        found += [{"driver": result.driver, "text": f"the {result.driver!r} driver could not run: {result.error}",
                   "steps": []} for result in self.results if result.error]
        if self.probes is not None:
            section = {"probes": probe_section(self.probes, self.options.strict_messages)}
            found += [{"driver": "probes", "text": text, "steps": []} for text in probe_findings(section)]
        return found + [f for f in self.findings if f["verdict"] != CONFORMS]

    def shortest_failure(self) -> dict | None:
        """The failure with the fewest calls (not counting the final garbage collection)."""
        sequences = [f for f in self.failures if f.get("steps")]
        return min(sequences, key=lambda f: sequence_length(f["steps"]), default=None)


def check(kind: str, spec_or_object, options: CheckOptions | None = None, progress=None) -> CheckResult:
    """Check `spec_or_object` ("module:name", or the object itself) as a wrapper, decorator or awaitable.
    Raises SubjectError for input that cannot be checked, NotConforming for an unusable __await__."""
    options = options or CheckOptions()
    if isinstance(spec_or_object, str):
        subject = make_subject(kind, spec_or_object, options.timeout)
    else:
        subject = object_subject(kind, spec_or_object, options.timeout)
    return check_subject(subject, options, progress)


def check_subject(subject: Subject, options: CheckOptions, progress=None) -> CheckResult:
    started = time.perf_counter()
    if options.baseline != "auto":
        subject.baseline = options.baseline
    result = CheckResult(subject, options)
    if subject.kind == "awaitable":
        result.findings = check_awaitable(subject, options, progress)
        failed = [f for f in result.findings if f["verdict"] != CONFORMS]
        result.first_failure_seconds = failed[0]["seconds"] if failed else None
    else:
        model = load_model(KIND_MODELS[subject.kind])  # the kind's own: its probes
        models = result.models  # each model the drivers name, loaded once (an awaitable's driver: its own)
        models[model.name] = model
        drivers = drivers_for(subject.kind, options)
        run_options = RunOptions(drivers=drivers, examples=options.examples, seed=options.seed,
                                 strict_messages=options.strict_messages, version=options.version,
                                 require_observable=options.require_observable, avoid=options.avoid,
                                 origin_tracking=options.origin_tracking, depth=options.depth)
        # Drivers the object cannot support at all fail at once, so they go first.
        order = sorted(drivers, key=lambda n: not (needs_await(n) and not subject.has_await))
        loop_only = needs_event_loop(subject) if set(order) - set(LOOP_DRIVERS) else None
        for name in order:
            collect_leftovers()
            model_name = DRIVERS[name].model_name
            if model_name not in models:
                models[model_name] = load_model(model_name)
            driver_model = models[model_name]
            if loop_only and name not in LOOP_DRIVERS:
                result.results.append(not_applicable(driver_model, name, run_options, loop_only))
                continue
            driver_result = run_subject_driver(driver_model, name, subject, run_options, progress)
            if driver_result.error and driver_result.first_failure_seconds is None:
                driver_result.first_failure_seconds = time.perf_counter() - driver_result.started
            if driver_result.first_failure_seconds is not None and result.first_failure_seconds is None:
                result.first_failure_seconds = (driver_result.started + driver_result.first_failure_seconds
                                                - started)
            result.results.append(driver_result)
        if options.probes and model.probes:
            result.probes = check_probes(model, subject, options, progress, probe_journal())
    result.seconds = time.perf_counter() - started
    return result


def needs_await(name: str) -> bool:
    """Whether the driver (or the driver it varies, for one whose body awaits another kind) calls __await__."""
    return (DRIVERS[name].base_name or name) in NEEDS_AWAIT
def check_probes(model, subject: Subject, options: CheckOptions, progress=None, before=None):
    """The model's probes that take the object under test, on the user's object (judged as the scripted
    coroutine is: the baselines' routes change none of them); not applicable to an object that needs a
    running event loop, whose first send() outside one fails whatever the probe asks."""
    loop_only = needs_event_loop(subject)
    if loop_only:
        return {"not_applicable": loop_only}
    if progress:
        progress("probes: running those that take the object under test")
    with captured_output():
        return run_probes(model, InProcessProber(subject.factory, subject.spec), options.version,
                          options.strict_messages, subject_only=True, skip=options.skip_probes, before=before)


def not_applicable(model, name: str, options: RunOptions, why: str) -> DriverResults:
    driver_class = DRIVERS[name]
    return DriverResults(name, driver_class.route, model.name, "%d.%d" % options.version, driver_class.description,
                         not_applicable=why)


OUTPUT_LIMIT = 200  # lines of each stream kept in the report


@contextlib.contextmanager
def captured_output():
    """While the user's object runs: its stdout, stderr and log records go to a dict (filled on exit), not
    to the terminal; warnings are the drivers' observations, so none is printed either."""
    stdout, stderr, records = io.StringIO(), io.StringIO(), []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(f"{record.levelname} {record.name}: {record.getMessage()}")
    root, output = logging.getLogger(), {}
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield output
    finally:
        root.handlers[:], root.level = saved_handlers, saved_level
        for name, lines in (("stdout", stdout.getvalue().splitlines()), ("stderr", stderr.getvalue().splitlines()),
                            ("log", records)):
            if lines:
                output[name] = {"count": len(lines), "first": lines[:OUTPUT_LIMIT]}


def collect_leftovers() -> None:
    """Finalize what earlier runs left in reference cycles now, so that their never-awaited warnings do
    not land in a later step's observation."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.collect()


def run_subject_driver(model, name: str, subject: Subject, options: RunOptions, progress=None) -> DriverResults:
    """One driver over the user's object; whatever breaks in the user's code becomes this driver's error."""
    driver_class = DRIVERS[name]
    version = "%d.%d" % options.version
    if needs_await(name) and not subject.has_await:
        return DriverResults(name, driver_class.route, model.name, version, driver_class.description,
                             error="the object has no __await__ method, so `await obj` fails; a coroutine has one")
    driver = journaled(driver_class(model, subject_factory=subject.factory, subject_name=subject.name,
                                    baseline_route=subject.baseline_route))
    started = time.perf_counter()
    try:
        with captured_output() as output:
            results = run_driver(model, driver, options, progress)
        results.output = output
        return results
    except SuiteError:  # our own bug: it ends the check, it is not a finding about the user's object
        raise
    except Exception as error:  # noqa: BLE001 - the user's object broke the driver: a finding, not our end
        try:
            driver.end()
        except Exception:  # noqa: BLE001
            pass
        failed = DriverResults(name, driver_class.route, model.name, version, driver_class.description,
                               error=f"{type(error).__name__}: {error}")
        failed.seconds = failed.first_failure_seconds = time.perf_counter() - started
        return failed
