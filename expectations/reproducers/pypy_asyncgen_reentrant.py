# An async generator's body that calls asend()/athrow()/aclose() on itself while running: CPython 3.8+ refuses
# asend() with RuntimeError('anext(): asynchronous generator is already running'), 3.10+ refuses athrow() and
# aclose() likewise (3.6-3.9 end those awaitables at once with StopIteration); PyPy 7.3 (language 3.9) raises
# ValueError('async generator already executing') for all three, as CPython 3.6/3.7 do for asend(). Exit 1 where
# asend() from inside raises ValueError.
import sys

seen = {}


async def agen():
    for name, make in (("asend", lambda: holder[0].asend(None)), ("athrow", lambda: holder[0].athrow(KeyError)),
                       ("aclose", lambda: holder[0].aclose())):
        try:
            make().send(None)
            seen[name] = "returned"
        except StopIteration:
            seen[name] = "StopIteration"
        except BaseException as error:
            seen[name] = "%s(%r)" % (type(error).__name__, str(error))
    yield 1


holder = [agen()]
try:
    holder[0].asend(None).send(None)
except StopIteration:
    pass
print("from inside the body: %r" % (seen,))
sys.exit(1 if seen["asend"].startswith("ValueError") else 0)
