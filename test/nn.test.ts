import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Layer, lectureData, MLP, Neuron, Random, seed, squaredError, topologicalOrder, Value } from "../src";
import { backwardReference } from "../src/engine";
import { expectClose } from "./helpers";

describe("Neuron, Layer, MLP with micrograd's semantics", () => {
  it("MLP(2, [16, 16, 1]) has 337 parameters in micrograd's order, drawn after seed(1337)", () => {
    seed(1337);
    const model = new MLP(2, [16, 16, 1]);
    const params = model.parameters();
    expect(params).toHaveLength(337);
    // layer 0, neuron 0: w0, w1, then the bias 0; the demo's first weights
    expect(params.slice(0, 3).map((p) => p.data)).toEqual([0.23550571390294128, 0.06653114721000164, 0]);
    expect(params[3]?.data).toBe(-0.26830328150124894); // neuron 1's first weight
    const first = model.layers[0]?.neurons[0] as Neuron;
    expect(params.slice(0, 3)).toEqual([...first.w, first.b]);
    const last = model.layers[2]?.neurons[0] as Neuron;
    expect(params[336]).toBe(last.b);
    expect(last.activation).toBe("linear");
    expect(model.layers[0]?.neurons[5]?.activation).toBe("relu");
  });

  it("a neuron sums b + w0*x0 + w1*x1 + … in that order", () => {
    const n = new Neuron(3, { nonlin: false, rng: new Random(1) });
    n.w.forEach((w, i) => {
      w.data = [1e16, 1, -1e16][i] as number;
    });
    n.b.data = 1;
    const out = n.forward([1, 1, 1]);
    // ((1 + 1e16) + 1) − 1e16 is 0 in floats (each +1 is rounded away); summing the weights first gives 1
    expect(out.data).toBe(0);
    expect(out.op).toBe("+");
    // the graph is the left-leaning sum: out = (((b + w0x0) + w1x1) + w2x2)
    expect(out.children[1]?.op).toBe("*");
    expect(out.children[0]?.children[0]?.children[0]).toBe(n.b);
  });

  it("applies ReLU, tanh or nothing", () => {
    const relu = new Neuron(1, { rng: new Random(3) });
    relu.w[0]!.data = -2;
    expect(relu.forward([1]).data).toBe(0);
    expect(relu.forward([1]).op).toBe("ReLU");
    const tanh = new Neuron(1, { activation: "tanh", rng: new Random(3) });
    tanh.w[0]!.data = 0.5;
    expectClose(tanh.forward([1]).data, Math.tanh(0.5));
  });

  it("Layer.forward and MLP.forward always return arrays; MLP.output gives the single Value", () => {
    seed(1);
    const layer = new Layer(2, 3);
    expect(layer.forward([1, 2])).toHaveLength(3);
    const single = new Layer(2, 1);
    expect(single.forward([1, 2])).toHaveLength(1);
    const model = new MLP(3, [4, 2]);
    expect(model.forward([1, 2, 3])).toHaveLength(2);
    expect(() => model.output([1, 2, 3])).toThrow(/MLP.output needs a network with 1 output, this one has 2/);
    const scalar = new MLP(3, [4, 1]);
    expect(scalar.output([1, 2, 3])).toBeInstanceOf(Value);
    expect(scalar.output([1, 2, 3]).data).toBe((scalar.forward([1, 2, 3])[0] as Value).data);
  });

  it("zeroGrad clears every parameter's grad", () => {
    seed(2);
    const model = new MLP(2, [3, 1]);
    model.output([0.5, -1]).backward();
    expect(model.parameters().some((p) => p.grad !== 0)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === 0)).toBe(true);
  });

  it("zeroGrad clears the parameters a subclass lists, and replaced weights, whatever the module", () => {
    seed(3);
    const setGrads = (m: { parameters(): Value[] }) => {
      for (const p of m.parameters()) p.grad = 7;
    };
    // A neuron whose parameters() lists one more Value: zeroGrad takes that list, in a Layer and an MLP too.
    const extra = new Value(1);
    class Scaled extends Neuron {
      override parameters(): Value[] {
        return [...super.parameters(), extra];
      }
    }
    const model = new MLP(2, [3, 1]);
    const layer = model.layers[0] as Layer;
    layer.neurons[1] = new Scaled(2);
    const replaced = new Value(0.5);
    (layer.neurons[0] as Neuron).w[1] = replaced;
    for (const m of [layer.neurons[1] as Neuron, layer, model]) {
      setGrads(m);
      expect(extra.grad).toBe(7);
      m.zeroGrad();
      expect(m.parameters().map((p) => p.grad)).toEqual(m.parameters().map(() => 0));
    }
    // A plain model: every weight and bias, a replaced one included, and nothing else.
    const plain = new MLP(2, [3, 1]);
    (plain.layers[1]?.neurons[0] as Neuron).b = replaced;
    setGrads(plain);
    extra.grad = 7;
    plain.zeroGrad();
    expect(plain.parameters().every((p) => p.grad === 0)).toBe(true);
    expect([replaced.grad, extra.grad]).toEqual([0, 7]);
  });

  it("prints like micrograd's __repr__", () => {
    seed(1337);
    const model = new MLP(2, [2, 1]);
    expect(inspect(model)).toBe("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]");
    expect(String(MLP.lecture(3, [1]))).toBe("MLP of [Layer of [TanhNeuron(3)]]");
  });

  it("the lecture's variant: tanh everywhere, biases drawn after the weights", () => {
    const rng = new Random(1337);
    const n = MLP.lecture(3, [4, 4, 1], new Random(1337));
    const expected = Array.from({ length: n.parameters().length }, () => rng.uniform(-1, 1));
    expect(n.parameters().map((p) => p.data)).toEqual(expected);
    expect(n.parameters()).toHaveLength(41);
    expect(n.layers.every((l) => l.neurons.every((x) => x.activation === "tanh"))).toBe(true);
  });

  it("the lecture's training loop drives the loss down and predictions to the targets", () => {
    const { xs, ys } = lectureData();
    const n = MLP.lecture(3, [4, 4, 1], new Random(42));
    let loss = squaredError(
      xs.map((x) => n.output(x)),
      ys,
    );
    const first = loss.data;
    for (let k = 0; k < 100; k++) {
      loss = squaredError(
        xs.map((x) => n.output(x)),
        ys,
      );
      n.zeroGrad();
      loss.backward();
      for (const p of n.parameters()) p.data += -0.05 * p.grad;
    }
    expect(loss.data).toBeLessThan(0.05);
    expect(loss.data).toBeLessThan(first / 10);
    xs.forEach((x, i) => expect(Math.abs(n.output(x).data - (ys[i] as number))).toBeLessThan(0.2));
  });
});

describe("bad sizes and inputs", () => {
  it("rejects wrong input lengths with expected and received sizes", () => {
    seed(0);
    const model = new MLP(3, [4, 1]);
    expect(() => model.forward([1, 2])).toThrow(RangeError);
    expect(() => model.forward([1, 2])).toThrow(/expects 3 inputs, got 2/);
    expect(() => model.forward([1, 2, 3, 4])).toThrow(/expects 3 inputs, got 4/);
    expect(() => new Neuron(2).forward([1])).toThrow(/Neuron.forward expects 2 inputs, got 1/);
    expect(() => new Layer(2, 2).forward([])).toThrow(/Layer.forward expects 2 inputs, got 0/);
    expect(() => model.forward([1, "x", 3] as unknown as number[])).toThrow(/got the string "x"/);
  });

  it("rejects sizes that are 0, negative or not integers", () => {
    expect(() => new Neuron(0)).toThrow(/Neuron expects nin to be a positive integer, got 0/);
    expect(() => new Layer(2, -1)).toThrow(RangeError);
    expect(() => new Layer(2, 1.5)).toThrow(/nout to be a positive integer, got 1.5/);
    expect(() => new MLP(2, [])).toThrow(/non-empty array of layer sizes/);
    expect(() => new MLP(2, [3, 0])).toThrow(/nouts\[1\] to be a positive integer, got 0/);
    expect(() => new MLP(Number.NaN, [1])).toThrow(/nin to be a positive integer, got NaN/);
  });
});

describe("Neuron.w is micrograd's list of weights: replacing one works, in every mode", () => {
  it("n.w[i] = v and n.w = [...] are what forward() and parameters() use", () => {
    const n = new Neuron(3, { nonlin: false });
    const v = new Value(10);
    n.w[0] = v;
    expect(n.w[0]).toBe(v);
    expect(n.parameters()[0]).toBe(v);
    expect(n.forward([1, 0, 0]).data).toBe(10); // b = 0
    const ws = [new Value(1), new Value(2), new Value(3)];
    n.w = ws;
    expect([...n.w]).toEqual(ws);
    expect(n.parameters().slice(0, 3)).toEqual(ws);
    const out = n.forward([1, 1, 1]);
    expect(out.data).toBe(6);
    out.backward();
    expect(ws.map((w) => w.grad)).toEqual([1, 1, 1]);
    n.b = new Value(0.5);
    expect(n.forward([1, 1, 1]).data).toBe(6.5);
    expect(n.parameters()[3]).toBe(n.b);
  });

  it("a forward pass made before a weight is replaced keeps the weight it was made with, as micrograd's graph", () => {
    const n = new Neuron(2, { nonlin: false });
    const old = n.w[0] as Value;
    const out = n.forward([3, 4]);
    n.w[0] = new Value(100);
    out.backward();
    expect(old.grad).toBe(3);
    expect((n.w[0] as Value).grad).toBe(0);
    const nodes = topologicalOrder(out); // its nodes get their Values now: the old weight among them
    expect(nodes).toContain(old);
  });

  it("a write that is not a Value, or that changes the count, is a clear error in strict and sloppy code", () => {
    const n = new Neuron(2);
    const before = [...n.w];
    const sloppy = new Function("n", "v", "n.w[0] = v;") as (n: Neuron, v: unknown) => void; // not strict mode
    const strict = (m: Neuron, v: unknown) => {
      m.w[0] = v as Value;
    };
    for (const write of [sloppy, strict]) {
      expect(() => write(n, 5)).toThrow(new TypeError("Neuron.w[0] expects the new weight to be a Value, got 5"));
    }
    expect(() => n.w.push(new Value(1))).toThrow(
      new RangeError("Neuron.w.push() would leave 3 weights, not 2 (one per input); nothing was changed"),
    );
    expect(() => {
      n.w = [new Value(1)];
    }).toThrow(new RangeError("Neuron.w expects 2 weights (one per input), got 1; make a new Neuron for another size"));
    expect(() => {
      n.w = 3 as never;
    }).toThrow(TypeError);
    expect(() => {
      delete n.w[0];
    }).toThrow(/^Neuron\.w: cannot delete "0"/);
    expect(() => {
      n.b = null as never;
    }).toThrow(new TypeError("Neuron.b expects the new bias to be a Value, got null"));
    expect([...n.w]).toEqual(before);
    expect(n.parameters().slice(0, 2)).toEqual(before);
  });
});

describe("Neuron.w's in-place methods work as on a list, or are refused before anything changes", () => {
  it("splice and shift that drop a weight are refused, and nothing moved (the issue's reproduction)", () => {
    const n = new Neuron(3);
    const [w0, w1, w2] = n.w as [Value, Value, Value];
    const params = n.parameters();
    expect(() => n.w.splice(0, 1)).toThrow(
      new RangeError("Neuron.w.splice() would leave 2 weights, not 3 (one per input); nothing was changed"),
    );
    for (const change of [() => n.w.shift(), () => n.w.pop(), () => n.w.unshift(w0)])
      expect(change).toThrow(RangeError);
    expect([...n.w]).toEqual([w0, w1, w2]);
    expect(n.w[0]).toBe(w0);
    expect(n.parameters()).toEqual(params);
  });

  it("sort, reverse, fill, copyWithin and a splice that keeps the count change the weights that forward() and parameters() use", () => {
    const n = new Neuron(3, { nonlin: false });
    const [w0, w1, w2] = n.w as [Value, Value, Value];
    const b = n.b;
    const x = [1, 10, 100];
    const expected = (ws: Value[]) => ws.reduce((act, w, i) => act + w.data * (x[i] as number), b.data);
    expect(n.w.reverse()).toBe(n.w); // returns the list itself, as Array's
    expect([...n.w]).toEqual([w2, w1, w0]);
    expect(n.parameters()).toEqual([w2, w1, w0, b]);
    expect(n.forward(x).data).toBe(expected([w2, w1, w0]));
    const v = new Value(0.5);
    expect(n.w.splice(1, 1, v)).toEqual([w1]);
    expect([...n.w]).toEqual([w2, v, w0]);
    n.w.sort((p, q) => p.data - q.data);
    expect([...n.w]).toEqual([w2, v, w0].sort((p, q) => p.data - q.data));
    n.w.fill(v, 2);
    n.w.copyWithin(0, 2);
    expect([...n.w].slice(0, 1)).toEqual([v]);
    expect(n.parameters().slice(0, 3)).toEqual([...n.w]);
    expect(n.forward(x).data).toBe(expected([...n.w]));
  });

  it("a neuron's weights reach backward() the same whether stored together, reordered or replaced", () => {
    const x = [1, 10, 100];
    const gradsAfter = (change: (n: Neuron) => void) => {
      seed(5);
      const n = new Neuron(3, { nonlin: false });
      change(n);
      new Value(0).backward(); // the weights now live in a closed chunk, as a model's do while it trains
      const out = n.forward(x).mul(n.forward([3, 2, 1]));
      const reference = backwardReference(out, new Map(topologicalOrder(out).map((v) => [v, 0])));
      out.backward();
      const grads = n.parameters().map((p) => p.grad);
      expect(grads).toEqual(n.parameters().map((p) => reference.get(p)));
      return grads;
    };
    const together = gradsAfter(() => {});
    // x and the second input differ per position, so reordered weights get other grads: in reversed order
    const reversed = gradsAfter((n) => n.w.reverse());
    expect(reversed).not.toEqual(together);
    gradsAfter((n) => n.w.splice(1, 1, new Value(0.25))); // one weight from elsewhere
  });

  it("fill with something that is not a Value is refused, naming the method, and nothing changes", () => {
    const n = new Neuron(2);
    const before = [...n.w];
    expect(() => n.w.fill(3 as never)).toThrow(
      new TypeError("Neuron.w.fill() expects the resulting weights to be an array of Values, got 3 at index 0"),
    );
    expect([...n.w]).toEqual(before);
    expect(n.parameters().slice(0, 2)).toEqual(before);
  });
});

describe("a Layer or MLP whose neurons disagree on their input count is refused by name at forward()", () => {
  it("a neuron of another size pushed into a layer (the issue's reproduction)", () => {
    const L = new Layer(3, 2);
    L.neurons.push(new Neuron(2));
    expect(() => L.forward([1, 2, 3])).toThrow(
      new RangeError(
        "Layer.forward: neuron 2 takes 2 inputs, expected 3 (as neuron 0); the neurons of a layer must all take the layer's inputs",
      ),
    );
    L.neurons.pop();
    L.neurons[1] = new Neuron(4);
    expect(() => L.forward([1, 2, 3])).toThrow(/^Layer\.forward: neuron 1 takes 4 inputs, expected 3/);
    L.neurons[1] = 5 as never;
    expect(() => L.forward([1, 2, 3])).toThrow(new TypeError("Layer.forward expects neuron 1 to be a Neuron, got 5"));
  });

  it("an MLP whose layer does not take the previous layer's outputs", () => {
    const model = new MLP(2, [3, 1]);
    (model.layers[1] as Layer).neurons[0] = new Neuron(4);
    expect(() => model.forward([1, 2])).toThrow(
      new RangeError(
        "MLP.forward: layer 1, neuron 0 takes 4 inputs, expected 3 (layer 0 has 3 outputs); the neurons of a layer must all take the layer's inputs",
      ),
    );
    (model.layers[1] as Layer).neurons[0] = new Neuron(3);
    (model.layers[0] as Layer).neurons.push(new Neuron(2));
    expect(() => model.output([1, 2])).toThrow(
      /^MLP\.forward: layer 1, neuron 0 takes 3 inputs, expected 4 \(layer 0 has 4 outputs\)/,
    );
  });
});
