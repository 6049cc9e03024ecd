# mypyc: close() on a coroutine awaiting a generator that ignores GeneratorExit (it yields again) raises the
# RuntimeError('generator ignored GeneratorExit') that closing the generator raised at the body's await; in the
# mypyc build that RuntimeError has the GeneratorExit as its __context__ (CPython: None, as GeneratorExit was
# caught by the generator before the RuntimeError was raised). The same whether the body lets it through or
# catches and re-raises it. (The generator is closed again when collected: CPython reports that as ignored.)
from mypyc_build import compiled, native, outcome

SOURCE = '''
from typing import Any, Generator


def ignores_exit() -> Generator[int, Any, None]:
    while True:
        try:
            yield 207
        except GeneratorExit:
            pass


class AwaitsGenerator:
    def __await__(self) -> Generator[int, Any, None]:
        return ignores_exit()


async def lets_through() -> None:
    await AwaitsGenerator()


async def reraises() -> None:
    try:
        await AwaitsGenerator()
    except BaseException:
        raise
'''
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "close_failed_context")
    for body in (module.lets_through, module.reraises):
        coroutine = body()
        coroutine.send(None)
        print(label, outcome(coroutine.close))
# CPython raises RuntimeError('generator ignored GeneratorExit') (__context__ None)   (twice)
# mypyc   raises RuntimeError('generator ignored GeneratorExit') (__context__ GeneratorExit())   (twice)
