# A suspended generator that loses its last reference is finalized: close() throws GeneratorExit into it,
# so its except and finally blocks run. Brython runs neither.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import gc
import types

seen = []


class Suspend:
    def __iter__(self):
        return self

    def __next__(self):
        return "passed out"


def body():
    try:
        yield from Suspend()
    except BaseException as error:
        seen.append(type(error).__name__)
        raise
    finally:
        seen.append("finally")


coroutine = types.coroutine(body)()
coroutine.send(None)
del coroutine
gc.collect()
print(seen)
# CPython: ['GeneratorExit', 'finally']
raise SystemExit(0 if seen == ["GeneratorExit", "finally"] else 1)
