// Graph drawing: Graphviz (WASM, in a worker) render time and SVG size for two graphs.
// Each graph is rendered several times; the minimum time is reported (other load only adds time).
// Run alone with `node bench/graph.mjs` after `npm run build`; `npm run bench` calls benchGraph().

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const mg = require("../dist/index.js");

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

const kb = (text) => `${(Buffer.byteLength(text, "utf8") / 1024).toFixed(0)} KB`;

/** The lecture's network on one of its inputs: the forward graph of MLP(3, [4, 4, 1]). */
function mlpForward() {
  mg.seed(1337);
  const model = new mg.MLP(3, [4, 4, 1]);
  return { name: "MLP(3, [4, 4, 1]) forward, one input", root: model.output([2.0, 3.0, -1.0]), model };
}

/** A 500-input neuron: tanh(w0·x0 + … + w499·x499), 2,000 values (w, x, products, sums, tanh). */
function wideNeuron() {
  const rng = new mg.Random(1);
  let sum = null;
  for (let i = 0; i < 500; i++) {
    const term = new mg.Value(rng.uniform(-1, 1)).mul(new mg.Value(rng.uniform(-1, 1)));
    sum = sum === null ? term : sum.add(term);
  }
  return { name: "tanh(Σ w·x), 500 inputs", root: sum.tanh() };
}

function measure(root, opts) {
  let best = Number.POSITIVE_INFINITY;
  let drawing;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    drawing = mg.drawDot(root, opts);
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, drawing };
}

export async function benchGraph() {
  console.log("\n== graph drawing (drawDot: toDot + Graphviz WASM layout to SVG) ==");
  const t0 = performance.now();
  await mg.renderSvg("digraph { a -> b }"); // loads the WASM in its worker
  console.log(`first call (Graphviz WASM load + tiny graph): ${(performance.now() - t0).toFixed(0)} ms`);

  const { name, root, model } = mlpForward();
  const values = mg.trace(root).nodes.length;
  const plain = measure(root);
  console.log(
    `${name}: ${values} values, render ${plain.ms.toFixed(0)} ms, DOT ${kb(plain.drawing.dot)}, SVG ${kb(plain.drawing.svg)}`,
  );
  const clustered = measure(root, { model });
  console.log(
    `  same, clustered by neuron ({ model }): render ${clustered.ms.toFixed(0)} ms, SVG ${kb(clustered.drawing.svg)}`,
  );

  const wide = wideNeuron();
  const wideValues = mg.trace(wide.root).nodes.length;
  const big = measure(wide.root, { timeout: 60_000 });
  console.log(
    `${wide.name}: ${wideValues} values, render ${big.ms.toFixed(0)} ms, DOT ${kb(big.drawing.dot)}, SVG ${kb(big.drawing.svg)}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchGraph();
