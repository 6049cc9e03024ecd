# An aclose() awaitable in flight (the body caught GeneratorExit and awaits), then throw(KeyError) into it, and
# the body catches that and yields: CPython 3.6-3.13 raise RuntimeError('async generator ignored GeneratorExit'),
# the aclose() in progress must not see a yield; PyPy 7.3 (language 3.9) ends the awaitable with StopIteration.
# Exit 1 where no RuntimeError is raised.
import sys
import types


@types.coroutine
def pause(value):
    return (yield value)


async def agen():
    try:
        yield 1
    except GeneratorExit:
        pass
    try:
        await pause("x")
    except KeyError:
        yield 2


generator = agen()
try:
    generator.asend(None).send(None)
except StopIteration:
    pass
closing = generator.aclose()
closing.send(None)  # the body caught GeneratorExit and awaits: "x" comes out
try:
    closing.throw(KeyError("k"))
    outcome = "returned"
except StopIteration:
    outcome = "StopIteration"
except BaseException as error:
    outcome = "%s(%r)" % (type(error).__name__, str(error))
print("throw(KeyError) into the aclose() in flight, the body yields: %s" % (outcome,))
sys.exit(0 if outcome.startswith("RuntimeError") else 1)
