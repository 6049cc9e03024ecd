# Nuitka only (python -m nuitka --module FILE, then python -c "import nuitka_asyncgen_aclose_return"); plain
# CPython runs it too, for comparison. An async generator whose body catches aclose()'s GeneratorExit and
# returns: CPython ends the aclose() awaitable with StopIteration; a Nuitka-compiled one raises
# SystemError('error return without exception set'), an interpreter-level error.
async def agen():
    try:
        yield 1
    except GeneratorExit:
        return


def attempt(call):
    try:
        return "returned %r" % (call(),)
    except StopIteration as stop:
        return "StopIteration(%r)" % (stop.value,)
    except BaseException as error:
        return "%s(%r)" % (type(error).__name__, str(error))


generator = agen()
print("asend(None).send(None): %s" % attempt(lambda: generator.asend(None).send(None)))
print("aclose().send(None):    %s" % attempt(lambda: generator.aclose().send(None)))
