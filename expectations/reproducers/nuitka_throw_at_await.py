# Nuitka only (python -m nuitka --module FILE, then python -c "import nuitka_throw_at_await"):
# 1. throw(StopIteration(404)) into a coroutine suspended at `await` on an iterator with no throw() (the suite's
#    Suspend): CPython raises the StopIteration at the await (the body sees "caught StopIteration"); Nuitka
#    4.3.3 resumes the body with 404 as the await's value.
# 2. throw(GeneratorExit()) there, the body re-raising it with a bare `raise`: CPython lets GeneratorExit out;
#    Nuitka raises RuntimeError('No active exception to reraise').
import types


class Suspend:  # an await point with no throw(): a thrown exception lands in the awaiting frame
    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return 208

    def send(self, value):
        return 208


@types.coroutine
def suspend():
    yield 208


async def catches():
    try:
        got = await Suspend()
        return ("await returned", got)
    except BaseException as error:
        return ("caught", type(error).__name__)


coro = catches()
coro.send(None)
try:
    coro.throw(StopIteration(404))
except StopIteration as done:
    print(1, done.value)  # CPython: 1 ('caught', 'StopIteration')


async def reraises():
    try:
        await suspend()
    except BaseException:
        raise


coro = reraises()
coro.send(None)
try:
    coro.throw(GeneratorExit())
except BaseException as error:
    print(2, repr(error))  # CPython: 2 GeneratorExit()
