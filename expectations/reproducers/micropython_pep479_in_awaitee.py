# A StopIteration thrown into a generator at `yield from` another generator, which lets it through. Before
# PEP 479 took effect for generators (CPython 3.6, without `from __future__ import generator_stop`) it ends the
# inner generator with that value (and a DeprecationWarning), so the outer body receives 5; from 3.7 it becomes
# RuntimeError('generator raised StopIteration'). MicroPython (language 3.4, judged on the 3.6 profile) always
# raises the RuntimeError.
# Run: python3.6 FILE or python3 FILE (exit 0) / node node/run_script.mjs micropython FILE (exit 1)
import sys


def awaitee():
    yield 1


def body():
    try:
        received = yield from awaitee()
        return "received %r" % (received,)
    except BaseException as error:
        return "caught " + type(error).__name__


outer = body()
next(outer)
try:
    outer.throw(StopIteration(5))
    seen = "nothing"
except StopIteration as stop:
    seen = stop.args[0]
want = "received 5" if sys.version_info < (3, 7) else "caught RuntimeError"
print(sys.version_info[:2], seen)
raise SystemExit(0 if seen == want else 1)
