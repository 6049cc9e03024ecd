# Calls on a finished coroutine and on an exhausted generator.
# CPython: send() on a finished coroutine raises RuntimeError('cannot reuse already awaited coroutine');
# throw(exc) on an exhausted generator raises exc itself.
async def body():
    return 1

def gen():
    return 1
    yield

seen = []
coro = body()
try:
    coro.send(None)
except StopIteration:
    pass
try:
    coro.send(None)
except BaseException as error:
    seen.append(("coroutine send", type(error).__name__, str(error)))
g = gen()
try:
    next(g)
except StopIteration:
    pass
try:
    g.throw(KeyError("thrown"))
except BaseException as error:
    seen.append(("generator throw", type(error).__name__))
print(seen)
# CPython: [('coroutine send', 'RuntimeError', 'cannot reuse already awaited coroutine'), ('generator throw', 'KeyError')]
