"""The C asyncio.Future's __await__ iterator (_asyncio.FutureIter), once a throw() has finished it, answers
send(None) with SystemError ("returned NULL without setting an exception") instead of StopIteration, as the
pure-Python Future (a generator) does. Differs on CPython 3.11 and 3.12."""
import asyncio
import sys


def after_throw(future_class):
    loop = asyncio.new_event_loop()
    iterator = future_class(loop=loop).__await__()
    iterator.send(None)
    try:
        iterator.throw(ValueError("thrown"))
    except ValueError:
        pass
    try:
        iterator.send(None)
        return "returned"
    except BaseException as error:
        return type(error).__name__
    finally:
        loop.close()


library, baseline = after_throw(asyncio.Future), after_throw(asyncio.futures._PyFuture)
print("C Future iterator: %s; pure-Python Future iterator: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
