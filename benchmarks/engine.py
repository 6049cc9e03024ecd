"""Engine benchmark: prints figures, and ratios against baselines measured in the same run.

  1. wall time of a default `coroconf run` (all drivers, the Hypothesis profile's example count);
  2. model steps checked per second by the engine (direct driver), against the steps per second of an
     empty RuleBasedStateMachine with the same number of rules (Hypothesis's own cost);
  3. the deterministic tour's transitions per second, against raw `coro.send` calls per second.

Targets on a 2-core machine: default run under 30 s with 100% coverage; engine at 1.0 or more of the empty
machine's speed (the engine's one rule draws one number a step from the step alphabet; the empty machine's
rule draws a choice and a value, and, as a second figure, one number as the engine does). Run: python3 benchmarks/engine.py [--examples N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, get_state_machine_test, rule

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, and benchmarks/ as a package

from benchmarks.broken_wrappers import BROKEN, CORRECT  # noqa: E402
from conformance.checking.check import CheckOptions, check  # noqa: E402
from conformance.drivers import DirectDriver  # noqa: E402
from conformance.engine.machine import build_machine, machine_settings  # noqa: E402
from conformance.engine.results import DriverResults  # noqa: E402
from conformance.engine.session import Session  # noqa: E402
from conformance.engine.tour import plan_tour  # noqa: E402
from conformance.protocol.model import load_model  # noqa: E402
from conformance.subject import body  # noqa: E402


def default_run() -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "conformance", "run", "--quiet", "--report", str(report)],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"the default run failed:\n{done.stdout}\n{done.stderr}")
        return seconds, json.loads(report.read_text())


def engine_steps_per_second(model, examples: int) -> tuple[float, int, int]:
    """(model steps checked per second, steps, the machine's number of rules), direct driver."""
    results = DriverResults("direct", "direct", model.name, "bench")
    session = Session(model, DirectDriver(model), tuple(sys.version_info[:2]), results)
    session.alphabet  # built once per oracle and driver, before Hypothesis runs
    machine = build_machine(session)
    started = time.perf_counter()
    get_state_machine_test(machine, settings=machine_settings(examples, derandomize=True))()
    return results.steps / (time.perf_counter() - started), results.steps, len(machine.setup_state().rules)


def empty_steps_per_second(rule_count: int, examples: int, draws=("choice", "value")) -> tuple[float, int]:
    """The same shape of machine with rules that do nothing but draw: what Hypothesis costs by itself. The
    default rules draw a choice and a value through st.data(), as a typical stateful test does; draws=("number",)
    draws one integer as a rule argument, exactly as the engine's rule does."""
    counter = {"steps": 0}

    class EmptyMachine(RuleBasedStateMachine):
        pass

    def make(index):
        if draws == ("number",):
            def step(self, number):
                counter["steps"] += 1
            step.__name__ = f"rule_{index}"
            return rule(number=st.integers(0, 2 ** 16 - 1))(step)

        def step(self, data):
            data.draw(st.sampled_from(range(3)))
            data.draw(st.integers(0, 99))
            counter["steps"] += 1
        step.__name__ = f"rule_{index}"
        return rule(data=st.data())(step)

    for index in range(rule_count):
        setattr(EmptyMachine, f"rule_{index}", make(index))
    started = time.perf_counter()
    get_state_machine_test(EmptyMachine, settings=machine_settings(examples, derandomize=True))()
    return counter["steps"] / (time.perf_counter() - started), counter["steps"]


def tour_transitions_per_second(model, repeats: int = 20) -> float:
    results = DriverResults("direct", "direct", model.name, "bench")
    driver = DirectDriver(model)
    session = Session(model, driver, tuple(sys.version_info[:2]), results)
    sequences, _ = plan_tour(session.oracle, driver)
    started = time.perf_counter()
    exercised = 0
    for _ in range(repeats):
        for sequence in sequences:
            session.begin()
            for step in sequence + session.final_steps():
                exercised += len(session.take(step).prediction.transitions)
            session.end()
    return exercised / (time.perf_counter() - started)


def raw_sends_per_second(count: int = 200_000) -> float:
    script = body.Script()
    coroutine = body.scripted_body(script)
    script.target = coroutine
    coroutine.send(None)
    started = time.perf_counter()
    for _ in range(count):
        coroutine.send(None)
    seconds = time.perf_counter() - started
    coroutine.close()
    return count / seconds


def deviating_against_conforming(examples: int) -> str:
    """A check of a deviating wrapper (eager-start: it differs at the first call of most sequences, and every
    transition behind that is still judged) against the same check of the correct forwarding wrapper."""
    figures = []
    for name, factory in (("conforming (forwarding)", CORRECT), ("deviating (eager-start)", BROKEN["eager-start"][0])):
        started = time.perf_counter()
        result = check("wrapper", factory, CheckOptions(examples=examples, seed=1))
        seconds = time.perf_counter() - started
        covered = sum(len(r.covered) for r in result.results)
        exercisable = sum(len(r.exercisable) for r in result.results)
        violated = sum(len(r.violated) for r in result.results)
        figures.append((name, seconds, covered, exercisable, violated))
    words = [f"{name} {seconds:.1f} s, {covered}/{exercisable} transitions, {violated} violated"
             for name, seconds, covered, exercisable, violated in figures]
    return (f"check with {examples} examples per driver: " + "; ".join(words)
            + f"; ratio {figures[1][1] / figures[0][1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="Hypothesis examples for the steps/s figures")
    arguments = parser.parse_args()
    model = load_model()

    seconds, report = default_run()
    coverage = [f'{d["driver"]} {d["coverage"]["covered"]}/{d["coverage"]["exercisable"]}' for d in report["drivers"]]
    print(f"default `coroconf run`: {seconds:.1f} s wall (target < 30 s); coverage: {', '.join(coverage)}")

    engine, engine_steps, rules = engine_steps_per_second(model, arguments.examples)
    empty, empty_steps = empty_steps_per_second(rules, arguments.examples)
    one_draw, one_draw_steps = empty_steps_per_second(rules, arguments.examples, draws=("number",))
    print(f"engine: {engine:,.0f} model steps/s ({engine_steps} steps, {rules} rule, one draw a step); empty "
          f"machine with {rules} rule drawing a choice and a value: {empty:,.0f} steps/s ({empty_steps} steps); "
          f"ratio {engine / empty:.2f} (target >= 1.0); against an empty rule drawing one number as the engine "
          f"does: {one_draw:,.0f} steps/s, ratio {engine / one_draw:.2f}")

    tour = tour_transitions_per_second(model)
    raw = raw_sends_per_second()
    print(f"tour: {tour:,.0f} transitions/s; raw coro.send: {raw:,.0f} calls/s; ratio {tour / raw:.4f}")
    print(deviating_against_conforming(min(arguments.examples, 100)))


if __name__ == "__main__":
    main()
