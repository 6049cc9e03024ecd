# throw(StopIteration(404)) into a coroutine suspended at `await` on an awaitable whose iterator has no
# throw(): the exception must be raised at the await, inside the coroutine's frame (CPython: the body
# catches StopIteration). Prints what the body saw. Runs on CPython 3.6+, PyPy, MicroPython.
class Suspend:
    def __init__(self):
        self.passed = False
    def __await__(self):
        return self
    def __iter__(self):
        return self
    def __next__(self):
        return self.send(None)
    def send(self, value):
        if self.passed:
            raise StopIteration(value)
        self.passed = True
        return "suspended"

seen = []

async def body():
    try:
        received = await Suspend()
        seen.append(("received", received))
    except BaseException as error:
        seen.append(("caught", type(error).__name__))
        raise

coro = body()
coro.send(None)
try:
    coro.throw(StopIteration(404))
except BaseException as error:
    seen.append(("throw() raised", type(error).__name__))
print(seen)
# CPython 3.7+: [('caught', 'StopIteration'), ('throw() raised', 'RuntimeError')]
