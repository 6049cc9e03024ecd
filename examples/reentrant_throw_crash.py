"""Why `coroconf check --isolate` exists: this crashes CPython 3.10 and 3.11 (SIGSEGV); 3.12, 3.13 and PyPy
survive. Found by `coroconf check examples.decorators:logged --kind decorator`.

A coroutine (`held`) awaits an inner one; while a throw() delivered through both is running the inner body,
that body throws into `held`, the object its caller holds. CPython 3.10/3.11 read the awaited object of the
running outer frame (`_PyGen_yf`) before refusing the call, and crash. Reading `held.cr_await` at that moment
does the same. Run it as a script: python3 examples/reentrant_throw_crash.py
"""


class Suspend:
    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, value):
        if getattr(self, "passed", False):
            raise StopIteration(value)
        self.passed = True
        return 1


async def inner():
    try:
        await Suspend()
    except BaseException:
        try:
            held.throw(ValueError("again"))  # re-entrant: `held` is running (it awaits this coroutine)
        except BaseException as refused:
            print("the re-entrant throw was refused:", repr(refused))
        raise


async def held_body():
    return await inner()


async def outer(awaited):
    return await awaited


if __name__ == "__main__":
    held = held_body()
    driver = outer(held)
    driver.send(None)
    try:
        driver.throw(KeyError("x"))
    except KeyError:
        pass
    print("survived")
