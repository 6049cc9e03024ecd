"""A Future-like awaitable: `await Box()` suspends until someone calls `set_result`.

    coroconf check examples.future_like:Box --kind awaitable      # conforms

Its __await__ is a generator, so awaiting it from a coroutine passes its yielded value (the box itself,
as asyncio's Future does) out to the caller, and its `return` becomes the value of `await`.
"""


class Box:
    def __init__(self):
        self.done = False
        self.result = None

    def set_result(self, value):
        self.done, self.result = True, value

    def __await__(self):
        while not self.done:
            sent = yield self
            if sent is not None:
                self.set_result(sent)
        return self.result
