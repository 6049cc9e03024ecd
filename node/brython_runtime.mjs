// Loads Brython (Python written in JavaScript, the npm package `brython`) into this Node process.
// Brython is made for browsers: it expects a few of their globals, which are stood in for here before its two
// scripts run. Its own Set.prototype.difference fallback (Node 20 has none) takes (self, other) instead of
// (other), which breaks `import json`, so a correct one is put in first. Everything Brython prints through
// console.* goes to `write` (the callers keep it off the agent's stdout pipe).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { runInThisContext } from "node:vm";

function standIns(write) {
  const text = (args) => args.map((a) => (typeof a === "string" ? a : String(a))).join(" ").replace(/\n$/, "");
  for (const name of ["log", "info", "warn", "error", "debug", "trace"]) {
    console[name] = (...args) => write(text(args));
  }
  globalThis.self = globalThis;
  globalThis.addEventListener = () => {};
  globalThis.module = { exports: {} };
  globalThis.location = { href: "http://localhost/", origin: "http://localhost", pathname: "/", search: "",
                          hash: "" };
  globalThis.CustomEvent ??= class CustomEvent extends Event {
    constructor(type, options) { super(type, options); this.detail = options?.detail ?? null; }
  };
  if (!Object.hasOwn(Set.prototype, "difference")) {
    Object.defineProperty(Set.prototype, "difference", {
      configurable: true, writable: true,
      value(other) { const result = new Set(); for (const item of this) if (!other.has(item)) result.add(item); return result; },
    });
  }
}

// Brython's runtime (__BRYTHON__), loaded with its standard library and the modules compiled by earlier
// starts, and `write` receiving its prints.
export function loadBrython(write) {
  standIns(write);
  const require = createRequire(import.meta.url);
  const folder = require.resolve("brython/package.json").replace(/package\.json$/, "");
  const hash = createHash("sha256");
  for (const file of ["brython.js", "brython_stdlib.js"]) {
    const text = readFileSync(folder + file, "utf8");
    hash.update(text);
    runInThisContext(text, { filename: folder + file });
  }
  globalThis.document ??= {};
  globalThis.document.dispatchEvent = () => true;
  const B = globalThis.__BRYTHON__;
  B.imported ??= {};
  loadCompiled(B, hash.digest("hex").slice(0, 16));
  return B;
}

// Compiling the standard library modules the agent imports (inspect, json, warnings...) from Python to
// JavaScript takes most of a start; in a browser Brython keeps them in indexedDB, here in one JSON file per
// Brython build in the suite's cache ($COROCONF_CACHE or ~/.cache/coroutine-conformance).
function loadCompiled(B, key) {
  const folder = process.env.COROCONF_CACHE || join(homedir(), ".cache", "coroutine-conformance");
  B.coroconfCache = { path: join(folder, `brython-${key}.json`), saved: 0 };
  try {
    Object.assign(B.precompiled, JSON.parse(readFileSync(B.coroconfCache.path, "utf8")));
  } catch (ignored) { /* no cache yet, or a damaged one: compile again */ }
  B.coroconfCache.saved = Object.keys(B.precompiled).length;
}

// Writes the compiled modules back when this start compiled new ones (atomically: starts may overlap).
export function saveCompiled(B) {
  const cache = B.coroconfCache, count = Object.keys(B.precompiled).length;
  if (!cache || count === cache.saved) return;
  cache.saved = count;
  try {
    mkdirSync(join(cache.path, ".."), { recursive: true });
    const partial = `${cache.path}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(B.precompiled));
    renameSync(partial, cache.path);
  } catch (ignored) { /* a cache that cannot be written only costs time */ }
}

// Runs `source` as a new Brython module named `name` and returns the module; a Python exception propagates
// as Brython's JavaScript error object.
export function runModule(B, source, name) {
  return B.runPythonSource(source, name);
}

// Imports `source` as a module, named after its hash so that its compiled form is kept in the cache with the
// standard library's (compiling the agent is a fifth of a start) and never taken for another source's.
export function importSource(B, source, prefix) {
  const name = `${prefix}_${createHash("sha256").update(source).digest("hex").slice(0, 16)}`;
  B.VFS[name] = [".py", source, [], false];
  B.runPythonSource(`import ${name}`, `${prefix}_importer`);
  for (const stale of Object.keys(B.precompiled)) {
    if (stale.startsWith(`${prefix}_`) && stale !== name) delete B.precompiled[stale];
  }
  return B.imported[name];
}

// The Python exception a Brython error stands for, as "Type: message" (a JavaScript error as itself).
export function describeError(B, error) {
  if (error && error.ob_type) {
    try {
      return B.$getattr(error.ob_type, "__name__") + ": " + B.$call(B.builtins.str, error);
    } catch (ignored) { /* fall through */ }
  }
  return String(error && error.stack ? error.stack : error);
}

// Runs a script file's text as __main__ and returns its exit status: SystemExit's code, 1 after an uncaught
// exception (its traceback printed through `write`), else 0. (Brython's sys.exit(n) loses n: scripts that
// mean to exit with a status raise SystemExit(n).)
export function runScript(B, source, path, write) {
  try {
    const runner = runModule(B, SCRIPT_RUNNER, "coroconf_script_runner");
    return Number(B.$call(B.$getattr(runner, "run"), source, path));
  } catch (error) {
    return exitStatus(B, error, write);
  }
}

const SCRIPT_RUNNER = `import sys, traceback

def run(source, path):
    try:
        exec(compile(source, path, "exec"), {"__name__": "__main__", "__file__": path})
    except SystemExit as stop:  # Brython's SystemExit has no .code
        code = stop.args[0] if stop.args else None
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException:
        traceback.print_exc(file=sys.stdout)
        return 1
    return 0
`;

// The exit status a Python error stands for: SystemExit's code, else 1 after printing the error with `write`.
export function exitStatus(B, error, write) {
  if (error && error.ob_type === B.builtins.SystemExit) {
    const code = error.args && error.args.length ? error.args[0] : 0;
    return typeof code === "number" ? code : (code == null ? 0 : 1);
  }
  write("Traceback (Brython): " + describeError(B, error));
  return 1;
}
