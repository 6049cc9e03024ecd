# Cython (3.3.1 here): a StopIteration raised in a compiled coroutine's body becomes
# RuntimeError('generator raised StopIteration'); CPython says 'coroutine raised StopIteration' for a coroutine
# (PEP 479). Only the message differs. Builds with Cython (pip install cython; needs a C compiler).
import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import types

SOURCE = '''
async def raises_stop(pause):
    await pause
    raise StopIteration(7)
'''


class Pause:
    def __await__(self):
        return iter([1])


def native():
    module = types.ModuleType("native_stop")
    exec(SOURCE, module.__dict__)
    return module


def compiled():
    key = hashlib.sha256((SOURCE + sys.version).encode()).hexdigest()[:12]
    work = os.path.join(tempfile.gettempdir(), "cython-repro-%s" % key)
    os.makedirs(work, exist_ok=True)
    if not any(f.startswith("cython_stop.") and f.endswith(".so") for f in os.listdir(work)):
        with open(os.path.join(work, "cython_stop.py"), "w") as file:
            file.write(SOURCE)
        subprocess.run([sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-3", "-q", "cython_stop.py"],
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(work, next(f for f in os.listdir(work) if f.startswith("cython_stop.") and f.endswith(".so")))
    spec = importlib.util.spec_from_file_location("cython_stop", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def message(module):
    coroutine = module.raises_stop(Pause())
    coroutine.send(None)
    try:
        coroutine.send(None)
    except RuntimeError as error:
        return repr(error)


for label, load in (("CPython", native), ("Cython ", compiled)):
    print(label, message(load()))
# CPython RuntimeError('coroutine raised StopIteration')
# Cython  RuntimeError('generator raised StopIteration')
