# Cython only (cythonize -i -3 FILE, then python -c "import cython_asyncgen_hooks"); plain CPython runs it too,
# for comparison. With sys.set_asyncgen_hooks(firstiter, finalizer) in effect, as an event loop installs them:
# 1. a first asend(5) is refused (TypeError: the generator has not started), and then CPython's generator starts
#    normally on asend(None); the Cython-compiled one is finished (StopAsyncIteration);
# 2. collecting a suspended generator calls the finalizer on CPython; the Cython build calls none.
import gc
import sys

ran = []
sys.set_asyncgen_hooks(lambda generator: ran.append("firstiter"), lambda generator: ran.append("finalizer"))


async def agen():
    yield 1


def attempt(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:
        return "%s(%r)" % (type(error).__name__, str(error))


refused = agen()
print("asend(5): %s" % attempt(lambda: refused.asend(5).send(None)))
print("then asend(None): %s" % attempt(lambda: refused.asend(None).send(None)))
del refused
gc.collect()
del ran[:]
suspended = agen()
attempt(lambda: suspended.asend(None).send(None))
del suspended
gc.collect()
print("collecting a suspended one, the hooks that ran: %r" % (ran,))
