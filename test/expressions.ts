/**
 * Random expression graphs for property tests: a tiny expression language, evaluated three ways — with
 * the engine (backward), with forward-mode dual numbers (an independent derivative), and by the test
 * that needs it (e.g. TensorFlow.js). Operations stay away from kinks and from domain edges.
 */
import fc from "fast-check";
import { Value } from "../src";

export type Expr =
  | { kind: "input"; index: number }
  | { kind: "const"; value: number }
  | {
      kind: "unary";
      op: "neg" | "exp" | "log" | "tanh" | "relu" | "sigmoid" | "square" | "cube" | "sqrt" | "inv";
      arg: Expr;
    }
  | { kind: "binary"; op: "add" | "sub" | "mul" | "div" | "rsub" | "rdiv"; left: Expr; right: Expr };

export const INPUTS = 3;

export function arbitraryExpr(depth = 5): fc.Arbitrary<Expr> {
  const { expr } = fc.letrec<{ expr: Expr; leaf: Expr }>((tie) => ({
    leaf: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.integer({ min: 0, max: INPUTS - 1 }).map((index) => ({ kind: "input", index }) as Expr),
      },
      {
        weight: 1,
        arbitrary: fc.double({ min: -3, max: 3, noNaN: true }).map((value) => ({ kind: "const", value }) as Expr),
      },
    ),
    expr: fc.oneof(
      { depthSize: "small", maxDepth: depth },
      { weight: 2, arbitrary: tie("leaf") },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("unary" as const),
          op: fc.constantFrom("neg", "exp", "log", "tanh", "relu", "sigmoid", "square", "cube", "sqrt", "inv"),
          arg: tie("expr"),
        }) as fc.Arbitrary<Expr>,
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("binary" as const),
          op: fc.constantFrom("add", "sub", "mul", "div", "rsub", "rdiv"),
          left: tie("expr"),
          right: tie("expr"),
        }) as fc.Arbitrary<Expr>,
      },
    ),
  }));
  return expr;
}

/** Operations whose arguments would leave the smooth part of their domain are guarded (|x| + 0.5, …). */
export interface Algebra<T> {
  input(i: number): T;
  constant(c: number): T;
  value(t: T): number;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  sub(a: T, b: T): T;
  div(a: T, b: T): T;
  neg(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  tanh(a: T): T;
  relu(a: T): T;
  sigmoid(a: T): T;
  pow(a: T, k: number): T;
}

/** Builds an expression in any algebra; returns null when a guard would make the point non-smooth. */
export function build<T>(e: Expr, alg: Algebra<T>): T | null {
  switch (e.kind) {
    case "input":
      return alg.input(e.index);
    case "const":
      return alg.constant(e.value);
    case "unary": {
      const a = build(e.arg, alg);
      if (a === null) return null;
      const x = alg.value(a);
      switch (e.op) {
        case "neg":
          return alg.neg(a);
        case "exp":
          return Math.abs(x) > 20 ? null : alg.exp(a);
        case "log":
          return x < 0.1 ? null : alg.log(a);
        case "tanh":
          return alg.tanh(a);
        case "relu":
          return Math.abs(x) < 1e-3 ? null : alg.relu(a);
        case "sigmoid":
          return alg.sigmoid(a);
        case "square":
          return alg.pow(a, 2);
        case "cube":
          return alg.pow(a, 3);
        case "sqrt":
          return x < 0.1 ? null : alg.pow(a, 0.5);
        case "inv":
          return Math.abs(x) < 0.1 ? null : alg.pow(a, -1);
      }
      return null;
    }
    case "binary": {
      const a = build(e.left, alg);
      const b = build(e.right, alg);
      if (a === null || b === null) return null;
      const tooBig = (t: T) => (Math.abs(alg.value(t)) > 1e6 ? null : t);
      switch (e.op) {
        case "add":
          return tooBig(alg.add(a, b));
        case "sub":
          return tooBig(alg.sub(a, b));
        case "mul":
          return tooBig(alg.mul(a, b));
        case "div":
          return Math.abs(alg.value(b)) < 0.1 ? null : tooBig(alg.div(a, b));
        case "rsub":
          return tooBig(alg.sub(b, a));
        case "rdiv":
          return Math.abs(alg.value(a)) < 0.1 ? null : tooBig(alg.div(b, a));
      }
    }
  }
  return null;
}

/** The engine as an algebra, over the given leaf Values. rsub/rdiv use the engine's own methods. */
export function valueAlgebra(inputs: Value[]): Algebra<Value> {
  return {
    input: (i) => inputs[i] as Value,
    constant: (c) => new Value(c),
    value: (t) => t.data,
    add: (a, b) => a.add(b),
    mul: (a, b) => a.mul(b),
    sub: (a, b) => (a.op === "" && b.op !== "" ? b.rsub(a) : a.sub(b)),
    div: (a, b) => (a.op === "" && b.op !== "" ? b.rdiv(a) : a.div(b)),
    neg: (a) => a.neg(),
    exp: (a) => a.exp(),
    log: (a) => a.log(),
    tanh: (a) => a.tanh(),
    relu: (a) => a.relu(),
    sigmoid: (a) => a.sigmoid(),
    pow: (a, k) => a.pow(k),
  };
}

/** Forward-mode dual numbers: value and derivative with respect to one chosen input. */
export interface Dual {
  v: number;
  d: number;
}

export function dualAlgebra(inputs: readonly number[], wrt: number): Algebra<Dual> {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  return {
    input: (i) => ({ v: inputs[i] as number, d: i === wrt ? 1 : 0 }),
    constant: (c) => ({ v: c, d: 0 }),
    value: (t) => t.v,
    add: (a, b) => ({ v: a.v + b.v, d: a.d + b.d }),
    mul: (a, b) => ({ v: a.v * b.v, d: a.d * b.v + a.v * b.d }),
    sub: (a, b) => ({ v: a.v - b.v, d: a.d - b.d }),
    div: (a, b) => ({ v: a.v / b.v, d: (a.d * b.v - a.v * b.d) / (b.v * b.v) }),
    neg: (a) => ({ v: -a.v, d: -a.d }),
    exp: (a) => ({ v: Math.exp(a.v), d: Math.exp(a.v) * a.d }),
    log: (a) => ({ v: Math.log(a.v), d: a.d / a.v }),
    tanh: (a) => ({ v: Math.tanh(a.v), d: (1 - Math.tanh(a.v) ** 2) * a.d }),
    relu: (a) => ({ v: Math.max(0, a.v), d: a.v > 0 ? a.d : 0 }),
    sigmoid: (a) => ({ v: sig(a.v), d: sig(a.v) * (1 - sig(a.v)) * a.d }),
    pow: (a, k) => ({ v: a.v ** k, d: k * a.v ** (k - 1) * a.d }),
  };
}

export const arbitraryInputs = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
  minLength: INPUTS,
  maxLength: INPUTS,
});
