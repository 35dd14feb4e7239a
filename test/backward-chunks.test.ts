/**
 * The machinery behind backward()'s speed (docs/DEVELOPMENT.md, "How the engine is fast"): nodes in chunks in
 * creation order, the sweep of the open chunk, the tape for what lies in earlier chunks, and a neuron's
 * products and sums written without Value objects. Each must give exactly what the plain engine gives.
 */
import { describe, expect, it } from "vitest";
import { animateBackward, compile, Neuron, topologicalOrder, Value } from "../src";
import { backwardSteps } from "../src/display/backward-steps";
import { backwardReference } from "../src/engine";
import { MAX_CHUNK_NODES } from "../src/internal/chunk";

/** The lecture's neuron loop with plain Value operations: act = b + w0·x0 + w1·x1 + …, then the activation. */
function plainNeuron(n: Neuron, x: readonly (Value | number)[]): Value {
  let act = n.b;
  n.w.forEach((w, i) => {
    act = act.add(w.mul(x[i] as Value | number));
  });
  if (n.activation === "relu") return act.relu();
  if (n.activation === "tanh") return act.tanh();
  return act;
}

/** Every node below root in topological order: op, data, grad, label and operand positions. */
function layout(root: Value) {
  const nodes = topologicalOrder(root);
  const position = new Map(nodes.map((v, i) => [v, i]));
  return nodes.map((v) => ({
    op: v.op,
    data: v.data,
    grad: v.grad,
    label: v.label,
    children: v.children.map((c) => position.get(c)),
  }));
}

describe("a neuron's nodes written straight into the chunk", () => {
  const cases = [
    { nin: 1, activation: "relu" as const },
    { nin: 1, activation: "linear" as const },
    { nin: 3, activation: "tanh" as const },
    { nin: 5, activation: "relu" as const },
    { nin: 5, activation: "linear" as const },
  ];
  for (const { nin, activation } of cases) {
    it(`Neuron(${nin}), ${activation}: the plain loop's nodes, values and grads, bit for bit`, () => {
      const n = new Neuron(nin, {
        nonlin: activation !== "linear",
        activation: activation === "tanh" ? "tanh" : "relu",
        bias: "uniform",
      });
      // Values and plain numbers mixed: a number becomes a leaf of its own, as micrograd's __mul__ makes it.
      const inputs = () => Array.from({ length: nin }, (_, i) => (i % 2 === 0 ? new Value(0.3 * i - 0.7) : 1.5 - i));
      const fused = n.forward(inputs());
      fused.mul(fused).backward(); // through the sweep, before any of the neuron's Values exist
      const fusedLayout = layout(fused);
      for (const p of n.parameters()) p.grad = 0;
      const plain = plainNeuron(n, inputs());
      plain.mul(plain).backward();
      const plainLayout = layout(plain);
      expect(fusedLayout.length).toBe(plainLayout.length);
      fusedLayout.forEach((node, i) => {
        const other = plainLayout[i] as (typeof plainLayout)[number];
        expect(node.op).toBe(other.op);
        expect(node.children).toEqual(other.children);
        expect(Object.is(node.data, other.data)).toBe(true);
        expect(Object.is(node.grad, other.grad)).toBe(true);
      });
      // The parameters themselves are the operands, not copies.
      const nodes = topologicalOrder(fused);
      for (const p of n.parameters()) expect(nodes.includes(p)).toBe(true);
    });
  }

  for (const { nin, activation } of cases) {
    it(`Neuron(${nin}), ${activation}, through the tape (an earlier chunk): the same grads, no Values made`, () => {
      const n = new Neuron(nin, {
        nonlin: activation !== "linear",
        activation: activation === "tanh" ? "tanh" : "relu",
      });
      if (activation === "relu") n.b.data = 20; // a live relu: grads to compare
      const inputs = () => Array.from({ length: nin }, (_, i) => (i % 2 === 0 ? new Value(0.3 * i - 0.7) : 1.5 - i));
      const fused = n.forward(inputs());
      const L = fused.mul(fused);
      new Value(0).backward(); // closes the chunk: L.backward() goes through the tape
      L.backward();
      expect(fused._pending).not.toBe(null); // recorded from the chunk, not expanded into Values
      const fusedLayout = layout(fused);
      for (const p of n.parameters()) p.grad = 0;
      const plain = plainNeuron(n, inputs());
      const L2 = plain.mul(plain);
      new Value(0).backward();
      L2.backward();
      const plainLayout = layout(plain);
      expect(fusedLayout.map((node) => node.grad)).toEqual(plainLayout.map((node) => node.grad));
      expect(fusedLayout.map((node) => node.op)).toEqual(plainLayout.map((node) => node.op));
      expect(fusedLayout.some((node) => node.grad !== 0)).toBe(true);
    });
  }

  it("makes each Value once: children and traversals return the same objects", () => {
    const n = new Neuron(3);
    const out = n.forward([1, 2, 3]);
    const first = out.children;
    expect(out.children[0]).toBe(first[0]);
    const nodes = topologicalOrder(out);
    expect(nodes).toContain(first[0]);
    expect(topologicalOrder(out)).toEqual(nodes);
  });

  it("a product or a sum that is not finite is the object API's error, at the same operation", () => {
    const n = new Neuron(2);
    (n.w[1] as Value).data = 1e308;
    let plainError = "";
    try {
      plainNeuron(n, [1, 1e308]);
    } catch (e) {
      plainError = (e as Error).message;
    }
    expect(plainError).toMatch(/^mul: 1e\+308 \* 1e\+308 is Infinity/);
    expect(() => n.forward([1, 1e308])).toThrow(new RangeError(plainError));
    (n.w[1] as Value).data = 1.5e308;
    (n.w[0] as Value).data = 1.5e308;
    expect(() => n.forward([1, 1])).toThrow(/^add: 1\.5e\+308 \+ 1\.5e\+308 is Infinity/);
  });

  it("keeps its own copy of the inputs: changing the array afterwards changes nothing", () => {
    const n = new Neuron(2, { nonlin: false });
    const x = [new Value(1), new Value(2)];
    const out = n.forward(x);
    x[0] = new Value(100);
    const leaves = topologicalOrder(out).filter((v) => v.op === "");
    expect(leaves.map((v) => v.data)).not.toContain(100);
  });

  it("a weight replaced after a forward pass: that pass's nodes keep the old weight, the next uses the new", () => {
    const n = new Neuron(2, { nonlin: false });
    const old = n.w[1] as Value;
    const before = n.forward([1, 2]);
    const replacement = new Value(5);
    n.w[1] = replacement;
    const after = n.forward([1, 2]);
    expect(before.children[1]?.children[0]).toBe(old); // (b + w0·x0) + w1·x1: the w1 it was made with
    expect(after.children[1]?.children[0]).toBe(replacement);
    expect(after.data).toBe((n.w[0] as Value).data * 1 + 5 * 2);
  });
});

describe("backward() across chunks", () => {
  /** h built, then a backward() elsewhere closes h's chunk: L's graph reaches into an earlier chunk. */
  function acrossChunks() {
    const a = new Value(2, { label: "a" });
    const b = new Value(-3, { label: "b" });
    const h = a.mul(b).add(a.pow(2)); // 2·(−3) + 4 = −2
    new Value(0).backward(); // closes the open chunk
    const L = h.mul(h).add(b.mul(a)).tanh();
    return { a, b, h, L };
  }

  it("finishes through the tape what the sweep reaches in earlier chunks: the same grads as one chunk", () => {
    const split = acrossChunks();
    split.L.backward();
    // The same expression in one chunk.
    const a = new Value(2);
    const b = new Value(-3);
    const h = a.mul(b).add(a.pow(2));
    const L = h.mul(h).add(b.mul(a)).tanh();
    L.backward();
    expect(split.h.grad).toBe(h.grad);
    expect(split.a.grad).toBe(a.grad);
    expect(split.b.grad).toBe(b.grad);
    expect(split.a.grad).not.toBe(0);
  });

  it("a root in a closed chunk goes through the tape; grads accumulate as micrograd's", () => {
    const { a, L } = acrossChunks();
    L.backward();
    const once = a.grad;
    L.backward(); // L's chunk was closed by the first call
    expect(a.grad).not.toBe(once); // intermediate grads compound, as in micrograd
    expect(Number.isFinite(a.grad)).toBe(true);
  });

  it("a failed backward() puts back every grad: in the open chunk, in earlier chunks, and leaves", () => {
    const p = new Value(3, { label: "p" });
    const zero = new Value(0, { label: "zero" });
    const far = p.mul(2); // a node of an earlier chunk
    new Value(0).backward();
    p.grad = 5;
    far.grad = 7;
    const q = far.add(p); // its operands: a non-leaf and a leaf of the earlier chunk
    q.grad = 11;
    const L = q.mul(zero.pow(0.5)); // d(zero**0.5)/d(zero) = 0.5 · 0^−0.5 = Infinity
    expect(() => L.backward()).toThrow(/backward: the gradient through pow: 0 \*\* 0.5 .* no grad was changed/);
    expect([p.grad, far.grad, q.grad, zero.grad, L.grad]).toEqual([5, 7, 11, 0, 0]);
  });

  it("a graph bigger than a chunk: the sweep takes the newest chunk, the tape the rest", () => {
    const x = new Value(1);
    const c = new Value(1);
    let v = x;
    const n = MAX_CHUNK_NODES + 1000;
    for (let i = 0; i < n; i++) v = v.mul(c);
    v.backward();
    expect(x.grad).toBe(1);
    expect(c.grad).toBe(n);
  });
});

describe("the sweep without marks (no grad set in the open chunk)", () => {
  it("a grad set on a node the root does not reach is passed nowhere, as micrograd's", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const unreached = a.mul(b);
    unreached.grad = 5; // the open chunk now has a grad of its own: this sweep takes marks
    const root = a.add(1).mul(4);
    const reference = backwardReference(root);
    root.backward();
    expect([a.grad, b.grad, unreached.grad]).toEqual([4, 0, 5]);
    expect(a.grad).toBe(reference.get(a));
    // The same in a fresh chunk, where no grad was set: the walk without marks gives the same grads.
    const a2 = new Value(2);
    const b2 = new Value(-3);
    const unreached2 = a2.mul(b2);
    const root2 = a2.add(1).mul(4);
    root2.backward();
    expect([a2.grad, b2.grad, unreached2.grad]).toEqual([4, 0, 0]);
  });

  it("a failure puts back the grads compile wrote into the open chunk's leaves", () => {
    new Value(0).backward(); // a fresh open chunk
    const x = new Value(0);
    const graph = compile(() => x.mul(2));
    graph.forward();
    graph.backward(); // writes x.grad = 2 into the open chunk directly, and sets gradsSet: the sweep below saves
    expect(x.grad).toBe(2);
    const L = x.mul(3).add(x.pow(0.5)); // d(x**0.5)/dx at 0 is Infinity
    expect(() => L.backward()).toThrow(/no grad was changed/);
    expect([x.grad, L.grad]).toEqual([2, 0]);
  });
});

describe("one order for the sums: reverse creation order, whichever way backward() runs", () => {
  /** x used three times; the search meets its users in another order than they were created. */
  function build(x: Value) {
    const p = x.mul(0.1);
    const q = x.mul(0.2);
    const r = x.mul(0.3);
    return r.add(q).add(p);
  }

  it("the sweep, the tape, compile and animateBackward all give x.grad = 0.3 + 0.2 + 0.1 = 0.6", () => {
    // Added in the search's order the same grads would give 0.1 + 0.2 + 0.3 = 0.6000000000000001.
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    const swept = new Value(1);
    build(swept).backward(); // built since the last backward(): the sweep
    expect(swept.grad).toBe(0.6);

    const taped = new Value(1);
    const L = build(taped);
    new Value(0).backward(); // closes L's chunk: the tape
    L.backward();
    expect(taped.grad).toBe(0.6);

    const compiled = new Value(1);
    const graph = compile(() => build(compiled));
    graph.forward();
    graph.backward();
    expect(compiled.grad).toBe(0.6);

    const animated = new Value(1, { label: "x" });
    const frames = animateBackward(build(animated))?.frames ?? [];
    expect(frames.at(-1)).toContain("{x|data 1.0000|grad 0.6000}");
    expect(animated.grad).toBe(0.6);
    // The animation's own arithmetic, step by step, to the last bit.
    const root = build(new Value(1));
    const nodes = topologicalOrder(root);
    const { steps } = backwardSteps(root, nodes, new Map(nodes.map((v, i) => [v, i])));
    expect(steps.at(-1)?.grads[0]).toBe(0.6);
  });

  it("also when the graph is a small part of a big chunk (the tape then sorts instead of scanning)", () => {
    const x = new Value(1);
    let noise = new Value(0);
    for (let i = 0; i < 50_000; i++) noise = noise.add(1); // 100,000 other nodes in the same chunk
    const L = build(x);
    new Value(0).backward();
    L.backward();
    expect(x.grad).toBe(0.6);
    expect(noise.data).toBe(50_000);
  });
});
