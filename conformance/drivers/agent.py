"""The agent driver: the same Driver interface as the in-process drivers, but the subject lives in a child
interpreter (see conformance/agent.py and conformance/targets.py) and every call crosses a JSON-lines pipe.

The child builds the subject and the call target the way the in-process driver of the same name does
(direct, await, delegation, generator), so the session, tour, Hypothesis engine and reports run unchanged.
"""

from __future__ import annotations

from ..model import Model, load_model
from ..observation import Observation, ObservationError, SubjectFailure
from ..results import DriverResults
from ..steps import Step
from ..targets import AgentProcess, ProtocolError
from . import DRIVERS
from .base import Driver, DriverUnavailable


class AgentDriver(Driver):
    """One in-process driver's behaviour, reproduced inside the child that `process` runs."""

    def __init__(self, model: Model, process: AgentProcess, name: str):
        local = DRIVERS[name]
        self.local = local
        self.model = model
        self.process = process
        self.name = name
        self.route, self.model_name, self.subject_name = local.route, local.model_name, local.subject_name
        self.calls = local.calls
        self.description = f"{local.description} (in {process.spec.label}, through the agent)"
        hello = process.start()
        if name not in hello.get("drivers", ()):
            raise DriverUnavailable(f"the agent in {process.spec.label} has no {name!r} driver "
                                    f"(it offers {', '.join(hello.get('drivers', ())) or 'none'})")
        self.configuration = {"op": "configure", "inspect": model.inspect_function, "prefix": model.state_prefix,
                              "attributes": {observation: spec["name"]
                                             for observation, spec in model.attributes.items()}}
        self.pending = None  # a failure while beginning, reported on the first step
        self.lost = False  # the current subject is gone (its child hung, died or broke the protocol)
        self._check_available()

    def payload_override(self, call, argument):
        return self.local.payload_override(self, call, argument)  # the in-process driver's fixed payloads

    def yielded_values(self):
        return self.local.yielded_values(self)

    def _check_available(self) -> None:
        self.process.configure(self.configuration)
        answer = self.process.request({"op": "begin", "driver": self.name})
        if not answer.get("ok"):
            reason = answer.get("unavailable") or answer.get("error")
            raise DriverUnavailable(f"{self.process.spec.label}: {reason}")
        self.process.request({"op": "end"})

    def begin(self) -> None:
        self.pending, self.lost = None, False
        try:
            self.process.configure(self.configuration)
            answer = self.process.request({"op": "begin", "driver": self.name})
        except SubjectFailure as failure:
            self.pending = failure
            return
        if not answer.get("ok"):
            self.pending = ProtocolError(self.process.spec.label, f"begin refused: {answer!r}")

    def perform(self, step: Step) -> Observation:
        """One step in the child. The first failure of a subject is raised (a hang, crash or protocol
        error on this step's transition); the steps after it on the lost subject observe nothing."""
        if self.lost:
            return unobservable()
        try:
            if self.pending is not None:
                raise self.pending
            answer = self.process.request({"op": "perform", "step": step.to_json()})
            if not answer.get("ok"):
                raise ProtocolError(self.process.spec.label, f"the agent could not make {step.describe()}: "
                                                             f"{answer.get('error', answer)!r}")
            try:
                return Observation.from_json(answer.get("observation"))
            except ObservationError as error:
                raise ProtocolError(self.process.spec.label,
                                    f"malformed observation for {step.describe()}: {error}") from None
        except SubjectFailure:
            self.lost, self.pending = True, None
            raise

    def end(self) -> None:
        """The child releases the subject when the next one begins, which saves a round trip per example."""
        self.pending, self.lost = None, False


def unobservable() -> Observation:
    """What a step on a subject whose child already failed shows: nothing at all."""
    return Observation(outcome=None, state=None, attributes={}, warnings=None, events=None)


# -- running a whole target -----------------------------------------------------------------------

def run_driver_on_target(name: str, options, models: dict[str, Model], process: AgentProcess,
                         progress=None) -> DriverResults:
    """Like runner.run_driver_by_name, with the subject inside the child interpreter."""
    from ..runner import run_driver

    model_name = DRIVERS[name].model_name
    model = models.get(model_name) or load_model(options.model_path or model_name)
    models[model_name] = model
    try:
        driver = AgentDriver(model, process, name)
    except DriverUnavailable as error:
        return DriverResults(name, DRIVERS[name].route, model.name, "%d.%d" % options.version, error=str(error))
    except SubjectFailure as failure:
        return DriverResults(name, DRIVERS[name].route, model.name, "%d.%d" % options.version,
                             error=f"{failure.verdict}: {failure.detail}")
    return run_driver(model, driver, options, progress)


def add_interpreter_options(parser) -> None:
    """The `run` command's options for running the subject in another interpreter."""
    parser.add_argument("--interpreter", metavar="TARGET",
                        help="run the subjects inside this interpreter through the agent: a Python command "
                             "(pypy3, /usr/bin/python3.11, ~/.pyenv/versions/3.8.18/bin/python), pyodide or "
                             "micropython; the profile follows the version it reports unless --profile is given")
    parser.add_argument("--call-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="with --interpreter: a call with no answer after this long is a hang (default 10)")
    parser.add_argument("--subject-module", metavar="FILE",
                        help="with --interpreter: a module (source or compiled) whose scripted_body and "
                             "scripted_generator replace body.py's as the subject factory")


def interpreter_run(arguments, options, progress=None):
    """Start the target named by --interpreter; return (run one driver by name, the report's interpreter
    field, close). Bad targets are usage errors."""
    from ..cli import UsageError
    from ..targets import TargetError, resolve_target

    if arguments.call_timeout <= 0:
        raise UsageError(f"--call-timeout must be a positive number of seconds, found {arguments.call_timeout}")
    try:
        spec = resolve_target(arguments.interpreter)
        process = AgentProcess(spec, call_timeout=arguments.call_timeout, subject_module=arguments.subject_module)
        if progress:
            progress(f"starting the agent in {spec.describe()}")
        hello = process.start()
    except TargetError as error:
        raise UsageError(str(error)) from None
    if progress:
        progress(f"{spec.label}: {hello.get('version_text')}")
    if not arguments.profile:
        options.version = process.version()
    if not arguments.drivers:
        options.drivers = [name for name in DRIVERS if name in hello.get("drivers", ())]

    def run_one(name, run_options, models, say=None):
        return run_driver_on_target(name, run_options, models, process, say)

    return run_one, process.info(), process.close


__all__ = ["AgentDriver", "run_driver_on_target", "add_interpreter_options", "interpreter_run"]
