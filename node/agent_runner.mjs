// Runs the coroutine-conformance agent inside a WebAssembly Python under Node.
// Usage: node agent_runner.mjs pyodide|micropython PROGRAM.py
// PROGRAM.py is body.py followed by agent.py (the host writes it); this script loads the runtime, runs the
// program, then feeds each stdin line to the agent's handle_line() and writes its answer as one stdout line.
// Python's own prints go to stderr, so nothing but answers ever reaches the protocol pipe.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [kind, programPath] = process.argv.slice(2);
const program = readFileSync(programPath, "utf8");
const toStderr = (text) => process.stderr.write(text + "\n");

async function loadRuntime() {
  if (kind === "pyodide") {
    const { loadPyodide } = await import("pyodide");
    return await loadPyodide({ stdout: toStderr, stderr: toStderr });
  }
  if (kind === "micropython") {
    const { loadMicroPython } = await import("@micropython/micropython-webassembly-pyscript");
    return await loadMicroPython({ stdout: toStderr, stderr: toStderr, heapsize: 64 * 1024 * 1024 });
  }
  throw new Error(`unknown runtime ${JSON.stringify(kind)}: expected pyodide or micropython`);
}

const runtime = await loadRuntime();
runtime.runPython(program);
const handleLine = runtime.globals.get("handle_line");
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  process.stdout.write(String(handleLine(line)) + "\n");
}
