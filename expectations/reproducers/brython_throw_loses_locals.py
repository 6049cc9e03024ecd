# After throw() on a generator that has not started (or has finished), the exception comes out of throw()
# and the callers go on with their local variables. In Brython a caller's assignment made in an if/else
# branch from a function that did such a throw() is lost: reading the variable raises UnboundLocalError (the
# agent's `outcome = perform(...)` does, which the run reports as a crash of that step).
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


def body():
    yield "passed out"


def perform(target):
    try:
        target.throw(KeyError("k"))
    except BaseException as error:
        return "raised " + type(error).__name__
    return "returned"


def caller(target):
    if target is None:
        outcome = None
    else:
        outcome = perform(target)
    return outcome


def finished():
    coroutine = types.coroutine(body)()
    for _ in coroutine:
        pass
    return coroutine


said = []
for target in (types.coroutine(body)(), finished()):
    try:
        said.append(caller(target))
    except NameError as error:  # UnboundLocalError
        said.append("%s: %s" % (type(error).__name__, error))
print(said)
# CPython: ['raised KeyError', 'raised KeyError']
raise SystemExit(0 if said == ["raised KeyError"] * 2 else 1)
