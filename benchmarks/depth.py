"""Depth benchmark: the exhaustive enumerator (`--depth K`), with ratios against baselines measured in the same run.

  1. sequences/s and transitions/s of the enumerator (direct driver, every sequence of at most K calls), against
     raw `coro.send` calls/s;
  2. why every sequence is re-driven and fully checked: the same enumeration with each sequence's prefix only
     performed (not predicted, compared or recorded, as a prefix-sharing scheme would do), against the real one;
  3. the collector's cost: the same depth-K check (sequences alone, drivers direct and direct/generator) of each
     correct wrapper that only the collector frees (benchmarks/broken_wrappers.py COLLECTED_ONLY), against that
     of its base class, the same wrapper without the cycle, which refcounting frees (target: under 1.5 times);
  4. the depth at which the enumerator alone (no tour, no Hypothesis) finds each deliberately broken wrapper of
     benchmarks/broken_wrappers.py, each in a child process (a wrapper may crash its interpreter), under a Python
     whose model profile can show its bug (depth 0 is no sequence at all: only a driver that cannot hold the
     object at all finds something there; the empty sequence, a fresh subject dropped, is part of depth 1 and up).

    python3 benchmarks/depth.py [--depth K] [--max-depth D] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.broken_wrappers import BROKEN, COLLECTED_ONLY  # noqa: E402
from benchmarks.detection import interpreter_for  # noqa: E402
from benchmarks.engine import raw_sends_per_second  # noqa: E402
from conformance.drivers import DirectDriver  # noqa: E402
from conformance.engine.enumerator import explore, sequences_of  # noqa: E402
from conformance.engine.results import DriverResults  # noqa: E402
from conformance.engine.session import Session  # noqa: E402
from conformance.protocol.model import load_model  # noqa: E402


def fresh_session(model) -> Session:
    driver = DirectDriver(model)
    return Session(model, driver, tuple(sys.version_info[:2]), DriverResults("direct", "direct", model.name, "bench"))


def enumerator_figures(model, depth: int) -> dict:
    session = fresh_session(model)
    session.alphabet  # built once per oracle and driver; not part of the enumeration's time
    started = time.perf_counter()
    summary = explore(session, depth)
    seconds = time.perf_counter() - started
    transitions = sum(result.count for result in session.results.transitions.values())
    return {"sequences": summary["sequences"], "steps": summary["steps"], "transitions": transitions,
            "seconds": seconds}


def prefix_performed_only(model, depth: int) -> float:
    """Seconds for the same sequences when only each one's last step and final calls are checked: the prefix
    is performed on the subject (it must be: a coroutine cannot be copied) but not predicted or compared."""
    session = fresh_session(model)
    alphabet, driver = session.alphabet, session.driver
    started = time.perf_counter()
    for calls in range(depth + 1):
        for numbers, _ in sequences_of(alphabet, calls, set()):
            session.begin()
            state, entries = model.initial, []
            for number in numbers:
                entries.append(alphabet[state][number])
                state = entries[-1].target
            for entry in entries[:-1]:
                driver.perform(entry.step)
            if entries:
                session.state = entries[-1].source
                session.take_entry(entries[-1])
            for step in session.final_steps():
                session.take(step)
            session.end()
    return time.perf_counter() - started


def sequences_check_seconds(factory, depth: int) -> float:
    """Seconds of a depth-`depth` check of a conforming wrapper by its sequences alone (no tour, no Hypothesis,
    no probes), on the drivers whose subject is the wrapper itself."""
    from conformance.checking.check import CheckOptions, check
    from conformance.engine import runner

    take_tour, runner.take_tour = runner.take_tour, lambda session, sequences, checkpoint: 0
    try:
        started = time.perf_counter()
        result = check("wrapper", factory, CheckOptions(examples=0, depth=depth, probes=False,
                                                        drivers=["direct", "direct/generator"]))
        seconds = time.perf_counter() - started
    finally:
        runner.take_tour = take_tour
    if not result.conforms:
        raise SystemExit(f"{factory.__name__} was reported, so its time is no figure: {result.failures[0]['text']}")
    return seconds


def found_at(name: str, max_depth: int) -> dict:
    """The smallest depth whose sequences, alone, find wrapper `name` (this process; see main for children)."""
    from conformance.checking.check import CheckOptions, check
    from conformance.engine import runner

    sys.unraisablehook = lambda unraisable: None  # finalizers of broken wrappers complain; not a figure
    runner.take_tour = lambda session, sequences, checkpoint: 0  # the enumerator alone
    factory = BROKEN[name][0]
    started = time.perf_counter()
    for depth in range(max_depth + 1):
        result = check("wrapper", factory, CheckOptions(examples=0, depth=depth))
        if not result.conforms:
            shortest = result.shortest_failure()
            return {"depth": depth, "seconds": time.perf_counter() - started,
                    "calls": calls_made(shortest["steps"]) if shortest else None,
                    "sequences": sum((r.depth or {}).get("sequences", 0) for r in result.results),
                    "failure": shortest["text"].splitlines()[1] if shortest else result.failures[0]["text"]}
    return {"depth": None, "seconds": time.perf_counter() - started, "sequences": None, "calls": None,
            "failure": None}


def calls_made(steps: list[dict]) -> int:
    """The calls a reported sequence makes on the subject: each step's, and its body's re-entrant ones."""
    return sum(1 + len((step["plan"] or {}).get("reenter", ())) for step in steps if step["call"] != "collect")


def wrapper_in_child(name: str, max_depth: int) -> dict:
    since = BROKEN[name][2]
    python = interpreter_for(since) if since else sys.executable
    if python is None:
        return {"depth": None, "where": f"needs Python {since[0]}.{since[1]}+ with hypothesis; none found"}
    completed = subprocess.run([python, str(Path(__file__).resolve()), "--wrapper", name, "--max-depth",
                                str(max_depth)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return {"depth": None, "where": f"{python}: the child ended with {completed.returncode} "
                                        f"(a crash verdict under --isolate): {completed.stderr.strip()[-200:]}"}
    row = json.loads(lines[-1])
    row["where"] = python
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=3, help="the depth of the speed figures (default 3)")
    parser.add_argument("--max-depth", type=int, default=3, help="the deepest to look for each wrapper (default 3)")
    parser.add_argument("--wrapper", help=argparse.SUPPRESS)  # the child's side: one wrapper, one JSON line
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    arguments = parser.parse_args(argv)
    if arguments.wrapper:
        print(json.dumps(found_at(arguments.wrapper, arguments.max_depth)))
        return 0

    model = load_model()
    figures = enumerator_figures(model, arguments.depth)
    raw = raw_sends_per_second()
    sequences_rate = figures["sequences"] / figures["seconds"]
    transitions_rate = figures["transitions"] / figures["seconds"]
    print(f"enumerator, depth {arguments.depth}, direct driver: {figures['sequences']:,} sequences, "
          f"{figures['steps']:,} steps, {figures['transitions']:,} transitions in {figures['seconds']:.2f} s")
    print(f"  {sequences_rate:,.0f} sequences/s, {transitions_rate:,.0f} transitions/s; raw coro.send: "
          f"{raw:,.0f} calls/s; ratios {sequences_rate / raw:.4f} (sequences) and {transitions_rate / raw:.4f} "
          f"(transitions)")
    unchecked = prefix_performed_only(model, arguments.depth)
    print(f"prefixes performed but not checked: {unchecked:.2f} s against {figures['seconds']:.2f} s checked; "
          f"ratio {figures['seconds'] / unchecked:.2f} (what sharing checked prefixes could save at most)")

    collector = {}
    for factory in COLLECTED_ONLY:
        base = factory.__bases__[0]
        seconds = sequences_check_seconds(factory, arguments.depth)
        without = sequences_check_seconds(base, arguments.depth)
        collector[factory.__name__] = {"seconds": seconds, base.__name__: without}
        print(f"collector's cost, depth {arguments.depth}: {factory.__name__} {seconds:.2f} s against "
              f"{base.__name__} {without:.2f} s; ratio {seconds / without:.2f}")

    rows = {}
    for name, (_, bug, _) in BROKEN.items():
        rows[name] = wrapper_in_child(name, arguments.max_depth)
        row = rows[name]
        depth = "MISSED" if row["depth"] is None else f"depth {row['depth']}"
        calls = "-" if row.get("calls") is None else row["calls"]
        print(f"{name:<24} {depth:<8} shortest {calls} calls {row.get('seconds', 0.0):5.1f} s  ({row['where']})  "
              f"{row.get('failure') or ''}", flush=True)
    found = [row for row in rows.values() if row["depth"] is not None]
    print(f"\nfound by the sequences alone: {len(found)}/{len(rows)} within depth {arguments.max_depth}; depths "
          f"{sorted(row['depth'] for row in found)}")
    if arguments.json:
        Path(arguments.json).write_text(json.dumps({"enumerator": figures, "raw_sends_per_second": raw,
                                                    "prefix_unchecked_seconds": unchecked, "wrappers": rows,
                                                    "collector": collector},
                                                   indent=2) + "\n")
    return 0 if len(found) == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
