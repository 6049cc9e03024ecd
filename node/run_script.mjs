// Runs one Python file in a WebAssembly Python under Node, printing its output: for reproducers.
// Usage: node run_script.mjs pyodide|micropython FILE.py
import { readFileSync } from "node:fs";

const [kind, path] = process.argv.slice(2);
const print = (text) => process.stdout.write(text + "\n");
let runtime;
if (kind === "pyodide") {
  const { loadPyodide } = await import("pyodide");
  runtime = await loadPyodide({ stdout: print, stderr: print });
} else if (kind === "micropython") {
  const { loadMicroPython } = await import("@micropython/micropython-webassembly-pyscript");
  runtime = await loadMicroPython({ stdout: print, stderr: print });
} else {
  throw new Error(`unknown runtime ${JSON.stringify(kind)}: expected pyodide or micropython`);
}
runtime.runPython(readFileSync(path, "utf8"));
