# A suspended coroutine that is collected must be closed: GeneratorExit at the await, then finally.
# CPython: after one collect: ['GeneratorExit', 'finally']
import gc
class Suspend:
    def __await__(self): return self
    def __iter__(self): return self
    def __next__(self): return 1
    def send(self, v): return 1
seen = []
async def body():
    try:
        await Suspend()
    except BaseException as e:
        seen.append(type(e).__name__); raise
    finally:
        seen.append("finally")
c = body(); c.send(None)
del c
gc.collect()
print("after one collect:", seen)
gc.collect()
print("after two:", seen)
for i in range(5): gc.collect()
print("after seven:", seen)
