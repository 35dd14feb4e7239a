/**
 * TensorFlow.js as a reference framework, as micrograd's tests use PyTorch. TF.js on its pure-JS CPU
 * backend computes in float32, so values and gradients agree to about 1e-4 relative, not to the last bit.
 */
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MLP, Random, squaredError, Value } from "../src";
import { type Algebra, arbitraryExpr, arbitraryInputs, build, INPUTS, valueAlgebra } from "./expressions";
import { expectClose } from "./helpers";

const F32_TOL = 1e-4;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function tfAlgebra(inputs: tf.Scalar[]): Algebra<tf.Scalar> {
  return {
    input: (i) => inputs[i] as tf.Scalar,
    constant: (c) => tf.scalar(c),
    value: (t) => t.dataSync()[0] as number,
    add: (a, b) => tf.add(a, b),
    mul: (a, b) => tf.mul(a, b),
    sub: (a, b) => tf.sub(a, b),
    div: (a, b) => tf.div(a, b),
    neg: (a) => tf.neg(a),
    exp: (a) => tf.exp(a),
    log: (a) => tf.log(a),
    tanh: (a) => tf.tanh(a),
    relu: (a) => tf.relu(a),
    sigmoid: (a) => tf.sigmoid(a),
    pow: (a, k) => tf.pow(a, tf.scalar(k)),
  };
}

describe("against TensorFlow.js (float32, tolerance 1e-4 relative)", () => {
  it("pow with a Value exponent: x ** y and both gradients, as tf.pow", () => {
    for (const [x0, y0] of [
      [0.5, 2.5],
      [3, -1.5],
      [1.7, 0.3],
      [2, 3],
      [0.9, -0.7],
    ] as const) {
      const x = new Value(x0);
      const y = new Value(y0);
      const z = x.pow(y);
      z.backward();
      const [dx, dy] = tf.grads((a, b) => tf.pow(a as tf.Scalar, b as tf.Scalar))([tf.scalar(x0), tf.scalar(y0)]);
      expectClose(z.data, tf.pow(x0, y0).dataSync()[0] as number, F32_TOL);
      expectClose(x.grad, (dx as tf.Tensor).dataSync()[0] as number, F32_TOL);
      expectClose(y.grad, (dy as tf.Tensor).dataSync()[0] as number, F32_TOL);
    }
  });

  it("random multi-op expressions: value and gradient of every input", () => {
    let compared = 0;
    fc.assert(
      fc.property(arbitraryExpr(4), arbitraryInputs, (expr, xs) => {
        const leaves = xs.map((x) => new Value(x));
        const ours = build(expr, valueAlgebra(leaves));
        if (ours === null) return;
        ours.backward();
        tf.tidy(() => {
          let theirValue = 0;
          // the guards look at float32 values in TF.js: if one fires there, the point is a near-kink; skip it
          let skipped = false;
          const f = (...args: tf.Tensor[]) => {
            // tf.grads needs every input on the graph: add 0·Σ inputs, which changes no value or gradient
            const unused = tf.mul(tf.sum(tf.stack(args)), 0) as tf.Scalar;
            const out = build(expr, tfAlgebra(args as tf.Scalar[]));
            if (out === null) {
              skipped = true;
              return unused;
            }
            theirValue = out.dataSync()[0] as number;
            return tf.add(out, unused) as tf.Scalar;
          };
          const grads = tf.grads(f)(xs.map((x) => tf.scalar(x)));
          if (skipped || !Number.isFinite(theirValue)) return;
          const scale = Math.max(1, Math.abs(ours.data));
          expect(Math.abs(theirValue - ours.data)).toBeLessThan(F32_TOL * scale);
          for (let i = 0; i < INPUTS; i++) {
            const theirs = grads[i]?.dataSync()[0] as number;
            const mine = (leaves[i] as Value).grad;
            expect(Math.abs(theirs - mine), `d/dx${i}`).toBeLessThan(F32_TOL * Math.max(1, Math.abs(mine)));
          }
          compared++;
        });
      }),
      { numRuns: 150, seed: 11 },
    );
    expect(compared).toBeGreaterThan(50);
  });

  it("a small MLP: loss and every parameter's gradient", () => {
    const model = new MLP(3, [4, 4, 1], { activation: "tanh", rng: new Random(3) });
    const xs = [
      [2.0, 3.0, -1.0],
      [3.0, -1.0, 0.5],
      [0.5, 1.0, 1.0],
      [1.0, 1.0, -1.0],
    ];
    const ys = [1.0, -1.0, -1.0, 1.0];
    const loss = squaredError(
      xs.map((x) => model.output(x)),
      ys,
    );
    model.zeroGrad();
    loss.backward();

    // the same network as matrices: layer l has W (nout × nin) and b (nout)
    const weights = model.layers.map((l) => tf.tensor2d(l.neurons.map((n) => n.w.map((w) => w.data))));
    const biases = model.layers.map((l) => tf.tensor1d(l.neurons.map((n) => n.b.data)));
    const lossOf = (...params: tf.Tensor[]) => {
      let h: tf.Tensor = tf.tensor2d(xs); // batch × nin
      model.layers.forEach((_, l) => {
        const z = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor2D, false, true), params[2 * l + 1] as tf.Tensor);
        h = l === model.layers.length - 1 ? z : tf.tanh(z); // linear output, as micrograd's MLP
      });
      return tf.sum(tf.square(tf.sub(tf.reshape(h, [-1]), tf.tensor1d(ys)))) as tf.Scalar;
    };
    const params = model.layers.flatMap((_, l) => [weights[l] as tf.Tensor, biases[l] as tf.Tensor]);
    const { value, grads } = tf.valueAndGrads(lossOf)(params);
    expectClose(value.dataSync()[0] as number, loss.data, F32_TOL);
    model.layers.forEach((layer, l) => {
      const gw = grads[2 * l]?.arraySync() as number[][];
      const gb = grads[2 * l + 1]?.arraySync() as number[];
      layer.neurons.forEach((n, j) => {
        n.w.forEach((w, i) => expectClose(w.grad, gw[j]?.[i] as number, F32_TOL, 1e-5));
        expectClose(n.b.grad, gb[j] as number, F32_TOL, 1e-5);
      });
    });
  });
});
