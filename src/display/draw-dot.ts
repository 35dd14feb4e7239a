/**
 * drawDot, the lecture's `draw_dot`: toDot (dot.ts) makes the DOT text, renderSvg (render-svg.ts) lays it
 * out with Graphviz compiled to WASM, and in a notebook the picture is shown under the cell (graph-html.ts).
 * No system Graphviz needed.
 */
import { topologicalOrder, type Value } from "../engine";
import { describe } from "../internal/check";
import { checkDotOptions, checkRoot, type DotOptions, toDot } from "./dot";
import { svgBundle } from "./graph-html";
import { display, inNotebook } from "./notebook";
import { checkTimeout, DEFAULT_TIMEOUT_MS, type RenderOptions, renderSvgNow } from "./render-svg";

/** Default of `maxNodes`: drawDot refuses graphs with more values than this. */
export const DEFAULT_MAX_NODES = 2000;

/** Options of drawDot: the DOT options, plus limits. */
export interface DrawOptions extends DotOptions, RenderOptions {
  /**
   * The most values (boxes) drawDot will draw; above it, drawDot throws at once, naming both numbers.
   * Default 2,000 (the demo's loss over 100 points has ~66,000). Operation nodes are not counted.
   */
  maxNodes?: number;
}

/** What drawDot returns outside a notebook. */
export interface Drawing {
  /** The DOT text (toDot). */
  dot: string;
  /** The SVG, without XML declaration and DOCTYPE (renderSvg). */
  svg: string;
}

/**
 * Draws the graph of `root`, the lecture's `draw_dot(L)`. In a notebook it shows the picture under the
 * cell and returns nothing; elsewhere it returns { dot, svg }. Synchronous: the first call waits ~0.5 s
 * for the WASM to load, no setup step needed. Above `maxNodes` values it throws at once; a layout that
 * outlives `timeout` is stopped with an error.
 */
export function drawDot(root: Value, opts: DrawOptions = {}): Drawing | undefined {
  checkRoot(root, "drawDot");
  checkDotOptions(opts, "drawDot", ["rankdir", "show", "markGrads", "model", "style", "maxNodes", "timeout"]);
  const { maxNodes = DEFAULT_MAX_NODES, timeout = DEFAULT_TIMEOUT_MS, ...dotOpts } = opts;
  checkTimeout(timeout, "drawDot");
  const nodes = checkedNodes(root, maxNodes, "drawDot");
  const dot = toDot(root, dotOpts);
  const svg = renderSvgNow(dot, { timeout }, "drawDot");
  if (!inNotebook()) return { dot, svg };
  display(svgBundle(svg, describeGraph(nodes)));
  return undefined;
}

/**
 * @internal The values of `root`'s graph in topological order, or a RangeError naming `fn` when there are
 * more than `maxNodes` (the one size limit of drawDot, animateBackward and the live graph).
 */
export function checkedNodes(root: Value, maxNodes: unknown, fn: string): Value[] {
  if (typeof maxNodes !== "number" || Number.isNaN(maxNodes)) {
    throw new TypeError(`${fn}: maxNodes must be a positive number, got ${describe(maxNodes)}`);
  }
  if (!(maxNodes >= 1)) {
    throw new RangeError(`${fn}: maxNodes must be a positive number, got ${describe(maxNodes)}`);
  }
  const nodes = topologicalOrder(root); // iterative and fast: the demo's ~66,000 values in milliseconds
  const count = nodes.length;
  if (count > maxNodes) {
    throw new RangeError(
      `${fn}: this graph has ${count.toLocaleString("en-US")} values, more than maxNodes = ` +
        `${maxNodes.toLocaleString("en-US")}. A drawing that big takes minutes and is unreadable: draw a ` +
        "smaller expression (e.g. the forward pass of one input), or raise the limit with { maxNodes }.",
    );
  }
  return nodes;
}

/** @internal e.g. "graph: 7 values, 3 operations" */
export function describeGraph(nodes: readonly Value[]): string {
  const ops = nodes.filter((v) => v.op !== "").length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `graph: ${plural(nodes.length, "value")}, ${plural(ops, "operation")}`;
}
