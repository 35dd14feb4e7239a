/**
 * Drawing computation graphs, the lecture's `draw_dot`: trace and toDot (graph-dot.ts) make DOT text,
 * renderSvg turns it into SVG with Graphviz compiled to WASM (graph-wasm.ts), drawDot shows it inline in
 * a notebook. No system Graphviz needed.
 */
import { topologicalOrder, type Value } from "../engine";
import { checkOptions, describe } from "../internal/check";
import { checkDotOptions, checkRoot, type DotOptions, toDot } from "./graph-dot";
import { layoutSvg } from "./graph-wasm";
import { escapeHtml } from "./html";
import { display, inNotebook } from "./notebook";

/** Default of `maxNodes`: drawDot refuses graphs with more values than this. */
export const DEFAULT_MAX_NODES = 2000;
/** Default of `timeout` (ms): a layout still running after this is stopped. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RenderOptions {
  /** Milliseconds Graphviz may take before it is stopped with an error. Default 10,000. */
  timeout?: number;
}

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

/**
 * @internal The MIME bundle a notebook gets: `text/html` with the SVG as an <img> data URI (shown by JupyterLab
 * even in untrusted notebooks, by classic Notebook, VS Code and nbconvert's HTML, whose cleaner would
 * empty an inline SVG), the raw `image/svg+xml` for front ends that prefer it, and a short `text/plain`.
 */
export function svgBundle(svg: string, description: string): Record<string, string> {
  return { "text/html": graphHtml(svg, description), "image/svg+xml": svg, "text/plain": description };
}

/** Half the natural size at the smallest: Graphviz's 14 pt labels stay ~9 px tall, still readable. */
export const GRAPH_MIN_SCALE = 0.5;

/**
 * Natural widths (CSS px) up to this fit an output of half of it (JupyterLab's beside its file browser
 * in a 1280 px window is ~830 px) at GRAPH_MIN_SCALE or more; wider graphs get an overview as well.
 */
export const GRAPH_FIT_WIDTH = 1600;

/** The tallest a graph is shown (CSS px) while it can shrink: taller outputs get folded into scroll boxes. */
export const GRAPH_MAX_HEIGHT = 600;

/**
 * @internal The graph as HTML, CSS only (untrusted notebooks and exports run no script). Up to
 * GRAPH_FIT_WIDTH: one picture scaled to fit the output, down to GRAPH_MIN_SCALE, in a scroll box for
 * narrower outputs. Wider: the whole graph scaled to fit (an overview, seen without scrolling) and,
 * under a <details> toggle, the same picture at a readable scale in a scroll box no taller than most of
 * the window, so that its horizontal scrollbar is in view with its top.
 */
export function graphHtml(svg: string, description: string): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
  const alt = escapeHtml(description);
  const { width, height } = naturalSize(svg);
  const readable =
    `<div style="overflow:auto;max-height:75vh"><img src="${src}" alt="${alt}" title="${alt}" ` +
    `style="${graphImgStyle(width, height)}"></div>`;
  if (!(width > GRAPH_FIT_WIDTH)) return readable;
  return (
    `<img src="${src}" alt="${alt}" title="${alt}" style="display:block;max-width:100%;height:auto">` +
    `<details><summary style="cursor:pointer;font:13px sans-serif;color:#555">the graph at a readable ` +
    `size (${Math.round(width)} px wide: scrolls sideways)</summary>${readable}</details>`
  );
}

/** The SVG's width and height in CSS px (Graphviz gives pt; CSS draws 4/3 px per pt), NaN where absent. */
function naturalSize(svg: string): { width: number; height: number } {
  const tag = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const px = (name: string) => {
    const m = new RegExp(`\\s${name}="([\\d.]+)pt"`).exec(tag);
    return m ? (Number(m[1]) * 4) / 3 : Number.NaN;
  };
  return { width: px("width"), height: px("height") };
}

/**
 * @internal The readable picture's CSS: as wide as the output, never wider than its natural size (nor
 * than makes it GRAPH_MAX_HEIGHT tall), never narrower than GRAPH_MIN_SCALE of it (then its box scrolls).
 */
export function graphImgStyle(naturalPx: number, naturalHeightPx = Number.NaN): string {
  if (!(naturalPx > 0)) return "display:block;max-width:100%;height:auto";
  const px = (x: number) => `${Math.round(x)}px`;
  // A tall (top-to-bottom) graph is shown at most GRAPH_MAX_HEIGHT tall, down to GRAPH_MIN_SCALE:
  // Notebook 7 and nbconvert's export fold taller outputs into a scroll box.
  const scale = naturalHeightPx > GRAPH_MAX_HEIGHT ? Math.max(GRAPH_MIN_SCALE, GRAPH_MAX_HEIGHT / naturalHeightPx) : 1;
  const widest = scale * naturalPx;
  return `display:block;width:100%;max-width:${px(widest)};min-width:${px(GRAPH_MIN_SCALE * naturalPx)};height:auto`;
}

/** @internal e.g. "graph: 7 values, 3 operations" */
export function describeGraph(nodes: readonly Value[]): string {
  const ops = nodes.filter((v) => v.op !== "").length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `graph: ${plural(nodes.length, "value")}, ${plural(ops, "operation")}`;
}
