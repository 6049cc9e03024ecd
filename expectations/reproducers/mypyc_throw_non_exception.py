# mypyc: throw(42) (not an exception) kills the interpreter instead of raising TypeError('exceptions must be
# classes or instances deriving from BaseException, not int'). Each call runs in its own child.
import subprocess
import sys

from mypyc_build import build

SOURCE = "async def waits(pause):\n    return await pause\n"
CHILD = """import sys
sys.path.insert(0, %r)
from mypyc_build import Pause, compiled, native, outcome
module = %s(%r, "throw_non_exception")
coroutine = module.waits(Pause())
%s
print(outcome(lambda: coroutine.throw(42)))
"""
build(SOURCE, "throw_non_exception")  # built here, so a build failure is not mistaken for a crash
for case, before in (("new coroutine", ""), ("suspended", "coroutine.send(None)")):
    for kind in ("native", "compiled"):
        program = CHILD % (sys.path[0], kind, SOURCE, before)
        child = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
        ended = "exit status %d" % child.returncode if child.returncode >= 0 else "killed by signal %d" % -child.returncode
        print("%-13s %-8s %s: %s" % (case, kind, ended, child.stdout.strip()))
# new coroutine native   exit status 0: raises TypeError('exceptions must be ... not int') (__context__ None)
# new coroutine compiled killed by signal 11 (or exit status 1: "print_exception(): Exception expected")
# suspended     native   exit status 0: raises TypeError(...)
# suspended     compiled killed by signal 11
