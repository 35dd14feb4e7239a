/**
 * Watching backward() work: the chain rule applied one node at a time, drawn frame by frame.
 *
 *   animateBackward(L)                     // in a notebook: one picture, updated in place, one node per step
 *   animateBackward(L, { view: "steps" })  // every frame side by side in one output (exports and prints well)
 *   const { frames } = animateBackward(L)  // elsewhere: the DOT text of every frame
 *
 * The frames step through engine.ts's backwardReference, the reference backward() is tested equal to:
 * the nodes newest first (reverse creation order), each passing its grad down with the table's local
 * derivatives (src/ops.ts).
 */
import type { Value } from "../engine";
import { checkNumber, describe, errorOfKind } from "../internal/check";
import { isValue } from "../internal/check-values";
import { backwardSteps, nameOf, type State, type Step, seeded } from "./backward-steps";
import { checkDotOptions, checkRoot, type DotOptions, toDot, withCaption } from "./dot";
import { checkedNodes, DEFAULT_MAX_NODES, describeGraph } from "./draw-dot";
import { escapeHtml } from "./escape-html";
import { svgBundle } from "./graph-html";
import { display, inNotebook, LiveDisplay, sleep } from "./notebook";
import { checkTimeout, DEFAULT_TIMEOUT_MS, renderSvgNow } from "./render-svg";

const FN = "animateBackward";

/** Default of `delay`: milliseconds between two frames in a notebook. */
export const DEFAULT_FRAME_DELAY_MS = 600;
/** However many steps, the paced animation lasts at most this long (the pause shrinks to fit). */
export const MAX_ANIMATION_MS = 30_000;
/** The side-by-side view draws at most this many frames (pick a range with `from`/`to` for more). */
export const MAX_STEPS_VIEW_FRAMES = 40;
/** At most this many frames per call: more is not watchable, and each is a whole DOT text and layout. */
export const MAX_FRAMES = 200;

export interface AnimateOptions extends Omit<DotOptions, "markGrads"> {
  /**
   * Milliseconds between two frames in a notebook (default 600). The whole animation is kept under 30 s:
   * with many steps the pause shrinks to fit.
   */
  delay?: number;
  /** The first step shown: an operation node of the graph (default: the root, backward()'s first step). */
  from?: Value;
  /** The last step shown (default: the last step, followed by the finished graph). */
  to?: Value;
  /** "computed" (default): each frame shows the grads computed so far; "all": every final grad throughout. */
  grads?: "computed" | "all";
  /** "animation" (default): one picture updated in place; "steps": all frames side by side in one output. */
  view?: "animation" | "steps";
  /** As drawDot's: refuse graphs with more values than this (default 2,000). */
  maxNodes?: number;
  /** As drawDot's: milliseconds Graphviz may take per frame (default 10,000). */
  timeout?: number;
}

/** What animateBackward returns outside a notebook. */
export interface Animation {
  /** DOT text per frame: before the first step, after each step, and (unless `to` stops early) the finished graph. */
  frames: string[];
  /** What each frame shows, in words: the local rule with numbers, e.g. "* : a.grad += b.data · e.grad = −3 · −2 = 6". */
  captions: string[];
}

const OPTION_NAMES = ["rankdir", "show", "model", "delay", "from", "to", "grads", "view", "maxNodes", "timeout"];

/**
 * Runs backward() from `root` and shows it one node at a time, in the order backward() applies the chain
 * rule: the node being processed highlighted, its local rule written out with numbers, the gradients
 * filling in. It starts from zero grads and the root's grad of 1; afterwards the graph holds exactly what
 * `backward()` computes from zero grads (as after `resetGrads(root)`), and the last frame is
 * `drawDot(root)`. When a gradient is not finite it throws backward()'s error and changes no grad.
 *
 * In a notebook it shows one output, updated in place (no JavaScript: each frame is an SVG image), and
 * returns nothing; with `view: "steps"` all frames side by side in one output. Elsewhere it returns the
 * DOT text of each frame. The size limit and errors are drawDot's.
 */
export function animateBackward(root: Value, opts: AnimateOptions = {}): Animation | undefined {
  checkRoot(root, FN);
  const dotOpts = checkDotOptions(opts, FN, OPTION_NAMES);
  const o = opts as Record<string, unknown>;
  const delay = checkNumber(o.delay === undefined ? DEFAULT_FRAME_DELAY_MS : o.delay, FN, "delay (milliseconds)", {
    min: 0,
  });
  const grads = o.grads === undefined ? "computed" : o.grads;
  if (grads !== "computed" && grads !== "all") {
    throw new (errorOfKind(typeof grads === "string"))(
      `${FN}: grads must be "computed" or "all", got ${describe(grads)}`,
    );
  }
  const view = o.view === undefined ? "animation" : o.view;
  if (view !== "animation" && view !== "steps") {
    throw new (errorOfKind(typeof view === "string"))(
      `${FN}: view must be "animation" or "steps", got ${describe(view)}`,
    );
  }
  const timeout = o.timeout === undefined ? DEFAULT_TIMEOUT_MS : o.timeout;
  checkTimeout(timeout, FN);
  const nodes = checkedNodes(root, o.maxNodes === undefined ? DEFAULT_MAX_NODES : o.maxNodes, FN);
  const index = new Map<Value, number>();
  nodes.forEach((v, i) => index.set(v, i));
  const first = stepIndex(o.from, "from", index, nodes.length - 1);
  const last = stepIndex(o.to, "to", index, firstOperation(nodes));
  if (last > first) {
    throw new RangeError(
      `${FN}: to (${nameOf(nodes[last] as Value, "the node")}) is processed before from ` +
        `(${nameOf(nodes[first] as Value, "the node")}); backward() goes from the output down`,
    );
  }
  const shownSteps = nodes.slice(last, first + 1).filter((v) => v.op !== "").length;
  const frameCount = shownSteps + 1 + (o.to === undefined ? 1 : 0);
  if (frameCount > MAX_FRAMES) {
    throw new RangeError(
      `${FN}: this graph has ${shownSteps} operations to step through, ${frameCount} frames, more than ` +
        `${MAX_FRAMES}. Choose a part with { from, to }, or draw the whole graph with drawDot.`,
    );
  }
  if (view === "steps" && frameCount > MAX_STEPS_VIEW_FRAMES) {
    throw new RangeError(
      `${FN}: view "steps" shows at most ${MAX_STEPS_VIEW_FRAMES} frames side by side; this range has ` +
        `${frameCount}. Choose fewer steps with { from, to }, or use the animation (the default view).`,
    );
  }
  const notebook = inNotebook();

  // backward() from zero grads, step by step (nothing written yet: a failure changes no grad).
  const { steps, final } = backwardSteps(root, nodes, index);
  const start = seeded(nodes.length);

  // Each frame is toDot of the graph with that moment's grads written into its values.
  const all = grads === "all" ? { grads: final, reached: null } : null;
  const frames: string[] = [];
  const captions: string[] = [];
  const show = (state: State, active: number | null, caption: string) => {
    frames.push(frame(nodes, index, root, dotOpts, all ?? state, active, caption));
    captions.push(caption);
  };
  try {
    const rootName = nameOf(root, "out");
    const before = steps.findIndex((s) => s.index === first) - 1; // the step just before `from`; -1: none
    const startCaption =
      before < 0
        ? `${rootName}.grad = 1: backward() starts at the output (d${rootName}/d${rootName} = 1)`
        : `before ${nameOf(nodes[first] as Value, "this node")} passes its grad down`;
    show(before < 0 ? start : (steps[before] as Step), null, startCaption);
    for (const step of steps) if (step.index <= first && step.index >= last) show(step, step.index, step.caption);
  } finally {
    nodes.forEach((v, i) => {
      v.grad = final[i] as number;
    });
  }
  if (o.to === undefined) {
    frames.push(toDot(root, dotOpts)); // the finished graph, exactly as drawDot draws it
    captions.push(`done: every grad of ${nameOf(root, "the output")}'s graph is computed`);
  }
  if (!notebook) return { frames, captions };
  const finalDescription = o.to === undefined ? describeGraph(nodes) : null;
  if (view === "steps") showSideBySide(frames, captions, o.to === undefined, timeout);
  else showAnimation(frames, captions, finalDescription, delay, timeout);
  return undefined;
}

/** The last node backward() processes: the first operation in topological order. */
function firstOperation(nodes: readonly Value[]): number {
  const i = nodes.findIndex((v) => v.op !== "");
  return i < 0 ? nodes.length - 1 : i;
}

/** The position of the `from`/`to` node, which must be an operation in the graph; `fallback` if absent. */
function stepIndex(v: unknown, name: string, index: Map<Value, number>, fallback: number): number {
  if (v === undefined) return fallback;
  const i = index.get(v as Value);
  if (i === undefined) {
    // a Value elsewhere is a wrong value; anything else, a wrong kind
    throw new (errorOfKind(isValue(v)))(`${FN}: ${name} must be a Value in the root's graph, got ${describe(v)}`);
  }
  if ((v as Value).op === "") {
    throw new RangeError(
      `${FN}: ${name} must be an operation node (a leaf such as ${nameOf(v as Value, "this one")} passes nothing down), got ${describe(v)}`,
    );
  }
  return i;
}

// ---- frames ----

const PROCESSING = `style=filled, fillcolor="#ffe08a", color="#b8860b", penwidth=2`;
const RECEIVING = `style=filled, fillcolor="#d6e8ff", color="#1f5fbf", penwidth=2`;
const WAITING = `fontcolor="#9a9a9a", color="#c8c8c8"`;
const EDGE = `color="#1f5fbf", penwidth=2`;

/**
 * One frame: toDot of the graph with `grads` written into its values, the processed node (`active`)
 * and its operands highlighted, values no grad has reached yet greyed, and the caption on top.
 */
function frame(
  nodes: readonly Value[],
  index: Map<Value, number>,
  root: Value,
  dotOpts: DotOptions,
  state: { grads: Float64Array; reached: Uint8Array | null },
  active: number | null,
  caption: string,
): string {
  const { grads, reached } = state;
  nodes.forEach((v, i) => {
    v.grad = grads[i] as number;
  });
  const operands = new Set<string>();
  if (active !== null) for (const c of (nodes[active] as Value).children) operands.add(`v${index.get(c)}`);
  const activeId = active === null ? null : `v${active}`;
  const lines = toDot(root, dotOpts).split("\n");
  const out = lines.map((line) => {
    const node = /^(\s*)(v(\d+))(_op)? \[(.*)\];$/.exec(line);
    if (node) {
      const id = node[2] as string;
      const isOp = node[4] !== undefined;
      let style = "";
      if (id === activeId) style = PROCESSING;
      else if (operands.has(id) && !isOp) style = RECEIVING;
      else if (reached !== null && !isOp && reached[Number(node[3])] === 0) style = WAITING;
      return style === "" ? line : `${node[1]}${id}${node[4] ?? ""} [${node[5]}, ${style}];`;
    }
    const edge = /^(\s*)(v\d+) -> (v\d+)_op;$/.exec(line);
    if (edge && edge[3] === activeId) return `${edge[1]}${edge[2]} -> ${edge[3]}_op [${EDGE}];`;
    return line;
  });
  return withCaption(out.join("\n"), caption);
}

// ---- showing them ----

function showAnimation(
  frames: readonly string[],
  captions: readonly string[],
  finalDescription: string | null,
  delay: number,
  timeout: number,
): void {
  const live = new LiveDisplay();
  const pause = frames.length > 1 ? Math.min(delay, MAX_ANIMATION_MS / (frames.length - 1)) : 0;
  let shownAt = Number.NEGATIVE_INFINITY;
  frames.forEach((dot, k) => {
    const svg = renderSvgNow(dot, { timeout }, FN);
    const isFinal = k === frames.length - 1 && finalDescription !== null;
    sleep(shownAt + pause - performance.now());
    live.show(svgBundle(svg, isFinal ? finalDescription : oneLine(captions[k] as string)));
    shownAt = performance.now();
  });
}

function showSideBySide(
  frames: readonly string[],
  captions: readonly string[],
  finished: boolean,
  timeout: number,
): void {
  const cells = frames.map((dot, k) => {
    const svg = renderSvgNow(dot, { timeout }, FN);
    const base64 = Buffer.from(svg, "utf8").toString("base64");
    const alt = escapeHtml(oneLine(captions[k] as string));
    return (
      `<figure style="margin:0;break-inside:avoid;page-break-inside:avoid">` +
      `<img src="data:image/svg+xml;base64,${base64}" alt="${alt}" title="${alt}" style="width:100%;height:auto">` +
      `<figcaption style="font:12px sans-serif;color:#555">${k + 1} / ${frames.length}${finished && k === frames.length - 1 ? `: ${alt}` : ""}</figcaption></figure>`
    );
  });
  display({
    "text/html":
      `<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,640px),1fr));gap:12px">` +
      `${cells.join("")}</div>`,
    "text/plain": captions.map((c, k) => `${k + 1}/${frames.length}  ${oneLine(c)}`).join("\n"),
  });
}

function oneLine(caption: string): string {
  return caption.replace(/\n/g, "; ");
}
