# send() of a value other than None to a generator that has not started raises TypeError("can't send
# non-None value to a just-started generator"). Brython starts the generator and returns what it yields.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


def body():
    yield "passed out"


coroutine = types.coroutine(body)()
try:
    outcome = ["returned", coroutine.send(107)]
except TypeError as error:
    outcome = ["raised", "TypeError", str(error)]
print(outcome)
# CPython: ['raised', 'TypeError', "can't send non-None value to a just-started generator"]
raise SystemExit(0 if outcome[:2] == ["raised", "TypeError"] else 1)
