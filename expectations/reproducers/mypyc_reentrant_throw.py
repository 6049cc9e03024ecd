# mypyc: a body that calls throw(42) on its own coroutine while it runs gets ValueError('coroutine already
# executing'); CPython checks the argument first and raises TypeError (exceptions must derive from BaseException).
from mypyc_build import Pause, compiled, native

SOURCE = '''
async def reenters(holder, pause):
    try:
        holder[0].throw(42)
    except BaseException as error:
        holder.append(error)
    await pause
'''
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "reentrant_throw")
    holder = []
    holder.append(module.reenters(holder, Pause()))
    holder[0].send(None)
    print(label, "re-entrant throw(42) raised", repr(holder[1]))
# CPython re-entrant throw(42) raised TypeError('exceptions must be classes or instances deriving from BaseException, not int')
# mypyc   re-entrant throw(42) raised ValueError('coroutine already executing')
