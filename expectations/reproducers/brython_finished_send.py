# send(None) on a generator that has finished raises a StopIteration whose value is None. Brython's has the
# value '' (an empty string).
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


def body():
    return 309
    yield


coroutine = types.coroutine(body)()
values = []
for _ in range(2):
    try:
        coroutine.send(None)
    except StopIteration as stop:
        values.append(stop.value)
print(values)
# CPython: [309, None]
raise SystemExit(0 if values == [309, None] else 1)
