/**
 * Value: a scalar that remembers how it was computed, so that `backward()` can apply the chain rule.
 *
 * This is micrograd's engine: the same operations, the same graph, the same numbers. Three differences
 * in layout, all for speed: a node records an op code instead of a `_backward` closure (the chain rule
 * for each op is one line of the table in `Tape.run` below); its numbers live in a slab of typed arrays
 * (see slab.ts) instead of object fields; and backward() first lays the graph out flat (`Tape`).
 */
import { inspect } from "node:util";
import { SLAB_SIZE, type Slab, slabForNewNode } from "./slab";

/** Anything an operation accepts as its other operand: a Value or a plain finite number. */
export type Operand = Value | number;

/** The primitive operations. Subtraction, division and negation are built from these, as in micrograd. */
enum Op {
  Leaf,
  Add,
  Mul,
  Pow,
  Exp,
  Log,
  Tanh,
  Relu,
  Sigmoid,
}

const OP_TEXT: Record<Op, string> = {
  [Op.Leaf]: "",
  [Op.Add]: "+",
  [Op.Mul]: "*",
  [Op.Pow]: "**",
  [Op.Exp]: "exp",
  [Op.Log]: "log",
  [Op.Tanh]: "tanh",
  [Op.Relu]: "ReLU",
  [Op.Sigmoid]: "sigmoid",
};

export interface ValueOptions {
  /** A name shown in drawings, e.g. "a" or "L". */
  label?: string;
}

export class Value {
  // Private by convention (underscore) rather than `#private` so the hot paths stay plain property
  // access; read the graph through `op` and `children`.
  /** @internal the slab holding this node's numbers, and its slot there. */
  _slab: Slab;
  /** @internal */ _slot: number;
  /** @internal the operands: they keep the graph below this node alive. */
  _a: Value | null = null;
  /** @internal */ _b: Value | null = null;
  /** @internal traversal mark (see nextEpoch); on the object, as the search reads the object anyway. */
  _mark = 0;
  /** @internal this node's position on the tape during backward(). */
  _index = 0;

  constructor(data: number, opts?: ValueOptions) {
    checkFinite(data, "Value", "data");
    const slab = slabForNewNode();
    this._slab = slab;
    this._slot = slab.used++;
    slab.data[this._slot] = data;
    if (opts?.label) this.label = opts.label;
  }

  /** A name for drawings; empty by default. */
  get label(): string {
    return this._slab.labels?.[this._slot] ?? "";
  }

  set label(text: string) {
    if (typeof text !== "string") throw new TypeError(`label expects a string, got ${describe(text)}`);
    this._slab.labels ??= [];
    this._slab.labels[this._slot] = text;
  }

  /** @internal the primitive operation that produced this value. */
  get _op(): Op {
    return this._slab.op[this._slot] as Op;
  }

  /** The number this node holds. Writable: optimizers update parameters in place. */
  get data(): number {
    return this._slab.data[this._slot] as number;
  }

  set data(x: number) {
    checkFinite(x, "Value", "data");
    this._slab.data[this._slot] = x;
  }

  /** dL/d(this) after `root.backward()`; accumulates across calls until reset with `zeroGrad()`. */
  get grad(): number {
    return this._slab.grad[this._slot] as number;
  }

  set grad(x: number) {
    checkFinite(x, "Value", "grad");
    this._slab.grad[this._slot] = x;
  }

  /** The operation that produced this value: '' for a leaf, then '+', '*', '**2', 'exp', 'tanh', 'ReLU', … */
  get op(): string {
    return this._op === Op.Pow ? `**${String(exponentOf(this))}` : OP_TEXT[this._op];
  }

  /** The operands, in operand order (`a + a` lists `a` twice). */
  get children(): readonly Value[] {
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  // ---- primitive operations: each computes data forward and has one line in Tape.run's table ----

  add(other: Operand): Value {
    const o = operand(other, "add");
    return node(this.data + o.data, Op.Add, this, o);
  }

  mul(other: Operand): Value {
    const o = operand(other, "mul");
    return node(this.data * o.data, Op.Mul, this, o);
  }

  /** this ** exponent, for a constant number exponent (as micrograd). */
  pow(exponent: number): Value {
    checkFinite(exponent, "pow", "exponent");
    const out = node(this.data ** exponent, Op.Pow, this, null, exponent);
    out._slab.exponent ??= new Float64Array(SLAB_SIZE);
    out._slab.exponent[out._slot] = exponent;
    return out;
  }

  exp(): Value {
    return node(Math.exp(this.data), Op.Exp, this, null);
  }

  log(): Value {
    return node(Math.log(this.data), Op.Log, this, null);
  }

  /**
   * The lecture's (e^2x − 1)/(e^2x + 1), made stable: e^2x − 1 is computed by expm1 (no cancellation
   * near 0), and beyond |x| = 20, where tanh rounds to ±1, no exponential is taken (the plain formula
   * gives Infinity/Infinity = NaN at tanh(1000)). At the lecture's neuron this gives its printed
   * 0.7071067811865476, the correctly rounded value (Math.tanh is one unit in the last place off there).
   */
  tanh(): Value {
    const x = this.data;
    const e = Math.expm1(2 * Math.abs(x));
    const t = Math.abs(x) > 20 ? 1 : e / (e + 2); // tanh(|x|); tanh is odd, so the sign goes on last
    return node(x < 0 ? -t : x > 0 ? t : x, Op.Tanh, this, null);
  }

  relu(): Value {
    // biome-ignore lint/complexity/useMathMinMax: micrograd's `0 if x < 0 else x` keeps -0 as -0; Math.max does not
    return node(this.data < 0 ? 0 : this.data, Op.Relu, this, null);
  }

  /** 1 / (1 + e^−x), written so that neither branch overflows. */
  sigmoid(): Value {
    const x = this.data;
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    return node(s, Op.Sigmoid, this, null);
  }

  // ---- derived operations, built from the primitives exactly as micrograd builds them ----

  /** −this = this · −1 */
  neg(): Value {
    return this.mul(-1);
  }

  /** this − other = this + (−other); a number operand is negated as a number (no extra node). */
  sub(other: Operand): Value {
    return this.add(typeof other === "number" ? -other : operand(other, "sub").neg());
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
    return this.mul(other ** -1);
  }

  /** other / this (Python's __rtruediv__) = this⁻¹ · other */
  rdiv(other: Operand): Value {
    return this.pow(-1).mul(operand(other, "rdiv"));
  }

  /**
   * Backpropagation: sets this.grad = 1 and adds d(this)/d(node) into the grad of every node this value
   * depends on, in reverse topological order. Grads accumulate (a second call adds again, as in
   * micrograd and PyTorch): call `zeroGrad()` on the parameters, or `resetGrads(root)`, before reusing.
   */
  backward(): void {
    const n = tape.record(this); // this node is recorded last
    tape.grad[n - 1] = 1;
    tape.run(n);
  }

  /** Python-style text, also what a notebook prints for a cell's last expression. */
  toString(): string {
    return `Value(data=${String(this.data)}, grad=${String(this.grad)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

let lastEpoch = 0;

/** A fresh mark value for one traversal: marks from earlier traversals never need clearing. */
function nextEpoch(): number {
  return ++lastEpoch;
}

/**
 * Depth-first search from `root`, iterative (no stack limit: a chain of a million nodes is fine). Calls
 * `emit` on every node `root` depends on, itself included, each after all of its operands: a
 * topological order, as the lecture's build_topo.
 */
function visitTopological(root: Value, emit: (v: Value) => void): void {
  const entered = nextEpoch(); // operands pushed, not yet emitted
  const done = nextEpoch();
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    if (v._mark === done) continue; // reached twice before it was expanded
    if (v._mark === entered) {
      // A node is re-pushed below its operands, so here they are all emitted.
      v._mark = done;
      emit(v);
      continue;
    }
    v._mark = entered;
    stack.push(v);
    if (v._b !== null && v._b._mark < entered) stack.push(v._b);
    if (v._a !== null && v._a._mark < entered) stack.push(v._a);
  }
}

/** Every node `root` depends on (itself included), children before parents. */
export function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  visitTopological(root, (v) => order.push(v));
  return order;
}

/** Sets grad = 0 on `root` and every node it depends on (intermediate nodes included). */
export function resetGrads(root: Value): void {
  visitTopological(root, (v) => {
    v._slab.grad[v._slot] = 0;
  });
}

/**
 * backward() in two passes. `record` walks the Values once, in topological order, and lays the graph out
 * flat on reused typed arrays: each node's op, value, current grad and its operands' positions. `run`
 * then applies the chain rule over those arrays alone, newest node first, and writes each node's final
 * grad back. The Values, scattered through memory, are read once instead of on every step.
 */
class Tape {
  size = 0;
  op = new Uint8Array(0);
  data = new Float64Array(0);
  grad = new Float64Array(0);
  exponent = new Float64Array(0);
  a = new Int32Array(0); // operand positions on the tape, -1 for none
  b = new Int32Array(0);
  slot = new Int32Array(0); // where each node's grad goes back to
  slab: (Slab | null)[] = [];

  private readonly emit = (v: Value): void => {
    const i = this.size++;
    if (i === this.op.length) this.grow();
    const slab = v._slab;
    const slot = v._slot;
    const op = slab.op[slot] as Op;
    v._index = i;
    this.op[i] = op;
    this.data[i] = slab.data[slot] as number;
    this.grad[i] = slab.grad[slot] as number; // grads accumulate, intermediate nodes' too (as micrograd)
    this.a[i] = v._a === null ? -1 : v._a._index;
    this.b[i] = v._b === null ? -1 : v._b._index;
    if (op === Op.Pow) this.exponent[i] = (slab.exponent as Float64Array)[slot] as number;
    this.slab[i] = slab;
    this.slot[i] = slot;
  };

  /** Records the graph below `root`; returns its size (root is the last entry). */
  record(root: Value): number {
    this.size = 0;
    visitTopological(root, this.emit);
    return this.size;
  }

  /** The chain rule over the recorded nodes, newest first: each operand's grad += (local derivative) × grad. */
  run(n: number): void {
    const { op, data, grad, a, b } = this;
    for (let i = n - 1; i >= 0; i--) {
      const g = grad[i] as number;
      (this.slab[i] as Slab).grad[this.slot[i] as number] = g; // final: every user of node i came before
      this.slab[i] = null; // hold no slab beyond this call
      if (g === 0 || op[i] === Op.Leaf) continue; // adding 0 changes no grad
      const ia = a[i] as number;
      const ib = b[i] as number;
      const t = data[i] as number; // this node's value
      const x = data[ia] as number; // its operands' values
      const y = ib < 0 ? 0 : (data[ib] as number);
      let dx = 0; // d(this)/d(first operand)
      let dy = 0; // d(this)/d(second operand)
      // biome-ignore format: a table of derivatives, one operation a line
      switch (op[i] as Op) {
        case Op.Add: dx = 1; dy = 1; break;
        case Op.Mul: dx = y; dy = x; break;
        case Op.Pow: { const k = this.exponent[i] as number; dx = k * x ** (k - 1); break; }
        case Op.Exp: dx = t; break;
        case Op.Log: dx = 1 / x; break;
        case Op.Tanh: dx = 1 - t ** 2; break;
        case Op.Relu: dx = t > 0 ? 1 : 0; break;
        case Op.Sigmoid: dx = t * (1 - t); break;
      }
      grad[ia] += dx * g;
      if (ib >= 0) grad[ib] += dy * g;
    }
    if (this.op.length > MAX_KEPT_TAPE) this.release();
  }

  private grow(): void {
    const capacity = Math.max(1024, 2 * this.op.length);
    const bigger = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.op = bigger(this.op, (n) => new Uint8Array(n));
    this.data = bigger(this.data, (n) => new Float64Array(n));
    this.grad = bigger(this.grad, (n) => new Float64Array(n));
    this.exponent = bigger(this.exponent, (n) => new Float64Array(n));
    this.a = bigger(this.a, (n) => new Int32Array(n));
    this.b = bigger(this.b, (n) => new Int32Array(n));
    this.slot = bigger(this.slot, (n) => new Int32Array(n));
  }

  /** Gives back the memory of an unusually large graph (a million-node chain) instead of keeping it. */
  private release(): void {
    this.op = new Uint8Array(0);
    this.data = new Float64Array(0);
    this.grad = new Float64Array(0);
    this.exponent = new Float64Array(0);
    this.a = new Int32Array(0);
    this.b = new Int32Array(0);
    this.slot = new Int32Array(0);
    this.slab = [];
  }
}

/** Tapes up to this many entries (~40 bytes each) are kept for the next backward(). */
const MAX_KEPT_TAPE = 1 << 18;
const tape = new Tape();

/** A new result node. Any non-finite result is an error here, at the operation that produced it. */
function node(data: number, op: Op, a: Value, b: Value | null, exponent = 0): Value {
  if (!Number.isFinite(data)) throw new RangeError(nonFiniteMessage(data, op, a, b, exponent));
  const out = new Value(data);
  out._slab.op[out._slot] = op;
  out._a = a;
  out._b = b;
  return out;
}

function exponentOf(v: Value): number {
  return (v._slab.exponent as Float64Array)[v._slot] as number;
}

function nonFiniteMessage(data: number, op: Op, a: Value, b: Value | null, exponent: number): string {
  const x = a.data;
  const text: Record<Op, string> = {
    [Op.Leaf]: "",
    [Op.Add]: `add: ${x} + ${b?.data}`,
    [Op.Mul]: `mul: ${x} * ${b?.data}`,
    [Op.Pow]: `pow: ${x} ** ${exponent}`,
    [Op.Exp]: `exp: exp(${x})`,
    [Op.Log]: `log: log(${x})`,
    [Op.Tanh]: `tanh: tanh(${x})`,
    [Op.Relu]: `relu: relu(${x})`,
    [Op.Sigmoid]: `sigmoid: sigmoid(${x})`,
  };
  return `${text[op]} is ${data}, not a finite number`;
}

function operand(x: unknown, opName: string): Value {
  if (x instanceof Value) return x;
  checkFinite(x, opName, "operand (a Value or a finite number)");
  return new Value(x as number);
}

function checkFinite(x: unknown, where: string, what: string): void {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(`${where} expects a finite number as ${what}, got ${describe(x)}`);
  }
}

/** A short description of a bad argument for error messages: its value and, where unclear, its type. */
export function describe(x: unknown): string {
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "number") return String(x);
  if (x === null || x === undefined) return String(x);
  if (typeof x === "object") return `${x.constructor?.name ?? "object"} ${inspect(x, { depth: 0 })}`;
  return `${typeof x} ${String(x)}`;
}
