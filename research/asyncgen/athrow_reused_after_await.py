# Standalone (python FILE, any CPython 3.7-3.13 or PyPy): an athrow() awaitable that paused at an await in
# the body, then finished (StopIteration), is sent to again. CPython 3.7.16, 3.11.7 and 3.13.0 print
# "reused athrow send -> StopIteration 2" and "... 3": the used-up awaitable drives the generator on, handing
# out its next values; an asend() awaitable refuses the same reuse with RuntimeError('cannot reuse already
# awaited __anext__()/asend()'). The survey (README.md, "Surprising behaviour") reports PyPy refusing it.
import types

@types.coroutine
def passout(value):
    return (yield value)

async def agen():
    try:
        yield 1
    except KeyError:
        got = await passout("paused")
        yield ("caught", got)
    yield 2
    yield 3

ag = agen()
try:
    ag.asend(None).send(None)
except StopIteration as stop:
    print("first asend yields", stop.value)
t = ag.athrow(KeyError)
print("athrow send ->", t.send(None))
try:
    t.send("resumed")
except StopIteration as stop:
    print("athrow finished with", stop.value)
for _ in range(2):
    try:
        print("reused athrow send ->", t.send(None))
    except StopIteration as stop:
        print("reused athrow send -> StopIteration", stop.value)
    except BaseException as error:
        print("reused athrow send -> raises", type(error).__name__, error)
