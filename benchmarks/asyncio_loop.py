"""Event-loop benchmark: what running the async generator inside a real asyncio loop costs, with ratios against the
by-hand `asyncgen` driver measured in the same run.

  1. every sequence of at most K calls on the native async generator, for asyncgen-asyncio (each call in a loop
     pass, each collection followed by loop passes until the finalizer's task is done) and asyncgen-shutdown (a new
     loop per subject, shutdown_asyncgens() at the end), against asyncgen (target: under 3 times each);
  2. why asyncgen-asyncio runs the loop before the collector: the loop's finalizer callback holds the dropped
     generator until the loop runs, so the collector first would find it alive after every drop and run all three
     generations each time. The same enumeration with the collector first, against the real one.

    python3 benchmarks/asyncio_loop.py [--depth K] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.drivers import DRIVERS  # noqa: E402
from conformance.drivers.asyncgen import AsyncGenLoopDriver  # noqa: E402
from conformance.engine.enumerator import explore  # noqa: E402
from conformance.engine.results import DriverResults  # noqa: E402
from conformance.engine.session import Session  # noqa: E402
from conformance.protocol.model import load_model  # noqa: E402

TARGET = 3.0


class CollectorFirst(AsyncGenLoopDriver):
    """asyncgen-asyncio with the collector run before the loop: the order the driver does not use."""

    def collect(self) -> None:
        events = self.script.events
        self.release_handles()
        self.run_collector(self.drop_subject())
        self.settle_after_collection()
        events.extend(self.loop.take_reports())


def enumeration_seconds(model, driver, depth: int) -> float:
    """Seconds to check every sequence of at most `depth` calls (the alphabet is built first, outside the time)."""
    session = Session(model, driver, tuple(sys.version_info[:2]), DriverResults(driver.name, driver.route,
                                                                                model.name, "bench"))
    session.alphabet
    started = time.perf_counter()
    explore(session, depth)
    seconds = time.perf_counter() - started
    driver.finish()
    if session.results.failures:
        raise SystemExit(f"{driver.name} deviated, so its time is no figure: {session.results.failures[0]['text']}")
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    sys.unraisablehook = lambda unraisable: None  # generators dropped half-way; not a figure
    model = load_model("asyncgen")
    seconds = {name: enumeration_seconds(model, DRIVERS[name](model), arguments.depth)
               for name in ("asyncgen", "asyncgen-asyncio", "asyncgen-shutdown")}
    seconds["collector first"] = enumeration_seconds(model, CollectorFirst(model), arguments.depth)
    baseline = seconds["asyncgen"]
    print(f"every sequence of at most {arguments.depth} calls; asyncgen (by hand, no loop): {baseline:.2f} s")
    for name in ("asyncgen-asyncio", "asyncgen-shutdown"):
        ratio = seconds[name] / baseline
        print(f"  {name}: {seconds[name]:.2f} s, {ratio:.2f} times asyncgen "
              f"({'within' if ratio < TARGET else 'over'} the target of {TARGET:g})")
    print(f"collector before the loop: {seconds['collector first']:.2f} s, "
          f"{seconds['collector first'] / seconds['asyncgen-asyncio']:.1f} times the loop first")
    if arguments.json:
        Path(arguments.json).write_text(json.dumps({"depth": arguments.depth, "seconds": seconds}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
