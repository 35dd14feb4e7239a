/**
 * Every primitive operation, in one table: what micrograd writes as a method and its `_backward` closure.
 *
 * For each operation, side by side: its code, its name and its text, its forward, its local derivatives,
 * and the sentence animateBackward writes. With x and y its operands' values (for a unary operation, y is
 * its constant: the exponent of `**2`; otherwise 0) and t its result's value, the chain rule adds
 * dx(t, x, y) · out.grad to x's grad and dy(t, x, y) · out.grad to y's. engine.ts, the sweep and the tape
 * (src/internal/), compile and the animation all read this table; nothing else knows an operation.
 *
 * This module imports nothing from the engine.
 */
import { sigmoid, tanh } from "./internal/math";

/**
 * The op codes nodes record. The numbering is fixed (chunks and compiled programs store these numbers):
 * add new operations at the end. A `const enum`: the compiler writes the number itself where it is used,
 * where a property load from another module would cost time on every node.
 */
// biome-ignore format: one line
// biome-ignore lint/suspicious/noConstEnum: the numbers are inlined by tsc into the hot loops (see above)
export const enum Op { Leaf = 0, Add = 1, Mul = 2, Pow = 3, Exp = 4, Log = 5, Tanh = 6, Relu = 7, Sigmoid = 8, PowValue = 9, Max = 10 }

/** How an operand, the result and a constant are called in the animation's sentences. */
export interface Names {
  out: string;
  x: string;
  y: string;
  /** The constant (pow's exponent), and its value minus 1, written as the drawing writes numbers. */
  k: string;
  kMinus1: string;
}

export interface Operation {
  readonly code: Op;
  /** Its name in messages: the method that makes it. */
  readonly name: string;
  /** micrograd's `_op` text, shown in drawings; an operation with a constant shows it after this ('**2'). */
  readonly symbol: string;
  /** 2: x and y are operands; 1: x is the operand (y the constant, if `constant`); 0: a leaf. */
  readonly arity: 0 | 1 | 2;
  /** Whether y is a constant the node keeps (pow's exponent). */
  readonly constant: boolean;
  forward(x: number, y: number): number;
  /** d(out)/dx and d(out)/dy. */
  dx(t: number, x: number, y: number): number;
  dy(t: number, x: number, y: number): number;
  /** d(out)/dx and d(out)/dy in symbols, for animateBackward's captions ("b.data", "(1 − o.data²)"). */
  say(n: Names): [string, string];
  /** Why x and y are outside the operation's domain (its forward then gives NaN), or null. */
  domain?(x: number, y: number): string | null;
}

const none = () => 0;

// biome-ignore format: a table
const LEAF: Operation = {
  code: Op.Leaf, name: "leaf", symbol: "", arity: 0, constant: false,
  forward: (x) => x, dx: none, dy: none, say: () => ["0", "0"],
};

// biome-ignore format: a table
const ADD: Operation = {
  code: Op.Add, name: "add", symbol: "+", arity: 2, constant: false,
  forward: (x, y) => x + y,
  dx: () => 1, dy: () => 1,
  say: () => ["1", "1"],
};

// biome-ignore format: a table
const MUL: Operation = {
  code: Op.Mul, name: "mul", symbol: "*", arity: 2, constant: false,
  forward: (x, y) => x * y,
  dx: (_t, _x, y) => y, dy: (_t, x) => x,
  say: (n) => [`${n.y}.data`, `${n.x}.data`],
};

/** x ** k for a constant number k, as micrograd. */
// biome-ignore format: a table
const POW: Operation = {
  code: Op.Pow, name: "pow", symbol: "**", arity: 1, constant: true,
  forward: (x, k) => x ** k,
  dx: (_t, x, k) => k * x ** (k - 1), dy: none,
  say: (n) => [n.k === "2" ? `(2 · ${n.x}.data)` : `(${n.k} · ${n.x}.data^${n.kMinus1})`, ""],
};

// biome-ignore format: a table
const EXP: Operation = {
  code: Op.Exp, name: "exp", symbol: "exp", arity: 1, constant: false,
  forward: (x) => Math.exp(x),
  dx: (t) => t, dy: none, // e^x is its own derivative
  say: (n) => [`${n.out}.data`, ""],
};

// biome-ignore format: a table
const LOG: Operation = {
  code: Op.Log, name: "log", symbol: "log", arity: 1, constant: false,
  forward: (x) => Math.log(x),
  dx: (_t, x) => 1 / x, dy: none,
  say: (n) => [`(1 / ${n.x}.data)`, ""],
};

/** The lecture's (e^2x − 1)/(e^2x + 1), made stable (src/internal/math.ts). */
// biome-ignore format: a table
const TANH: Operation = {
  code: Op.Tanh, name: "tanh", symbol: "tanh", arity: 1, constant: false,
  forward: (x) => tanh(x),
  dx: (t) => 1 - t ** 2, dy: none,
  say: (n) => [`(1 − ${n.out}.data²)`, ""],
};

/** micrograd's `0 if x < 0 else x`: −0 stays −0 (Math.max would not); its derivative at 0 is 0, as PyTorch's. */
// biome-ignore format: a table
const RELU: Operation = {
  code: Op.Relu, name: "relu", symbol: "ReLU", arity: 1, constant: false,
  // biome-ignore lint/complexity/useMathMinMax: micrograd's relu, exactly (see above)
  forward: (x) => (x < 0 ? 0 : x),
  dx: (t) => (t > 0 ? 1 : 0), dy: none,
  say: (n) => [`(${n.out}.data > 0 ? 1 : 0)`, ""],
};

/** 1 / (1 + e^−x), written so that neither branch overflows (src/internal/math.ts). */
// biome-ignore format: a table
const SIGMOID: Operation = {
  code: Op.Sigmoid, name: "sigmoid", symbol: "sigmoid", arity: 1, constant: false,
  forward: (x) => sigmoid(x),
  dx: (t) => t * (1 - t), dy: none,
  say: (n) => [`${n.out}.data · (1 − ${n.out}.data)`, ""],
};

export { ADD, EXP, LEAF, LOG, MUL, POW, POW_VALUE, RELU, SIGMOID, TANH };

/**
 * x ** y for a Value exponent y (micrograd issue #17): d/dx = y·x^(y−1), d/dy = x^y·ln x. The base must
 * be ≥ 0 (ln x has no real value below 0; at x = 0, d/dy is 0 for y ≥ 0, as PyTorch defines it).
 */
// biome-ignore format: a table
const POW_VALUE: Operation = {
  code: Op.PowValue, name: "pow", symbol: "**", arity: 2, constant: false,
  forward: (x, y) => (x < 0 ? Number.NaN : x ** y),
  dx: (_t, x, y) => y * x ** (y - 1),
  dy: (t, x, y) => (x === 0 && y >= 0 ? 0 : t * Math.log(x)),
  say: (n) => [`(${n.y}.data · ${n.x}.data^(${n.y}.data − 1))`, `(${n.out}.data · ln ${n.x}.data)`],
  domain: (x) =>
    x < 0
      ? `a negative base with a Value exponent has no derivative in the exponent (x ** y · ln x needs x >= 0); ` +
        "for a constant power of a negative number, pass the exponent as a number"
      : null,
};

/**
 * The larger of x and y, through which no gradient flows: softmax's and crossEntropy's shift, max(logits),
 * is taken by a chain of these (src/losses.ts). Subtracting it keeps every exponent finite and changes no
 * result, so it is a constant for the gradient, as in every softmax written for stability.
 */
// biome-ignore format: a table
const MAX: Operation = {
  code: Op.Max, name: "max", symbol: "max", arity: 2, constant: false,
  // biome-ignore lint/complexity/useMathMinMax: the first of two equal operands, −0 and 0 included
  forward: (x, y) => (y > x ? y : x),
  dx: none, dy: none,
  say: () => ["0", "0"],
};

export { MAX };

/** Every operation, at its code's position. */
export const OPERATIONS: readonly Operation[] = [LEAF, ADD, MUL, POW, EXP, LOG, TANH, RELU, SIGMOID, POW_VALUE, MAX];

/**
 * An operation's forward, by code. The loops over many nodes (compile's replay) call this: each case is a
 * call V8 inlines, where `OPERATIONS[op].forward(…)` would be a call it cannot (several times slower).
 * (The records are module constants exported by name below, so that these cases read them directly.)
 */
export function forward(op: Op, x: number, y: number): number {
  // biome-ignore format: one operation a line
  switch (op) {
    case Op.Add: return ADD.forward(x, y);
    case Op.Mul: return MUL.forward(x, y);
    case Op.Pow: return POW.forward(x, y);
    case Op.Exp: return EXP.forward(x, y);
    case Op.Log: return LOG.forward(x, y);
    case Op.Tanh: return TANH.forward(x, y);
    case Op.Relu: return RELU.forward(x, y);
    case Op.Sigmoid: return SIGMOID.forward(x, y);
    case Op.PowValue: return POW_VALUE.forward(x, y);
    case Op.Max: return MAX.forward(x, y);
    default: return LEAF.forward(x, y);
  }
}

/** An operation's d(out)/dx, by code: what the sweep, the tape and compile call (see forward). */
export function dxOf(op: Op, t: number, x: number, y: number): number {
  // biome-ignore format: one operation a line
  switch (op) {
    case Op.Add: return ADD.dx(t, x, y);
    case Op.Mul: return MUL.dx(t, x, y);
    case Op.Pow: return POW.dx(t, x, y);
    case Op.Exp: return EXP.dx(t, x, y);
    case Op.Log: return LOG.dx(t, x, y);
    case Op.Tanh: return TANH.dx(t, x, y);
    case Op.Relu: return RELU.dx(t, x, y);
    case Op.Sigmoid: return SIGMOID.dx(t, x, y);
    case Op.PowValue: return POW_VALUE.dx(t, x, y);
    case Op.Max: return MAX.dx(t, x, y);
    default: return LEAF.dx(t, x, y);
  }
}

/** An operation's d(out)/dy, by code (0 for a unary operation). */
export function dyOf(op: Op, t: number, x: number, y: number): number {
  // biome-ignore format: one operation a line
  switch (op) {
    case Op.Add: return ADD.dy(t, x, y);
    case Op.Mul: return MUL.dy(t, x, y);
    case Op.Pow: return POW.dy(t, x, y);
    case Op.Exp: return EXP.dy(t, x, y);
    case Op.Log: return LOG.dy(t, x, y);
    case Op.Tanh: return TANH.dy(t, x, y);
    case Op.Relu: return RELU.dy(t, x, y);
    case Op.Sigmoid: return SIGMOID.dy(t, x, y);
    case Op.PowValue: return POW_VALUE.dy(t, x, y);
    case Op.Max: return MAX.dy(t, x, y);
    default: return LEAF.dy(t, x, y);
  }
}

/** The operation with code `op`. */
export function operation(op: Op): Operation {
  return OPERATIONS[op] as Operation;
}

/** micrograd's `_op` text of a node: '+', '*', 'tanh', or '**2' for pow with the constant 2. */
export function opText(op: Op, k: number): string {
  const o = operation(op);
  return o.constant ? `${o.symbol}${String(k)}` : o.symbol;
}

/** "1 + 2", "0 ** 0.5", "log(0)": an operation with its operands, for error messages. */
function operationText(o: Operation, x: number, y: number): string {
  if (o.arity === 2 || o.constant) return `${x} ${o.symbol} ${y}`;
  return `${o.name}(${x})`;
}

/**
 * The table's forward of x and y, refused where not finite: the check of every executor that computes a
 * node (engine.ts's operations, a neuron's nodes, compile's replay when it finds a non-finite result).
 */
export function checkedForward(op: Op, x: number, y: number): number {
  const t = forward(op, x, y);
  if (t - t !== 0) throw resultError(op, x, y, t); // x − x is 0 exactly when x is finite
  return t;
}

/** The error of an operation whose result is not finite, or whose operands are outside its domain. */
export function resultError(op: Op, x: number, y: number, result: number): RangeError {
  const o = operation(op);
  const why = o.domain?.(x, y) ?? null;
  if (why !== null) return new RangeError(`${o.name}: ${operationText(o, x, y)}: ${why}`);
  return new RangeError(`${o.name}: ${operationText(o, x, y)} is ${result}, not a finite number`);
}

/** The error of a backward pass whose gradient through a node is not finite: the same from every executor. */
export function gradientError(op: Op, t: number, x: number, y: number, g: number): RangeError {
  const o = operation(op);
  const dx = o.dx(t, x, y);
  const local = o.arity === 2 ? `${dx} and ${o.dy(t, x, y)}` : `${dx}`;
  return new RangeError(
    `backward: the gradient through ${o.name}: ${operationText(o, x, y)} (local derivative ${local}, gradient ` +
      `from above ${g}) is not finite; no grad was changed`,
  );
}
