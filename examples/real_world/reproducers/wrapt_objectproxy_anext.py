"""anext(wrapt.ObjectProxy(agen)) raises TypeError, and so does `async for` over it: the proxy forwards
__anext__ as an attribute, but its class has none, which is where anext() and `async for` look. asend(),
athrow() and aclose() are forwarded. Differs on 3.11 and 3.12."""
import asyncio
import sys

import wrapt


async def agen():
    yield 1


async def first_item(iterator):
    try:
        async for item in iterator:
            return "item %r" % (item,)
    except TypeError as error:
        return "TypeError: %s" % (error,)


library = asyncio.run(first_item(wrapt.ObjectProxy(agen())))
baseline = asyncio.run(first_item(agen()))
print("async for over ObjectProxy(agen): %s; over agen: %s" % (library, baseline))
sys.exit(1 if library != baseline else 0)
