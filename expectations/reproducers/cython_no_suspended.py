# Cython (3.3.1 here): its coroutines and generators have cr_running/cr_frame (gi_running/gi_frame) but no
# cr_suspended (gi_suspended), which inspect.getcoroutinestate (getgeneratorstate) reads from Python 3.11 on:
# there it raises AttributeError on every Cython coroutine, where it names the state of a native one.
# Builds a small source with Cython (pip install cython; needs a C compiler) in a temporary directory.
import hashlib
import importlib.util
import inspect
import os
import subprocess
import sys
import tempfile
import types

SOURCE = "async def waits(pause):\n    return await pause\n\ndef yields():\n    yield 1\n"


class Pause:
    def __await__(self):
        return iter([1])


def native():
    module = types.ModuleType("native_states")
    exec(SOURCE, module.__dict__)
    return module


def compiled():
    key = hashlib.sha256((SOURCE + sys.version).encode()).hexdigest()[:12]
    work = os.path.join(tempfile.gettempdir(), "cython-repro-%s" % key)
    os.makedirs(work, exist_ok=True)
    if not any(f.startswith("cython_states.") and f.endswith(".so") for f in os.listdir(work)):
        with open(os.path.join(work, "cython_states.py"), "w") as file:
            file.write(SOURCE)
        subprocess.run([sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-3", "-q", "cython_states.py"],
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(work, next(f for f in os.listdir(work) if f.startswith("cython_states.") and f.endswith(".so")))
    spec = importlib.util.spec_from_file_location("cython_states", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def states(module):
    coroutine, generator = module.waits(Pause()), module.yields()
    coroutine.send(None)
    next(generator)
    found = []
    for state, thing in ((inspect.getcoroutinestate, coroutine), (inspect.getgeneratorstate, generator)):
        try:
            found.append(state(thing))
        except AttributeError as error:
            found.append("AttributeError: %s" % (error,))
    has = [name for name in ("cr_running", "cr_frame", "cr_suspended") if hasattr(coroutine, name)]
    coroutine.close()
    return found, has


for label, load in (("CPython", native), ("Cython ", compiled)):
    print(label, *states(load()))
# Python 3.11+:
# CPython ['CORO_SUSPENDED', 'GEN_SUSPENDED'] ['cr_running', 'cr_frame', 'cr_suspended']
# Cython  ["AttributeError: ... no attribute 'cr_suspended'", "AttributeError: ... no attribute 'gi_suspended'"] ['cr_running', 'cr_frame']
