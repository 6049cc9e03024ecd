# mypyc: when close() lets out an exception the body raised on GeneratorExit, that exception stays the thread's
# "exception being handled" (sys.exc_info()), so every exception raised later in the process gets it as
# __context__. The suite's tour sees this as __context__ ValueError on the steps after such a close().
import sys

from mypyc_build import Pause, compiled, native, outcome

SOURCE = '''
async def raises_on_close(pause):
    try:
        await pause
    except GeneratorExit:
        raise ValueError("raised 2")


async def returns():
    return 307
'''
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "exception_state_leak")
    coroutine = module.raises_on_close(Pause())
    coroutine.send(None)
    print(label, "close():", outcome(coroutine.close))
    print(label, "sys.exc_info() afterwards:", repr(sys.exc_info()[1]))
    try:
        {}["missing"]
    except KeyError as error:
        print(label, "a later KeyError's __context__:", repr(error.__context__))
    print(label, "a later coroutine's return:", outcome(lambda: module.returns().send(None)))
# CPython sys.exc_info() afterwards: None; a later KeyError's __context__: None; a later coroutine's return:
#         raises StopIteration(307) (__context__ None)
# mypyc   sys.exc_info() afterwards: ValueError('raised 2'); a later KeyError's __context__: ValueError('raised 2');
#         a later coroutine's return: raises StopIteration(307) (__context__ ValueError('raised 2'))
