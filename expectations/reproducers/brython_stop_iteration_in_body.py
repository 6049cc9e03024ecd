# PEP 479: a StopIteration raised inside a generator body comes out of send() as RuntimeError("generator
# raised StopIteration") (Python 3.7+). Brython lets the StopIteration itself out.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


def body():
    yield "passed out"
    raise StopIteration(410)


coroutine = types.coroutine(body)()
coroutine.send(None)
try:
    coroutine.send(None)
    raised = "nothing"
except BaseException as error:
    raised = "%s(%r)" % (type(error).__name__, str(error))
print(raised)
# CPython: RuntimeError('generator raised StopIteration')
raise SystemExit(0 if raised == "RuntimeError('generator raised StopIteration')" else 1)
