/**
 * Value: a scalar that remembers how it was computed, so that `backward()` can apply the chain rule.
 *
 * micrograd's engine.py, in its order: the Value, its primitive operations, their local derivatives, the
 * operations built from them, and backward(). Where micrograd gives each result a `_backward` closure,
 * a result here records an op code, and `localDerivatives` below is every closure's math in one table:
 * that, and keeping the numbers in typed arrays (src/internal/), is what makes it fast.
 */
import { inspect } from "node:util";
import { pyFloat } from "./format";
import { backpropagate } from "./internal/backward";
import {
  checkFinite,
  checkValue,
  describe,
  isValue,
  labelOption,
  nonFiniteGradient,
  operationText,
  VALUE_BRAND,
  VALUE_LAYOUT,
} from "./internal/check";
import { type Chunk, chunkForNewNode, type PendingOperands } from "./internal/chunk";
import { sigmoid, tanh } from "./internal/math";
import { visitTopological } from "./internal/tape";

/** The primitive operations (Leaf: a value nobody computed). sub, div and neg are built from these. */
// biome-ignore format: one line
export enum Op { Leaf, Add, Mul, Pow, Exp, Log, Tanh, Relu, Sigmoid }

/** How each operation is shown: micrograd's `_op` strings ('**' gets its exponent, e.g. '**2'). */
// biome-ignore format: a table
const OP_TEXT: Record<Op, string> = {
  [Op.Leaf]: "", [Op.Add]: "+", [Op.Mul]: "*", [Op.Pow]: "**", [Op.Exp]: "exp", [Op.Log]: "log",
  [Op.Tanh]: "tanh", [Op.Relu]: "ReLU", [Op.Sigmoid]: "sigmoid",
};

/** Anything an operation accepts as its other operand: a Value or a plain finite number. */
export type Operand = Value | number;

export interface ValueOptions {
  /** A name shown in drawings, e.g. "a" or "L". */
  label?: string;
}

export class Value {
  // data, grad, op, operands' positions and label live in a chunk (src/internal/chunk.ts): a slot per Value.
  /** @internal */ _chunk: Chunk;
  /** @internal */ _slot: number;
  /** @internal the operands (micrograd's `_prev`); they keep the graph below this node alive. */
  _a: Value | null = null;
  /** @internal */ _b: Value | null = null;
  /** @internal operands not yet made Values (src/internal/neuron.ts): made when somebody looks. */
  _pending: PendingOperands | null = null;

  constructor(data: number, opts?: ValueOptions) {
    checkFinite(data, "Value", "data");
    this._chunk = chunkForNewNode(); // (or the chunk of a node that is getting its Value late: see chunk.ts)
    this._slot = this._chunk.newSlot(data);
    if (opts !== undefined) this.label = labelOption(opts);
  }

  /** The brand that tells a Value from any other object, also one made by another copy of the package. */
  get [VALUE_BRAND](): number {
    return VALUE_LAYOUT;
  }

  /** The number this node holds. Writable: optimizers update parameters in place. */
  get data(): number {
    return this._chunk.data[this._slot] as number;
  }
  set data(x: number) {
    checkFinite(x, "Value", "data");
    this._chunk.data[this._slot] = x;
  }

  /** dL/d(this) after `L.backward()`; accumulates across calls until reset with `zeroGrad()`. */
  get grad(): number {
    return this._chunk.grad[this._slot] as number;
  }
  set grad(x: number) {
    checkFinite(x, "Value", "grad");
    this._chunk.grad[this._slot] = x;
  }

  /** A name for drawings; empty by default. */
  get label(): string {
    return this._chunk.labels?.[this._slot] ?? "";
  }
  set label(text: string) {
    if (typeof text !== "string") throw new TypeError(`label expects a string, got ${describe(text)}`);
    this._chunk.labels ??= [];
    this._chunk.labels[this._slot] = text;
  }

  /** The operation that produced this value: '' for a leaf, then '+', '*', '**2', 'exp', 'tanh', 'ReLU', … */
  get op(): string {
    const op = this._chunk.op[this._slot] as Op;
    return op === Op.Pow ? `**${String(this._chunk.exponent?.[this._slot])}` : OP_TEXT[op];
  }

  /** The operands, in operand order (`a + a` lists `a` twice). */
  get children(): readonly Value[] {
    if (this._pending !== null) this._pending.expand(this);
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  // ---- primitive operations: the forward computation; their derivatives follow the class ----

  add(other: Operand): Value {
    const o = operand(other, "add");
    return result(this.data + o.data, Op.Add, this, o);
  }

  mul(other: Operand): Value {
    const o = operand(other, "mul");
    return result(this.data * o.data, Op.Mul, this, o);
  }

  /** this ** k, for a constant number k (as micrograd). */
  pow(k: number): Value {
    checkFinite(k, "pow", "exponent");
    return result(this.data ** k, Op.Pow, this, null, k);
  }

  exp(): Value {
    return result(Math.exp(this.data), Op.Exp, this, null);
  }

  log(): Value {
    return result(Math.log(this.data), Op.Log, this, null);
  }

  /** The lecture's (e^2x − 1)/(e^2x + 1), made stable (src/internal/math.ts has the formula). */
  tanh(): Value {
    return result(tanh(this.data), Op.Tanh, this, null);
  }

  relu(): Value {
    // biome-ignore lint/complexity/useMathMinMax: micrograd's `0 if x < 0 else x` keeps -0 as -0; Math.max does not
    return result(this.data < 0 ? 0 : this.data, Op.Relu, this, null);
  }

  /** 1 / (1 + e^−x), written so that neither branch overflows (src/internal/math.ts). */
  sigmoid(): Value {
    return result(sigmoid(this.data), Op.Sigmoid, this, null);
  }

  // ---- derived operations, built from the primitives exactly as micrograd builds them ----

  /** −this = this · −1 */
  neg(): Value {
    return this.mul(-1);
  }

  /** this − other = this + (−other); a number operand is negated as a number (no extra node). */
  sub(other: Operand): Value {
    if (typeof other !== "number") return this.add(operand(other, "sub").neg());
    checkFinite(other, "sub", "operand (a Value or a finite number)");
    return this.add(-other);
  }

  /** other − this (Python's __rsub__) = (−this) + other */
  rsub(other: Operand): Value {
    return this.neg().add(operand(other, "rsub"));
  }

  /** this / other = this · other⁻¹; a number operand is inverted as a number (no extra node). */
  div(other: Operand): Value {
    if (typeof other !== "number") return this.mul(operand(other, "div").pow(-1));
    checkFinite(other, "div", "divisor");
    if (other === 0) throw new RangeError(`div: division by zero (${this.data} / 0)`);
    const inverse = other ** -1; // 1/5e-324 overflows: say so here, not as a bad operand of mul
    if (!Number.isFinite(inverse)) throw new RangeError(`div: ${this.data} / ${other} needs 1 / ${other} = ${inverse}`);
    return this.mul(inverse);
  }

  /** other / this (Python's __rtruediv__) = this⁻¹ · other */
  rdiv(other: Operand): Value {
    return this.pow(-1).mul(operand(other, "rdiv"));
  }

  /**
   * Backpropagation, as micrograd's: this value's grad is set to 1, then every node it depends on, in
   * reverse topological order, adds its grad times its local derivatives into its operands' grads.
   * Grads accumulate, as in micrograd and PyTorch. The order used is reverse creation order (an operand
   * always exists before its result), so no search is needed for a graph built since the last backward().
   */
  backward(): void {
    const failure = backpropagate(this, localDerivatives); // null, or the node whose gradient is not finite
    if (failure !== null) throw nonFiniteGradient(failure, localDerivatives, opNames);
  }

  /** Python's text, `Value(data=-8.0, grad=0.0)`: also what a notebook prints for a cell's last expression. */
  toString(): string {
    return `Value(data=${pyFloat(this.data)}, grad=${pyFloat(this.grad)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The local derivatives of one node, d(out)/d(first operand) and d(out)/d(second operand). */
export interface LocalDerivatives {
  dx: number;
  dy: number;
}

/**
 * Each primitive's `_backward` in micrograd, as numbers: with t = out.data, x = self.data,
 * y = other.data and k the exponent of `**`, writes d(out)/dx and d(out)/dy into `d` (written, not
 * returned, so that backward() allocates nothing per node). The chain rule then adds dx·out.grad to
 * the first operand's grad and dy·out.grad to the second's.
 */
export function localDerivatives(op: Op, t: number, x: number, y: number, k: number, d: LocalDerivatives): void {
  // biome-ignore format: a table of derivatives, one operation a line
  switch (op) {
    case Op.Add: d.dx = 1; d.dy = 1; return;            // out = x + y
    case Op.Mul: d.dx = y; d.dy = x; return;            // out = x · y
    case Op.Pow: d.dx = k * x ** (k - 1); return;       // out = x^k
    case Op.Exp: d.dx = t; return;                      // out = e^x, its own derivative
    case Op.Log: d.dx = 1 / x; return;                  // out = ln x
    case Op.Tanh: d.dx = 1 - t ** 2; return;            // out = tanh x
    case Op.Relu: d.dx = t > 0 ? 1 : 0; return;         // out = max(0, x)
    case Op.Sigmoid: d.dx = t * (1 - t); return;        // out = 1 / (1 + e^−x)
    case Op.Leaf: return;                               // nothing below a leaf
  }
}

/** Every node `root` depends on (itself included), children before parents: the lecture's build_topo. */
export function topologicalOrder(root: Value): Value[] {
  checkValue(root, "topologicalOrder", "root");
  const order: Value[] = [];
  visitTopological(root, (v) => order.push(v));
  return order;
}

/** Sets grad = 0 on `root` and every node it depends on (intermediate nodes included). */
export function resetGrads(root: Value): void {
  checkValue(root, "resetGrads", "root");
  visitTopological(root, (v) => {
    v._chunk.grad[v._slot] = 0;
  });
}

/** An operation's name and symbol for error messages: "add" and "+", "pow" and "**", … */
const opNames = (op: Op): [string, string] => [Op[op].toLowerCase(), OP_TEXT[op]];

/** A new result node. A non-finite result is an error here, at the operation that produced it. */
function result(data: number, op: Op, a: Value, b: Value | null, k = 0): Value {
  if (!Number.isFinite(data)) throw nonFiniteResult(op, a.data, b === null ? null : b.data, k, data);
  const out = new Value(data);
  out._chunk.setOperation(out._slot, op, a, b, k); // the op code and the operands' positions, for backward()
  out._a = a;
  out._b = b;
  return out;
}

/** @internal The error of an operation whose result is not finite (compile's replay throws it too). */
export function nonFiniteResult(op: Op, x: number, y: number | null, k: number, data: number): RangeError {
  const [name, symbol] = opNames(op);
  return new RangeError(`${name}: ${operationText(name, symbol, x, y, k)} is ${data}, not a finite number`);
}

/** A Value as it is, a number as a new leaf Value; anything else is an error naming the operation. */
function operand(x: unknown, opName: string): Value {
  if (x instanceof Value || isValue(x)) return x; // isValue: a Value from another copy of the package
  checkFinite(x, opName, "operand (a Value or a finite number)");
  return new Value(x);
}
