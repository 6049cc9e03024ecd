# Cython only (cythonize -i -3 FILE, then python -c "import cython_asyncgen"); plain CPython runs it too, for
# comparison. A Cython-compiled async generator:
# 1. a second asend() while one is in flight: RuntimeError(' anext(): asynchronous generator is already
#    running'), with a leading space CPython's message does not have;
# 2. close() on the asend() awaitable in flight closes the generator (CPython 3.8-3.12 leave it counting as
#    running for good; 3.13 closes it, as Cython does);
# 3. an async generator that never started warns "coroutine ... was never awaited" when collected (CPython
#    warns for nothing: an async generator is not a coroutine);
# 4. athrow(42) raises its TypeError inside the body, at the yield (CPython raises it to the caller and the body
#    never sees it), so a body that lets it through is finished.
import gc
import types
import warnings


@types.coroutine
def pause(value):
    return (yield value)


seen = []


async def agen():
    try:
        await pause("x")
        yield 1
    except GeneratorExit:
        seen.append("GeneratorExit")
        raise


def attempt(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:
        return "%s(%r)" % (type(error).__name__, str(error))


generator = agen()
first = generator.asend(None)
print("asend(None).send(None):         %s" % attempt(lambda: first.send(None)))
print("a second asend(None).send(None): %s" % attempt(lambda: generator.asend(None).send(None)))
print("close() on the first:            %s" % attempt(first.close))
print("then ag_running=%r; the body saw %r" % (generator.ag_running, seen))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    unstarted = agen()
    del unstarted
    gc.collect()
print("collecting an unstarted one warns: %r" % ([str(w.message) for w in caught],))


async def counting():
    try:
        yield 1
    except TypeError:
        seen.append("TypeError at the yield")
        raise


del seen[:]
suspended = counting()
attempt(lambda: suspended.asend(None).send(None))
print("athrow(42).send(None): %s; the body saw %r" % (attempt(lambda: suspended.athrow(42).send(None)), seen))
