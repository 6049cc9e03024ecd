# A generator suspended at `yield from` a generator that ignores GeneratorExit (it yields 507 instead).
# close(): CPython closes the inner one, whose RuntimeError('generator ignored GeneratorExit') is raised in the
# outer body at the `yield from` (the body sees it). MicroPython raises it to the caller, past the outer body.
# throw(GeneratorExit): CPython closes the inner one too (same RuntimeError in the body); MicroPython throws
# GeneratorExit into the inner one, which yields 507, and throw() returns 507.
# Run: python3 FILE (exit 0) / node node/run_script.mjs micropython FILE (exit 1: the difference shows)
def ignorer():
    while True:
        try:
            yield 1
        except GeneratorExit:
            yield 507


seen = []


def body():
    try:
        yield from ignorer()
    except BaseException as error:
        seen.append("body caught " + type(error).__name__)
        raise


def outcome(call):
    try:
        return "returned %r" % (call(),)
    except BaseException as error:
        return "raised " + type(error).__name__


for name in ("close", "throw"):
    outer = body()
    next(outer)
    said = outcome(outer.close if name == "close" else lambda: outer.throw(GeneratorExit))
    seen.append("%s %s" % (name, said))
print(seen)
# CPython: ['body caught RuntimeError', 'close raised RuntimeError', 'body caught RuntimeError', 'throw raised RuntimeError']
raise SystemExit(0 if seen == ["body caught RuntimeError", "close raised RuntimeError",
                               "body caught RuntimeError", "throw raised RuntimeError"] else 1)
