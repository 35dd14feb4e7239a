/**
 * backward()'s fast path (src/internal/: the sweep of the open chunk, the tape, a neuron's Value-less
 * nodes) against engine.ts's backwardReference, micrograd's backward() written out: on random graphs with
 * shared subexpressions, spread over many chunks, with roots old and new, every grad must be the same to
 * the bit; and a failing backward() must fail with the same error and change no grad.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Neuron, topologicalOrder, Value } from "../src";
import { backwardReference } from "../src/engine";

/** One step of a random program: a new node from earlier ones, a neuron over earlier ones, or a closed chunk. */
type Instruction =
  | { kind: "unary"; op: "tanh" | "relu" | "sigmoid" | "exp" | "square" | "neg"; a: number }
  | { kind: "binary"; op: "add" | "mul" | "sub" | "div"; a: number; b: number }
  | { kind: "number"; op: "add" | "mul"; a: number; c: number }
  | { kind: "neuron"; inputs: number[]; activation: "relu" | "tanh" | "linear"; seed: number }
  | { kind: "close" };

const LEAVES = 4;

const index = fc.nat({ max: 1_000 }); // taken modulo the number of nodes so far: earlier nodes, often shared
const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("unary" as const),
      op: fc.constantFrom("tanh", "relu", "sigmoid", "exp", "square", "neg" as const),
      a: index,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom("add", "mul", "sub", "div" as const),
      a: index,
      b: index,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("number" as const),
      op: fc.constantFrom("add", "mul" as const),
      a: index,
      c: fc.double({ min: -2, max: 2, noNaN: true }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("neuron" as const),
      inputs: fc.array(index, { minLength: 1, maxLength: 4 }),
      activation: fc.constantFrom("relu", "tanh", "linear" as const),
      seed: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("close" as const) }) },
);

interface Program {
  leaves: number[];
  steps: Instruction[];
  /** Which node is the root, counted back from the last (0: the newest; more: an older root). */
  rootBack: number;
  /** Grads the leaves hold before backward() (grads accumulate). */
  grads: number[];
}

const program: fc.Arbitrary<Program> = fc.record({
  leaves: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: LEAVES, maxLength: LEAVES }),
  steps: fc.array(instruction, { minLength: 10, maxLength: 60 }),
  rootBack: fc.nat({ max: 6 }),
  grads: fc.array(fc.constantFrom(0, 0.5, -2), { minLength: LEAVES, maxLength: LEAVES }),
});

/** Builds the program's graph; every value stays moderate (an operation that would not is skipped). */
function build(p: Program): { nodes: Value[]; root: Value } {
  const nodes = p.leaves.map((x, i) => {
    const v = new Value(x, { label: `x${i}` });
    v.grad = p.grads[i] as number;
    return v;
  });
  const at = (i: number) => nodes[i % nodes.length] as Value;
  const keep = (v: Value) => {
    if (Math.abs(v.data) < 1e3) nodes.push(v);
  };
  for (const s of p.steps) {
    if (s.kind === "close")
      new Value(0).backward(); // closes the open chunk: what follows is in another
    else if (s.kind === "unary") {
      const a = at(s.a);
      if (s.op === "exp" && Math.abs(a.data) > 5) continue;
      keep(s.op === "square" ? a.pow(2) : a[s.op]());
    } else if (s.kind === "binary") {
      const b = at(s.b);
      if (s.op === "div" && Math.abs(b.data) < 0.1) continue;
      keep(at(s.a)[s.op](b));
    } else if (s.kind === "number") keep(at(s.a)[s.op](s.c));
    else {
      const n = new Neuron(s.inputs.length, {
        nonlin: s.activation !== "linear",
        activation: s.activation === "tanh" ? "tanh" : "relu",
        bias: "uniform",
        rng: { uniform: (lo: number, hi: number) => lo + (hi - lo) * ((s.seed % 97) / 97) } as never,
      });
      keep(n.forward(s.inputs.map(at)));
    }
  }
  return { nodes, root: nodes[Math.max(0, nodes.length - 1 - p.rootBack)] as Value };
}

/** The grads of root's graph, in topological order (built twice, the two graphs line up node for node). */
const gradsOf = (root: Value) => topologicalOrder(root).map((v) => v.grad);

describe("backward() equals backwardReference, bit for bit", () => {
  it("on random graphs: shared subexpressions, neurons, many chunks, old and new roots, grads that accumulate", () => {
    let compared = 0;
    fc.assert(
      fc.property(program, (p) => {
        new Value(0).backward(); // a fresh chunk for each graph
        const fast = build(p);
        fast.root.backward(); // before anything looks at the graph: a neuron's nodes stay Value-less
        const slow = build(p);
        const reference = backwardReference(slow.root);
        const expected = topologicalOrder(slow.root).map((v) => reference.get(v) as number);
        const got = gradsOf(fast.root);
        expect(got.length).toBe(expected.length);
        got.forEach((g, i) => expect(Object.is(g, expected[i]), `node ${i}: ${g} vs ${expected[i]}`).toBe(true));
        // A second backward() on the same root (now through the tape: its chunk is closed) compounds the same way.
        const again = backwardReference(fast.root);
        fast.root.backward();
        topologicalOrder(fast.root).forEach((v) => expect(Object.is(v.grad, again.get(v))).toBe(true));
        compared += got.length;
      }),
      { numRuns: 300, seed: 20261202 },
    );
    expect(compared).toBeGreaterThan(3_000);
  });

  it("a gradient that is not finite: the same error from both, and no grad changed, whichever path runs", () => {
    // Each case: the failing part, built from a leaf x; where the root is built: in the open chunk (the
    // sweep), after a chunk closed over the failing part (the sweep, then the tape below it), or an old root (the tape).
    const failing: [string, (x: Value) => Value, number][] = [
      ["√x at 0: an infinite local derivative", (x) => x.pow(0.5), 0],
      ["1e300 · 1e300: a product of gradients that overflows", (x) => x.mul(1e300).mul(1e300), 1e-300],
      ["log at 1e-310: 1/x overflows", (x) => x.log(), 1e-310],
    ];
    const paths = ["sweep", "sweep then tape", "tape"] as const;
    for (const [name, f, x0] of failing) {
      for (const path of paths) {
        const x = new Value(x0, { label: "x" });
        const w = new Value(2, { label: "w" });
        x.grad = 3;
        w.grad = -1;
        const part = f(x);
        if (path !== "sweep") new Value(0).backward(); // closes the chunk holding the failing part
        const root = part.mul(w).add(w);
        if (path === "tape") new Value(0).backward(); // the root's own chunk is closed too
        const before = topologicalOrder(root).map((v) => v.grad);
        let reference: unknown;
        try {
          backwardReference(root);
        } catch (e) {
          reference = e;
        }
        expect(reference, `${name}, ${path}`).toBeInstanceOf(RangeError);
        expect((reference as Error).message).toMatch(
          /^backward: the gradient through .* is not finite; no grad was changed$/,
        );
        expect(() => root.backward(), `${name}, ${path}`).toThrow(reference as Error);
        expect(
          topologicalOrder(root).map((v) => v.grad),
          `${name}, ${path}`,
        ).toEqual(before);
      }
    }
  });
});
