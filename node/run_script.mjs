// Runs one Python file in a WebAssembly or JavaScript Python under Node, printing its output: for reproducers.
// Usage: node run_script.mjs pyodide|micropython|brython FILE.py
// The exit status is the script's own (SystemExit), 1 on an uncaught exception, else 0.
import { readFileSync } from "node:fs";

const [kind, path] = process.argv.slice(2);
const print = (text) => process.stdout.write(text + "\n");
const source = readFileSync(path, "utf8");
if (kind === "brython") {
  const { loadBrython, runScript } = await import("./brython_runtime.mjs");
  const B = loadBrython(print);
  process.exit(runScript(B, source, path, print));  // Brython leaves timers behind that would keep Node waiting
}
let runtime;
if (kind === "pyodide") {
  const { loadPyodide } = await import("pyodide");
  runtime = await loadPyodide({ stdout: print, stderr: print });
} else if (kind === "micropython") {
  const { loadMicroPython } = await import("@micropython/micropython-webassembly-pyscript");
  runtime = await loadMicroPython({ stdout: print, stderr: print });
} else {
  throw new Error(`unknown runtime ${JSON.stringify(kind)}: expected pyodide, micropython or brython`);
}
runtime.runPython(source);
