/**
 * The computation graph as data (trace) and as Graphviz DOT text in the lecture's style (toDot), and the
 * helpers that write DOT (escaping, captions). Pure text: no Graphviz here (render-svg.ts lays DOT out,
 * draw-dot.ts shows it).
 */
import { topologicalOrder, type Value } from "../engine";
import { describe, errorOfKind } from "../internal/check";
import { isValue } from "../internal/check-values";
import { Layer, MLP, type Module, Neuron } from "../nn";

/** Every value `root` depends on, and who feeds whom. */
export interface GraphTrace {
  /** `root` and every value it depends on, children before parents (topological order); each once. */
  nodes: Value[];
  /** [operand, result] pairs, one per operand in operand order: `a.add(a)` gives two [a, result] edges. */
  edges: Array<[Value, Value]>;
}

/** Options of toDot (and of drawDot). */
export interface DotOptions {
  /** Layout direction: "LR" (left to right, the lecture's; default) or "TB" (top to bottom). */
  rankdir?: "LR" | "TB";
  /** Which numbers the boxes show: "all" (data and grad; default), "data" only or "grad" only. */
  show?: "all" | "data" | "grad";
  /**
   * Colour boxes by grad: grey where grad is 0 (this value does not affect the output, e.g. behind a
   * ReLU at 0, or before backward()), red where grad is NaN or infinite. Adds a legend. Default false.
   */
  markGrads?: boolean;
  /**
   * A Neuron, Layer or MLP whose computation appears in the graph: draws a box around each layer and
   * each neuron (a Graphviz cluster) and names its unlabelled parameters w0, w1, …, b. An operation
   * belongs to a neuron when one of its operands is a parameter of that neuron, or when all its operands
   * belong to that neuron (so the neuron's sum and activation join it; a loss built on the output does not).
   */
  model?: Module;
  /**
   * "lecture" (default): a box per value with its label, data and grad, and a small node per operation.
   * "tutorial": the micrograd tutorial's `draw_dot`, one box per value `{ op | data | grad }` (op empty
   * for a leaf), no labels, no operation nodes, one edge from each operand to its result.
   */
  style?: "lecture" | "tutorial";
}

const OPTION_NAMES = ["rankdir", "show", "markGrads", "model", "style"] as const;

/** The nodes and edges reachable from `root` (iterative: no stack limit). */
export function trace(root: Value): GraphTrace {
  checkRoot(root, "trace");
  const nodes = topologicalOrder(root);
  const edges: Array<[Value, Value]> = [];
  for (const v of nodes) for (const c of v.children) edges.push([c, v]);
  return { nodes, edges };
}

/**
 * DOT text in the lecture's style: one record box per value `{ label | data %.4f | grad %.4f }`, one
 * small node per operation showing its op, edges operand → op → result (or the tutorial's, `style`). Labels are shown literally:
 * every character that means something to DOT, to record labels or to SVG/HTML is escaped.
 */
export function toDot(root: Value, opts: DotOptions = {}): string {
  checkRoot(root, "toDot");
  const o = checkDotOptions(opts, "toDot", OPTION_NAMES);
  const { nodes } = trace(root);
  const id = new Map<Value, number>();
  nodes.forEach((v, i) => id.set(v, i));
  const groups = o.model ? groupByNeuron(nodes, o.model) : null;

  const tutorial = o.style === "tutorial";

  const nodeLines = (v: Value, indent: string): string[] => {
    const i = id.get(v) as number;
    const name = v.label !== "" ? v.label : (groups?.paramNames.get(v) ?? "");
    const fields = [recordText(tutorial ? v.op : name)];
    if (o.show !== "grad") fields.push(`data ${formatFixed4(v.data)}`);
    if (o.show !== "data") fields.push(`grad ${formatFixed4(v.grad)}`);
    // In LR the braces turn the fields into a row, as in the lecture; in TB a row needs no braces.
    const label = o.rankdir === "LR" ? `{${fields.join("|")}}` : fields.join("|");
    const lines = [`${indent}v${i} [shape=record, label="${label}"${o.markGrads ? gradStyle(v.grad) : ""}];`];
    if (v.op !== "" && !tutorial) lines.push(`${indent}v${i}_op [label="${plainText(v.op)}"];`);
    return lines;
  };

  const out = ["digraph {", `  graph [rankdir=${o.rankdir}];`];
  if (groups) {
    for (const layer of groups.layers) {
      const inner: string[] = [];
      for (const neuron of layer.neurons) {
        const members = nodes.filter((v) => groups.owner.get(v) === neuron.index);
        if (members.length === 0) continue;
        inner.push(`    subgraph cluster_n${neuron.index} {`, `      label="${plainText(neuron.title)}";`);
        for (const v of members) inner.push(...nodeLines(v, "      "));
        inner.push("    }");
      }
      if (inner.length === 0) continue;
      if (groups.layers.length === 1) {
        out.push(...inner.map((line) => line.slice(2)));
      } else {
        out.push(`  subgraph cluster_l${layer.index} {`, `    label="${plainText(layer.title)}";`, ...inner, "  }");
      }
    }
  }
  for (const v of nodes) if (!groups?.owner.has(v)) out.push(...nodeLines(v, "  "));
  for (const v of nodes) {
    if (v.op === "") continue;
    const i = id.get(v) as number;
    if (tutorial) {
      // The tutorial collects edges in a set: `a + a` draws one edge from a.
      for (const c of new Set(v.children)) out.push(`  v${id.get(c)} -> v${i};`);
      continue;
    }
    out.push(`  v${i}_op -> v${i};`);
    for (const c of v.children) out.push(`  v${id.get(c)} -> v${i}_op;`);
  }
  if (o.markGrads) out.push(`  graph [labelloc=b, fontsize=10, label="grey: grad 0    red: grad not finite"];`);
  out.push("}");
  return `${out.join("\n")}\n`;
}

/** Node attributes that colour a box by its grad (markGrads). */
function gradStyle(grad: number): string {
  if (!Number.isFinite(grad)) return `, style=filled, fillcolor="#ffd6d6", color="#cc0000"`;
  if (grad === 0) return `, style=filled, fillcolor="#eeeeee", color="#999999", fontcolor="#666666"`;
  return "";
}

// ---- numbers ----

/**
 * x as Python's "%.4f" % x: round half to even on the exact binary value, "-0.0000" for −0 and for
 * negatives that round to 0, "nan", "inf", "-inf", and all integer digits for large numbers (JS's
 * toFixed switches to exponent notation from 1e21 and rounds exact ties away from zero).
 */
export function formatFixed4(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const a = Math.abs(x);
  if (a >= 1e21) return `${sign}${BigInt(a).toString()}.0000`; // an integer at this size
  // a·10⁴ is exactly halfway between two integers only when a = r/32 with r odd (a = r/(2·5⁴·2⁴)
  // must be a binary fraction); toFixed rounds those up, Python to even.
  const r = a * 32;
  if (Number.isInteger(r) && r % 2 === 1) {
    const twice = BigInt(r) * 625n; // 2·a·10⁴, odd
    let n = (twice - 1n) / 2n;
    if (n % 2n === 1n) n += 1n;
    return `${sign}${n / 10000n}.${(n % 10000n).toString().padStart(4, "0")}`;
  }
  return `${sign}${a.toFixed(4)}`;
}

// ---- escaping ----

/**
 * User text made safe to show in a drawing: line breaks normalised to \n; control characters shown as
 * their Unicode "control pictures" (␀ … ␟, ␡), tabs as a space; lone surrogates and the XML-forbidden
 * U+FFFE/U+FFFF as U+FFFD. Graphviz would drop controls silently and copy the others into the SVG, where
 * they make the XML invalid (a broken image).
 */
export function visibleText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(/\p{Cc}/gu, (c) => {
      const code = c.charCodeAt(0);
      if (c === "\n") return c;
      return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? "\u2421" : "\ufffd";
    })
    .replace(/[\ud800-\udfff\ufffe\uffff]/gu, "\ufffd"); // in u mode only lone surrogates match
}

/**
 * Text for one field of a record label, inside a DOT string. Graphviz reads `&name;` as an HTML entity,
 * so `&` is written `&amp;`; backslash, quote and the record syntax `{ } | < >` get a backslash; a line
 * break is DOT's `\n`. Record fields trim and collapse spaces, so leading, trailing and repeated spaces
 * become no-break spaces.
 */
export function recordText(text: string): string {
  return visibleText(text)
    .replace(/^ +| +$| {2,}/gm, (spaces) => "\u00a0".repeat(spaces.length))
    .replace(/&/g, "&amp;")
    .replace(/[\\{}|<>"]/g, "\\$&")
    .replace(/\n/g, "\\n");
}

/** Text for a plain (non-record) label inside a DOT string. */
export function plainText(text: string): string {
  return visibleText(text).replace(/&/g, "&amp;").replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n");
}

// ---- clusters by neuron ----

interface NeuronGroup {
  index: number;
  title: string;
}

interface Groups {
  layers: Array<{ index: number; title: string; neurons: NeuronGroup[] }>;
  /** value → index of the neuron it belongs to */
  owner: Map<Value, number>;
  /** display names of unlabelled parameters: w0, w1, …, b */
  paramNames: Map<Value, string>;
}

const ACTIVATION_TITLE = { relu: "ReLU", tanh: "tanh", linear: "linear" } as const;

function groupByNeuron(nodes: readonly Value[], model: Module): Groups {
  const layerList: Neuron[][] =
    model instanceof MLP
      ? model.layers.map((l) => l.neurons)
      : model instanceof Layer
        ? [model.neurons]
        : [[model as Neuron]];
  const owner = new Map<Value, number>();
  const paramNames = new Map<Value, string>();
  let next = 0;
  const layers = layerList.map((neurons, li) => ({
    index: li,
    title: `layer ${li + 1}`,
    neurons: neurons.map((n, ni) => {
      const index = next++;
      n.w.forEach((w, k) => {
        owner.set(w, index);
        paramNames.set(w, `w${k}`);
      });
      owner.set(n.b, index);
      paramNames.set(n.b, "b");
      const where = layerList.length > 1 || neurons.length > 1 ? `neuron ${ni + 1} ` : "neuron ";
      return { index, title: `${where}(${ACTIVATION_TITLE[n.activation]})` };
    }),
  }));
  const params = new Set(paramNames.keys());
  for (const v of nodes) {
    // Children come before parents in `nodes`, so every operand's owner is known here.
    const kids = v.children;
    if (kids.length === 0 || owner.has(v)) continue;
    const param = kids.find((c) => params.has(c));
    if (param !== undefined) {
      owner.set(v, owner.get(param) as number);
      continue;
    }
    const first = owner.get(kids[0] as Value);
    if (first !== undefined && kids.every((c) => owner.get(c) === first)) owner.set(v, first);
  }
  // Parameters not in this graph must not create empty clusters; drop their entries.
  const inGraph = new Set(nodes);
  for (const v of [...owner.keys()]) if (!inGraph.has(v)) owner.delete(v);
  return { layers, owner, paramNames };
}

// ---- argument checks ----

export function checkRoot(root: unknown, fn: string): void {
  if (!isValue(root)) throw new TypeError(`${fn} expects a Value, got ${describe(root)}`);
}

/** Validated options with defaults; unknown keys are an error (a typo would otherwise be ignored). */
export function checkDotOptions(
  opts: unknown,
  fn: string,
  allowed: readonly string[],
): Required<Omit<DotOptions, "model">> & { model?: Module } {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`${fn} expects an options object, got ${describe(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${fn}: unknown option ${JSON.stringify(key)} (options: ${allowed.join(", ")})`);
    }
  }
  const rankdir = o.rankdir === undefined ? "LR" : o.rankdir;
  if (rankdir !== "LR" && rankdir !== "TB") {
    throw new (errorOfKind(typeof rankdir === "string"))(
      `${fn}: rankdir must be "LR" or "TB", got ${describe(rankdir)}`,
    );
  }
  const show = o.show === undefined ? "all" : o.show;
  if (show !== "all" && show !== "data" && show !== "grad") {
    throw new (errorOfKind(typeof show === "string"))(
      `${fn}: show must be "all", "data" or "grad", got ${describe(show)}`,
    );
  }
  const markGrads = o.markGrads === undefined ? false : o.markGrads;
  if (typeof markGrads !== "boolean")
    throw new TypeError(`${fn}: markGrads must be true or false, got ${describe(markGrads)}`);
  const model = o.model;
  if (model !== undefined && !(model instanceof MLP || model instanceof Layer || model instanceof Neuron)) {
    const other = model !== null && typeof model === "object" && typeof (model as Module).parameters === "function";
    const hint = other ? " (a model made by another copy of micrograd-ts is not accepted here)" : "";
    throw new TypeError(`${fn}: model must be a Neuron, Layer or MLP, got ${describe(model)}${hint}`);
  }
  const style = o.style ?? "lecture";
  if (style !== "lecture" && style !== "tutorial") {
    throw new (errorOfKind(typeof style === "string"))(
      `${fn}: style must be "lecture" or "tutorial", got ${describe(style)}`,
    );
  }
  return { rankdir, show, markGrads, style, ...(model !== undefined && { model }) };
}

/** DOT text from toDot with `caption` (lines split at "\n", escaped) written above the graph. */
export function withCaption(dot: string, caption: string): string {
  const label = caption
    .split("\n")
    .map((line) => `${plainText(line)}\\l`)
    .join("");
  const end = dot.lastIndexOf("}");
  return `${dot.slice(0, end)}  graph [labelloc=t, labeljust=l, fontsize=16, label="${label}"];\n${dot.slice(end)}`;
}
