# Helper for the mypyc_*.py reproducers beside it: builds a small source with mypyc (pip install mypy, and
# setuptools on Python 3.12+; needs a C compiler) into a cached temporary directory and imports it, or runs the
# same source as plain Python for comparison.
import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import types


def native(source, name):
    module = types.ModuleType(name)
    exec(source, module.__dict__)
    return module


def build(source, name):
    """The directory holding the mypyc build of `source` as module `name` (built once per source and Python)."""
    key = hashlib.sha256((source + sys.version).encode()).hexdigest()[:12]
    work = os.path.join(tempfile.gettempdir(), "mypyc-repro-%s-%s" % (name, key))
    if not built(work, name):
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, name + ".py"), "w") as file:
            file.write(source)
        subprocess.run([sys.executable, "-m", "mypyc", name + ".py"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    return work


def built(work, name):
    found = [f for f in os.listdir(work) if f.startswith(name + ".") and f.endswith((".so", ".pyd"))] \
        if os.path.isdir(work) else []
    return os.path.join(work, found[0]) if found else None


def compiled(source, name):
    path = built(build(source, name), name)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Pause:
    """An await point: a plain iterator (no throw()), so a thrown exception is raised in the awaiting body."""

    def __await__(self):
        return iter([1])


def outcome(call):
    try:
        result = call()
    except BaseException as error:
        return "raises %r (__context__ %r)" % (error, error.__context__)
    return "returns %r" % (result,)
