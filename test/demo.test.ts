/**
 * micrograd's demo.ipynb reproduced through the public API, against every step printed by Python
 * micrograd itself (test/fixtures/micrograd-demo.json: its engine and training loop run under CPython on
 * the same data). Python sums gradients in set order, so the last bits differ: tolerance 1e-9.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accuracy, demoMoons, MLP, maxMargin, SGD, seed, Value } from "../src";
import { expectClose } from "./helpers";

interface Reference {
  initialParameters: number[];
  steps: { step: number; loss: number; accuracy: number }[];
  finalParameters: number[];
}
const reference = JSON.parse(readFileSync(join(__dirname, "fixtures", "micrograd-demo.json"), "utf8")) as Reference;

describe("micrograd's demo: MLP(2, [16, 16, 1]) on the moons, 100 SGD steps", () => {
  it("reproduces every printed step: step 0 loss 0.8958441028683222 at 50%, step 99 0.010978370135492717 at 100%", () => {
    seed(1337);
    const model = new MLP(2, [16, 16, 1]);
    expect(model.parameters()).toHaveLength(337);
    expect(model.parameters().map((p) => p.data)).toEqual(reference.initialParameters);
    const { X, y } = demoMoons();
    const optimizer = new SGD(model.parameters(), { lr: (k) => 1.0 - (0.9 * k) / 100 });
    const steps: { loss: number; accuracy: number }[] = [];
    for (let k = 0; k < 100; k++) {
      const inputs = X.map((row) => row.map((x) => new Value(x)));
      const scores = inputs.map((x) => model.output(x));
      const loss = maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
      steps.push({ loss: loss.data, accuracy: accuracy(scores, y) });
      model.zeroGrad();
      loss.backward();
      optimizer.step();
    }
    expect(steps[0]).toEqual({ loss: 0.8958441028683222, accuracy: 0.5 });
    expectClose(steps[99]?.loss as number, 0.010978370135492717, 1e-9);
    expect(steps[99]?.accuracy).toBe(1);
    reference.steps.forEach((ref, k) => {
      expectClose(steps[k]?.loss as number, ref.loss, 1e-9);
      expect(steps[k]?.accuracy).toBe(ref.accuracy);
    });
    model.parameters().forEach((p, i) => expectClose(p.data, reference.finalParameters[i] as number, 1e-9, 1e-12));
  });
});
