/**
 * What a cell can import in the browser: the package itself, notebook 5's micrograd/engine.ts and nn.ts
 * (the solved files, as the published lectures run them), TensorFlow.js (loaded on demand, once per
 * site), Graphviz (@hpcc-js/wasm's, already in the worker for drawDot) and tslab's `display` (notebook 2
 * lays out and shows its own draw_dot with them), and stand-ins for the Node modules the notebooks use,
 * which say in the cell's output what they could not do and let the cell carry on, as the kernel would
 * with nothing to run.
 */
import { Graphviz } from "@hpcc-js/wasm/graphviz";
import pathBrowserify from "path-browserify";
import * as engine from "../../solutions/micrograd/engine";
import * as nn from "../../solutions/micrograd/nn";
import * as micrograd from "../../src/index";
import { runGlobalScript } from "./global-script";

/** Says something in the running cell's output, once per cell run and text. */
export type Note = (text: string) => void;

/** Shows a bundle of outputs under the running cell, as a new output. */
export type Show = (data: Record<string, string>) => void;

/** Asks the page for a module's code (see need-module in protocol.ts). */
export type Fetch = (name: string) => Promise<string>;

/** The notebooks' folder, as the kernel's working directory: relative paths resolve from it. */
const CWD = "/notebooks";

/** What `import … from name` gives a cell; throws an Error naming what is available when nothing fits. */
export function makeModules(note: Note, fetchCode: Fetch, show: Show): (name: string) => Promise<object> {
  const cache = new Map<string, Promise<object>>();
  const known: Record<string, () => Promise<object>> = {
    "micrograd-ts": async () => micrograd,
    // notebook 5's engine.py and nn.py: the solved files, as the published lectures run them (npm run lectures)
    "./micrograd/engine": async () => engine,
    "./micrograd/nn": async () => nn,
    "@tensorflow/tfjs": () => loadTfjs(fetchCode),
    "@hpcc-js/wasm": async () => ({ Graphviz }),
    tslab: async () => tslab(show),
    "node:child_process": async () => childProcess(note),
    "node:fs": async () => fileSystem(note),
    "node:path": async () => path,
  };
  return (name: string) => {
    const key = name.startsWith("node:") || !Object.hasOwn(known, `node:${name}`) ? name : `node:${name}`;
    const load = known[key];
    if (load === undefined) {
      return Promise.reject(
        new Error(
          `Cannot find module '${name}': in the browser a cell can import micrograd-ts, ./micrograd/engine and ` +
            "./micrograd/nn (notebook 5's engine.py and nn.py, solved), @tensorflow/tfjs, " +
            "@hpcc-js/wasm's Graphviz, tslab's display, and stand-ins for node:fs, node:path and node:child_process",
        ),
      );
    }
    let loaded = cache.get(key);
    if (loaded === undefined) {
      loaded = load();
      cache.set(key, loaded);
      loaded.catch(() => cache.delete(key)); // a failed load is tried again next time
    }
    return loaded;
  };
}

/**
 * TensorFlow.js's browser build, evaluated in this worker, on its CPU backend: the kernel has no native
 * TensorFlow (its Node backend is a separate package), so it computes on the CPU backend too, and the
 * numbers come out the same. WebGL would round differently.
 */
async function loadTfjs(fetchCode: Fetch): Promise<object> {
  const code = await fetchCode("@tensorflow/tfjs");
  // Its UMD header sets globalThis.tf; a cell sees it through its import only.
  const tf = runGlobalScript<{ setBackend(name: string): Promise<boolean> }>(code, "tf", "TensorFlow.js");
  await tf.setBackend("cpu");
  return tf;
}

/**
 * tslab's `display`, the forms the page draws (HTML, SVG, text): each shows one MIME type, as tslab sends
 * it. Its others (markdown, images as bytes, LaTeX) are left out, so that a cell using one fails by name.
 */
function tslab(show: Show): object {
  const as = (mime: string) => (content: string) => show({ [mime]: content });
  return { display: { html: as("text/html"), svg: as("image/svg+xml"), text: as("text/plain") } };
}

/** node:path, POSIX, from the notebooks' folder. */
const path = {
  ...pathBrowserify,
  resolve: (...parts: string[]) => pathBrowserify.resolve(CWD, ...parts),
  posix: pathBrowserify,
};

function childProcess(note: Note): object {
  const cannot = (fn: string, command: unknown) =>
    `${fn}(${JSON.stringify(command)}) was not run: a browser cannot start programs (node:child_process)`;
  return {
    spawnSync(command: string) {
      note(cannot("spawnSync", command));
      const error = Object.assign(new Error(`spawnSync ${command} ENOSYS`), { code: "ENOSYS" });
      return { pid: 0, output: [null, "", ""], stdout: "", stderr: "", status: null, signal: null, error };
    },
    execSync(command: string) {
      note(cannot("execSync", command));
      throw new Error(cannot("execSync", command));
    },
    execFileSync(command: string) {
      note(cannot("execFileSync", command));
      throw new Error(cannot("execFileSync", command));
    },
  };
}

function fileSystem(note: Note): object {
  const noFiles = (fn: string, file: unknown) =>
    `${fn}(${JSON.stringify(file)}): a page has no access to files (node:fs)`;
  const refuse = (fn: string) => (file: unknown) => {
    note(noFiles(fn, file));
    throw Object.assign(new Error(noFiles(fn, file)), { code: "ENOENT" });
  };
  return {
    existsSync(file: unknown) {
      note(`${noFiles("existsSync", file)}: false`);
      return false;
    },
    readFileSync: refuse("readFileSync"),
    writeFileSync: refuse("writeFileSync"),
    readdirSync: refuse("readdirSync"),
    mkdirSync: refuse("mkdirSync"),
  };
}
