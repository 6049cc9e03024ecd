# close() on a generator that never started, or that has finished, returns None. Brython returns a
# JavaScript undefined (its repr is <Javascript undefined>, and it is not None).
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


def body():
    yield "passed out"


new = types.coroutine(body)()
finished = types.coroutine(body)()
for _ in finished:
    pass
# (no list or variable holds the results: a JavaScript undefined put in a Brython list is lost)
print(repr(new.close()), repr(finished.close()))
# CPython: None None
raise SystemExit(0 if new.close() is None and finished.close() is None else 1)
