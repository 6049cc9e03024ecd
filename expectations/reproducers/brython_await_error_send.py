# A native coroutine whose first await fails (`await 1`, an __await__() returning an int or a coroutine) makes
# send(None) raise TypeError. Brython's send(None) returns a JavaScript Promise instead (the body runs later,
# in the event loop's microtasks), so the TypeError never reaches the caller; and `yield from` a coroutine in
# a types.coroutine generator raises TypeError("'coroutine' object is not iterable") where CPython delegates.
# Run: python3 FILE (exit 0) / node node/run_script.mjs brython FILE (exit 1: the difference shows)
import types


class AwaitReturnsInt:
    def __await__(self):
        return 1


async def awaits_one():
    await 1


async def awaits_int_iterator():
    await AwaitReturnsInt()


def outcome_of(coroutine):
    try:
        said = "returned %r" % (coroutine.send(None),)  # no assignment after a raise: brython_throw_loses_locals.py
    except BaseException as error:
        said = "raised " + type(error).__name__
    return said


async def inner():
    return 5


@types.coroutine
def delegator():
    result = yield from inner()
    return result


seen = [outcome_of(awaits_one()), outcome_of(awaits_int_iterator()), outcome_of(delegator())]
print(seen)
# CPython: ['raised TypeError', 'raised TypeError', 'raised StopIteration']
raise SystemExit(0 if seen == ["raised TypeError", "raised TypeError", "raised StopIteration"] else 1)
