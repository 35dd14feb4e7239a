/**
 * The lecture's Neuron, Layer and MLP (second half, cell 14) as notebook 4 writes them, against the
 * package's MLP.lecture: the same draws from the seeded generator in the same order, so the same weights,
 * outputs, losses and gradients, bit for bit, through training with and without the lecture's zero-grad bug.
 */
import { describe, expect, it } from "vitest";
import { lectureData, MLP, type Operand, globalRandom as random, seed, Value } from "../src";

class LectureNeuron {
  w: Value[];
  b: Value;
  constructor(nin: number) {
    this.w = Array.from({ length: nin }, () => new Value(random.uniform(-1, 1)));
    this.b = new Value(random.uniform(-1, 1));
  }
  forward(x: readonly Operand[]): Value {
    return this.w.reduce((sum, wi, i) => sum.add(wi.mul(x[i] as Operand)), this.b).tanh();
  }
  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

class LectureLayer {
  neurons: LectureNeuron[];
  constructor(nin: number, nout: number) {
    this.neurons = Array.from({ length: nout }, () => new LectureNeuron(nin));
  }
  forward(x: readonly Operand[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }
  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

class LectureMLP {
  layers: LectureLayer[];
  constructor(nin: number, nouts: number[]) {
    const sz = [nin, ...nouts];
    this.layers = nouts.map((_, i) => new LectureLayer(sz[i] as number, sz[i + 1] as number));
  }
  output(x: readonly Operand[]): Value {
    let out: readonly Operand[] = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out[0] as Value;
  }
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}

interface Net {
  output(x: readonly Operand[]): Value;
  parameters(): Value[];
}

/** Losses and every parameter's data and grad after each step of the lecture's loop. */
function run(net: Net, zeroGrads: boolean, steps: number): number[][] {
  const { xs, ys } = lectureData();
  const record: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const ypred = xs.map((x) => net.output(x));
    // Python's sum(...), which starts from 0
    const loss = ypred.reduce((sum, yout, i) => sum.add(yout.sub(ys[i] as number).pow(2)), new Value(0));
    if (zeroGrads) for (const p of net.parameters()) p.grad = 0;
    loss.backward();
    for (const p of net.parameters()) p.data += -0.1 * p.grad;
    record.push([loss.data, ...ypred.map((v) => v.data), ...net.parameters().flatMap((p) => [p.data, p.grad])]);
  }
  return record;
}

describe("the lecture's MLP, written as notebook 4 writes it, is the package's MLP.lecture to the last bit", () => {
  it("draws the same 41 weights and biases from seed(1337), in the same order", () => {
    seed(1337);
    const mine = new LectureMLP(3, [4, 4, 1]);
    seed(1337);
    const theirs = MLP.lecture(3, [4, 4, 1]);
    expect(mine.parameters().map((p) => p.data)).toEqual(theirs.parameters().map((p) => p.data));
    expect(mine.parameters()).toHaveLength(41);
    // and the draws are Python's: the first weight of micrograd's seeded network
    expect(mine.parameters()[0]?.data).toBe(0.23550571390294128);
  });

  for (const zeroGrads of [true, false]) {
    it(`gives the same losses, outputs, weights and grads for 30 steps ${zeroGrads ? "with" : "without"} zeroing the grads`, () => {
      seed(1337);
      const mine = run(new LectureMLP(3, [4, 4, 1]), zeroGrads, 30);
      seed(1337);
      const theirs = run(MLP.lecture(3, [4, 4, 1]), zeroGrads, 30);
      mine.forEach((step, k) =>
        step.forEach((x, i) => expect(Object.is(x, theirs[k]?.[i]), `step ${k}, number ${i}`).toBe(true)),
      );
    });
  }
});
