// Runs the coroutine-conformance agent inside a WebAssembly or JavaScript Python under Node.
// Usage: node agent_runner.mjs pyodide|micropython|brython PROGRAM.py
// PROGRAM.py is body.py, shape.py and agent.py (the host writes it); this script loads the runtime, runs the
// program, then feeds each stdin line to the agent's handle_line() and writes its answer as one stdout line.
// Python's own prints go to stderr, so nothing but answers ever reaches the protocol pipe.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [kind, programPath] = process.argv.slice(2);
const program = readFileSync(programPath, "utf8");
const toStderr = (text) => process.stderr.write(text + "\n");

// The runtime with the program loaded: a function from one request line to the agent's answer.
async function loadAgent() {
  if (kind === "pyodide") {
    const { loadPyodide } = await import("pyodide");
    return pythonAgent(await loadPyodide({ stdout: toStderr, stderr: toStderr }));
  }
  if (kind === "micropython") {
    const { loadMicroPython } = await import("@micropython/micropython-webassembly-pyscript");
    return pythonAgent(await loadMicroPython({ stdout: toStderr, stderr: toStderr, heapsize: 64 * 1024 * 1024 }));
  }
  if (kind === "brython") {
    const { loadBrython, importSource, saveCompiled } = await import("./brython_runtime.mjs");
    const B = loadBrython(toStderr);
    const handleLine = B.$getattr(importSource(B, program, "coroconf_agent"), "handle_line");
    return (line) => {
      const answer = B.$call(handleLine, line);
      saveCompiled(B);  // the standard library modules compiled so far, for the next child's start
      return answer;
    };
  }
  throw new Error(`unknown runtime ${JSON.stringify(kind)}: expected pyodide, micropython or brython`);
}

function pythonAgent(runtime) {
  runtime.runPython(program);
  return runtime.globals.get("handle_line");
}

const handleLine = await loadAgent();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  process.stdout.write(String(handleLine(line)) + "\n");
}
process.exit(0);  // Brython leaves timers behind that would keep Node waiting after stdin closes
