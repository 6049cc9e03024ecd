# Standalone (python FILE; CPython 3.6+ or PyPy). A native coroutine that holds an async generator (paused at its
# first yield) refuses throw(42) before it has started; both are dropped, then gc.collect() runs once. CPython
# finalizes the generator at once (its finally runs when the last reference goes); PyPy 7.3 finalizes the coroutine
# in that collection and the generator it held only in the next one. Exit 0 when one collection is enough.
import gc
import sys

ran = []


async def agen():
    try:
        yield 1
    finally:
        ran.append("finally")


async def consumer(generator):
    return await type(generator).__anext__(generator)


generator = agen()
try:
    generator.asend(None).send(None)
except StopIteration:
    pass
coroutine = consumer(generator)
try:
    coroutine.throw(42)
except TypeError:
    pass
del coroutine, generator
gc.collect()
after_one = list(ran)
gc.collect()
print("after one gc.collect(): %r; after two: %r" % (after_one, ran))
sys.exit(0 if after_one == ["finally"] else 1)
