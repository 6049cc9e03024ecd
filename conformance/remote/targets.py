"""Target interpreters: find them, start the agent inside one, and talk to it over JSON lines.

A target is any Python command (`pypy3`, `/usr/bin/python3.11`, a pyenv build), or `pyodide` /
`micropython` / `brython`, which run under Node from the npm packages in the project's node/ folder. One child
serves a whole run; it is restarted after a hang or a crash. Nothing a child sends is evaluated: each line
is parsed as JSON and checked by the caller.
"""

from __future__ import annotations

import json
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from conformance import PACKAGE_DIR
from conformance.errors import TargetError
from conformance.protocol.observation import SubjectFailure
from conformance.remote.compiled import COMPILERS, PACKAGES, compiler_installed

SUBJECT_DIR = PACKAGE_DIR / "subject"
NODE_DIR = Path(os.environ.get("COROCONF_NODE_DIR", PACKAGE_DIR.parent / "node"))
NODE_PACKAGES = {"pyodide": "pyodide", "micropython": "@micropython/micropython-webassembly-pyscript",
                 "brython": "brython"}
STDERR_TAIL = 2000
SLOW_STARTS = ("brython",)  # see TargetSpec.fresh_after_deviation; AgentProcess keeps a spare child for them




class ProtocolError(SubjectFailure):
    """A child that broke the protocol: a line that is not JSON, or JSON of the wrong shape."""

    def __init__(self, target: str, detail: str):
        super().__init__("crash", f"protocol error from {target}: {detail}")


@dataclass
class TargetSpec:
    """How to start one target: a label for reports and the command line that runs the agent."""

    label: str
    command: list[str]
    runtime: str = "python"  # python: the command takes `-c PROGRAM`; pyodide / micropython / brython: via Node
    # Whether a subject that deviated leaves its child behind (damage to the process is not blamed on later
    # subjects). A child whose start costs a second or more and whose subjects live in a garbage-collected
    # heap (Brython) keeps serving; a crash, hang or protocol error still replaces it.
    fresh_after_deviation: bool = True
    subject: str | None = None  # a compiled subject (cython, nuitka, mypyc) built for and run in `command`

    def describe(self) -> str:
        return f"{self.label} ({shlex.join(self.command)})"


def compiled_target(compiler: str) -> TargetSpec:
    """A compiled subject as a matrix target: `coroconf run --subject COMPILER` in this Python."""
    if not compiler_installed(compiler):
        raise TargetError(f"cannot run the {compiler} subject: {compiler} is not installed for {sys.executable} "
                          f"(pip install {PACKAGES[compiler]})")
    return TargetSpec(compiler, [sys.executable], subject=compiler)


def node_runtime_available(runtime: str) -> str | None:
    """None when Node and the runtime's npm package are installed, else why not."""
    if shutil.which("node") is None:
        return "Node is not on PATH (Debian: apt-get install nodejs)"
    if not (NODE_DIR / "node_modules" / NODE_PACKAGES[runtime] / "package.json").exists():
        return f"the npm package {NODE_PACKAGES[runtime]!r} is not installed in {NODE_DIR} (run `npm ci` there)"
    return None


def resolve_target(text: str) -> TargetSpec:
    """A target named on the command line -> how to start it; TargetError says what is missing."""
    text = text.strip()
    if text in NODE_PACKAGES:
        reason = node_runtime_available(text)
        if reason:
            raise TargetError(f"cannot run {text}: {reason}")
        return TargetSpec(text, ["node", str(NODE_DIR / "agent_runner.mjs"), text], runtime=text,
                          fresh_after_deviation=text not in SLOW_STARTS)
    command = shlex.split(text)
    if not command:
        raise TargetError("expected an interpreter (a Python command, pyodide, micropython or brython), found nothing")
    found = shutil.which(command[0])
    if found is None:
        raise TargetError(f"no interpreter {command[0]!r}: expected a Python executable on PATH or a path to one, "
                          "or pyodide / micropython / brython")
    return TargetSpec(text, [found, *command[1:]])


def agent_program(subject_module: str | None = None) -> str:
    """The text the child runs: body.py, probes.py, shape.py, then agent.py, unchanged; asyncgen_body.py goes as a
    string (ASYNCGEN_SOURCE) that the agent compiles where the interpreter has async generators."""
    texts = [(SUBJECT_DIR / name).read_text() for name in ("body.py", "probes.py", "shape.py")]
    texts.append("ASYNCGEN_SOURCE = " + repr((SUBJECT_DIR / "asyncgen_body.py").read_text()))
    return "\n\n".join(texts + [(SUBJECT_DIR / "agent.py").read_text()])


@dataclass
class AgentProcess:
    """One child interpreter running the agent; restarted on demand after it hangs or dies."""

    spec: TargetSpec
    call_timeout: float = 10.0
    start_timeout: float = 120.0
    subject_module: str | None = None
    probes_module: str | None = None  # a compiled build of probes.py, replacing the agent's own
    hello: dict = field(default_factory=dict)
    restarts: int = 0

    def __post_init__(self):
        self.process = None
        self.buffer = b""
        self.configured = None  # the configure message the running child has seen
        self.workdir = tempfile.TemporaryDirectory(prefix="coroconf-agent-")
        self.stderr_path = Path(self.workdir.name) / "stderr.txt"
        self.spare = None  # (process, stderr path): the next child, already starting (slow starts only)
        self.spawned = 0

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> dict:
        """Start the child (if it is not running) and return its hello."""
        if self.process is not None and self.process.poll() is None:
            return self.hello
        if self.hello:
            self.restarts += 1
        self.buffer = b""
        self.configured = None
        spare, self.spare, previous = self.spare, None, self.stderr_path
        if spare is not None and spare[0].poll() is None:
            self.process, self.stderr_path = spare
        else:
            self.process, self.stderr_path = self._spawn()
        previous.unlink(missing_ok=True)
        try:
            hello = self._exchange({"op": "hello"}, self.start_timeout)
            version, drivers = hello.get("version"), hello.get("drivers")
            if not hello.get("ok") or not isinstance(version, list) or len(version) < 2 \
                    or not all(isinstance(n, int) for n in version) or not isinstance(drivers, list) \
                    or not all(isinstance(d, str) for d in drivers):
                raise ProtocolError(self.spec.label, "expected a hello with a version [major, minor, ...] and a list "
                                                     f"of drivers, found {_excerpt(json.dumps(hello).encode())}")
            hello["shape"] = checked_shape(self.spec.label, hello.get("shape"))
            hello["unavailable"] = checked_reasons(self.spec.label, hello.get("unavailable", {}))
            if self.subject_module or self.probes_module:
                request = {"op": "subject", "path": self.subject_module and str(Path(self.subject_module).resolve()),
                           "probes": self.probes_module and str(Path(self.probes_module).resolve())}
                answer = self._exchange(request, self.start_timeout)
                if not answer.get("ok"):
                    raise TargetError(f"{self.spec.label} could not load the subject module "
                                      f"{self.subject_module or self.probes_module}: {answer.get('error')}")
        except SubjectFailure as failure:
            self.kill()
            raise TargetError(f"{self.spec.describe()} did not start the agent (expected Python 3.6 or later, "
                              f"pyodide, micropython or brython): {failure.detail}") from None
        self.hello = hello
        if self.spec.runtime in SLOW_STARTS:  # the next child starts while this one works
            self.spare = self._spawn()
        return hello

    def _spawn(self) -> tuple[subprocess.Popen, Path]:
        """A new child running the agent (its hello not yet asked for), and the file its stderr goes to."""
        program = agent_program()
        if self.spec.runtime == "python":
            command = [*self.spec.command, "-c", program + "\nmain()\n"]
        else:
            program_path = Path(self.workdir.name) / "agent_program.py"
            if not program_path.exists():  # written once: a spare child may be reading it
                program_path.write_text(program)
            command = [*self.spec.command, str(program_path)]
        self.spawned += 1
        stderr_path = Path(self.workdir.name) / f"stderr-{self.spawned}.txt"
        with open(stderr_path, "wb") as stderr:
            try:
                process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=stderr, cwd=self.workdir.name, start_new_session=True)
            except OSError as error:
                raise TargetError(f"cannot start {self.spec.describe()}: {error}") from None
        return process, stderr_path

    def kill(self) -> None:
        process, self.process = self.process, None
        stop(process)

    def close(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            try:
                process.stdin.close()
                process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        if self.spare is not None:
            stop(self.spare[0])
            self.spare = None
        self.workdir.cleanup()

    # -- talking ---------------------------------------------------------------------------------
    def request(self, message: dict, timeout: float | None = None) -> dict:
        """Send one request and return the child's answer; a hang, crash or garbage is a SubjectFailure."""
        self.start()
        return self._exchange(message, self.call_timeout if timeout is None else timeout)

    def configure(self, message: dict) -> None:
        """Send `message` (op configure) unless the running child already has it."""
        self.start()
        if self.configured != message:
            answer = self._exchange(message, self.call_timeout)
            if not answer.get("ok"):
                raise ProtocolError(self.spec.label, f"configure refused: {answer!r}")
            self.configured = message

    def _exchange(self, message: dict, timeout: float) -> dict:
        line = self._round_trip(json.dumps(message).encode() + b"\n", timeout)
        try:
            answer = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self.kill()
            raise ProtocolError(self.spec.label, f"expected one JSON object per line, found {_excerpt(line)}") \
                from None
        if not isinstance(answer, dict):
            self.kill()
            raise ProtocolError(self.spec.label, f"expected a JSON object, found {_excerpt(line)}")
        return answer

    def _round_trip(self, data: bytes, timeout: float) -> bytes:
        process = self.process
        try:
            os.write(process.stdin.fileno(), data)
        except (BrokenPipeError, OSError):
            raise self._crashed() from None
        deadline = time.monotonic() + timeout
        stdout = process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise SubjectFailure("hang", f"{self.spec.label} gave no answer within {timeout:g} s "
                                             "(the child was killed and will be restarted)")
            ready, _, _ = select.select([stdout], [], [], left)
            if ready:
                chunk = os.read(stdout, 1 << 16)
                if not chunk:
                    raise self._crashed()
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def _crashed(self) -> SubjectFailure:
        process = self.process
        try:
            status = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        self.kill()
        return SubjectFailure("crash", f"{self.spec.label} died ({describe_status(status)}); "
                                       f"stderr ends: {self.stderr_tail()!r}")

    def stderr_tail(self) -> str:
        try:
            data = self.stderr_path.read_bytes()
        except OSError:
            return ""
        return data[-STDERR_TAIL:].decode("utf-8", "replace").strip()

    # -- what it is --------------------------------------------------------------------------------
    def info(self) -> dict:
        """The interpreter, as a report's `interpreter` field."""
        hello = self.hello
        implementation = {"cpython": "CPython", "pypy": "PyPy", "micropython": "MicroPython", "brython": "Brython"}.get(
            hello.get("implementation"), hello.get("implementation"))
        if self.spec.runtime == "pyodide":
            implementation = "Pyodide (CPython)"
        return {"implementation": implementation, "version": ".".join(str(n) for n in hello.get("version", [])),
                "implementation_version": ".".join(str(n) for n in hello.get("implementation_version", [])),
                "executable": self.spec.label, "platform": hello.get("platform"),
                "capabilities": hello.get("capabilities", {}), "shape": hello.get("shape"), "agent": True}

    def version(self, oldest: tuple[int, int] = (3, 6)) -> tuple[int, int]:
        """The language version the child reports, raised to the oldest the model describes (MicroPython
        reports 3.4)."""
        reported = tuple(self.hello["version"][:2])
        return max(reported, oldest)


SHAPE_FLAGS = {"free_threaded_build": (bool,), "gil_enabled": (bool, type(None)), "debug_build": (bool,)}


def checked_shape(label: str, shape) -> dict:
    """The hello's `shape` (conformance/subject/shape.py), every field checked: the child's JSON is untrusted."""
    expected = {"jit", *SHAPE_FLAGS}
    jit = shape.get("jit") if isinstance(shape, dict) else None
    if not isinstance(shape, dict) or set(shape) != expected or not isinstance(jit, list) or len(jit) > 8 \
            or not all(isinstance(name, str) and 0 < len(name) <= 40 and name.isprintable() for name in jit) \
            or not all(isinstance(shape[flag], kinds) for flag, kinds in SHAPE_FLAGS.items()):
        raise ProtocolError(label, "expected a hello with a shape {jit: [names], free_threaded_build: bool, "
                                   f"gil_enabled: bool or null, debug_build: bool}}, found "
                                   f"{_excerpt(json.dumps(shape).encode())}")
    return {"jit": list(jit), **{flag: shape[flag] for flag in SHAPE_FLAGS}}


def stop(process: subprocess.Popen | None) -> None:
    """Kill a child and its process group, and close its pipes."""
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.wait()
    for pipe in (process.stdin, process.stdout):
        try:
            pipe.close()
        except OSError:
            pass


def checked_reasons(label: str, reasons) -> dict:
    """The hello's `unavailable` ({driver: why it cannot run there}), checked: the child's JSON is untrusted."""
    if not isinstance(reasons, dict) or len(reasons) > 16 or not all(
            isinstance(name, str) and isinstance(why, str) and len(name) <= 40 for name, why in reasons.items()):
        raise ProtocolError(label, "expected a hello whose `unavailable` maps driver names to reasons, found "
                                   f"{_excerpt(json.dumps(reasons).encode())}")
    return {name: why[:400] for name, why in reasons.items()}


def describe_status(status: int | None) -> str:
    if status is None:
        return "still running, unresponsive"
    if status < 0:
        try:
            return f"killed by signal {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


def _excerpt(line: bytes, limit: int = 200) -> str:
    text = line.decode("utf-8", "replace")
    return repr(text[:limit] + ("..." if len(text) > limit else ""))


# -- finding targets ------------------------------------------------------------------------------

def discover_targets() -> list[TargetSpec]:
    """Every interpreter this machine offers (CPythons on PATH and under pyenv, PyPy, Pyodide, MicroPython,
    Brython), and the compiled subjects whose compilers this Python has."""
    found: dict[str, TargetSpec] = {}
    seen_executables = set()

    def add(label: str, path: str) -> None:
        real = os.path.realpath(path)
        if real in seen_executables:
            return
        seen_executables.add(real)
        found[label] = TargetSpec(label, [path])

    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    newest: dict[str, Path] = {}  # X.Y -> the newest X.Y.Z build under pyenv
    for directory in sorted((pyenv_root / "versions").glob("3.*"), key=lambda p: _version_key(p.name)):
        if (directory / "bin" / "python").exists() and directory.name.replace(".", "").isdigit():
            newest[".".join(directory.name.split(".")[:2])] = directory / "bin" / "python"
    for minor, python in sorted(newest.items(), key=lambda item: _version_key(item[0])):
        add(f"cpython-{minor}", str(python))
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory) or "shims" in Path(directory).parts:
            continue
        for candidate in sorted(Path(directory).glob("python3.*")):
            suffix = candidate.name[len("python"):]
            if suffix.replace(".", "").isdigit() and os.access(candidate, os.X_OK):
                add(f"{candidate.name}@{candidate.parent}", str(candidate))
    for name in ("pypy3",):
        path = shutil.which(name)
        if path:
            add(name, path)
    for runtime in NODE_PACKAGES:
        if node_runtime_available(runtime) is None:
            found[runtime] = resolve_target(runtime)
    for compiler in COMPILERS:  # compiled subjects beside the interpreters, when this Python has the compiler
        if compiler_installed(compiler):
            found[compiler] = compiled_target(compiler)
    return list(found.values())


def _version_key(text: str):
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))
