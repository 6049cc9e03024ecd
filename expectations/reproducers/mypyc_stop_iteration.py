# mypyc: PEP 479 is missing. A StopIteration leaving the body (raised there, or thrown in and let through)
# comes out as StopIteration itself, which the caller cannot tell from a return; CPython raises RuntimeError
# ('coroutine raised StopIteration'). On close() the StopIteration is swallowed: close() returns None.
from mypyc_build import Pause, compiled, native, outcome

SOURCE = '''
async def raises_stop_iteration(pause):
    await pause
    raise StopIteration(410)


async def on_close_raises_stop_iteration(pause):
    try:
        await pause
    except GeneratorExit:
        raise StopIteration(410)


def generator_passes_on():  # a generator (an awaited object's __await__, say) that re-raises what is thrown in
    try:
        yield 1
    except BaseException:
        raise
'''
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "stop_iteration")
    raising = module.raises_stop_iteration(Pause())
    raising.send(None)
    print(label, "body raises:", outcome(lambda: raising.send(None)))
    thrown = module.raises_stop_iteration(Pause())
    thrown.send(None)
    print(label, "thrown in:  ", outcome(lambda: thrown.throw(StopIteration(404))))
    closing = module.on_close_raises_stop_iteration(Pause())
    closing.send(None)
    print(label, "on close(): ", outcome(closing.close))
    generator = module.generator_passes_on()
    next(generator)
    print(label, "a generator:", outcome(lambda: generator.throw(StopIteration(404))))
# CPython body raises: raises RuntimeError('coroutine raised StopIteration') (__context__ StopIteration(410)) ...
#         a generator: raises RuntimeError('generator raised StopIteration') (__context__ StopIteration(404))
# mypyc   body raises: raises StopIteration(410) (__context__ None); thrown in: raises StopIteration(404); on close(): returns None;
#         a generator: raises StopIteration(404): a coroutine awaiting it takes that as the generator's return
