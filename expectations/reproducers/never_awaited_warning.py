# A coroutine object that is never started and then collected: CPython emits
# RuntimeWarning("coroutine 'body' was never awaited") from its finalizer.
import gc
import warnings

async def body():
    pass

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    coro = body()
    del coro
    gc.collect()
    gc.collect()
print([(w.category.__name__, str(w.message)) for w in caught])
# CPython: [('RuntimeWarning', "coroutine 'body' was never awaited")]
