# From Python 3.12 on, throw(type, value, traceback) warns: DeprecationWarning("the (type, exc, tb) signature
# of throw() is deprecated, use the single-arg signature instead."). Brython (language 3.14) does not warn.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import sys
import types
import warnings


def body():
    try:
        yield "passed out"
    except KeyError:
        pass
    yield "again"


coroutine = types.coroutine(body)()
coroutine.send(None)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    coroutine.throw(KeyError, KeyError("thrown"), None)
warned = [w.category.__name__ for w in caught]
print(sys.version_info[:2], warned)
# CPython 3.12+: (3, 12) ['DeprecationWarning']; before 3.12: []
raise SystemExit(0 if warned == (["DeprecationWarning"] if sys.version_info >= (3, 12) else []) else 1)
