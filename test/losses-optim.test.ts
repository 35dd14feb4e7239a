import { describe, expect, it } from "vitest";
import { Adam, accuracy, crossEntropy, maxMargin, mse, SGD, softmax, squaredError, sum, Value } from "../src";
import { expectClose } from "./helpers";

const values = (xs: number[]) => xs.map((x) => new Value(x));

describe("losses", () => {
  it("squaredError sums (pred - target)^2 as the lecture; mse multiplies by 1/n", () => {
    const preds = values([0.5, -0.25, 2]);
    const sse = squaredError(preds, [1, -1, 1]);
    expect(sse.data).toBe(0.25 + 0.5625 + 1);
    sse.backward();
    expect(preds.map((p) => p.grad)).toEqual([-1, 1.5, 2]);
    const m = mse(values([0.5, -0.25, 2]), [1, -1, 1]);
    expect(m.data).toBe((0.25 + 0.5625 + 1) * (1 / 3));
  });

  it("maxMargin is micrograd demo's mean of relu(1 - y*score) plus alpha * sum(p*p)", () => {
    const scores = values([0.3, -2, 1.5]);
    const labels = [1, -1, -1];
    const params = values([0.5, -1]);
    const loss = maxMargin(scores, labels, { alpha: 1e-4, parameters: params });
    const data = (0.7 + 0 + 2.5) * (1.0 / 3);
    const reg = (0.25 + 1) * 1e-4;
    expect(loss.data).toBe(data + reg);
    loss.backward();
    expect(scores.map((s) => s.grad)).toEqual([-1 / 3, 0, 1 / 3]);
    expect(params.map((p) => p.grad)).toEqual([2 * 0.5 * 1e-4, 2 * -1 * 1e-4]);
    expect(maxMargin(values([0.3]), [1]).data).toBe(0.7 * 1.0);
  });

  it("accuracy counts sign agreement", () => {
    expect(accuracy(values([0.3, -2, 1.5, 0]), [1, -1, -1, -1])).toBe(0.75);
  });

  it("softmax sums to 1 and crossEntropy is -log p[target], stable for large logits", () => {
    const logits = values([1, 2, 3]);
    const p = softmax(logits);
    expectClose(sum(p).data, 1);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectClose(p[2]?.data as number, Math.exp(3) / z);
    const ce = crossEntropy(values([1, 2, 3]), 2);
    expectClose(ce.data, -Math.log(Math.exp(3) / z));
    const big = crossEntropy(values([1000, 0]), 0);
    expectClose(big.data, Math.log1p(Math.exp(-1000)), 1e-12, 1e-300);
    // d CE / d logits = softmax - onehot
    const l2 = values([1, 2, 3]);
    crossEntropy(l2, 0).backward();
    l2.forEach((l, i) => expectClose(l.grad, Math.exp(i + 1) / z - (i === 0 ? 1 : 0)));
  });

  it("rejects mismatched, empty or bad inputs", () => {
    expect(() => squaredError(values([1, 2]), [1])).toThrow(/got 2 predictions and 1 targets/);
    expect(() => mse([], [])).toThrow(/mse expects predictions to be an array of Values, got an empty array/);
    expect(() => maxMargin(values([1]), [0])).toThrow(/labels of 1 or -1, got 0 at index 0/);
    expect(() => crossEntropy(values([1, 2]), 2)).toThrow(
      /crossEntropy expects target \(a class index\) to be an integer >= 0 and <= 1, got 2/,
    );
    expect(() => sum([])).toThrow(/sum expects values to be an array of Values, got an empty array/);
    expect(() => softmax([])).toThrow(/softmax expects logits to be an array of Values, got an empty array/);
  });
});

describe("optimizers", () => {
  it("SGD with a schedule: p -= lr(k) * grad, k counting from 0", () => {
    const p = new Value(1);
    const opt = new SGD([p], { lr: (k) => 1.0 - (0.9 * k) / 100 });
    p.grad = 0.5;
    opt.step();
    expect(p.data).toBe(1 - 1.0 * 0.5);
    p.grad = 0.5;
    expect(opt.currentLr()).toBe(1.0 - (0.9 * 1) / 100);
    opt.step();
    expect(p.data).toBe(0.5 - 0.991 * 0.5);
    opt.zeroGrad();
    expect(p.grad).toBe(0);
  });

  it("Adam's first step moves each parameter by lr against the gradient's sign", () => {
    const a = new Value(1);
    const b = new Value(-2);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = 3;
    b.grad = -0.001;
    opt.step();
    // m̂ = g, v̂ = g², so the step is lr * g / (|g| + eps)
    expectClose(a.data, 1 - (0.1 * 3) / (3 + 1e-8));
    expectClose(b.data, -2 + (0.1 * 0.001) / (0.001 + 1e-8));
  });

  it("Adam minimizes a quadratic", () => {
    const x = new Value(5);
    const opt = new Adam([x], { lr: 0.1 });
    for (let i = 0; i < 500; i++) {
      const loss = x.sub(3).pow(2);
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    expect(Math.abs(x.data - 3)).toBeLessThan(1e-3);
  });

  it("rejects bad learning rates and betas", () => {
    expect(() => new SGD([new Value(1)], { lr: Number.NaN })).toThrow(/lr must be a finite number >= 0, got NaN/);
    expect(() => new Adam([new Value(1)], { beta1: 1 })).toThrow(
      /Adam expects beta1 to be a finite number >= 0 and < 1, got 1/,
    );
    const opt = new SGD([new Value(1)], { lr: () => -1 });
    expect(() => opt.step()).toThrow(/lr\(0\) must be a finite number >= 0, got -1/);
  });
});
