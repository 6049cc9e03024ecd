# A coroutine suspended at `await` on a generator (which has a throw() of its own) is thrown 42, not an
# exception. CPython passes 42 to the generator's throw(), whose TypeError is then raised in the coroutine's
# body at the await (the body can catch it). PyPy checks 42 itself first and raises the TypeError to the caller,
# without running the body; the coroutine stays suspended.
# Run: python3 FILE (exit 0) / pypy3 FILE (exit 1: the difference shows)
import inspect
import types


@types.coroutine
def awaitee():
    yield "passed out"


async def body():
    try:
        await awaitee()
    except TypeError as error:
        return "the body caught TypeError"


coroutine = body()
coroutine.send(None)
try:
    coroutine.throw(42)
    seen = "nothing"
except StopIteration as stop:
    seen = stop.value
except TypeError as error:
    seen = "the caller got TypeError"
print(seen, inspect.getcoroutinestate(coroutine))
# CPython: the body caught TypeError CORO_CLOSED
raise SystemExit(0 if seen == "the body caught TypeError" else 1)
