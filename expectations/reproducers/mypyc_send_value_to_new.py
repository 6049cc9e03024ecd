# mypyc: send(107) to a coroutine that has not started starts it (the value is dropped) instead of raising
# TypeError("can't send non-None value to a just-started coroutine").
from mypyc_build import Pause, compiled, native, outcome

SOURCE = "async def waits(pause):\n    return await pause\n"
for label, load in (("CPython", native), ("mypyc  ", compiled)):
    module = load(SOURCE, "send_value_to_new")
    print(label, outcome(lambda: module.waits(Pause()).send(107)))
# CPython raises TypeError("can't send non-None value to a just-started coroutine") (__context__ None)
# mypyc   returns 1
