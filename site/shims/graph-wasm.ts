/**
 * The browser's stand-in for src/display/graph-wasm.ts (substituted when the site's bundle is built):
 * the same functions, with Graphviz (WASM, @hpcc-js/wasm) loaded in the cells' own Web Worker.
 *
 * In Node, Graphviz runs in a worker thread that the kernel waits for synchronously (Atomics.wait), so
 * that a layout can be stopped after its timeout. A page opened from disk has no SharedArrayBuffer for
 * that, but it needs none: the cells already run in a worker, which may block while Graphviz works, and
 * the page's Stop button ends a layout that takes too long. So the layout is a plain call here, and the
 * timeout is not enforced. Loading is asynchronous (compiling the WASM): the worker awaits
 * `graphvizReady()` before it runs a cell, and after a Graphviz error before the next one.
 */
import { Graphviz, type Graphviz as GraphvizInstance } from "@hpcc-js/wasm/graphviz";

let current: GraphvizInstance | null = null;
let loading: Promise<GraphvizInstance> | null = null;
let loadError: string | null = null;
let generation = 0;

/** Resolves once Graphviz can lay out graphs (loads it the first time, and again after an error). */
export async function graphvizReady(): Promise<string> {
  if (current === null) {
    loading ??= Graphviz.load();
    try {
      current = await loading;
      loadError = null;
      generation++;
    } catch (e) {
      loadError = String((e as Error)?.message ?? e);
      throw new Error(`Graphviz (WASM) could not be loaded: ${loadError}`);
    } finally {
      loading = null;
    }
  }
  return current.version();
}

/** Graphviz's version, e.g. "16.1.0"; throws when it is not loaded (graphvizReady was not awaited). */
export function loadGraphviz(): string {
  if (current === null) {
    throw new Error(
      loadError === null
        ? "Graphviz (WASM) is still loading: run the cell again in a moment"
        : `Graphviz (WASM) could not be loaded: ${loadError}`,
    );
  }
  return current.version();
}

/** Runs `dot` through Graphviz's dot layout and returns the SVG; the timeout is not enforced (see above). */
export function layoutSvg(dot: string, _timeoutMs: number): string {
  loadGraphviz();
  try {
    return (current as GraphvizInstance).layout(dot, "svg", "dot");
  } catch (e) {
    // A failed layout can leave the WASM in a bad state: the next cell waits for a fresh Graphviz.
    unloadGraphviz();
    const message = String((e as Error)?.message ?? e).trim();
    throw new Error(`Graphviz could not render the graph: ${message} (Graphviz is reloaded for the next cell)`);
  }
}

/** Drops the loaded Graphviz; graphvizReady() loads a fresh one. */
export function unloadGraphviz(): void {
  current = null;
  Graphviz.unload();
}

/** How many times Graphviz was loaded (the Node module counts its worker threads). */
export function _workerGeneration(): number {
  return generation;
}
