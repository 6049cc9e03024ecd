# Cython only (cythonize -i -3 FILE, then python -c "import cython_athrow_awaitable_throw_then_send"); plain CPython runs
# it too, for comparison. A throw() into an athrow() awaitable before its first send goes into the body, which awaits;
# then the awaitable's first send. CPython 3.7-3.12 still count the awaitable as unstarted: that send throws athrow()'s
# own exception in at the await (3.13 counts it as started and sends None in, as the Cython build does on 3.11).
# Exit 0 on the CPython 3.7-3.12 behaviour, 1 otherwise.
import sys
import types

seen = []


@types.coroutine
def passout(value):
    return (yield value)


async def agen():
    try:
        yield "first"
    except KeyError:
        try:
            seen.append(("await returned", await passout("paused")))
        except ValueError as error:
            seen.append(("await raised", repr(error)))
        yield "after"


generator = agen()
try:
    generator.asend(None).send(None)
except StopIteration:
    pass
awaitable = generator.athrow(ValueError("athrow's own"))
print("throw() before the first send returned %r" % (awaitable.throw(KeyError("thrown first")),))
try:
    awaitable.send(None)
except StopIteration as stop:
    print("the first send ended with StopIteration(%r)" % (stop.value,))
print("the body saw: %s" % (seen,))
sys.exit(0 if seen == [("await raised", "ValueError(\"athrow's own\")")] else 1)
