// Soak: does memory come back? Long runs, heap measured after full collections (needs --expose-gc).
// Opt-in, ~1 minute: `npm run bench -- soak` (or BENCH_SOAK=1 npm run bench), or alone with
// `node --expose-gc bench/soak.mjs` after `npm run build`. Prints figures; asserts nothing.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const mg = require("../dist/index.js");

const DEMO_STEPS = Number(process.env.SOAK_STEPS ?? 5000);
const SAMPLE_EVERY = 500;
const GRAPHS = 50;
const GRAPH_NODES = 200_000;

/**
 * Live memory after full collections: JS heap plus typed-array memory (the chunks and the tape). Two
 * collections: V8 frees a dead ArrayBuffer's memory after the collection that found it dead, lazily.
 */
function liveMb() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}
const fmt = (mb) => `${mb.toFixed(1)} MB`;

/** micrograd's demo loop for DEMO_STEPS steps; memory sampled every SAMPLE_EVERY steps. */
function demoSoak() {
  mg.seed(1337);
  const model = new mg.MLP(2, [16, 16, 1]);
  const { X, y } = mg.demoMoons();
  const optimizer = new mg.SGD(model.parameters(), { lr: (k) => 1.0 - (0.9 * k) / (DEMO_STEPS + 1) });
  const step = () => {
    const scores = X.map((row) => model.output(row));
    const loss = mg.maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
    model.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss;
  };
  step(); // warm-up: the reused tape grows to the demo's size; then the baseline, with no graph alive
  const baseline = liveMb();
  const samples = [];
  const t0 = performance.now();
  let loss = null;
  for (let k = 0; k < DEMO_STEPS; k++) {
    loss = step();
    if ((k + 1) % SAMPLE_EVERY === 0) samples.push(liveMb()); // the step's graph is still referenced here
  }
  const seconds = (performance.now() - t0) / 1000;
  const finalLoss = loss.data;
  loss = null;
  return { baseline, samples, released: liveMb(), seconds, finalLoss };
}

/** GRAPHS graphs of GRAPH_NODES nodes, each built, backpropagated and dropped. */
function graphSoak() {
  const build = (seed) => {
    const x = new mg.Value(1 + seed / 100);
    let v = x;
    // Four nodes per round (a constant and mul, a constant and add): 50,000 rounds, 200,000 nodes.
    for (let i = 0; i < GRAPH_NODES / 4; i++) v = v.mul(0.999999).add(1e-9);
    v.backward();
    return x.grad;
  };
  build(-1); // the first backward of this size grows the reused tape: warm it up before the baseline
  const baseline = liveMb();
  let peak = 0;
  const after = [];
  const t0 = performance.now();
  for (let g = 0; g < GRAPHS; g++) {
    const grad = build(g);
    if (!Number.isFinite(grad)) throw new Error(`graph ${g}: grad ${grad}`);
    const used = (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers) / 2 ** 20;
    peak = Math.max(peak, used);
    if ((g + 1) % 10 === 0) after.push(liveMb());
  }
  const seconds = (performance.now() - t0) / 1000;
  return { baseline, peak, after, released: liveMb(), seconds };
}

export async function benchSoak() {
  if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
  console.log(`== soak: memory after full collections (heap + typed arrays) ==`);
  const demo = demoSoak();
  console.log(
    `demo loop, ${DEMO_STEPS.toLocaleString("en-US")} steps (${demo.seconds.toFixed(0)} s, final loss ${demo.finalLoss.toFixed(6)}):`,
  );
  console.log(`  after 1 step    ${fmt(demo.baseline)} (model, data, tape; no graph)`);
  console.log(`  every ${SAMPLE_EVERY} steps ${demo.samples.map(fmt).join(", ")}`);
  console.log(
    `  graph dropped   ${fmt(demo.released)} (${(demo.released - demo.baseline).toFixed(1)} MB from before; ` +
      `spread of the samples ${(Math.max(...demo.samples) - Math.min(...demo.samples)).toFixed(1)} MB)`,
  );
  const graphs = graphSoak();
  console.log(
    `${GRAPHS} graphs of ${GRAPH_NODES.toLocaleString("en-US")} nodes built, backpropagated, dropped (${graphs.seconds.toFixed(0)} s):`,
  );
  console.log(`  before          ${fmt(graphs.baseline)}`);
  console.log(`  peak (sampled)  ${fmt(graphs.peak)}`);
  console.log(`  every 10 graphs ${graphs.after.map(fmt).join(", ")}`);
  console.log(
    `  at the end      ${fmt(graphs.released)} (${(graphs.released - graphs.baseline).toFixed(1)} MB from before)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchSoak();
