/**
 * compile()'s machinery: a captured graph as a program over typed arrays.
 *
 * Capture lays the graph out once, in the order backward() runs it (creation order, src/internal/tape.ts), and
 * keeps only numbers: an op code and operand positions per node, and where each leaf's data and grad
 * live (its chunk and slot). Replaying it is then two tight loops over typed arrays, with no objects made,
 * no traversal and no garbage. The arithmetic is the object API's, operation for operation and in the
 * same order, so results agree to the last bit. See docs/DEVELOPMENT.md ("Graph capture").
 */
import { nonFiniteResult, Op, type Value } from "../engine";
import type { Chunk } from "./chunk";
import { sigmoid, tanh } from "./math";
import { inCreationOrder, visitTopological } from "./tape";

/**
 * Instruction codes: the engine's ops, and Dot. The replay's switch spells them as literal numbers
 * (`Op.Add` would be a property load from another module on every case).
 *
 * Dot is a neuron's weighted sum, `other + w₁·x₁ + w₂·x₂ + …`, as one instruction: each Mul whose only user
 * is the Add right after it, and each such Add whose only user is the next one, right after it. Values
 * in between are neither kept nor written. The chain rule writes the same grads in the same order as the
 * separate nodes did (each fused node's grad is the last Add's grad, exactly), and the replay loops over
 * the products without dispatching on every node.
 */
const Code = {
  Leaf: 0,
  Add: 1,
  Mul: 2,
  Pow: 3,
  Exp: 4,
  Log: 5,
  Tanh: 6,
  Relu: 7,
  Sigmoid: 8,
  Dot: 9,
} as const;
type Code = (typeof Code)[keyof typeof Code];

/** The engine's op codes as instruction codes. */
const CODE: Record<Op, Code> = {
  [Op.Leaf]: Code.Leaf,
  [Op.Add]: Code.Add,
  [Op.Mul]: Code.Mul,
  [Op.Pow]: Code.Pow,
  [Op.Exp]: Code.Exp,
  [Op.Log]: Code.Log,
  [Op.Tanh]: Code.Tanh,
  [Op.Relu]: Code.Relu,
  [Op.Sigmoid]: Code.Sigmoid,
};

/**
 * A captured graph, flat. Instruction i computes data[i] from data[a[i]] (and data[b[i]]); leaves come
 * first. A Dot's products are terms b[i] to c[i] − 1: data[factor1[k]] · data[factor2[k]].
 */
export interface Instructions {
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly c: Int32Array;
  readonly exponent: Float64Array;
  readonly factor1: Int32Array;
  readonly factor2: Int32Array;
  /** 1 where the product was the Add's first operand (only error messages show the difference). */
  readonly productFirst: Uint8Array;
  readonly data: Float64Array;
  readonly grad: Float64Array;
  /** Where each leaf's data and grad live: its chunk and slot. */
  readonly leafChunk: readonly Chunk[];
  readonly leafSlot: Int32Array;
}

/** Lays out the graph below `root` in creation order (backward()'s, reversed), with weighted sums fused. */
export function capture(root: Value): { instructions: Instructions; leaves: Value[] } {
  const found: Value[] = [];
  visitTopological(root, (v) => found.push(v));
  const nodes = inCreationOrder(found); // backward()'s order (reversed)
  nodes.forEach((v, i) => {
    v._chunk.positions()[v._slot] = i; // scratch: the tape sets its own positions again on each record
  });
  const indexOf = (v: Value) => (v._chunk.index as Int32Array)[v._slot] as number;
  const n = nodes.length;
  const opOf = (v: Value) => v._chunk.op[v._slot] as Op;
  const uses = new Int32Array(n);
  for (const v of nodes) {
    if (v._a !== null) uses[indexOf(v._a)]++;
    if (v._b !== null) uses[indexOf(v._b)]++;
  }
  // The leaves first: they have no operands, so the order stays topological.
  const position = new Int32Array(n).fill(-1);
  const leaves = nodes.filter((v) => opOf(v) === Op.Leaf);
  leaves.forEach((leaf, i) => {
    position[indexOf(leaf)] = i;
  });
  const at = (v: Value | null) => (v === null ? -1 : (position[indexOf(v)] as number));
  const op: number[] = leaves.map(() => Code.Leaf);
  const a: number[] = leaves.map(() => -1);
  const b: number[] = leaves.map(() => -1);
  const c: number[] = leaves.map(() => -1);
  const exponent: number[] = leaves.map(() => 0);
  const factor1: number[] = [];
  const factor2: number[] = [];
  const productFirst: number[] = [];
  for (let j = 0; j < n; j++) {
    const v = nodes[j] as Value;
    const vop = opOf(v);
    if (vop === Op.Leaf) continue;
    // A Mul used once, by the Add right after it, becomes a term of that Add's Dot.
    const next = nodes[j + 1];
    if (vop === Op.Mul && uses[j] === 1 && next !== undefined && opOf(next) === Op.Add) {
      if (next._a === v || next._b === v) continue;
    }
    const prev = j > 0 ? (nodes[j - 1] as Value) : null;
    const fusedProduct = prev !== null && position[j - 1] === -1 && opOf(prev) === Op.Mul ? prev : null;
    if (fusedProduct !== null) {
      const other = v._a === fusedProduct ? v._b : v._a;
      const last = op.length - 1;
      // The Dot right before, used only here, grows by one term; otherwise a new Dot starts.
      if (other !== null && at(other) === last && op[last] === Code.Dot && uses[indexOf(other)] === 1) {
        position[j] = last;
      } else {
        position[j] = op.length;
        op.push(Code.Dot);
        a.push(at(other));
        b.push(factor1.length);
        c.push(factor1.length);
        exponent.push(0);
      }
      factor1.push(at(fusedProduct._a));
      factor2.push(at(fusedProduct._b));
      productFirst.push(v._a === fusedProduct ? 1 : 0);
      c[position[j] as number] = factor1.length;
      continue;
    }
    position[j] = op.length;
    op.push(CODE[vop]);
    a.push(at(v._a));
    b.push(at(v._b));
    c.push(-1);
    exponent.push(vop === Op.Pow ? (v._chunk.exponent?.[v._slot] as number) : 0);
  }
  const data = new Float64Array(op.length);
  for (const v of nodes) {
    const i = position[indexOf(v)] as number;
    if (i >= 0) data[i] = v._chunk.data[v._slot] as number; // a Dot ends up with its last Add's value
  }
  const instructions: Instructions = {
    op: Uint8Array.from(op),
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    c: Int32Array.from(c),
    exponent: Float64Array.from(exponent),
    factor1: Int32Array.from(factor1),
    factor2: Int32Array.from(factor2),
    productFirst: Uint8Array.from(productFirst),
    data,
    grad: new Float64Array(op.length),
    leafChunk: leaves.map((v) => v._chunk),
    leafSlot: Int32Array.from(leaves, (v) => v._slot),
  };
  return { instructions, leaves };
}

/** What the replay calls when a number is not finite: they return the error to throw. */
export interface ReplayErrors {
  leaf(j: number, x: number): RangeError;
  node(i: number): RangeError;
}

export interface Replay {
  /** Re-evaluates the graph from the leaves' current data; returns the root's value. */
  forward(): number;
  /** Adds d(root)/d(leaf) into every leaf's grad. */
  backward(): void;
}

/** The replay: two loops over the program's arrays, closed over as constants. */
export function replay(program: Instructions, leaves: readonly Value[]): Replay {
  const { op, a, b, c, exponent, factor1, factor2, data, grad, leafChunk, leafSlot } = program;
  const errors: ReplayErrors = {
    leaf: (j, x) => nonFiniteLeaf(leaves, j, x),
    node: (i) => nonFinite(program, i),
  };
  const leafCount = leafSlot.length;
  const n = op.length;
  // Instruction codes as literal numbers (see Code).
  return {
    forward(): number {
      for (let j = 0; j < leafCount; j++) {
        const x = (leafChunk[j] as Chunk).data[leafSlot[j] as number] as number;
        if (x - x !== 0) throw errors.leaf(j, x); // x − x is 0 exactly when x is finite
        data[j] = x;
      }
      for (let i = leafCount; i < n; i++) {
        const x = data[a[i] as number] as number;
        let t: number;
        // The object API's forward math, operation for operation (src/engine.ts).
        switch (op[i]) {
          case 9: {
            // Dot: a sum stays non-finite once it is, so one check after the loop finds any
            t = x;
            const end = c[i] as number;
            for (let k = b[i] as number; k < end; k++) {
              t = t + (data[factor1[k] as number] as number) * (data[factor2[k] as number] as number);
            }
            break;
          }
          case 1: // Add
            t = x + (data[b[i] as number] as number);
            break;
          case 2: // Mul
            t = x * (data[b[i] as number] as number);
            break;
          case 7: // Relu
            // biome-ignore lint/complexity/useMathMinMax: the engine's relu, exactly (-0 stays -0)
            t = x < 0 ? 0 : x;
            break;
          case 3: // Pow
            t = x ** (exponent[i] as number);
            break;
          case 4: // Exp
            t = Math.exp(x);
            break;
          case 5: // Log
            t = Math.log(x);
            break;
          case 6: // Tanh
            t = tanh(x);
            break;
          default: // Sigmoid
            t = sigmoid(x);
        }
        if (t - t !== 0) throw errors.node(i);
        data[i] = t;
      }
      return data[n - 1] as number;
    },

    // The chain rule newest first, as Tape.backpropagate runs it; intermediate grads start at 0 and stay
    // here, leaves start from their current grad.
    backward(): void {
      grad.fill(0, leafCount, n);
      for (let j = 0; j < leafCount; j++) grad[j] = (leafChunk[j] as Chunk).grad[leafSlot[j] as number] as number;
      grad[n - 1] = 1;
      for (let i = n - 1; i >= leafCount; i--) {
        const g = grad[i] as number;
        if (g === 0) continue;
        const ia = a[i] as number;
        // Each node's local derivatives (localDerivatives in src/engine.ts) times its grad, into its operands.
        switch (op[i]) {
          case 9: {
            // Dot: each Add passes g to its first operand and to its product, newest first
            const start = b[i] as number;
            for (let k = (c[i] as number) - 1; k >= start; k--) {
              if (k === start) grad[ia] += 1 * g;
              const f1 = factor1[k] as number;
              const f2 = factor2[k] as number;
              grad[f1] += (data[f2] as number) * g;
              grad[f2] += (data[f1] as number) * g;
            }
            break;
          }
          case 1: // Add
            grad[ia] += 1 * g;
            grad[b[i] as number] += 1 * g;
            break;
          case 2: {
            // Mul
            const ib = b[i] as number;
            grad[ia] += (data[ib] as number) * g;
            grad[ib] += (data[ia] as number) * g;
            break;
          }
          case 7: // Relu
            grad[ia] += ((data[i] as number) > 0 ? 1 : 0) * g;
            break;
          case 3: {
            // Pow
            const k = exponent[i] as number;
            grad[ia] += k * (data[ia] as number) ** (k - 1) * g;
            break;
          }
          case 4: // Exp
            grad[ia] += (data[i] as number) * g;
            break;
          case 5: // Log
            grad[ia] += (1 / (data[ia] as number)) * g;
            break;
          case 6: // Tanh
            grad[ia] += (1 - (data[i] as number) ** 2) * g;
            break;
          default: {
            // Sigmoid
            const t = data[i] as number;
            grad[ia] += t * (1 - t) * g;
          }
        }
      }
      for (let j = 0; j < leafCount; j++) (leafChunk[j] as Chunk).grad[leafSlot[j] as number] = grad[j] as number;
    },
  };
}

function nonFiniteLeaf(leaves: readonly Value[], j: number, x: number): RangeError {
  const leaf = leaves[j] as Value;
  const name = leaf.label === "" ? "" : ` (label ${JSON.stringify(leaf.label)})`;
  return new RangeError(
    `compile: forward() found leaf ${j} of ${leaves.length}${name} set to ${x}, not a finite number`,
  );
}

/** The object API's error for instruction i's non-finite result: the first operation that gave one. */
function nonFinite(program: Instructions, i: number): RangeError {
  const { op, a, b, c, exponent, factor1, factor2, productFirst, data } = program;
  const x = data[a[i] as number] as number;
  const code = op[i] as Code;
  if (code === Code.Dot) {
    let sum = x;
    for (let k = b[i] as number; k < (c[i] as number); k++) {
      const w = data[factor1[k] as number] as number;
      const v = data[factor2[k] as number] as number;
      const p = w * v;
      if (p - p !== 0) return nonFiniteResult(Op.Mul, w, v, 0, p);
      const next = sum + p;
      if (next - next !== 0) {
        return productFirst[k] === 1
          ? nonFiniteResult(Op.Add, p, sum, 0, next)
          : nonFiniteResult(Op.Add, sum, p, 0, next);
      }
      sum = next;
    }
  }
  const k = exponent[i] as number;
  if (code === Code.Add || code === Code.Mul) {
    const y = data[b[i] as number] as number;
    return code === Code.Add ? nonFiniteResult(Op.Add, x, y, 0, x + y) : nonFiniteResult(Op.Mul, x, y, 0, x * y);
  }
  if (code === Code.Pow) return nonFiniteResult(Op.Pow, x, null, k, x ** k);
  if (code === Code.Exp) return nonFiniteResult(Op.Exp, x, null, 0, Math.exp(x));
  if (code === Code.Log) return nonFiniteResult(Op.Log, x, null, 0, Math.log(x));
  if (code === Code.Tanh) return nonFiniteResult(Op.Tanh, x, null, 0, tanh(x));
  return nonFiniteResult(Op.Sigmoid, x, null, 0, sigmoid(x));
}
