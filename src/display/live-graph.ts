/**
 * The graph of one data point through a small network, redrawn while it trains (liveTraining's `graph`
 * option): the forward pass with the current weights, clustered by layer and neuron, and its grads.
 */
import type { Value } from "../engine";
import { describe } from "../internal/check";
import { Layer, MLP, type Module, Neuron } from "../nn";
import { toDot, withCaption } from "./dot";
import { checkedNodes } from "./draw-dot";
import { escapeHtml } from "./escape-html";
import { svgBundle } from "./graph-html";
import type { MimeBundle } from "./notebook";
import { checkTimeout, DEFAULT_TIMEOUT_MS, renderSvgNow } from "./render-svg";

/**
 * Default of the live graph's `maxNodes`: room for the lecture's MLP(3, [4, 4, 1]) (126 values on one
 * input) or MLP(2, [4, 4, 1]) (110) with a loss, and none for bigger networks, whose redraws would
 * slow training down and be unreadable at the size of a cell.
 */
export const LIVE_GRAPH_MAX_NODES = 250;

export interface LiveGraphOptions {
  /** The network being trained: an MLP, Layer or Neuron with one output. */
  model: Module;
  /** One data point's inputs, e.g. the first sample. */
  input: readonly number[];
  /**
   * Its target: then the graph ends in the point's squared error (out − target)² and shows its grads;
   * without, the graph ends at the output and shows d(out)/d(each value).
   */
  target?: number;
  /** Refuse graphs with more values than this (default 250), as drawDot's maxNodes. */
  maxNodes?: number;
  /** Milliseconds Graphviz may take per redraw (default 10,000). */
  timeout?: number;
}

const OPTION_NAMES = ["model", "input", "target", "maxNodes", "timeout"];

export class LiveGraph {
  private readonly model: Module;
  private readonly input: readonly number[];
  private readonly target: number | undefined;
  private readonly timeout: number;
  /** The message of a failed redraw: shown once, then the graph is no longer redrawn. */
  private failure: string | null = null;

  /** Checks the options and builds the graph once, so that a bad input or a too big model fails at once. */
  constructor(opts: LiveGraphOptions, fn: string) {
    if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
      throw new TypeError(`${fn}: graph expects { model, input }, got ${describe(opts)}`);
    }
    for (const key of Object.keys(opts)) {
      if (!OPTION_NAMES.includes(key)) {
        throw new RangeError(
          `${fn}: unknown graph option ${JSON.stringify(key)} (options: ${OPTION_NAMES.join(", ")})`,
        );
      }
    }
    const { model, input, target, maxNodes = LIVE_GRAPH_MAX_NODES, timeout = DEFAULT_TIMEOUT_MS } = opts;
    if (!(model instanceof MLP || model instanceof Layer || model instanceof Neuron)) {
      throw new TypeError(`${fn}: graph.model must be an MLP, Layer or Neuron, got ${describe(model)}`);
    }
    if (!Array.isArray(input) || !input.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new TypeError(`${fn}: graph.input must be an array of finite numbers, got ${describe(input)}`);
    }
    if (target !== undefined && (typeof target !== "number" || !Number.isFinite(target))) {
      throw new TypeError(`${fn}: graph.target must be a finite number, got ${describe(target)}`);
    }
    checkTimeout(timeout, fn);
    this.model = model;
    this.input = [...input];
    this.target = target;
    this.timeout = timeout;
    let root: Value;
    try {
      root = this.forward();
    } catch (e) {
      throw new RangeError(`${fn}: graph.input does not fit graph.model: ${(e as Error).message}`);
    }
    checkedNodes(root, maxNodes, fn);
  }

  /**
   * The DOT text of the point's graph now: a fresh forward pass with the current weights and a backward
   * pass over it. The parameters' own grads (the training loss's) are put back afterwards, so training
   * is not affected.
   */
  dot(caption: string): string {
    const params = this.model.parameters();
    const trainingGrads = params.map((p) => p.grad);
    try {
      for (const p of params) p.grad = 0;
      const root = this.forward();
      root.backward();
      return withCaption(toDot(root, { model: this.model }), caption);
    } finally {
      params.forEach((p, i) => {
        p.grad = trainingGrads[i] as number;
      });
    }
  }

  /**
   * The notebook output: the graph as drawDot shows it. A failed redraw (a Graphviz timeout, say) must not
   * stop the training: its message is shown in place of the graph, which is then no longer redrawn.
   */
  bundle(caption: string): MimeBundle | null {
    if (this.failure !== null) return null;
    try {
      const dot = this.dot(caption);
      return svgBundle(renderSvgNow(dot, { timeout: this.timeout }, "liveTraining"), caption.replace(/\n/g, "; "));
    } catch (e) {
      this.failure = `live graph not drawn: ${(e as Error).message}`;
      return {
        "text/html": `<div style="color:#c00;font:13px monospace">${escapeHtml(this.failure)}</div>`,
        "text/plain": this.failure,
      };
    }
  }

  /** The caption line: which point, and what the grads are of. */
  describe(): string {
    const x = `[${this.input.join(", ")}]`;
    return this.target === undefined
      ? `x = ${x}: the output and d(out)/d(·) for this input`
      : `x = ${x}, target ${this.target}: its squared error and d(loss)/d(·)`;
  }

  private forward(): Value {
    const model = this.model;
    let out: Value;
    if (model instanceof Neuron) out = model.forward(this.input);
    else if (model instanceof MLP) out = model.output(this.input);
    else {
      const outputs = (model as Layer).forward(this.input);
      if (outputs.length !== 1) throw new RangeError(`a Layer with ${outputs.length} outputs (one is needed)`);
      out = outputs[0] as Value;
    }
    out.label = "out";
    if (this.target === undefined) return out;
    const loss = out.sub(this.target).pow(2);
    loss.label = "loss";
    return loss;
  }
}
