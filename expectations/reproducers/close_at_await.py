# close() on a coroutine suspended at `await` on an awaitable whose iterator has no close(): GeneratorExit
# must be raised at the await, so the coroutine's except/finally clauses run (CPython does).
class Suspend:
    def __await__(self):
        return self
    def __iter__(self):
        return self
    def __next__(self):
        return "suspended"
    def send(self, value):
        return "suspended"

seen = []

async def body():
    try:
        await Suspend()
    except BaseException as error:
        seen.append(("caught", type(error).__name__))
        raise
    finally:
        seen.append("finally")

coro = body()
coro.send(None)
coro.close()
print(seen)
# CPython: [('caught', 'GeneratorExit'), 'finally']
