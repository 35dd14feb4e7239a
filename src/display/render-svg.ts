/**
 * renderSvg: DOT text to SVG with Graphviz compiled to WASM (graph-wasm.ts runs it in a worker thread).
 */
import { checkOptions, describe } from "../internal/check";
import { layoutSvg } from "./graph-wasm";

/** Default of `timeout` (ms): a layout still running after this is stopped. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RenderOptions {
  /** Milliseconds Graphviz may take before it is stopped with an error. Default 10,000. */
  timeout?: number;
}

/**
 * Renders DOT text to SVG with Graphviz (WASM, in a worker thread). The SVG starts at `<svg`: no XML
 * declaration, DOCTYPE or comments before it, ready to embed in HTML. Synchronous, as drawDot: it waits
 * for the worker. Throws a clear Error on bad DOT, on a Graphviz crash or after `timeout` ms; the next
 * call gets a fresh Graphviz.
 */
export function renderSvg(dot: string, opts: RenderOptions = {}): string {
  return renderSvgNow(dot, opts, "renderSvg");
}

/** @internal renderSvg with errors naming `fn` (drawDot, animateBackward, liveTraining). */
export function renderSvgNow(dot: string, opts: RenderOptions, fn: string): string {
  if (typeof dot !== "string") throw new TypeError(`${fn} expects DOT text (a string), got ${describe(dot)}`);
  const timeout = checkOptions(opts, fn, ["timeout"]).timeout ?? DEFAULT_TIMEOUT_MS;
  checkTimeout(timeout, fn);
  return stripProlog(layoutSvg(dot, timeout));
}

/** @internal */
export function checkTimeout(timeout: unknown, fn: string): asserts timeout is number {
  if (typeof timeout !== "number" || Number.isNaN(timeout)) {
    throw new TypeError(`${fn}: timeout must be a positive number of milliseconds, got ${describe(timeout)}`);
  }
  if (!(timeout > 0)) {
    throw new RangeError(`${fn}: timeout must be a positive number of milliseconds, got ${describe(timeout)}`);
  }
}

/** Everything before the `<svg` element: the XML declaration, DOCTYPE and Graphviz's comments. */
function stripProlog(svg: string): string {
  const start = svg.search(/<svg[\s>]/);
  if (start < 0) throw new Error("Graphviz returned no <svg> element");
  return svg.slice(start).trimEnd();
}
