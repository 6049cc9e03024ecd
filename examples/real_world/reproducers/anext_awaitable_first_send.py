"""The __anext__() awaitable of an async generator paused at a yield passes its first send(v) on to the body,
whose yield returns v, and its first throw(exc) too, which the body sees (CPython's asend awaitable only replaces
a first None with its own value). asyncstdlib.borrow(agen) and wrapt.AutoObjectProxy(agen) make __anext__() a
new coroutine of their own (an async generator's frame, an `async def`), which refuses a first non-None send
("can't send non-None value to a just-started ...") and lets a first throw out without the body seeing it.
`await anext(x)` always sends None first, so only code that drives the awaitable by hand meets this. Python 3.10+
(the builtin anext(), which finds __anext__ as `async for` does). Exit 1 where either library differs from the
generator itself."""
import sys
import warnings

import asyncstdlib
import wrapt


def step(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:  # noqa: BLE001 - what the awaitable raised is the finding
        return "%s(%r)" % (type(error).__name__, str(error))


def run(wrap):
    """What a first send("sent") and a first throw(KeyError) on a new __anext__() awaitable do, and what the body saw."""
    seen = []

    async def agen():
        while True:
            try:
                received = yield "item"
                seen.append(("received", received))
            except KeyError:
                seen.append("caught KeyError")

    generator = agen()
    first = generator.__anext__()
    try:
        first.send(None)  # the generator runs to its first yield
    except StopIteration:
        pass
    wrapper = wrap(generator)
    sent = step(lambda: anext(wrapper).send("sent"))
    thrown = step(lambda: anext(wrapper).throw(KeyError("thrown")))
    return sent, thrown, seen


warnings.simplefilter("ignore", RuntimeWarning)  # the refused coroutines are never awaited, by design
native = run(lambda generator: generator)
print("the generator itself:", native)
differs = False
for name, wrap in (("asyncstdlib.borrow", asyncstdlib.borrow), ("wrapt.AutoObjectProxy", wrapt.AutoObjectProxy)):
    found = run(wrap)
    print("%s: %s" % (name, found))
    differs = differs or found != native
sys.exit(1 if differs else 0)
