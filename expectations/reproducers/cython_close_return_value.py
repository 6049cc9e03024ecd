# Cython (3.3.1 here): a compiled generator or coroutine that catches GeneratorExit and then returns a value
# makes close() raise RuntimeError('generator ignored GeneratorExit') ('coroutine ...'), as if it had yielded;
# CPython's close() returns None there (3.13+: the returned value). A bare `return` is fine in both. So a
# coroutine awaiting such a generator or coroutine sees that RuntimeError at its await when it is closed.
# Builds a small source with Cython (pip install cython; needs a C compiler) in a temporary directory.
import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import types

SOURCE = '''
def returns_on_exit(value):
    try:
        yield 1
    except GeneratorExit:
        if value is None:
            return
        return value


async def coroutine_returns_on_exit(pause, value):
    try:
        await pause
    except GeneratorExit:
        return value


class AwaitsGenerator:
    def __await__(self):
        return returns_on_exit(5)


async def awaits(awaitable):
    await awaitable
'''


class Pause:
    def __await__(self):
        return iter([1])


def native():
    module = types.ModuleType("native_close")
    exec(SOURCE, module.__dict__)
    return module


def compiled():
    key = hashlib.sha256((SOURCE + sys.version).encode()).hexdigest()[:12]
    work = os.path.join(tempfile.gettempdir(), "cython-repro-%s" % key)
    os.makedirs(work, exist_ok=True)
    if not any(f.startswith("cython_close.") and f.endswith(".so") for f in os.listdir(work)):
        with open(os.path.join(work, "cython_close.py"), "w") as file:
            file.write(SOURCE)
        subprocess.run([sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-3", "-q", "cython_close.py"],
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(work, next(f for f in os.listdir(work) if f.startswith("cython_close.") and f.endswith(".so")))
    spec = importlib.util.spec_from_file_location("cython_close", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def close(thing):
    try:
        return "returns %r" % (thing.close(),)
    except BaseException as error:
        return "raises %r" % (error,)


def results(module):
    found = []
    for value in (None, 5):
        generator = module.returns_on_exit(value)
        next(generator)
        found.append(close(generator))
    coroutine = module.coroutine_returns_on_exit(Pause(), 5)
    coroutine.send(None)
    found.append(close(coroutine))
    awaiting = module.awaits(module.AwaitsGenerator())  # closing it closes the generator it awaits
    awaiting.send(None)
    found.append(close(awaiting))
    return found


for label, load in (("CPython", native), ("Cython ", compiled)):
    print(label, results(load()))
# Python 3.11 (3.13+: CPython's first close() of a returning one returns 5):
# CPython ['returns None', 'returns None', 'returns None', 'returns None']
# Cython  ['returns None', "raises RuntimeError('generator ignored GeneratorExit')",
#          "raises RuntimeError('coroutine ignored GeneratorExit')", "raises RuntimeError('generator ignored GeneratorExit')"]
# (in the last, the awaiting coroutine lets the RuntimeError that closing its generator raised out of close())
