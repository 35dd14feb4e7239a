/**
 * The defects a probe of the public API found (issue 10), each as a regression test, and property tests
 * (fast-check): on random input no public function throws anything but a TypeError or RangeError, and
 * none returns NaN or ±Infinity.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as mg from "../src";
import {
  Adam,
  accuracy,
  crossEntropy,
  DEFAULT_MAX_PARAMETERS,
  gradcheck,
  Layer,
  MLP,
  makeMoons,
  maxMargin,
  Neuron,
  plot,
  Random,
  SGD,
  seed,
  softmax,
  topologicalOrder,
  Value,
} from "../src";
import { expectClose } from "./helpers";

const never = (x: unknown) => x as never;

describe("silent wrong results are errors", () => {
  it("refuses an activation it does not have, listing the ones it has", () => {
    expect(() => new Neuron(2, { activation: never("sigmoid") })).toThrow(
      new RangeError('Neuron expects activation to be one of "relu", "tanh", got the string "sigmoid"'),
    );
  });

  it("refuses misspelt option keys, listing the valid ones", () => {
    expect(() => new MLP(2, [1], never({ activaton: "tanh" }))).toThrow(
      new RangeError('MLP: unknown option "activaton" (options: activation, bias, rng, nonlinOutput, maxParameters)'),
    );
    const s = [new Value(1)];
    expect(() => maxMargin(s, [1], never({ alfa: 1e-4 }))).toThrow(
      /unknown option "alfa" \(options: alpha, parameters\)/,
    );
  });

  it("refuses an uncalled model.parameters and an alpha without parameters", () => {
    seed(1);
    const model = new MLP(2, [1]);
    const scores = [model.output([1, 2])];
    expect(() => maxMargin(scores, [1], { alpha: 1, parameters: never(model.parameters) })).toThrow(
      /maxMargin expects parameters to be an array of Values, got the function parameters \(not called\); call it: parameters\(\)/,
    );
    expect(() => maxMargin(scores, [1], { alpha: 1 })).toThrow(/alpha = 1 needs the parameters to penalize/);
    expect(() => maxMargin(scores, [1], { alpha: -1, parameters: model.parameters() })).toThrow(RangeError);
    // With the parameters called, the L2 term is there: loss = relu(1 − s) + Σ p².
    const loss = maxMargin(scores, [1], { alpha: 1, parameters: model.parameters() });
    const l2 = model.parameters().reduce((t, p) => t + p.data * p.data, 0);
    expectClose(loss.data, Math.max(0, 1 - (scores[0] as Value).data) + l2);
  });

  it("accuracy counts plain numbers and forward()'s one-element arrays as scores", () => {
    expect(accuracy([0.5, -2, 3], [1, -1, 1])).toBe(1);
    seed(1337);
    const model = new MLP(2, [4, 1]);
    const xs = [
      [1, 2],
      [-1, 0.5],
      [0.3, -0.7],
    ];
    const outputs = xs.map((x) => model.forward(x));
    const labels = outputs.map((o) => ((o[0] as Value).data > 0 ? 1 : -1));
    expect(accuracy(outputs, labels)).toBe(1);
    expect(
      accuracy(
        outputs.map((o) => o[0] as Value),
        labels,
      ),
    ).toBe(1);
    expect(
      accuracy(
        outputs,
        labels.map((y) => -y),
      ),
    ).toBe(0);
  });

  it("refuses noise that would give infinite coordinates", () => {
    expect(() => makeMoons(100, 1e308)).toThrow(RangeError);
    expect(() => makeMoons(100, 1e308)).toThrow(/makeMoons expects noise to be a finite number >= 0 and <= 1,000,000/);
    const { X } = makeMoons(100, 1e6, new Random(3));
    expect(X.flat().every(Number.isFinite)).toBe(true);
  });
});

describe("backward(): gradients are finite or an error, and an error changes no grad", () => {
  it("pow(0.5) at 0: an infinite local derivative", () => {
    const x = new Value(0, { label: "x" });
    x.grad = 0.25; // an earlier backward's grad, which must survive
    const y = x.pow(0.5);
    expect(() => y.backward()).toThrow(RangeError);
    expect(() => y.backward()).toThrow(
      "backward: the gradient through pow: 0 ** 0.5 (local derivative Infinity, gradient from above 1) is not finite",
    );
    expect(x.grad).toBe(0.25);
    expect(y.grad).toBe(0);
  });

  it("pow(0) at 0: a NaN local derivative (0 · 0⁻¹)", () => {
    const x = new Value(0);
    expect(() => x.pow(0).backward()).toThrow(/pow: 0 \*\* 0 \(local derivative NaN/);
  });

  it("a chain of doublings from 5e-324 whose gradient overflows", () => {
    const x = new Value(5e-324);
    let v = x;
    for (let i = 0; i < 1100; i++) v = v.mul(2);
    expect(v.data).toBe(2 ** 26); // the forward pass is fine
    expect(() => v.backward()).toThrow(
      /backward: the gradient through mul: \S+ \* 2 \(local derivative 2 .* is not finite; no grad was changed/,
    );
    expect(x.grad).toBe(0);
  });

  it("passes nothing through a zero gradient, so an infinite derivative behind it is no error", () => {
    const x = new Value(0);
    const y = x.pow(0.5).mul(0); // d/dx sqrt(x) is infinite at 0, but nothing flows into it
    y.backward();
    expect(x.grad).toBe(0);
    const z = new Value(-1).relu().add(x.pow(0.5).relu()); // relu(0) passes 0 down
    z.backward();
    expect(x.grad).toBe(0);
  });

  it("div by a subnormal number is reported as div, not as a bad operand of mul", () => {
    expect(() => new Value(1).div(5e-324)).toThrow(new RangeError("div: 1 / 5e-324 needs 1 / 5e-324 = Infinity"));
  });
});

describe("optimizers are all or nothing", () => {
  it("a step that would make one parameter infinite changes none, and names it", () => {
    const a = new Value(1, { label: "a" });
    const b = new Value(1e308, { label: "b" });
    const opt = new SGD([a, b], { lr: 1 });
    a.grad = 0.5;
    b.grad = -1e308;
    expect(() => opt.step()).toThrow(
      new RangeError(
        'SGD.step: parameters[1] ("b") would become Infinity (data 1e+308, grad -1e+308, lr 1); no parameter was changed',
      ),
    );
    expect(a.data).toBe(1);
    expect(b.data).toBe(1e308);
    expect(opt.stepCount).toBe(0);
    b.grad = 1;
    opt.step();
    expect(a.data).toBe(0.5);
    expect(opt.stepCount).toBe(1);
  });

  it("Adam's moments and step count are untouched by a failed step", () => {
    const make = () => {
      const a = new Value(1);
      const b = new Value(1.7e308, { label: "big" });
      return { a, b, opt: new Adam([a, b], { lr: 1e308 }) };
    };
    const failed = make();
    failed.a.grad = 0.5;
    failed.b.grad = -1; // Adam's first step moves b by lr = 1e308 upwards: 2.7e308 overflows
    expect(() => failed.opt.step()).toThrow(/Adam.step: parameters\[1\] \("big"\) would become Infinity/);
    expect([failed.a.data, failed.b.data, failed.opt.stepCount]).toEqual([1, 1.7e308, 0]);
    failed.b.grad = 0;
    failed.opt.step();
    const fresh = make();
    fresh.a.grad = 0.5;
    fresh.opt.step();
    expect(failed.a.data).toBe(fresh.a.data); // as if the failed step had never happened
    expect(failed.a.data).toBe(1 - (1e308 * 0.5) / (0.5 + 1e-8));
  });

  it("constructors refuse what is not an array of Values, and bad hyper-parameters", () => {
    seed(1);
    const model = new MLP(2, [1]);
    expect(() => new SGD(never(model.parameters), { lr: 0.1 })).toThrow(
      /SGD expects parameters to be an array of Values, got the function parameters \(not called\); call it/,
    );
    expect(() => new SGD(never(model), { lr: 0.1 })).toThrow(/got MLP/);
    expect(() => new Adam(model.parameters(), { eps: 0 })).toThrow(/Adam expects eps to be a finite number > 0, got 0/);
    expect(() => new Adam(model.parameters(), { eps: -1 })).toThrow(RangeError);
    expect(() => new Adam(model.parameters(), { beta1: 1 })).toThrow(/beta1 to be a finite number >= 0 and < 1/);
    expect(() => new Adam(model.parameters(), { beta2: -0.1 })).toThrow(RangeError);
  });
});

describe("no internal error leaks", () => {
  it("names the function and the value where JS would say 'is not a function' or 'not iterable'", () => {
    expect(() => topologicalOrder(never(5))).toThrow(
      new TypeError("topologicalOrder expects root to be a Value, got 5"),
    );
    expect(() => maxMargin(never([0.5]), [1])).toThrow(/maxMargin expects scores to be an array of Values/);
    expect(() => gradcheck(([x]) => x as Value, never(5))).toThrow(/gradcheck expects inputs to be an array/);
    expect(() => new Neuron(2, { rng: never({}) })).toThrow(/Neuron expects rng to be a Random/);
    expect(() => new SGD(never(new MLP(1, [1]).parameters), { lr: 1 })).toThrow(TypeError);
    class Broken extends mg.Module {
      parameters() {
        return never(5);
      }
    }
    expect(() => new Broken().zeroGrad()).toThrow(/zeroGrad expects parameters\(\) to be an array of Values, got 5/);
  });
});

describe("no crashes on large input", () => {
  it("refuses absurd model sizes before allocating, saying how to raise the limit", () => {
    expect(() => new Neuron(1e8)).toThrow(
      /Neuron\(100000000\) would have 100,000,001 parameters, more than maxParameters = 1,000,000.*\{ maxParameters \}/,
    );
    expect(() => new MLP(2, [2 ** 31])).toThrow(/MLP\(2, \[2147483648\]\) would have 6,442,450,944 parameters/);
    expect(() => new Layer(1000, 1000)).toThrow(/1,001,000 parameters/);
    expect(new Layer(1000, 1000, { maxParameters: 2_000_000 }).parameters().length).toBe(1_001_000);
    expect(DEFAULT_MAX_PARAMETERS).toBe(1_000_000);
  });

  it("refuses a chart above maxPoints, naming the option", () => {
    const xs = mg.arange(0, 1_000_000);
    const fig = mg.linePlot(xs, xs);
    expect(() => plot(fig)).toThrow(
      /plot: this figure has 1,000,000 points, more than maxPoints = 100,000.*raise the limit with the option \{ maxPoints \}/,
    );
    const small = mg.linePlot([1, 2, 3], [1, 2, 3]);
    expect(() => plot(small, { maxPoints: 2 })).toThrow(/3 points, more than maxPoints = 2/);
    expect(plot(small, { maxPoints: 3 })?.figure.data).toHaveLength(1);
  });
});

// ---- property tests ----

const valueArb = fc
  .double()
  .filter(Number.isFinite)
  .map((x) => new Value(x));
/** Anything a learner might pass: numbers of every kind, strings, null, arrays, objects, functions, Values. */
const arg = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0, -0, 1, -1, 5e-324, 1e308, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31),
  fc.bigInt(),
  fc.array(fc.oneof(fc.double(), valueArb, fc.string()), { maxLength: 4 }),
  fc.array(valueArb, { maxLength: 4 }),
  valueArb,
  fc.func(fc.anything()),
);

/** Every number in a result (Values' data and grad included), for the finiteness check. */
function numbersIn(x: unknown, out: number[] = [], depth = 0): number[] {
  if (depth > 4) return out;
  if (typeof x === "number") out.push(x);
  else if (x instanceof Value) out.push(x.data, x.grad);
  else if (Array.isArray(x)) for (const e of x.slice(0, 50)) numbersIn(e, out, depth + 1);
  return out;
}

const calls: Record<string, (a: unknown, b: unknown, c: unknown) => unknown> = {
  Value: (a, b) => new Value(never(a), never(b)),
  add: (a, b) => new Value(never(a)).add(never(b)),
  mul: (a, b) => new Value(never(a)).mul(never(b)),
  div: (a, b) => new Value(never(a)).div(never(b)),
  sub: (a, b) => new Value(never(a)).sub(never(b)),
  rdiv: (a, b) => new Value(never(a)).rdiv(never(b)),
  pow: (a, b) => new Value(never(a)).pow(never(b)),
  "exp/log/tanh/sigmoid": (a) => {
    const v = new Value(never(a));
    return [v.exp(), v.tanh(), v.sigmoid(), v.relu(), v.log()];
  },
  backward: (a, b) => {
    const x = new Value(never(a));
    const y = x.mul(never(b)).pow(2).tanh();
    y.backward();
    return [x.grad, y.grad];
  },
  Neuron: (a, b) => new Neuron(never(a), never(b)).parameters(),
  MLP: (a, b, c) => new MLP(never(a), never(b), never(c)).parameters().length,
  forward: (a) => new MLP(2, [2, 1]).forward(never(a)),
  sum: (a) => mg.sum(never(a)),
  softmax: (a) => softmax(never(a)),
  crossEntropy: (a, b) => crossEntropy(never(a), never(b)),
  maxMargin: (a, b, c) => maxMargin(never(a), never(b), never(c)),
  mse: (a, b) => mg.mse(never(a), never(b)),
  accuracy: (a, b) => accuracy(never(a), never(b)),
  SGD: (a, b) => {
    const p = new Value(1);
    p.grad = 1;
    const opt = new SGD([p], { lr: never(a) });
    opt.step();
    return [p.data, new SGD(never(b), { lr: 0.1 }).parameters.length];
  },
  Adam: (a, b) => {
    const p = new Value(1);
    p.grad = 1;
    new Adam([p], never(a)).step();
    return [p.data, new Adam(never(b)).parameters.length];
  },
  makeMoons: (a, b) => makeMoons(never(a), never(b), new Random(1)).X,
  Random: (a, b, c) => {
    const r = new Random(never(a));
    return [r.uniform(never(b), never(c)), r.gauss(never(b), never(c))];
  },
  gradcheck: (a, b) => gradcheck(([x]) => (x as Value).mul(never(a)), never(b)).maxAbsError,
  topologicalOrder: (a) => topologicalOrder(never(a)).length,
  toDot: (a, b) => mg.toDot(never(a), never(b)).length,
  arange: (a, b, c) => mg.arange(never(a), never(b), never(c)),
  linePlot: (a, b, c) => mg.linePlot(never(a), never(b), never(c)).data.length,
  lossCurve: (a, b) => mg.lossCurve(never(a), never(b)).data.length,
  scatter2d: (a, b) => mg.scatter2d(never(a), never(b)).data.length,
  squaredError: (a, b, c) => mg.squaredError(never(a), never(b), never(c)),
  Layer: (a, b, c) => new Layer(never(a), never(b), never(c)).parameters().length,
  shuffle: (a) => new Random(2).shuffle(never(a)).length,
  resetGrads: (a) => mg.resetGrads(never(a)),
  trace: (a) => mg.trace(never(a)).nodes.length,
  decisionBoundary: (a, b, c) => mg.decisionBoundary(never(a), never(b), never(c)).data.length,
  compile: (a) => mg.compile(never(a)).forward(),
  "compile(fn).backward()": (a, b, c) => {
    const x = new Value(never(a));
    x.grad = 0.25;
    const graph = mg.compile(() => x.mul(never(b)).pow(never(c)));
    graph.forward();
    return failingLeavesNoGrad([x], () => graph.backward());
  },
  "animateBackward: a failing backward": (a, b, c) => {
    const x = new Value(never(a));
    x.grad = 0.25;
    return failingLeavesNoGrad([x], () => mg.animateBackward(x.mul(never(b)).pow(never(c))));
  },
  makeSpirals: (a, b, c) => mg.makeSpirals(never(a), never(b), never(c)).X,
  decisionRegions: (a, b, c) => mg.decisionRegions(never(a), never(b), never(c)).data.length,
  animateBackward: (a, b) => (mg.animateBackward(never(a), never(b)) as { frames: string[] }).frames.length,
  pyFloat: (a) => mg.pyFloat(never(a)),
  liveTraining: (a, b) => {
    const live = mg.liveTraining({ ...(typeof a === "object" ? never(a) : {}), steps: 3, write: () => {} });
    live.update(never(b));
    return live.history.map((r) => r.loss);
  },
};

/** Runs `call`; when it throws, checks first that every leaf's grad is as it was (an error changes no grad). */
function failingLeavesNoGrad(leaves: readonly Value[], call: () => unknown): number[] {
  const before = leaves.map((v) => v.grad);
  try {
    call();
  } catch (e) {
    if (leaves.some((v, i) => !Object.is(v.grad, before[i]))) throw new Error(`a failing call changed a grad: ${e}`);
    throw e;
  }
  return leaves.map((v) => v.grad);
}

describe("property: random input gives a result without NaN/Infinity or a TypeError/RangeError", () => {
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => {
      fc.assert(
        fc.property(arg, arg, arg, (a, b, c) => {
          let result: unknown;
          try {
            result = call(a, b, c);
          } catch (e) {
            if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
            for (const phrase of [
              "is not a function",
              "Cannot read properties",
              "Maximum call stack",
              "is not iterable",
            ]) {
              if (e.message.includes(phrase)) throw e;
            }
            return;
          }
          for (const x of numbersIn(result)) if (!Number.isFinite(x)) throw new Error(`${name} returned ${x}`);
        }),
        { numRuns: 300 },
      );
    });
  }
});
