"""Agent benchmark: prints figures, and ratios against baselines measured in the same run.

  1. calls per second made through the agent in each interpreter (send(None) with the body awaiting again),
     against a bare JSON-lines echo of the same request size to the same child: the agent's overhead
     (aim: ratio 0.5 or more);
  2. engine steps per second (tour + Hypothesis, direct driver) with the subject in a CPython child,
     against the in-process engine on this interpreter (aim: 0.5 or more);
  3. wall time of a full `coroconf matrix` with its defaults (aim: under 5 minutes on 2 cores).
Start-up and build times: benchmarks/startup.py.

Run: python3 benchmarks/agent_overhead.py [--calls N] [--examples N] [--skip-matrix]
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.drivers import DRIVERS  # noqa: E402
from conformance.drivers.agent import AgentDriver  # noqa: E402
from conformance.engine.runner import RunOptions, run_driver  # noqa: E402
from conformance.protocol.model import load_model  # noqa: E402
from conformance.protocol.steps import Plan, Step  # noqa: E402
from conformance.remote.compiled import build  # noqa: E402
from conformance.remote.targets import AgentProcess, discover_targets  # noqa: E402


def calls_through_agent(process: AgentProcess, model, calls: int) -> tuple[float, float]:
    """(agent calls per second, echo round trips per second) on the same child, interleaved in rounds."""
    offered = process.start()["drivers"]  # Brython runs only the generator driver
    name = "direct" if "direct" in offered else offered[0]
    if name != "direct":
        model = load_model(DRIVERS[name].model_name)
    driver = AgentDriver(model, process, name)
    step = Step("send", "none", None, Plan("await", 208))
    request = {"op": "perform", "step": step.to_json()}
    echo = {"op": "echo", "data": request}
    agent_seconds = echo_seconds = 0.0
    rounds = 5
    for _ in range(rounds):
        driver.begin()
        started = time.perf_counter()
        for _ in range(calls // rounds):
            driver.perform(step)
        agent_seconds += time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(calls // rounds):
            process.request(echo)
        echo_seconds += time.perf_counter() - started
        driver.end()
    done = rounds * (calls // rounds)
    return done / agent_seconds, done / echo_seconds


def engine_rates(examples: int) -> tuple[float, float]:
    """(steps/s in process, steps/s with the subject in a child running this same interpreter)."""
    model = load_model("coroutine")
    options = RunOptions(examples=examples, seed=0)
    local = run_driver(model, DRIVERS["direct"](model), options)
    process = AgentProcess(_this_interpreter(), call_timeout=30)
    try:
        remote = run_driver(model, AgentDriver(model, process, "direct"), options)
    finally:
        process.close()
    return local.steps / local.seconds, remote.steps / remote.seconds


def _this_interpreter():
    from conformance.remote.targets import resolve_target

    return resolve_target(shlex.quote(sys.executable))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per interpreter (default 2000)")
    parser.add_argument("--examples", type=int, default=100, help="Hypothesis examples for the engine figure")
    parser.add_argument("--skip-matrix", action="store_true", help="leave out the full matrix's wall time")
    arguments = parser.parse_args()
    model = load_model("coroutine")

    print("1. calls per second through the agent, against a bare JSON-lines echo to the same child")
    print(f"   {'interpreter':24} {'agent calls/s':>14} {'echo calls/s':>14} {'ratio':>6}")
    for spec in discover_targets():
        module = str(build(spec.subject)[0]) if spec.subject else None  # a compiled subject: its build
        process = AgentProcess(spec, call_timeout=30, subject_module=module)
        try:
            process.start()
            calls = arguments.calls // 4 if spec.runtime != "python" else arguments.calls
            agent, echo = calls_through_agent(process, model, calls)
        except Exception as error:  # noqa: BLE001 - one broken interpreter must not hide the others' figures
            print(f"   {spec.label:24} could not be measured: {error}")
            continue
        finally:
            process.close()
        print(f"   {spec.label:24} {agent:14.0f} {echo:14.0f} {agent / echo:6.2f}")

    print(f"\n2. engine steps per second, direct driver, {arguments.examples} examples, "
          f"Python {sys.version.split()[0]}")
    local, remote = engine_rates(arguments.examples)
    print(f"   in process: {local:8.0f} steps/s   in a child through the agent: {remote:8.0f} steps/s   "
          f"ratio {remote / local:.2f}")

    if not arguments.skip_matrix:
        print("\n3. a full `coroconf matrix` with its defaults (every interpreter found, every driver)")
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "conformance", "matrix", "--out", out],
                                  capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - started
        columns = done.stdout.count("\n")
        print(f"   {seconds:.1f} s wall time ({columns} lines of summary, exit {done.returncode}); "
              f"target under 300 s: {'met' if seconds < 300 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
