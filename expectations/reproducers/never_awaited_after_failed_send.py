# A never-started coroutine that refused send(107) and is then collected: CPython still warns
# "coroutine ... was never awaited".
import gc, warnings
async def body():
    pass
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    c = body()
    try:
        c.send(107)
    except TypeError as e:
        print("send(107) raised", e)
    del c
    gc.collect(); gc.collect()
print([(w.category.__name__, str(w.message)) for w in caught])
