// The fastest hand-written demo step we found: handwritten.mjs's math with every loop over a layer's 16
// inputs written out (no loop counter, no index arithmetic: constant offsets) and each sample's
// activations kept in local variables, with the sample's backward pass right after its forward pass (the
// samples run last to first, the order backward() adds their contributions in). About 4x faster than the
// loops of handwritten.mjs, with the same losses to the last bit.
//
// The written-out code is ~300 lines of `a = a + w[i] * x[i]`, so it is printed by the template below
// rather than kept as text: `node bench/handwritten-unrolled.mjs` shows it.

import { pathToFileURL } from "node:url";
import { loadParameters } from "./handwritten.mjs";

const H = 16;
const range = (n) => Array.from({ length: n }, (_, i) => i);
const down = (n) => range(n).reverse();
/** The left-to-right sum `first + t(0) + t(1) + …`, as one expression. */
const chain = (first, n, term) => [first, ...range(n).map(term)].join(" + ");

/** The source of one step: the L2 term's grads, then each sample's forward and backward, then the loss. */
export function unrolledStepSource() {
  const lines = [
    "// the L2 term's two contributions first (its nodes are the newest): p·α, twice",
    "for (let a = 0; a < 6; a++) {",
    "  const p = arrays[a], g = grads[a];",
    "  for (let i = 0; i < p.length; i++) { const d = p[i] * ALPHA; g[i] = 0 + d + d; }",
    "}",
    "for (let s = N - 1; s >= 0; s--) {",
    "  const x0 = x[2 * s], x1 = x[2 * s + 1];",
    ...range(H).map((j) => `  const a${j} = relu(b1[${j}] + w1[${2 * j}] * x0 + w1[${2 * j + 1}] * x1);`),
    ...range(H).map((j) => `  const c${j} = relu(${chain(`b2[${j}]`, H, (i) => `w2[${H * j + i}] * a${i}`)});`),
    `  const m = (${chain("b3[0]", H, (i) => `w3[${i}] * c${i}`)}) * -labels[s] + 1;`,
    "  margin[s] = m;",
    "  if (!(m > 0)) continue; // the margin's ReLU is off: nothing flows back",
    "  const g3 = -labels[s] * (1.0 / N);",
    "  gb3[0] += g3;",
    ...down(H).map((i) => `  gw3[${i}] += c${i} * g3;`),
    ...range(H).map((i) => `  let e${i} = 0; // d(loss)/d(a${i})`),
    ...down(H).flatMap((j) => [
      `  if (c${j} > 0) {`,
      `    const g = w3[${j}] * g3;`,
      `    gb2[${j}] += g;`,
      ...down(H).map((i) => `    gw2[${H * j + i}] += a${i} * g; e${i} += w2[${H * j + i}] * g;`),
      "  }",
    ]),
    ...down(H).map(
      (j) => `  if (a${j} > 0) { gb1[${j}] += e${j}; gw1[${2 * j + 1}] += x1 * e${j}; gw1[${2 * j}] += x0 * e${j}; }`,
    ),
    "}",
    "// the loss: (Σ relu(margin)) · (1/n) + (Σ p·p) · α, each sum left to right, parameters in micrograd's order",
    "let data = relu(margin[0]);",
    "for (let s = 1; s < N; s++) data = data + relu(margin[s]);",
    "let reg = w1[0] * w1[0];",
    "reg = reg + w1[1] * w1[1];",
    "reg = reg + b1[0] * b1[0];",
    "for (let j = 1; j < 16; j++) {",
    "  reg = reg + w1[2 * j] * w1[2 * j];",
    "  reg = reg + w1[2 * j + 1] * w1[2 * j + 1];",
    "  reg = reg + b1[j] * b1[j];",
    "}",
    "for (let j = 0; j < 16; j++) {",
    "  for (let i = 16 * j; i < 16 * j + 16; i++) reg = reg + w2[i] * w2[i];",
    "  reg = reg + b2[j] * b2[j];",
    "}",
    "for (let i = 0; i < 16; i++) reg = reg + w3[i] * w3[i];",
    "reg = reg + b3[0] * b3[0];",
    "return data * (1.0 / N) + reg * ALPHA;",
  ];
  return lines.join("\n");
}

const PARAMETERS = ["w1", "b1", "w2", "b2", "w3", "b3", "gw1", "gb1", "gw2", "gb2", "gw3", "gb3"];
const makeStep = new Function(
  ...PARAMETERS,
  "x",
  "labels",
  "margin",
  `"use strict";
  const N = 100, ALPHA = 1e-4;
  const arrays = [w1, b1, w2, b2, w3, b3], grads = [gw1, gb1, gw2, gb2, gw3, gb3];
  const relu = (m) => (m < 0 ? 0 : m); // the engine's relu, exactly (-0 stays -0)
  return function step() {\n${unrolledStepSource()}\n};`,
);

/** The same trainer as handwritten.mjs's handwrittenTrainer, on the written-out step. */
export function unrolledTrainer(initial, X, y) {
  if (initial.length !== 337 || X.length !== 100) throw new Error("the demo's shapes only");
  const sizes = [2 * H, H, H * H, H, H, 1];
  const arrays = sizes.map((n) => new Float64Array(n)); // w1 b1 w2 b2 w3 b3
  const grads = sizes.map((n) => new Float64Array(n));
  const x = Float64Array.from(X.flat());
  const labels = Float64Array.from(y);
  const margin = new Float64Array(X.length);
  const step = makeStep(...arrays, ...grads, x, labels, margin);

  const load = () => loadParameters(initial, arrays);

  return {
    train(steps) {
      load();
      const losses = new Float64Array(steps);
      for (let k = 0; k < steps; k++) {
        losses[k] = step();
        const lr = 1.0 - (0.9 * k) / 100;
        for (let a = 0; a < arrays.length; a++) {
          const p = arrays[a];
          const g = grads[a];
          for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * g[i];
        }
      }
      return losses;
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(unrolledStepSource());
