// node bench/closures.mjs: how much slower is micrograd's design (a `_backward` closure per node, a Set of
// children, a recursive build_topo over a visited Set) than the package's op codes and typed arrays, on
// micrograd's demo workload (MLP(2, [16, 16, 1]), max-margin loss over 100 points, SGD). Both engines
// run the same steps from the same weights; the fastest of several runs of each is reported as a ratio.
// Not part of `npm run bench`; quoted in notebooks/02-backprop-by-hand.ipynb.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const mg = require("../dist/index.js");

/** micrograd's engine.py, closure for closure (only the operations the demo needs). */
class ClosureValue {
  constructor(data, children = [], op = "") {
    this.data = data;
    this.grad = 0;
    this._backward = () => {};
    this._prev = new Set(children);
    this._op = op;
  }
  add(other) {
    const o = other instanceof ClosureValue ? other : new ClosureValue(other);
    const out = new ClosureValue(this.data + o.data, [this, o], "+");
    out._backward = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }
  mul(other) {
    const o = other instanceof ClosureValue ? other : new ClosureValue(other);
    const out = new ClosureValue(this.data * o.data, [this, o], "*");
    out._backward = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }
  relu() {
    // biome-ignore lint/complexity/useMathMinMax: micrograd's `0 if x < 0 else x` (keeps -0, as the package does)
    const out = new ClosureValue(this.data < 0 ? 0 : this.data, [this], "ReLU");
    out._backward = () => {
      this.grad += (out.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }
  backward() {
    const topo = [];
    const visited = new Set();
    const buildTopo = (v) => {
      if (!visited.has(v)) {
        visited.add(v);
        for (const child of v._prev) buildTopo(child);
        topo.push(v);
      }
    };
    buildTopo(this);
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }
}

/** micrograd's MLP forward pass and the demo's loss, written against either engine. */
function demoLoss(V, layers, X, y) {
  const sum = (vs, start) => vs.reduce((acc, v) => acc.add(v), start);
  const scores = X.map((row) => {
    let x = row.map((v) => new V(v));
    layers.forEach((layer, li) => {
      const last = li === layers.length - 1;
      x = layer.map(({ w, b }) => {
        const act = sum(
          w.map((wi, i) => wi.mul(x[i])),
          b,
        );
        return last ? act : act.relu();
      });
    });
    return x[0];
  });
  const losses = scores.map((s, i) => s.mul(-y[i]).add(1).relu());
  const dataLoss = sum(losses, new V(0)).mul(1.0 / losses.length);
  const params = layers.flatMap((layer) => layer.flatMap(({ w, b }) => [...w, b]));
  const regLoss = sum(
    params.map((p) => p.mul(p)),
    new V(0),
  ).mul(1e-4);
  return { total: dataLoss.add(regLoss), params };
}

function train(V, initial, steps) {
  const sizes = [2, 16, 16, 1];
  let k = 0;
  const layers = sizes.slice(1).map((nout, li) =>
    Array.from({ length: nout }, () => ({
      w: Array.from({ length: sizes[li] }, () => new V(initial[k++])),
      b: new V(initial[k++]),
    })),
  );
  const { X, y } = mg.demoMoons();
  let loss = 0;
  for (let step = 0; step < steps; step++) {
    const { total, params } = demoLoss(V, layers, X, y);
    for (const p of params) p.grad = 0;
    total.backward();
    const lr = 1.0 - (0.9 * step) / 100;
    for (const p of params) p.data -= lr * p.grad;
    loss = total.data;
  }
  return loss;
}

mg.seed(1337);
const initial = new mg.MLP(2, [16, 16, 1]).parameters().map((p) => p.data);
const STEPS = 20; // enough steps for V8 to have optimized both engines
const best = (V) => {
  let ms = Number.POSITIVE_INFINITY;
  let loss = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    loss = train(V, initial, STEPS);
    ms = Math.min(ms, performance.now() - t);
  }
  return { ms: ms / STEPS, loss };
};
const closures = best(ClosureValue);
const tape = best(mg.Value);
if (closures.loss !== tape.loss) console.log(`(the two engines' losses differ: ${closures.loss} vs ${tape.loss})`);
console.log(`closure per node (micrograd's design): ${closures.ms.toFixed(1)} ms per step`);
console.log(`op codes and typed arrays (micrograd-ts): ${tape.ms.toFixed(1)} ms per step`);
console.log(`closures are ${(closures.ms / tape.ms).toFixed(1)}x slower than the package`);
