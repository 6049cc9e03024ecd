# throw() and close() on a generator suspended in `yield from` an iterator that has no throw() or close()
# deliver the exception (GeneratorExit for close) into the generator's own frame, at the `yield from`.
# Brython raises AttributeError("'Suspend' object has no attribute 'throw'" / "... 'close'") there instead,
# so close() then reports RuntimeError("generator ignored GeneratorExit").
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types

caught = []


class Suspend:
    def __iter__(self):
        return self

    def __next__(self):
        return "passed out"


def body():
    try:
        yield from Suspend()
    except BaseException as error:
        caught.append(type(error).__name__)
        raise


for call in (lambda c: c.throw(KeyError("k")), lambda c: c.close()):
    coroutine = types.coroutine(body)()
    coroutine.send(None)
    try:
        call(coroutine)
    except BaseException as error:
        caught.append("then " + type(error).__name__)
print(caught)
# CPython: ['KeyError', 'then KeyError', 'GeneratorExit']
raise SystemExit(0 if caught == ["KeyError", "then KeyError", "GeneratorExit"] else 1)
