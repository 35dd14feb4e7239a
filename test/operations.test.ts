/**
 * Every operation of the table (src/ops.ts) through every executor, on random operands, the failing ones
 * included (log of 0, a power of 0 with a negative exponent, …): the reference backward() written out in
 * engine.ts, the fast path's sweep (the root in the open chunk) and tape (the root in a closed chunk),
 * compile's replay and animateBackward. Each must give the same bits, and the same errors, as the others.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { animateBackward, compile, Value } from "../src";
import { backwardReference, result } from "../src/engine";
import { OPERATIONS, Op } from "../src/ops";

type Call = (x: Value, y: Value, k: number) => Value;

/** How each operation is called, by code: a new operation must be added here (a test below checks it). */
const CALL: Record<number, Call> = {
  [Op.Add]: (x, y) => x.add(y),
  [Op.Mul]: (x, y) => x.mul(y),
  [Op.Pow]: (x, _y, k) => x.pow(k),
  [Op.Exp]: (x) => x.exp(),
  [Op.Log]: (x) => x.log(),
  [Op.Tanh]: (x) => x.tanh(),
  [Op.Relu]: (x) => x.relu(),
  [Op.Sigmoid]: (x) => x.sigmoid(),
  [Op.PowValue]: (x, y) => x.pow(y),
  [Op.Max]: (x, y) => result(Op.Max, x, y), // softmax's shift (src/losses.ts)
};

const operations = OPERATIONS.filter((o) => o.arity > 0);

/** Operands: ordinary numbers, and the edges where operations fail or overflow. */
const operand = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, -2.5, 2, 1e-310, 1e300, -1e300, 710, -746, 800, -800) },
);
const exponent = fc.constantFrom(2, 3, -1, -2, 0.5, 1 / 3, 0, -0.5, 2.5);
/** The gradient from above: the root is the operation's result times s (s = 0: nothing may flow). */
const upstream = fc.constantFrom(1, -0.5, 0, 3, 1e300);

interface Outcome {
  /** The result's value, or the error its forward gave. */
  data: number | string;
  /** The grads of x, y and s after backward(), or the error backward() gave (then no grad may have changed). */
  grads: number[] | string;
}

/** What each executor does with one operation: x, y and s are fresh leaves; k the constant. */
type Executor = (code: Op, x: number, y: number, k: number, s: number) => Outcome;

const message = (e: unknown) => `${(e as Error).constructor.name}: ${(e as Error).message}`;

/** x, y, s as leaves whose grads start at 0, and root = op(x, y) · s; or the forward's error. */
function graph(code: Op, x: number, y: number, k: number, s: number) {
  const leaves = [new Value(x, { label: "x" }), new Value(y, { label: "y" }), new Value(s, { label: "s" })] as const;
  try {
    const out = (CALL[code] as Call)(leaves[0], leaves[1], k);
    return { leaves, out, root: out.mul(leaves[2]) };
  } catch (e) {
    return { leaves, error: message(e) };
  }
}

/** Runs backward on a graph: the leaves' grads, or the error (checking that no grad changed). */
function backwardOf(leaves: readonly Value[], run: () => void): number[] | string {
  const before = leaves.map((v) => v.grad);
  try {
    run();
  } catch (e) {
    expect(
      leaves.map((v) => v.grad),
      `no grad changed by the failure ${message(e)}`,
    ).toEqual(before);
    return message(e);
  }
  return leaves.map((v) => v.grad);
}

const EXECUTORS: Record<string, Executor> = {
  reference(code, x, y, k, s) {
    const g = graph(code, x, y, k, s);
    if (g.error !== undefined) return { data: g.error, grads: "" };
    const { leaves, out, root } = g;
    return {
      data: out.data,
      grads: backwardOf(leaves, () => {
        const grads = backwardReference(root);
        leaves.forEach((v) => {
          v.grad = grads.get(v) ?? v.grad; // a unary operation's y is no part of the graph
        });
      }),
    };
  },
  sweep(code, x, y, k, s) {
    const g = graph(code, x, y, k, s);
    if (g.error !== undefined) return { data: g.error, grads: "" };
    return { data: g.out.data, grads: backwardOf(g.leaves, () => g.root.backward()) };
  },
  tape(code, x, y, k, s) {
    const g = graph(code, x, y, k, s);
    if (g.error !== undefined) return { data: g.error, grads: "" };
    new Value(0).backward(); // closes the root's chunk: backward() goes through the tape
    return { data: g.out.data, grads: backwardOf(g.leaves, () => g.root.backward()) };
  },
  compile(code, x, y, k, s) {
    // Captured where every operation is defined, then replayed at the operands: the result alone, and the root.
    const safe = graph(code, 0.5, 0.5, k, 1);
    if (safe.error !== undefined) throw new Error(safe.error);
    const [lx, ly, ls] = safe.leaves;
    const call = CALL[code] as Call;
    const result = compile(() => call(lx, ly, k));
    const root = compile(() => call(lx, ly, k).mul(ls));
    lx.data = x;
    ly.data = y;
    ls.data = s;
    let data: number;
    try {
      data = result.forward();
      root.forward();
    } catch (e) {
      return { data: message(e), grads: "" };
    }
    return { data, grads: backwardOf(safe.leaves, () => root.backward()) };
  },
  animation(code, x, y, k, s) {
    const g = graph(code, x, y, k, s);
    if (g.error !== undefined) return { data: g.error, grads: "" };
    return { data: g.out.data, grads: backwardOf(g.leaves, () => animateBackward(g.root)) };
  },
};

describe("every operation of the table through every executor", () => {
  it("the test knows how to call every operation in the table", () => {
    expect(operations.map((o) => String(o.code))).toEqual(Object.keys(CALL));
  });

  for (const op of operations) {
    it(`${op.name}${op.arity === 2 ? "(x, y)" : "(x)"}: the same value, the same grads to the bit, the same errors, from all five`, () => {
      const seen = { ok: 0, forwardError: 0, backwardError: 0 };
      fc.assert(
        fc.property(operand, operand, exponent, upstream, (x, y, k, s) => {
          const outcomes = Object.entries(EXECUTORS).map(
            ([executor, run]) => [executor, run(op.code, x, y, k, s)] as const,
          );
          const [, reference] = outcomes[0] as (typeof outcomes)[number];
          for (const [executor, outcome] of outcomes.slice(1)) {
            const what = `${op.name}(${x}, ${op.arity === 2 ? y : k}) · ${s}, ${executor}`;
            expect(outcome.data, what).toEqual(reference.data);
            expect(outcome.grads, what).toEqual(reference.grads);
          }
          if (typeof reference.data === "string") seen.forwardError++;
          else if (typeof reference.grads === "string") seen.backwardError++;
          else seen.ok++;
        }),
        { numRuns: 150, seed: 20261202 + op.code },
      );
      expect(seen.ok).toBeGreaterThan(50);
      // Only tanh, relu, sigmoid and max may pass every run: their derivatives are bounded (max's are 0).
      if (!["tanh", "relu", "sigmoid", "max"].includes(op.name))
        expect(seen.forwardError + seen.backwardError).toBeGreaterThan(0);
    });
  }
});
