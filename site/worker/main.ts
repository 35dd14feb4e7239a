/**
 * The Web Worker that runs a lecture page's cells, as the tslab kernel runs them in Jupyter: one shared
 * scope, printed text and displays sent to the page while a cell runs (the page stays responsive; Stop
 * ends this worker). Built by site/build-assets.cjs into one file for the whole site, with the package,
 * Graphviz, sucrase and acorn in it.
 */
import "./prelude"; // before the package: it makes a SharedArrayBuffer at load time
import { Buffer } from "buffer";
import { setDisplayWriter } from "../../src/display/notebook";
import type { FromWorker, ToWorker } from "../protocol";
import { graphvizReady } from "../shims/graph-wasm";
import { compileCell, RUNTIME, usesNamespace } from "./cell-compiler";
import { formatLog, makeConsole, type StreamName } from "./console";
import { describeError, nameRun, runTag } from "./errors";
import { makeModules } from "./modules";
import { loadTypeScript } from "./typescript";
import { typescriptStripper } from "./typescript-strip";

const post = (message: FromWorker) => self.postMessage(message);

/** The run whose output is being written (late output of a finished run goes to the last one). */
let run = 0;
let notes = new Set<string>();

// Printed text is batched: a loop printing thousands of lines sends a message per ~50 ms, not per line.
let pending: { name: StreamName; text: string } | null = null;
let lastFlush = 0;
function flush(): void {
  if (pending !== null) post({ type: "stream", run, name: pending.name, text: pending.text });
  pending = null;
  lastFlush = performance.now();
}
function write(name: StreamName, text: string): void {
  if (pending !== null && pending.name !== name) flush();
  pending = pending === null ? { name, text } : { name, text: pending.text + text };
  if (performance.now() - lastFlush > 50 || pending.text.length > 100_000) flush();
}

function note(text: string): void {
  if (notes.has(text)) return;
  notes.add(text);
  flush();
  post({ type: "note", run, text });
}

const cellConsole = makeConsole(write);
Object.defineProperty(globalThis, "console", { value: cellConsole, writable: true, configurable: true });
// Node's Buffer is a global in the kernel (notebook 2 writes an SVG as base64 with it).
Object.defineProperty(globalThis, "Buffer", { value: Buffer, writable: true, configurable: true });

setDisplayWriter((message, update) => {
  flush();
  post({ type: "display", run, data: message.data, displayId: message.transient.display_id ?? null, update });
});

// Modules the page loads on demand: the worker cannot read files when the page comes from disk.
const waiting = new Map<string, { resolve: (code: string) => void; reject: (e: Error) => void }>();
const fetchCode = (name: string) =>
  new Promise<string>((resolve, reject) => {
    waiting.set(name, { resolve, reject });
    post({ type: "need-module", name });
  });
const load = makeModules(note, fetchCode, (data) => {
  flush();
  post({ type: "display", run, data, displayId: null, update: false });
});

/** What a compiled cell receives as `__mgts` (see cell-compiler.ts). */
const runtime = {
  /** Top-level names of a cell: properties of the global object, which every cell reads. */
  define(bindings: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(bindings)) {
      try {
        Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
      } catch {
        throw new TypeError(`${name} cannot be declared in a cell here: the browser's worker has a built-in ${name}`);
      }
    }
  },
  /** var/let/const names of a cell, declared before it runs (undefined unless they exist already). */
  declare(names: string[]): void {
    for (const name of names) {
      if (!Object.hasOwn(globalThis, name)) runtime.define({ [name]: undefined });
    }
  },
  load,
  /** `import x from "m"` with esModuleInterop, as tslab compiles it. */
  defaultOf(module: Record<string, unknown>): unknown {
    return module.__esModule || "default" in module ? module.default : module;
  },
};
Object.defineProperty(globalThis, RUNTIME, { value: runtime });

/** Runs a cell; resolves with whether it finished, and else the failing line within it when known. */
async function runCell(source: string, name: string): Promise<{ ok: boolean; line: number | null }> {
  nameRun(run, name);
  try {
    await graphvizReady(); // again after a Graphviz error, else at once
    const strip = usesNamespace(source) ? typescriptStripper(await loadTypeScript(fetchCode)) : undefined;
    const code = compileCell(source, runTag(run), strip);
    // biome-ignore lint/security/noGlobalEval: the page runs the learner's code; indirect eval runs it in the worker's global scope
    const cell = globalThis.eval(code) as (rt: typeof runtime) => Promise<[unknown] | undefined>;
    const result = await cell(runtime);
    // tslab prints a cell's value with console.log unless it is null or undefined.
    if (result !== undefined && result[0] != null) write("stdout", `${formatLog([result[0]])}\n`);
    return { ok: true, line: null };
  } catch (e) {
    const { text, line } = describeError(e, run);
    write("stderr", `${text}\n`);
    return { ok: false, line };
  } finally {
    flush();
  }
}

// Errors outside a cell's own code (a callback that threw after the cell ended) go to the latest cell.
self.addEventListener("error", (event) => {
  write("stderr", `${describeError(event.error ?? event.message, run).text}\n`);
  flush();
  event.preventDefault();
});
self.addEventListener("unhandledrejection", (event) => {
  write("stderr", `Unhandled promise rejection: ${describeError(event.reason, run).text}\n`);
  flush();
  event.preventDefault();
});

let queue = Promise.resolve();
self.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "module" || message.type === "module-error") {
    const waiter = waiting.get(message.name);
    waiting.delete(message.name);
    if (message.type === "module") waiter?.resolve(message.code);
    else waiter?.reject(new Error(message.message));
    return;
  }
  queue = queue.then(async () => {
    run = message.run;
    notes = new Set();
    const { ok, line } = await runCell(message.source, message.name);
    post({ type: "done", run: message.run, ok, line });
  });
});

graphvizReady().then(
  (version) => post({ type: "ready", graphviz: version }),
  (e: Error) => post({ type: "load-error", message: e.message }),
);
