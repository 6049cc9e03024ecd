"""Every way a user can point `coroconf check` at the wrong thing."""

import time

NOT_CALLABLE = 42


def raises(*args):
    raise OSError("the database is down")


def returns_none(*args):
    return None


def returns_int(*args):
    return 7


def hangs(*args):
    time.sleep(60)


class AwaitReturnsCoroutine:
    def __await__(self):
        async def inner():
            return 1
        return inner()


class AwaitReturnsInt:
    def __await__(self):
        return 5


def decorator_returns_none(function):
    return None
