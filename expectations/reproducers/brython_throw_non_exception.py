# throw(42) (not an exception) raises TypeError("exceptions must be classes or instances deriving from
# BaseException, not int"). Brython raises a JavascriptError("Cannot create property '__traceback__' on
# number '42'").
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


def body():
    yield "passed out"


coroutine = types.coroutine(body)()
coroutine.send(None)
try:
    coroutine.throw(42)
    raised = "nothing"
except BaseException as error:
    raised = "%s(%r)" % (type(error).__name__, str(error))
print(raised)
# CPython: TypeError('exceptions must be classes or instances deriving from BaseException, not int')
raise SystemExit(0 if raised.startswith("TypeError(") else 1)
