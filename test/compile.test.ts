/**
 * compile(): a captured graph replayed on numbers gives the object API's numbers to the last bit (the
 * demo's 100 steps, random expression graphs), reads the leaves' current data, and fails as the object
 * API fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Adam,
  type CompiledGraph,
  compile,
  crossEntropy,
  demoMoons,
  MLP,
  makeSpirals,
  maxMargin,
  Random,
  SGD,
  seed,
  softmax,
  sum,
  Value,
} from "../src";
import { Op } from "../src/ops";
import { arbitraryExpr, arbitraryInputs, build, INPUTS, valueAlgebra } from "./expressions";
import { expectClose } from "./helpers";

const reference = JSON.parse(readFileSync(join(__dirname, "fixtures", "micrograd-demo.json"), "utf8")) as {
  steps: { step: number; loss: number }[];
  finalParameters: number[];
};

/** micrograd's demo loop, 100 SGD steps; `compiled` replays one captured graph instead of rebuilding. */
function demo(compiled: boolean): { losses: number[]; parameters: number[][]; grads: number[][] } {
  seed(1337);
  const model = new MLP(2, [16, 16, 1]);
  const { X, y } = demoMoons();
  const optimizer = new SGD(model.parameters(), { lr: (k) => 1.0 - (0.9 * k) / 100 });
  const lossOf = () => {
    const scores = X.map((row) => model.output(row.map((x) => new Value(x))));
    return maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
  };
  const graph = compiled ? compile(lossOf) : null;
  const out = { losses: [] as number[], parameters: [] as number[][], grads: [] as number[][] };
  for (let k = 0; k < 100; k++) {
    model.zeroGrad();
    if (graph !== null) {
      out.losses.push(graph.forward());
      graph.backward();
    } else {
      const loss = lossOf();
      out.losses.push(loss.data);
      loss.backward();
    }
    out.grads.push(model.parameters().map((p) => p.grad));
    optimizer.step();
    out.parameters.push(model.parameters().map((p) => p.data));
  }
  return out;
}

/**
 * `graph`'s value and the grads of `leaves` against the object API's (the graph `build` makes afresh),
 * exactly, over `rounds` rounds; `move` sets other values before each round after the first.
 */
function expectObjectApiRounds(
  graph: CompiledGraph,
  leaves: readonly Value[],
  build: () => Value,
  move: () => void,
  rounds: number,
): void {
  for (let round = 0; round < rounds; round++) {
    if (round > 0) move();
    for (const v of [...graph.leaves, ...leaves]) v.grad = 0;
    const value = graph.forward();
    graph.backward();
    const grads = leaves.map((v) => v.grad);
    for (const v of leaves) v.grad = 0;
    const out = build();
    out.backward();
    expect(value).toBe(out.data);
    expect(grads).toEqual(leaves.map((v) => v.grad));
    expect(grads.some((g) => g !== 0)).toBe(true);
  }
}

describe("compile: the demo's training through one captured graph", () => {
  const objectApi = demo(false);
  const compiled = demo(true);

  it("is bit-identical to the object API at every one of the 100 steps (loss, every grad, every parameter)", () => {
    for (let k = 0; k < 100; k++) {
      expect(Object.is(compiled.losses[k], objectApi.losses[k])).toBe(true);
      expect(compiled.grads[k]).toEqual(objectApi.grads[k]);
      expect(compiled.parameters[k]).toEqual(objectApi.parameters[k]);
    }
    expect(compiled.losses[99]).toBe(objectApi.losses[99]);
  });

  it("matches Python micrograd's printed steps (step 0 exactly, then within 1e-9: Python sums in set order)", () => {
    expect(compiled.losses[0]).toBe(0.8958441028683222);
    reference.steps.forEach((ref) => expectClose(compiled.losses[ref.step] as number, ref.loss, 1e-9));
    compiled.parameters[99]?.forEach((p, i) => expectClose(p, reference.finalParameters[i] as number, 1e-9, 1e-12));
  });
});

describe("compile: random expression graphs", () => {
  it("captured at one point and replayed at another gives the object API's value and grads there, exactly", () => {
    let checked = 0;
    fc.assert(
      fc.property(arbitraryExpr(), arbitraryInputs, arbitraryInputs, (expr, xs, moved) => {
        const leaves = xs.map((x) => new Value(x));
        if (build(expr, valueAlgebra(leaves)) === null) return;
        const graph = compile(() => build(expr, valueAlgebra(leaves)) as Value);
        const fresh = moved.map((x) => new Value(x));
        const out = build(expr, valueAlgebra(fresh));
        if (out === null) return; // a guard fired at the new point: the object API built another graph
        leaves.forEach((leaf, i) => {
          leaf.data = moved[i] as number;
        });
        expect(graph.forward()).toBe(out.data);
        out.backward();
        graph.backward();
        for (let i = 0; i < INPUTS; i++) expect((leaves[i] as Value).grad).toBe((fresh[i] as Value).grad);
        checked++;
      }),
      { numRuns: 300, seed: 20261130 },
    );
    expect(checked).toBeGreaterThan(100);
  });
});

describe("compile: softmax and crossEntropy, as notebook 06 trains the spirals", () => {
  it("gives the object API's losses and grads bit for bit at every step (Adam, minibatches)", () => {
    const run = (compiled: boolean) => {
      seed(1337);
      const net = new MLP(2, [16, 16, 3]);
      const rng = new Random(42);
      const spirals = makeSpirals(100, 3, 0.2, rng);
      const batchSize = 8;
      const batchX = Array.from({ length: batchSize }, () => [new Value(0), new Value(0)]);
      const batchOneHot = Array.from({ length: batchSize }, () => [new Value(0), new Value(0), new Value(0)]);
      const valIdx = [0, 50, 100, 150, 200, 250];
      const trainLoss = () =>
        sum(
          batchX.map((x, i) => {
            const probs = softmax(net.forward(x));
            return sum(probs.map((p, c) => p.log().mul(batchOneHot[i]?.[c] as Value))).neg();
          }),
        ).mul(1 / batchSize);
      const valLoss = () =>
        sum(valIdx.map((i) => crossEntropy(net.forward(spirals.X[i] as number[]), spirals.y[i] as number))).mul(
          1 / valIdx.length,
        );
      const [train, validation] = compiled ? [compile(trainLoss), compile(valLoss)] : [null, null];
      const adam = new Adam(net.parameters(), { lr: 0.05, weightDecay: 0.1 });
      const out: number[] = []; // every loss and every grad, in order
      for (let step = 0; step < 8; step++) {
        for (let j = 0; j < batchSize; j++) {
          const i = Math.floor(rng.random() * spirals.X.length);
          (batchX[j] as Value[]).forEach((v, d) => {
            v.data = (spirals.X[i] as number[])[d] as number;
          });
          (batchOneHot[j] as Value[]).forEach((v, c) => {
            v.data = spirals.y[i] === c ? 1 : 0;
          });
        }
        net.zeroGrad();
        if (train !== null && validation !== null) {
          out.push(train.forward());
          train.backward();
          out.push(validation.forward());
          validation.backward(); // grads of both losses, accumulated
        } else {
          const loss = trainLoss();
          out.push(loss.data);
          loss.backward();
          const v = valLoss();
          out.push(v.data);
          v.backward();
        }
        out.push(...net.parameters().map((p) => p.grad));
        adam.step();
      }
      return out;
    };
    const objectApi = run(false);
    const replayed = run(true);
    expect(replayed.length).toBe(8 * (2 + 371));
    // Object.is: bit for bit, the sign of zero included
    const differing = replayed.filter((x, i) => !Object.is(x, objectApi[i])).length;
    expect(differing).toBe(0);
  });

  it("recomputes the shift from the logits' current values: a replay far from the capture's logits stays finite", () => {
    const logits = [new Value(0), new Value(1), new Value(2)];
    const loss = compile(() => crossEntropy(logits, 0));
    // the shift −max (−2 here) is computed by the table's Max, not a leaf: besides the logits only −1s (neg, sub)
    expect(loss.leaves.filter((l) => !logits.includes(l)).map((l) => l.data)).toEqual([-1, -1]);
    logits.forEach((l, i) => {
      l.data = 800 + i; // e^(802 − 2) overflows: with the shift of the capture (−2) forward() would fail
    });
    expect(loss.forward()).toBe(crossEntropy(logits, 0).data);
  });
});

describe("compile: how the replay walks weighted sums (regular steps, the ReLU in the same pass, four sums side by side)", () => {
  /** Layers of weighted sums laid out in every way the replay's plan tells apart; returns the loss and its leaves. */
  function network(rng: Random) {
    const leaf = () => new Value(rng.uniform(-1, 1));
    const weights = (count: number) => Array.from({ length: count }, leaf); // consecutive leaves
    const dot = (ws: Value[], xs: Value[], b: Value) => xs.reduce((acc, x, k) => acc.add((ws[k] as Value).mul(x)), b);
    const xs = weights(6);
    const w1 = Array.from({ length: 9 }, () => weights(6));
    const w2 = Array.from({ length: 5 }, () => weights(9));
    const ws = [...xs, ...w1.flat(), ...w2.flat()];
    const b = weights(16);
    ws.push(...b);
    return {
      leaves: ws,
      loss: () => {
        // nine neurons with their ReLUs (two groups of four and one alone), inputs of step 1
        const h = w1.map((w, j) => dot(w, xs, b[j] as Value).relu());
        // five more over the hidden values backwards (step −2 between ReLU outputs), one without a ReLU
        const back = [...h].reverse();
        const g = w2.map((w, j) =>
          j === 2 ? dot(w, back, b[9 + j] as Value) : dot(w, back, b[9 + j] as Value).relu(),
        );
        // irregular terms, a sum that reads the one before it, a Dot read by its ReLU and by something else
        const irregular = dot([g[3], g[0], g[4]] as Value[], [h[5], h[1], h[8]] as Value[], b[14] as Value);
        const chained = dot([irregular, g[1]] as Value[], [h[0], h[2]] as Value[], b[15] as Value).relu();
        const shared = dot(w2[0] as Value[], h, irregular);
        // four alike over different inputs (each a window of the hidden values)
        const windows = [0, 1, 2, 3].map((j) => dot((w2[j] as Value[]).slice(0, 3), h.slice(j, j + 3), b[j] as Value));
        return sum([...g, irregular, chained, shared.relu(), shared.mul(0.5), ...windows]);
      },
    };
  }

  it("gives the object API's value and every grad exactly, at the capture's values and elsewhere", () => {
    const rng = new Random(29);
    const { leaves, loss } = network(rng);
    const graph = compile(loss);
    expectObjectApiRounds(graph, leaves, loss, () => leaves.forEach((v) => (v.data = rng.uniform(-2, 2))), 5);
  });

  it("a sum that overflows in the third of four side by side: the object API's error for it", () => {
    const rng = new Random(7);
    const { leaves, loss } = network(rng);
    const graph = compile(loss);
    const [x0] = leaves as [Value];
    const w = leaves[6 + 2 * 6] as Value; // neuron 2's first weight: the third sum of the first four
    x0.data = 1e200;
    w.data = 1e200;
    let expected: unknown;
    try {
      loss();
    } catch (e) {
      expected = e;
    }
    expect(expected).toBeInstanceOf(RangeError);
    expect(() => graph.forward()).toThrow(expected as Error);
  });
});

describe("compile: sum() of products made beforehand (the L2 penalty's layout) as one instruction", () => {
  const rng = new Random(11);
  const ps = Array.from({ length: 5 }, () => new Value(rng.uniform(-1, 1)));
  const q = new Value(0.375);

  it("gives the object API's value and grads exactly, as one instruction when the first addend is no factor", () => {
    const cases = [
      { fn: () => sum([q, ...ps.map((p) => p.mul(p))]).tanh(), size: 6 + 2 }, // the Sum and the tanh
      // the first addend is a factor too: kept as Muls and Adds (one addition order to its grad)
      { fn: () => sum([ps[2] as Value, ...ps.map((p) => p.mul(p))]).tanh(), size: 5 + 5 + 5 + 1 },
      { fn: () => sum(ps.map((p, i) => p.mul(ps[(i + 1) % 5] as Value))), size: 5 + 1 + 1 }, // m₀ and the Sum
    ];
    for (const { fn, size } of cases) {
      const graph = compile(fn);
      expect(graph.size).toBe(size);
      const move = () => [...ps, q].forEach((v) => (v.data = rng.uniform(-2, 2)));
      expectObjectApiRounds(graph, [...ps, q], fn, move, 3);
    }
  });

  it("a product that overflows after a sum would have: the object API's error, the product's", () => {
    const fn = () => sum([q, ...ps.map((p) => p.mul(p))]);
    const graph = compile(fn);
    q.data = 1.7e308;
    (ps[0] as Value).data = 1e154; // q + p₀² overflows, but the products come first
    (ps[3] as Value).data = 1e200; // p₃² overflows
    let objectApi: unknown = null;
    try {
      fn();
    } catch (e) {
      objectApi = e;
    }
    expect(objectApi).toBeInstanceOf(RangeError);
    expect((objectApi as Error).message).toMatch(/^mul: /);
    expect(() => graph.forward()).toThrow(objectApi as Error);
  });
});

describe("compile: semantics", () => {
  it("forward() reads the leaves' current data; backward() adds d(root)/d(leaf) into their grads", () => {
    const a = new Value(2.0, { label: "a" });
    const b = new Value(-3.0, { label: "b" });
    const graph = compile(() => a.mul(b).add(a.mul(a)).tanh()); // tanh(ab + a²)
    expect(graph.forward()).toBe(a.mul(b).add(a.mul(a)).tanh().data);
    a.data = 0.5;
    b.data = 0.25;
    const t = graph.forward(); // tanh(0.125 + 0.25)
    expectClose(t, Math.tanh(0.375));
    graph.backward();
    expectClose(a.grad, (1 - t * t) * (0.25 + 2 * 0.5));
    expectClose(b.grad, (1 - t * t) * 0.5);
    graph.backward(); // accumulates: twice the gradient
    expectClose(a.grad, 2 * (1 - t * t) * (0.25 + 2 * 0.5));
    expect(graph.leaves).toEqual([a, b]);
  });

  it("replays the branch taken at capture: value-dependent control flow is not traced again", () => {
    const x = new Value(2);
    const graph = compile(() => (x.data > 0 ? x.mul(3) : x.mul(-1)));
    x.data = -5;
    expect(graph.forward()).toBe(-15); // the object API's branch would give 5
    expect(graph.forward()).not.toBe(x.data > 0 ? x.mul(3).data : x.mul(-1).data);
  });

  it("backward() after a leaf changed without forward(): an Error saying to call forward() first, no grad changed", () => {
    const w = new Value(3, { label: "w" });
    const x = new Value(2);
    const graph = compile(() => w.mul(x).tanh());
    graph.forward();
    w.grad = 0.5;
    w.data = -1; // an optimizer's step, say, without the forward() that recomputes the graph
    expect(() => graph.backward()).toThrow(
      new Error(
        'compile: backward() found leaf 0 of 2 (label "w") changed from 3 to -1 since the last forward(); call ' +
          "forward() first, so that the gradients are those of the current values. No grad was changed.",
      ),
    );
    expect([w.grad, x.grad]).toEqual([0.5, 0]);
    graph.forward();
    graph.backward(); // now the gradients of tanh(-2), as the object API's
    const objectApi = new Value(-1);
    const input = new Value(2);
    objectApi.grad = 0.5;
    objectApi.mul(input).tanh().backward();
    expect([w.grad, x.grad]).toEqual([objectApi.grad, input.grad]);
  });

  it("a root that is a leaf: forward returns its data, backward sets its grad to 1 as backward() does", () => {
    const x = new Value(4);
    const graph = compile(() => x);
    x.data = 7;
    expect(graph.forward()).toBe(7);
    graph.backward();
    expect(x.grad).toBe(1);
  });
});

describe("compile: how capture finds the graph (the open chunk's nodes, or the tape's search)", () => {
  /**
   * compile(fn)'s value and the grads of `leaves` (among the graph's) against the object API's (a graph
   * `build` makes afresh), at the capture's values and at others.
   */
  function expectObjectApi(fn: () => Value, leaves: readonly Value[], build = fn) {
    const graph = compile(fn);
    expect(graph.leaves.filter((v) => leaves.includes(v))).toHaveLength(leaves.length);
    expectObjectApiRounds(graph, leaves, build, () => leaves.forEach((v) => (v.data += 0.25)), 2);
    return graph;
  }

  it("a neuron fed numbers: its inputs' leaves have no Value until capture gives them one", () => {
    seed(3);
    const model = new MLP(3, [4, 1]);
    const parameters = model.parameters();
    const graph = expectObjectApi(() => model.output([0.5, -1.5, 2]), parameters);
    const inputs = graph.leaves.filter((v) => !parameters.includes(v));
    expect(inputs.map((v) => v.data)).toEqual([0.5, -1.5, 2, 0.5, -1.5, 2, 0.5, -1.5, 2, 0.5, -1.5, 2]);
    // the parameters in the order they were made (creation order), the inputs after them
    expect(graph.leaves.slice(0, parameters.length)).toEqual(parameters);
  });

  it("leaves from several earlier chunks (parameters made between backward() calls): in creation order", () => {
    const a = new Value(0.5);
    new Value(1).mul(2).backward(); // closes the chunk a lives in
    const b = new Value(-1.5);
    const unused = new Value(3);
    new Value(1).mul(2).backward();
    const d = new Value(0.25);
    new Value(1).mul(2).backward();
    const c = new Value(2);
    const build = () => d.mul(b).add(c.mul(a)).tanh().add(b.mul(c));
    const graph = expectObjectApi(build, [a, b, c, d]);
    expect(graph.leaves).toEqual([a, b, d, c]);
    expect(graph.leaves).not.toContain(unused);
  });

  it("a root made before the last backward(): the tape's search, the same numbers", () => {
    const a = new Value(1.5);
    const b = new Value(-0.5);
    const build = () => a.mul(b).add(a.tanh()).relu().add(b.mul(b));
    const root = build();
    new Value(1).mul(2).backward(); // closes the chunk root lives in
    expectObjectApi(() => root, [a, b], build);
  });

  it("a graph over a non-leaf of an earlier chunk (the open chunk is not sweepable): the tape's search", () => {
    const a = new Value(0.75);
    const b = new Value(2);
    const hidden = () => a.mul(b).tanh();
    const h = hidden();
    new Value(1).mul(2).backward(); // closes the chunk h lives in
    const c = new Value(-1.25);
    const over = (x: Value) => x.add(c).mul(x).add(c.mul(a));
    expectObjectApi(
      () => over(h),
      [a, b, c],
      () => over(hidden()),
    );
  });
});

describe("compile: bad input", () => {
  it("rejects a non-function and a function that returns no Value, with TypeErrors naming them", () => {
    expect(() => compile(42 as unknown as () => Value)).toThrow(
      new TypeError("compile expects a function returning a Value, got 42"),
    );
    expect(() => compile(() => 3 as unknown as Value)).toThrow(
      new TypeError("compile: fn() must return a Value, got 3"),
    );
    expect(() => compile(() => "x" as unknown as Value)).toThrow(TypeError);
    expect(() => compile(() => undefined as unknown as Value)).toThrow(/got undefined/);
  });

  it("a leaf whose data is not finite: a RangeError at forward() naming the leaf", () => {
    const w = new Value(1, { label: "w" });
    const x = new Value(2);
    const graph = compile(() => w.mul(x).add(1));
    // The data setter refuses non-finite numbers; a slab written directly (as a typed-array user could) does not.
    w._chunk.data[w._slot] = Number.NaN;
    expect(() => graph.forward()).toThrow(
      new RangeError('compile: forward() found leaf 0 of 3 (label "w") set to NaN, not a finite number'),
    );
    w.data = 1;
    x._chunk.data[x._slot] = Number.POSITIVE_INFINITY;
    expect(() => graph.forward()).toThrow(/leaf 1 of 3 set to Infinity/);
  });

  it("a non-finite result: the object API's error, word for word", () => {
    const objectApiError = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected the object API to throw");
    };
    const x = new Value(1);
    const y = new Value(2);
    const exp = compile(() => x.exp());
    const product = compile(() => new Value(1).add(x.mul(y))); // a fused weighted sum
    const sum = compile(() => x.mul(y).add(x));
    const power = compile(() => x.pow(-1));
    x.data = 1000;
    expect(() => exp.forward()).toThrow(objectApiError(() => new Value(1000).exp()));
    y.data = 1e307;
    expect(() => product.forward()).toThrow(objectApiError(() => new Value(1000).mul(1e307)));
    x.data = 1e300;
    y.data = 1e300;
    expect(() => sum.forward()).toThrow(objectApiError(() => new Value(1e300).mul(1e300)));
    x.data = 0;
    expect(() => power.forward()).toThrow(objectApiError(() => new Value(0).pow(-1)));
    expect(() => power.forward()).toThrow(new RangeError("pow: 0 ** -1 is Infinity, not a finite number"));
    x.data = 1;
    y.data = 1;
    const overflow = compile(() => x.mul(y).add(x));
    x.data = 1.5e308;
    expect(() => overflow.forward()).toThrow(objectApiError(() => new Value(1.5e308).mul(1).add(1.5e308)));
  });
});

describe("compile: a gradient that is not finite", () => {
  it("is the object API's RangeError, and no grad is written (√x at 0; 2,000 doublings)", () => {
    const x = new Value(0, { label: "x" });
    x.grad = 7;
    const sqrt = compile(() => x.pow(0.5));
    sqrt.forward();
    const objectApi = (() => {
      try {
        new Value(0).pow(0.5).backward();
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected the object API to throw");
    })();
    expect(objectApi.message).toBe(
      "backward: the gradient through pow: 0 ** 0.5 (local derivative Infinity, gradient from above 1) is not finite; no grad was changed",
    );
    expect(() => sqrt.backward()).toThrow(objectApi);
    expect(x.grad).toBe(7);

    // 2,000 doublings of 0: the value stays 0, the gradient 2^2000 overflows on the way down.
    const doubled = (start: Value) => {
      let v = start;
      for (let i = 0; i < 2000; i++) v = v.add(v);
      return v;
    };
    const z = new Value(0);
    z.grad = 7;
    const program = compile(() => doubled(z));
    expect(program.forward()).toBe(0);
    const objectApiDoublings = (() => {
      try {
        doubled(new Value(0)).backward();
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected the object API to throw");
    })();
    expect(objectApiDoublings.message).toMatch(/^backward: the gradient through add: 0 \+ 0 .* is not finite/);
    expect(() => program.backward()).toThrow(objectApiDoublings);
    expect(z.grad).toBe(7);
  });
});

describe("the op codes (src/ops.ts): a fixed numbering, stored in chunks and compiled programs", () => {
  it("match the engine's Op", () => {
    expect([
      Op.Leaf,
      Op.Add,
      Op.Mul,
      Op.Pow,
      Op.Exp,
      Op.Log,
      Op.Tanh,
      Op.Relu,
      Op.Sigmoid,
      Op.PowValue,
      Op.Max,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
