# mypyc: the await expression and the iterator surface of mypyc-compiled coroutines (the model's [[probe]]
# rows), next to the same source run by CPython. It runs await_expression.py (beside it) both ways.
import os

from mypyc_build import compiled, native

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "await_expression.py")) as file:
    SOURCE = file.read()
for label, load in (("CPython", native), ("mypyc", compiled)):
    print("==", label)
    load(SOURCE, "await_expression_probe")
# CPython: see await_expression.py. mypyc 2.4.1 (CPython 3.11):
#   await 1: TypeError("'int' object is not iterable")
#   __await__ gives int: AttributeError("'int' object has no attribute 'send'")
#   __await__ gives coroutine: suspended, yielding 21           (accepted)
#   second awaiter: finished, returning None                    (accepted, and it resumes the coroutine)
#   await finished: finished, returning None                    (no RuntimeError)
#   yield from in generator: suspended, yielding 21             (accepted)
#   iter(coro): returned a body_gen                              (a mypyc coroutine is an iterator)
#   next(coro): returned 21
