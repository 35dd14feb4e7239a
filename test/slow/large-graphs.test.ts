/**
 * Graphs of a million nodes: no recursion, no argument spread and no precision lost at that size. Seconds
 * each, so they run in the "slow" project (npm test), not in the fast loop (npm run test:unit).
 */
import { describe, expect, it } from "vitest";
import { crossEntropy, softmax, Value } from "../../src";
import { expectClose } from "../helpers";

describe("backward", () => {
  it("handles a chain of 1,000,000 nodes without recursion", () => {
    const x = new Value(1);
    let v = x;
    for (let i = 0; i < 1_000_000; i++) v = v.mul(1);
    v.backward();
    expect(x.grad).toBe(1);
    expect(v.data).toBe(1);
  });
});

describe("no crashes on large input", () => {
  it("softmax and crossEntropy over 1,000,000 logits", () => {
    const n = 1_000_000;
    const logits = Array.from({ length: n }, (_, i) => new Value(i % 10));
    const probs = softmax(logits);
    // Σ e^(l − 9) over 100,000 of each l = 0 … 9
    let z = 0;
    for (let l = 0; l <= 9; l++) z += 100_000 * Math.exp(l - 9);
    expectClose((probs[9] as Value).data, 1 / z, 1e-9);
    expectClose((probs[0] as Value).data, Math.exp(-9) / z, 1e-9);
    const loss = crossEntropy(logits, 9);
    expectClose(loss.data, Math.log(z), 1e-9);
    loss.backward();
    expectClose((logits[9] as Value).grad, 1 / z - 1, 1e-9);
  }, 60_000);
});
