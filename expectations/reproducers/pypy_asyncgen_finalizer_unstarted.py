# An async generator whose first operation was refused (asend(5) before it started: TypeError) has run the
# firstiter hook and taken the finalizer: when it is collected, CPython 3.6-3.13 call that finalizer, as they do
# for any generator that has one and is not finished; PyPy 7.3 (language 3.9) does not call it. Exit 1 where the
# finalizer is not called.
import gc
import sys

ran = []
sys.set_asyncgen_hooks(lambda generator: ran.append("firstiter"), lambda generator: ran.append("finalizer"))


async def agen():
    yield 1


generator = agen()
try:
    generator.asend(5).send(None)
except TypeError:
    pass
del generator
gc.collect()
print("hooks that ran: %r" % (ran,))
sys.exit(0 if ran == ["firstiter", "finalizer"] else 1)
