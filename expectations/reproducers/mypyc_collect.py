# mypyc: collecting a coroutine does nothing. A never-started one gives no RuntimeWarning("coroutine ... was
# never awaited"); a suspended one is not closed, so GeneratorExit never reaches its body and its finally
# does not run.
import gc
import warnings

from mypyc_build import Pause, compiled, native

SOURCE = '''
FINALLY_RAN: list = []


async def waits(pause):
    try:
        await pause
    finally:
        FINALLY_RAN.append(True)
'''
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "collect")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coroutine = module.waits(Pause())
        del coroutine
        gc.collect()
    suspended = module.waits(Pause())
    suspended.send(None)
    del suspended
    gc.collect()
    print(label, "warnings:", [str(w.message) for w in caught], "finally ran:", module.FINALLY_RAN)
# CPython warnings: ["coroutine 'waits' was never awaited"] finally ran: [True]
# mypyc   warnings: [] finally ran: []
