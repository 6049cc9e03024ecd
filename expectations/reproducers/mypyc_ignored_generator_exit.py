# mypyc: close() on a coroutine whose body ignores GeneratorExit and awaits again raises RuntimeError with the
# generator's wording, 'generator ignored GeneratorExit'; CPython says 'coroutine ignored GeneratorExit'.
from mypyc_build import Pause, compiled, native, outcome

SOURCE = '''
async def ignores_close(pause, again):
    try:
        await pause
    except GeneratorExit:
        pass
    await again
'''
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "ignored_generator_exit")
    coroutine = module.ignores_close(Pause(), Pause())
    coroutine.send(None)
    print(label, outcome(coroutine.close))
# CPython raises RuntimeError('coroutine ignored GeneratorExit') (__context__ None)
# mypyc   raises RuntimeError('generator ignored GeneratorExit') (__context__ None)
