# inspect.getgeneratorstate() of a generator-based coroutine (types.coroutine) follows it: GEN_CREATED,
# GEN_SUSPENDED after the first send(None), GEN_CLOSED once it finished; gi_running is a bool. Brython's
# generators have no gi_running, gi_suspended, gi_frame or gi_yieldfrom (each is a JavaScript undefined), so
# getgeneratorstate() says GEN_CREATED whatever the generator did.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import inspect
import types


class Suspend:
    def __init__(self):
        self.passed = False

    def __iter__(self):
        return self

    def __next__(self):
        if self.passed:
            raise StopIteration("done")
        self.passed = True
        return "passed out"


def body():
    return (yield from Suspend())


coroutine = types.coroutine(body)()
states = [inspect.getgeneratorstate(coroutine)]
coroutine.send(None)
states.append(inspect.getgeneratorstate(coroutine))
running = coroutine.gi_running
try:
    coroutine.send(None)
except StopIteration:
    pass
states.append(inspect.getgeneratorstate(coroutine))
print(states, "gi_running:", type(running).__name__)
# CPython: ['GEN_CREATED', 'GEN_SUSPENDED', 'GEN_CLOSED'] gi_running: bool
raise SystemExit(0 if states == ["GEN_CREATED", "GEN_SUSPENDED", "GEN_CLOSED"] and running is False else 1)
