# An exception raised while another is being handled gets it as __context__, also in a generator resumed by
# throw() at a `yield from` an iterator without throw(). In Brython the exception arriving there is an
# AttributeError (see brython_throw_at_yield_from.py), and the one raised while handling it has no __context__.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


class Suspend:
    def __iter__(self):
        return self

    def __next__(self):
        return "passed out"


def body():
    try:
        yield from Suspend()
    except BaseException:
        raise ValueError("raised while handling")


coroutine = types.coroutine(body)()
coroutine.send(None)
try:
    coroutine.throw(KeyError("thrown"))
except ValueError as error:
    context = error.__context__
print(repr(context))
# CPython: KeyError('thrown')
raise SystemExit(0 if isinstance(context, KeyError) else 1)
