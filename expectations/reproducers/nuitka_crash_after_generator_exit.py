# Nuitka only (compile this file as a module: python -m nuitka --module FILE, then
# python -c "import nuitka_crash_after_generator_exit"): a coroutine suspended at `await` that lets a thrown
# GeneratorExit through. CPython prints GeneratorExit(), 208 and "done". Nuitka 4.3.3 on CPython 3.11 raises
# RuntimeError('No active exception to reraise'), which escapes even `except BaseException`, and the interpreter
# then dies with SIGSEGV (exit status 139). In the suite's child the same corruption killed the interpreter at
# the next coroutine's first send(None).
import gc
import types


@types.coroutine
def suspend():
    yield 208


async def body():
    await suspend()
    return 309


coro = body()
coro.send(None)
try:
    coro.throw(GeneratorExit())
except BaseException as error:  # CPython: GeneratorExit(); Nuitka: RuntimeError('No active exception to reraise')
    print(repr(error))
del coro
gc.collect()
coro = body()
print(coro.send(None))
print("done")
