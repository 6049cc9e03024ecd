# Standalone (python FILE; CPython 3.7+ or PyPy). throw() into an athrow() awaitable before its first send: CPython
# 3.7-3.13 throw that exception into the generator at its yield (the body catches it and yields again, which ends
# the awaitable with StopIteration carrying the new value); PyPy refuses with
# RuntimeError("can't do async_generator.athrow().throw()") without touching the generator. aclose() awaitables the same.
# Exit 0 on the CPython behaviour, 1 otherwise.
import sys

caught = []


async def agen():
    while True:
        try:
            yield "first"
        except KeyError as error:
            caught.append(repr(error))


generator = agen()
try:
    generator.asend(None).send(None)
except StopIteration:
    pass
awaitable = generator.athrow(ValueError("athrow's own"))
try:
    awaitable.throw(KeyError("thrown before the first send"))
    outcome = "returned"
except StopIteration as stop:
    outcome = "StopIteration(%r)" % (stop.value,)
except BaseException as error:  # noqa: BLE001 - what the awaitable answers is the point
    outcome = "%s(%r)" % (type(error).__name__, str(error))
print("throw() before the first send: %s; the body caught %s" % (outcome, caught))
sys.exit(0 if caught and outcome.startswith("StopIteration") else 1)
