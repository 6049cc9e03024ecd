# Nuitka (pip install nuitka; needs a C compiler): `yield from` a coroutine inside a types.coroutine generator
# works in a Nuitka-built module on its own, and fails once a second, separately Nuitka-built module was imported
# first: TypeError("cannot 'yield from' a coroutine object in a non-coroutine generator"). CPython, and each
# module alone, print "finished, returning 5". (coroconf's agent imports two such builds: body.py and probes.py.)
# Likewise iter() of a types.coroutine generator: CPython and one module alone print "iter(g) is g: True"; with
# another Nuitka module imported first, types.coroutine gives a nuitka_types_patch.GeneratorWrapperEnhanced whose
# iter() returns the wrapped compiled generator: "iter(g) is g: False".
# Usage: python FILE            -> builds both modules with Nuitka in a temporary directory, then runs them
import os
import subprocess
import sys
import tempfile

FIRST = "async def unrelated():\n    return 1\n"
SECOND = '''import types


class Pause:
    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, received):
        if getattr(self, "passed", False):
            raise StopIteration(received)
        self.passed = True
        return 21


async def body():
    return await Pause()


def delegator(coro):
    return (yield from coro)


def counting():
    yield 1
    yield 2


def iterates():
    generator = types.coroutine(counting)()
    return "iter(g) is g: %r (%s)" % (iter(generator) is generator, type(generator).__name__)


def run():
    generator = types.coroutine(delegator)(body())
    generator.send(None)
    try:
        generator.send(5)
    except StopIteration as stop:
        return "finished, returning %r" % (stop.value,)
'''
CHECK = '''import sys
sys.path.insert(0, %r)
if %r:
    import nuitka_first
import nuitka_second
try:
    print(%r, nuitka_second.run())
except Exception as error:
    print(%r, "%%s(%%r)" %% (type(error).__name__, str(error)))
print(%r, nuitka_second.iterates())
'''

work = tempfile.mkdtemp(prefix="nuitka-two-modules-")
for name, source in (("nuitka_first", FIRST), ("nuitka_second", SECOND)):
    with open(os.path.join(work, name + ".py"), "w") as file:
        file.write(source)
    subprocess.run([sys.executable, "-m", "nuitka", "--module", name + ".py", "--remove-output", "--quiet",
                    "--assume-yes-for-downloads"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    os.remove(os.path.join(work, name + ".py"))
for first in (False, True):
    label = "with another Nuitka module imported first:" if first else "alone:"
    subprocess.run([sys.executable, "-c", CHECK % (work, first, label, label, label)], check=True)
