# A running generator that calls throw() or close() on itself gets ValueError("generator already
# executing"). Brython raises a JavascriptError("Generator is already running") for throw() and
# RuntimeError("generator ignored GeneratorExit") for close().
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types

seen = []


def body():
    for call in (lambda: me.throw(KeyError("k")), lambda: me.close()):
        try:
            call()
            seen.append("returned")
        except BaseException as error:
            seen.append("%s(%r)" % (type(error).__name__, str(error)))
    yield "passed out"


me = types.coroutine(body)()
me.send(None)
print(seen)
# CPython: ["ValueError('generator already executing')", "ValueError('generator already executing')"]
raise SystemExit(0 if seen == ["ValueError('generator already executing')"] * 2 else 1)
