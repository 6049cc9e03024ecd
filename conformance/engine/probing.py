"""Running the model's [[probe]] rows: each once per run and target, judged with the same verdict layers as a
step (conforms, not observable, message-only, deviates, hang, crash)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from conformance.protocol.model import Model
from conformance.protocol.observation import (
    CONFORMS,
    NOT_OBSERVABLE,
    Observation,
    SubjectFailure,
    compare,
    format_value,
)
from conformance.protocol.oracle import probe_outcome
from conformance.protocol.verdicts import severity, worse


@dataclass
class ProbeResult:
    """One probe's verdict, with what the model expected and what was observed, in words."""

    id: str
    function: str
    does: str
    takes_subject: bool
    versions: str
    verdict: str
    expected: str
    observed: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


def run_probes(model: Model, prober, version: tuple[int, int], strict_messages: bool = True,
               subject_only: bool = False, skip=(), before=None) -> list[ProbeResult]:
    """Every probe row of `version` (only those that take the object under test, with `subject_only`), except
    the ids in `skip`; `before(probe_id)` is told before each one runs (a journal, for a child that may die)."""
    results = []
    for probe in model.probes_for(version):
        if (subject_only and not probe.takes_subject) or probe.id in skip:
            continue
        if before is not None:
            before(probe.id)
        results.append(run_probe(model, probe, prober, strict_messages))
    return results


def run_probe(model: Model, probe, prober, strict_messages: bool) -> ProbeResult:
    """One probe: perform it, predict its outcome from the row, compare."""
    result = ProbeResult(probe.id, probe.function, probe.does, probe.takes_subject, probe.versions_text(),
                         CONFORMS, format_value(probe_outcome(model, probe)))
    try:
        observation, type_names, why = prober.perform(probe.function)
    except SubjectFailure as failure:  # the child hung or died: the next request starts a new one
        result.verdict, result.observed = failure.verdict, failure.detail
        return result
    result.expected = format_value(probe_outcome(model, probe, (type_names or [None])[0]))
    if why is not None:
        result.verdict, result.observed = NOT_OBSERVABLE, f"not observable: {why}"
        return result
    result.observed = format_value(observation.outcome)
    result.verdict = None
    for name in type_names or [None]:  # the object's own type, or the coroutine inside it, in the message
        expected = Observation(outcome=probe_outcome(model, probe, name))
        verdict = CONFORMS
        for difference in compare(expected, observation, aspects=("outcome",), strict_messages=strict_messages):
            verdict = worse(verdict, difference.verdict)
        if result.verdict is None or severity(verdict) < severity(result.verdict):
            result.verdict = verdict
            result.expected = format_value(expected.outcome)
    return result
