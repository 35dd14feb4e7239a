/**
 * backward() one node at a time for animateBackward: engine.ts's backwardReference run from zero grads,
 * each step's grads kept, and its local rule written out with the numbers of the table (src/ops.ts).
 */
import { backwardReference, type Value } from "../engine";
import { operation } from "../ops";
import { formatFixed4 } from "./dot";

/** The grads at one moment of backward(), and which values a grad has flowed into (the root from the start). */
export interface State {
  /** Every node's grad, in topological order. */
  grads: Float64Array;
  reached: Uint8Array;
}

/** One application of the chain rule, and the state after it. */
export interface Step extends State {
  /** Position of the node passing its grad down, in topological order (its DOT id is `v${index}`). */
  index: number;
  /** Its formula and local rule with numbers, one line per operand. */
  caption: string;
}

/**
 * backward() from `root` over `nodes` (its graph in topological order; `index` gives each node's
 * position), starting from zero grads: the steps in backwardReference's order (newest node first), and
 * the final grads. Nothing is written: a gradient that is not finite throws backward()'s error.
 */
export function backwardSteps(
  root: Value,
  nodes: readonly Value[],
  index: Map<Value, number>,
): { steps: Step[]; final: Float64Array } {
  const { grads: grad, reached } = seeded(nodes.length);
  const steps: Step[] = [];
  const grads = new Map(nodes.map((v) => [v, 0]));
  backwardReference(root, grads, (out) => {
    const i = index.get(out) as number;
    const [a, b] = out.children as [Value, Value | undefined];
    const ia = index.get(a) as number;
    const ib = b === undefined ? -1 : (index.get(b) as number);
    const g = grad[i] as number;
    const o = operation(out._op);
    const k = out._chunk.constantAt(out._slot);
    const names = {
      out: nameOf(out, "out"),
      x: nameOf(a, "x"),
      y: b === undefined ? "" : nameOf(b, "y"),
      k: number(k),
      kMinus1: number(k - 1),
    };
    const lines = [
      o.arity === 2
        ? `${names.out} = ${names.x} ${out.op} ${names.y}`
        : `${names.out} = ${unary(out.op, o.constant, names.x)}`,
    ];
    if (g === 0) {
      lines.push(`${names.out}.grad = 0: nothing to pass down`); // backward() skips it too
    } else {
      const y = b === undefined ? k : b.data;
      const [sayX, sayY] = o.say(names);
      const dx = o.dx(out.data, a.data, y);
      const before = grad[ia] as number;
      lines.push(ruleLine(out.op, names.x, sayX, names.out, dx, g, before));
      if (b !== undefined) {
        const beforeB = ib === ia ? before + dx * g : (grad[ib] as number); // `a + a`: after the first contribution
        lines.push(ruleLine(out.op, names.y, sayY, names.out, o.dy(out.data, a.data, y), g, beforeB));
        grad[ib] = grads.get(b) as number;
        reached[ib] = 1;
      }
      grad[ia] = grads.get(a) as number; // the reference's sums
      reached[ia] = 1;
    }
    steps.push({ index: i, caption: lines.join("\n"), grads: grad.slice(), reached: reached.slice() });
  });
  return { steps, final: Float64Array.from(nodes, (v) => grads.get(v) as number) };
}

/** The state before the first step: grads 0 everywhere but 1 at the root (the last node), which alone is reached. */
export function seeded(n: number): State {
  const grads = new Float64Array(n);
  const reached = new Uint8Array(n);
  grads[n - 1] = 1;
  reached[n - 1] = 1;
  return { grads, reached };
}

/** The right side of "o = tanh(n)" or, for an operation with a constant, "q = b**-1". */
function unary(op: string, constant: boolean, x: string): string {
  return constant ? `${x}${op}` : `${op}(${x})`;
}

/** e.g. "* : a.grad += b.data · e.grad = −3 · −2 = 6", with the running sum when the grad already had some. */
function ruleLine(op: string, name: string, local: string, out: string, d: number, g: number, before: number): string {
  const added = d * g;
  const line = `${op} : ${name}.grad += ${local} · ${out}.grad = ${number(d)} · ${number(g)} = ${number(added)}`;
  return before === 0
    ? line
    : `${line}, so ${name}.grad = ${number(before)} + ${number(added)} = ${number(before + added)}`;
}

/** A number as the boxes show it (4 decimals, Python's rounding), without trailing zeros, with a real minus. */
function number(x: number): string {
  const text = formatFixed4(x).replace(/\.?0+$/, "");
  return (text === "-0" ? "0" : text).replace(/^-/, "−");
}

export function nameOf(v: Value, fallback: string): string {
  return v.label !== "" ? v.label : fallback;
}
