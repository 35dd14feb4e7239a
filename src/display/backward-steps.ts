/**
 * backward() replayed one node at a time for animateBackward: each step's grads, and its local rule
 * written out with the numbers of the engine's `localDerivatives`.
 */
import { type LocalDerivatives, localDerivatives, Op, type Value } from "../engine";
import { inCreationOrder } from "../internal/tape";
import { formatFixed4 } from "./graph-dot";

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
 * The chain rule over `nodes` (a topological order; `index` gives each node's position) in backward()'s
 * order: newest node first (src/internal/sweep.ts and tape.ts).
 */
export function replayBackward(nodes: readonly Value[], index: Map<Value, number>): Step[] {
  const { grads: grad, reached } = seeded(nodes.length);
  const local: LocalDerivatives = { dx: 0, dy: 0 };
  const steps: Step[] = [];
  const newestFirst = inCreationOrder(nodes).reverse();
  for (const out of newestFirst) {
    const i = index.get(out) as number;
    if (out.op === "") continue; // a leaf: nothing below it
    const [a, b] = out.children as [Value, Value | undefined];
    const ia = index.get(a) as number;
    const ib = b === undefined ? -1 : (index.get(b) as number);
    const g = grad[i] as number;
    const op = opCode(out);
    const k = op === Op.Pow ? Number(out.op.slice(2)) : 0;
    const names = { out: nameOf(out, "out"), a: nameOf(a, "x"), b: b === undefined ? "" : nameOf(b, "y") };
    const lines = [formula(out.op, names)];
    if (g === 0) {
      lines.push(`${names.out}.grad = 0: nothing to pass down`); // backward() skips it too
    } else {
      localDerivatives(op, out.data, a.data, b === undefined ? 0 : b.data, k, local);
      const before = grad[ia] as number;
      grad[ia] = before + local.dx * g;
      reached[ia] = 1;
      lines.push(ruleLine(out.op, names.a, localText(op, k, names, "a"), names.out, local.dx, g, before));
      if (b !== undefined) {
        const beforeB = grad[ib] as number;
        grad[ib] = beforeB + local.dy * g;
        reached[ib] = 1;
        lines.push(ruleLine(out.op, names.b, localText(op, k, names, "b"), names.out, local.dy, g, beforeB));
      }
    }
    steps.push({ index: i, caption: lines.join("\n"), grads: grad.slice(), reached: reached.slice() });
  }
  return steps;
}

/** The state before the first step: grads 0 everywhere but 1 at the root (the last node), which alone is reached. */
export function seeded(n: number): State {
  const grads = new Float64Array(n);
  const reached = new Uint8Array(n);
  grads[n - 1] = 1;
  reached[n - 1] = 1;
  return { grads, reached };
}

/** The op code behind a node's op text (the engine records it per node). */
function opCode(v: Value): Op {
  return v._chunk.op[v._slot] as Op;
}

/** e.g. "e = a * b", "o = tanh(n)", "q = b**-1" */
function formula(op: string, n: { out: string; a: string; b: string }): string {
  if (n.b !== "") return `${n.out} = ${n.a} ${op} ${n.b}`;
  if (op.startsWith("**")) return `${n.out} = ${n.a}${op}`;
  return `${n.out} = ${op}(${n.a})`;
}

/** The local derivative d(out)/d(operand) in symbols, as localDerivatives computes it. */
function localText(op: Op, k: number, n: { out: string; a: string; b: string }, which: "a" | "b"): string {
  switch (op) {
    case Op.Add:
      return "1";
    case Op.Mul:
      return `${which === "a" ? n.b : n.a}.data`;
    case Op.Pow:
      return k === 2 ? `(2 · ${n.a}.data)` : `(${number(k)} · ${n.a}.data^${number(k - 1)})`;
    case Op.Exp:
      return `${n.out}.data`;
    case Op.Log:
      return `(1 / ${n.a}.data)`;
    case Op.Tanh:
      return `(1 − ${n.out}.data²)`;
    case Op.Relu:
      return `(${n.out}.data > 0 ? 1 : 0)`;
    case Op.Sigmoid:
      return `${n.out}.data · (1 − ${n.out}.data)`;
    case Op.Leaf:
      return "0";
  }
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
