"""asyncstdlib.borrow(agen).aclose() closes only the borrowed view (as its documentation says): the generator's
body never gets GeneratorExit, while aclose() on the generator itself throws it in. Also: a body that calls
aclose() on what its caller holds, while running, gets RuntimeError('aclose(): asynchronous generator is already
running') from the generator itself, and a silent StopIteration from the borrowed view. Differs on 3.11 and 3.12."""
import sys

import asyncstdlib


def run(wrap):
    seen, holder = [], {}

    async def agen():
        try:
            holder["inside"] = step(lambda: holder["it"].aclose().send(None))
            yield 207
        except GeneratorExit:
            seen.append("GeneratorExit")
            raise

    holder["it"] = it = wrap(agen())
    first = step(lambda: it.asend(None).send(None))
    closing = step(lambda: it.aclose().send(None))
    return first, holder["inside"], closing, list(seen)


def step(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except Exception as error:
        return "%s: %s" % (type(error).__name__, error)


library, baseline = run(asyncstdlib.borrow), run(lambda agen: agen)
print("borrow(agen): %s; agen: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
