# athrow() on an async generator that has finished: CPython 3.6-3.13 end the awaitable at once with
# StopIteration (the exception is not raised); PyPy 7.3 (language 3.9) raises the exception given. Also after
# aclose() was answered by a yield (the generator counts as closed): CPython raises StopAsyncIteration (3.8+)
# or StopIteration (3.6/3.7), PyPy throws the exception into the body. Exit 1 where athrow() raises it.
import sys


async def finished():
    yield 1


async def ignores_exit():
    try:
        yield 1
    except GeneratorExit:
        yield 2


def attempt(call):
    try:
        call()
        return "returned"
    except StopIteration:
        return "StopIteration"
    except BaseException as error:
        return type(error).__name__


done = finished()
attempt(lambda: done.asend(None).send(None))
attempt(lambda: done.asend(None).send(None))  # the body ends: StopAsyncIteration
after_end = attempt(lambda: done.athrow(KeyError("k")).send(None))
zombie = ignores_exit()
attempt(lambda: zombie.asend(None).send(None))
attempt(lambda: zombie.aclose().send(None))  # RuntimeError: async generator ignored GeneratorExit
after_ignored = attempt(lambda: zombie.athrow(KeyError("k")).send(None))
print("athrow(KeyError) on a finished generator: %s; after aclose() was ignored: %s" % (after_end, after_ignored))
sys.exit(1 if after_end == "KeyError" else 0)
