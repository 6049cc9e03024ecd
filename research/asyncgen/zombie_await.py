"""A ZOMBIE generator (aclose() answered by a yield, so it counts as closed) resumed by asend() whose body then
awaits: the model's ZOMBIE_AWAITING state, found with this script. Standard library only; run it under each interpreter:

    for v in 3.7.16 3.8.18 3.11.7 3.12.1 3.13.0; do ~/.pyenv/versions/$v/bin/python zombie_await.py; done

Seen on those builds: from 3.8 the generator is then in flight while counting as closed (ag_running True): a second
asend(), athrow() and aclose() are refused as "already running", and the asend() in flight, sent to again, resumes
the body (a yield there ends it normally, back at a ZOMBIE yield). On 3.7 the second asend() resumes the pending
await itself, athrow()/aclose() end at once, and the first asend(), sent to later, finds the body finished.
A state of its own (in flight like AWAITING, closed like CLOSING, a yield answering like ZOMBIE's): ZOMBIE_AWAITING.
"""
import sys, types
@types.coroutine
def pause(v):
    return (yield v)

async def agen():
    try:
        yield 1
    except GeneratorExit:
        pass
    yield 2                       # answers aclose(): ignored GeneratorExit -> ZOMBIE
    got = await pause("out")      # after asend() on the zombie: an await
    yield ("after", got)

def step(f):
    try:
        return "returned %r" % (f(),)
    except StopIteration as e:
        return "StopIteration(%r)" % (e.value,)
    except BaseException as e:
        return "%s(%r)" % (type(e).__name__, str(e))

def state(g):
    return "running=%s frame=%s await=%s" % (g.ag_running, g.ag_frame is not None, type(g.ag_await).__name__)

g = agen()
print("asend:", step(lambda: g.asend(None).send(None)))
print("aclose:", step(lambda: g.aclose().send(None)), state(g))
op = g.asend(None)
print("zombie asend:", step(lambda: op.send(None)), state(g))
print("second asend:", step(lambda: g.asend(None).send(None)), state(g))
print("athrow:", step(lambda: g.athrow(ValueError("x")).send(None)), state(g))
print("aclose:", step(lambda: g.aclose().send(None)), state(g))
print("op send:", step(lambda: op.send("v")), state(g))
print("asend after:", step(lambda: g.asend(None).send(None)), state(g))
