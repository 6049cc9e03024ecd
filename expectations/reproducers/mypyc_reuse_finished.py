# mypyc: a finished coroutine asked again (send, or throw) raises StopIteration instead of
# RuntimeError('cannot reuse already awaited coroutine').
from mypyc_build import compiled, native, outcome

SOURCE = "async def answers():\n    return 5\n"
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "reuse_finished")
    coroutine = module.answers()
    outcome(lambda: coroutine.send(None))  # runs to its end: StopIteration(5)
    print(label, "send(None) again:", outcome(lambda: coroutine.send(None)),
          "| throw(KeyError) again:", outcome(lambda: coroutine.throw(KeyError("k"))))
# CPython raises RuntimeError('cannot reuse already awaited coroutine') for both
# mypyc   raises StopIteration() for both
