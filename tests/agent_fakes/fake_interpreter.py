"""A misbehaving "interpreter" for the agent's robustness tests: it runs the real agent program it is given
(`fake_interpreter.py MODE CALL [MARKER] -c PROGRAM`, as the host starts any Python), but on a perform of
CALL it misbehaves as MODE says (with MARKER, a file path, only the first time in any child): hang, exit
(os._exit(3)), segfault (SIGSEGV), garbage (a line that is not JSON), or slow (answers every request after a
short sleep, for interrupting a run)."""

import json
import os
import signal
import sys
import time

mode, call = sys.argv[1], sys.argv[2]
once = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-c" else None  # a marker file: misbehave only once
program = sys.argv[sys.argv.index("-c") + 1]
namespace = {"__name__": "fake_agent"}
exec(compile(program.rsplit("main()", 1)[0], "<agent>", "exec"), namespace)  # the real body + agent
handle_line = namespace["handle_line"]

for line in sys.stdin:
    request = json.loads(line)
    step = request.get("step") or {}
    if request.get("op") == "perform" and step.get("call") == call and not (once and os.path.exists(once)):
        if once:
            open(once, "w").close()
        if mode == "hang":
            time.sleep(3600)
        elif mode == "exit":
            sys.stderr.write("fake interpreter: dying on %s\n" % call)
            sys.stderr.flush()
            os._exit(3)
        elif mode == "segfault":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif mode == "garbage":
            sys.stdout.write("this is not json\n")
            sys.stdout.flush()
            continue
    if mode == "slow":
        time.sleep(0.01)
    sys.stdout.write(handle_line(line) + "\n")
    sys.stdout.flush()
