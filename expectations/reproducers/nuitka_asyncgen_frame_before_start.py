# Nuitka only (python -m nuitka --module FILE, then python -c "import nuitka_asyncgen_frame_before_start"); plain
# CPython runs it too, for comparison. A new async generator that has not started: CPython gives it its frame at
# once (ag_frame is not None, as for a coroutine or a generator), so inspect.getasyncgenstate says AGEN_CREATED from
# the frame; the Nuitka-compiled one shows ag_frame None until its first operation. Exit 1 where ag_frame is None.
import sys


async def agen():
    yield 1


generator = agen()
print("a new async generator: ag_frame is None:", generator.ag_frame is None)
unstarted = generator.ag_frame is None
operation = generator.asend(None)
try:
    operation.send(None)
except StopIteration as stop:
    print("first asend(None) yields", stop.value, "; ag_frame is None:", generator.ag_frame is None)
sys.exit(1 if unstarted else 0)
