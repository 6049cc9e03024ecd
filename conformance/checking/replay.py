"""`coroconf replay`: make a reported failure's call sequence again, through the same session code that
found it, on a fresh subject: the native body (a `run` report) or the user's object (a `check` report),
under the report's profile, route and strictness."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.checking.subjects import BASELINES, make_subject
from conformance.drivers import DRIVERS
from conformance.engine.results import DriverResults
from conformance.engine.session import Session
from conformance.errors import ReportError
from conformance.output.report import numbered_failures
from conformance.protocol.model import load_model, version_tuple
from conformance.protocol.steps import Step


@dataclass
class Replay:
    """What a replay did: the failure replayed, and the explanation if it failed again (None if not)."""

    driver: str
    transitions: list[str]
    explanation: str | None
    steps: int


def replay(report: dict, number: int = 1, path: str = "the report") -> Replay:
    """Replay failure `number` (as `findings_text` numbers them) of `report` in this process."""
    failures = numbered_failures(report)
    if not 1 <= number <= len(failures):
        raise ReportError(f"{path}: has {len(failures)} failures; expected --failure from 1 to {len(failures)}"
                          if failures else f"{path}: reports no failure to replay")
    driver_name, failure = failures[number - 1]
    if failure.get("source") == "isolation":
        raise ReportError(f"{path}: failure {number} killed or hung its child process; replaying it here would do "
                          f"the same to this one (repeat the check with its --seed instead)")
    entry = next(d for d in report["drivers"] if d["driver"] == driver_name)
    driver = replay_driver(report, entry, path)
    model, version = driver.model, version_tuple(report["profile"])
    results = DriverResults(driver.name, driver.route, model.name, report["profile"])
    driver.track_origins(report.get("origin_tracking", 0))
    session = Session(model, driver, version, results, report.get("strict_messages", True))
    session.begin()
    try:
        for data in failure["steps"]:
            record = session.take(Step.from_json(data))
            if record.failures:
                return Replay(driver_name, failure["transitions"], session.explain(record), len(session.history))
        return Replay(driver_name, failure["transitions"], None, len(session.history))
    finally:
        session.end()
        driver.finish()


def replay_driver(report: dict, entry: dict, path: str):
    """The in-process driver the failure was found with, around the same subject and baseline."""
    if entry["driver"] not in DRIVERS:
        raise ReportError(f"{path}: driver {entry['driver']!r} cannot be replayed here; the drivers are "
                          f"{', '.join(DRIVERS)}")
    driver_class = DRIVERS[entry["driver"]]
    model = load_model(driver_class.model_name)
    subject = report.get("subject")
    if not subject:
        return driver_class(model)
    made = make_subject(subject["kind"], subject["spec"])
    return driver_class(model, subject_factory=made.factory, subject_name=made.name,
                        baseline_route=BASELINES[subject.get("baseline", "coroutine")][0])
