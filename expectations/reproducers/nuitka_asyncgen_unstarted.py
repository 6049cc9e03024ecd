# Nuitka only (python -m nuitka --module FILE, then python -c "import nuitka_asyncgen_unstarted"); plain CPython
# runs it too, for comparison. A new async generator whose first asend(5) is refused (TypeError: it has not
# started), with sys.set_asyncgen_hooks(firstiter, finalizer) in effect: CPython keeps its unstarted frame
# (ag_frame is not None) and calls the finalizer when it is collected; the Nuitka-compiled one shows ag_frame None,
# and no finalizer runs.
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
print("after the refused asend(5): ag_frame is None: %r" % (generator.ag_frame is None,))
del generator
gc.collect()
print("hooks that ran: %r" % (ran,))
