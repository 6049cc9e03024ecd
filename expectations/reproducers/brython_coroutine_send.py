# A native coroutine's send(None) runs its body to the first await and returns the value that await passes
# out; its __await__() gives an iterator. Brython's send(None) returns a JavaScript Promise (the body goes on
# in the event loop's microtasks) and its coroutines have no __await__: the direct, await and delegation
# drivers cannot follow a call sequence there, so the agent reports them unavailable.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)


class Suspend:
    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return "passed out"


async def body():
    await Suspend()


coroutine = body()
try:
    sent = ["returned", coroutine.send(None)]  # no assignment in a try block: see brython_throw_loses_locals.py
except BaseException as error:
    sent = ["raised", error]
has_await = hasattr(coroutine, "__await__")
print("send(None):", sent[0], repr(sent[1]), "| has __await__:", has_await)
# CPython: send(None): returned 'passed out' | has __await__: True
raise SystemExit(0 if sent == ["returned", "passed out"] and has_await else 1)
