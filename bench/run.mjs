// npm run bench: speed as ratios against baselines measured in the same run (never timed assertions).
// Each workload runs several times; the minimum is reported, since other load only ever adds time.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { PerformanceObserver } from "node:perf_hooks";
import { trainHandwritten } from "./handwritten.mjs";

const require = createRequire(import.meta.url);
const mg = require("../dist/index.js");

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const STEPS = 100;

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const heapUsed = () => process.memoryUsage().heapUsed;

/** GC entries arrive asynchronously: let them in before reading gcMs. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Runs fn REPEATS times; returns the fastest run's time, GC time and result, the peak heap seen, and the
 * first run's time. With `collect` (the default) a full collection runs before each repeat; without, only
 * before the first (see demoSection for why).
 */
async function measure(fn, repeats = REPEATS, collect = true) {
  let best = { ms: Number.POSITIVE_INFINITY, gc: 0, result: undefined };
  let peak = 0;
  let firstMs = 0;
  for (let r = 0; r < repeats; r++) {
    if (collect || r === 0) globalThis.gc?.();
    await settle();
    const gcBefore = gcMs;
    const t0 = performance.now();
    const result = fn((bytes) => {
      peak = Math.max(peak, bytes);
    });
    const ms = performance.now() - t0;
    await settle();
    if (ms < best.ms) best = { ms, gc: gcMs - gcBefore, result };
    if (r === 0) firstMs = ms;
  }
  return { ...best, peak, firstMs };
}

/** Python micrograd (its engine and demo loop, test/fixtures/micrograd_reference.py) on a few steps. */
function pythonMicrograd(steps) {
  const script = new URL("../test/fixtures/micrograd_reference.py", import.meta.url).pathname;
  const data = new URL("../data/demo-moons.json", import.meta.url).pathname;
  const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["--version"]).status === 0);
  if (!python || !existsSync(script)) return null;
  const run = spawnSync(python, [script, data, "--bench", String(steps)], { encoding: "utf8" });
  return run.status === 0 ? JSON.parse(run.stdout) : null;
}

/** The demo's loss over all 100 points, through the object API: a new graph per call. */
function demoLoss(model, X, y) {
  const scores = X.map((row) => model.output(row.map((x) => new mg.Value(x))));
  return mg.maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
}

/** micrograd demo's training loop through the public object API, as a user writes it. */
function demoObjectApi(samplePeak) {
  mg.seed(1337);
  const model = new mg.MLP(2, [16, 16, 1]);
  const { X, y } = mg.demoMoons();
  const optimizer = new mg.SGD(model.parameters(), { lr: (k) => 1.0 - (0.9 * k) / 100 });
  let loss;
  for (let k = 0; k < STEPS; k++) {
    loss = demoLoss(model, X, y);
    model.zeroGrad();
    loss.backward();
    optimizer.step();
    samplePeak(heapUsed());
  }
  return { loss: loss.data };
}

/** The size of one step's graph (counted apart from the timed loop: counting makes every node a Value). */
function demoGraphSize() {
  mg.seed(1337);
  const model = new mg.MLP(2, [16, 16, 1]);
  const { X, y } = mg.demoMoons();
  return mg.topologicalOrder(demoLoss(model, X, y)).length;
}

/** The same training through compile(): one capture, then 100 replays (zeroGrad, forward, backward, step). */
function demoCompiled(samplePeak) {
  mg.seed(1337);
  const model = new mg.MLP(2, [16, 16, 1]);
  const { X, y } = mg.demoMoons();
  const optimizer = new mg.SGD(model.parameters(), { lr: (k) => 1.0 - (0.9 * k) / 100 });
  const t0 = performance.now();
  const graph = mg.compile(() => demoLoss(model, X, y));
  const captureMs = performance.now() - t0;
  let loss;
  for (let k = 0; k < STEPS; k++) {
    model.zeroGrad();
    loss = graph.forward();
    graph.backward();
    optimizer.step();
  }
  samplePeak(heapUsed());
  return { loss, captureMs, loopMs: performance.now() - t0 - captureMs, instructions: graph.size };
}

/**
 * compile()'s runs back to back, with no full collection in between (unlike measure()): a full collection
 * discards V8's optimized code for the replay when the arrays it was optimized with die, and every run
 * would then pay V8's compilation again. The first run, with that compilation, is reported too.
 */
function measureCompiled(repeats) {
  globalThis.gc?.();
  const runs = Array.from({ length: repeats }, () => demoCompiled(() => {}));
  const best = runs.reduce((a, b) => (b.loopMs < a.loopMs ? b : a));
  return { ...best, captureMs: Math.min(...runs.map((r) => r.captureMs)), first: runs[0] };
}

function demoHandwritten(samplePeak) {
  mg.seed(1337);
  const params = new mg.MLP(2, [16, 16, 1]).parameters().map((p) => p.data);
  const { X, y } = mg.demoMoons();
  const losses = trainHandwritten(params, X, y, STEPS);
  samplePeak(heapUsed());
  return { loss: losses[STEPS - 1] };
}

function chain(samplePeak) {
  const x = new mg.Value(1);
  let v = x;
  for (let i = 0; i < 1_000_000; i++) v = v.mul(1);
  const t0 = performance.now();
  v.backward();
  const backwardMs = performance.now() - t0;
  samplePeak(heapUsed());
  return { grad: x.grad, backwardMs };
}

/** The demo workload, object API and hand-written, interleaved so that machine load hits both alike. */
async function demoSection() {
  // The hand-written run is short, so it gets more repeats to find its undisturbed time.
  const hand = await measure(demoHandwritten, REPEATS * 4);
  // The object API's runs follow each other without a full collection in between: a full collection
  // makes V8 drop the optimized code of every function that handled Values ("weak objects": ~150 code
  // objects, measured with --trace-deopt; the build before this one lost its code the same way), so
  // each run would pay V8's compilation again, as a first run does (its time is printed too).
  const api = await measure(demoObjectApi, REPEATS, false);
  const compiled = measureCompiled(REPEATS * 4);
  const hand2 = await measure(demoHandwritten, REPEATS * 4);
  const handMs = Math.min(hand.ms, hand2.ms);
  if (Math.abs(api.result.loss - hand.result.loss) > 1e-9) {
    throw new Error(`the two demo implementations disagree: ${api.result.loss} vs ${hand.result.loss}`);
  }
  if (compiled.loss !== api.result.loss) {
    throw new Error(`compile and the object API disagree: ${compiled.loss} vs ${api.result.loss}`);
  }
  return { api, compiled, handMs };
}

const flags = process.execArgv.filter((a) => a.startsWith("--max-semi-space-size")).join(" ") || "default heap";
if (process.env.BENCH_PART === "demo") {
  // A child run (see below): one line of JSON for the parent.
  const { api, compiled, handMs } = await demoSection();
  console.log(
    JSON.stringify({ apiMs: api.ms, gcMs: api.gc, firstMs: api.firstMs, handMs, compiledMs: compiled.loopMs }),
  );
  process.exit(0);
}

console.log(`micrograd-ts benchmarks (Node ${process.version}, ${REPEATS} runs each, fastest shown)\n`);
const { api, compiled, handMs } = await demoSection();
console.log("demo workload: 100 full-batch SGD steps, MLP(2, [16, 16, 1]), 100 points, max-margin + L2");
console.log(`  graph size per step          ${demoGraphSize().toLocaleString("en-US")} nodes`);
console.log(`  hand-written Float64Array    ${handMs.toFixed(1)} ms`);
console.log(
  `  Value object API             ${api.ms.toFixed(1)} ms (${(api.ms / STEPS).toFixed(2)} ms/step, GC ${api.gc.toFixed(0)} ms; ${flags})`,
);
console.log(`  ratio object API / hand      ${(api.ms / handMs).toFixed(1)}x   (target <= 20x)`);
console.log(`  first run (V8 compiling)     ${api.firstMs.toFixed(1)} ms, ${(api.firstMs / handMs).toFixed(1)}x`);
// The notebook kernel runs Node with a larger young generation (scripts/jupyter-env.cjs): measure that too.
const KERNEL_FLAG = "--max-semi-space-size=64";
const child = spawnSync(process.execPath, ["--expose-gc", KERNEL_FLAG, new URL(import.meta.url).pathname], {
  env: { ...process.env, BENCH_PART: "demo" },
  encoding: "utf8",
});
if (child.status === 0) {
  const kernel = JSON.parse(child.stdout.trim().split("\n").pop());
  console.log(
    `  with ${KERNEL_FLAG} (the notebook kernel's setting): ${kernel.apiMs.toFixed(1)} ms, GC ${kernel.gcMs.toFixed(0)} ms, ` +
      `hand-written ${kernel.handMs.toFixed(1)} ms, ratio ${(kernel.apiMs / kernel.handMs).toFixed(1)}x` +
      ` (first run ${(kernel.firstMs / kernel.handMs).toFixed(1)}x)` +
      ` (compile: ${(kernel.compiledMs / kernel.handMs).toFixed(2)}x)`,
  );
}
const c = compiled;
console.log(
  `  compile(): 100 replays       ${c.loopMs.toFixed(1)} ms after one capture of ${c.captureMs.toFixed(1)} ms ` +
    `(${c.instructions.toLocaleString("en-US")} instructions, bit-identical losses; first run in this process, ` +
    `while V8 compiles the replay: ${c.first.loopMs.toFixed(1)} ms + ${c.first.captureMs.toFixed(1)} ms)`,
);
console.log(
  `  ratio compile / hand         ${(c.loopMs / handMs).toFixed(2)}x   (target <= 2x; ${((c.loopMs + c.captureMs) / handMs).toFixed(2)}x with the capture)`,
);
console.log(`  peak heap (sampled per step) ${mb(api.peak)}`);
console.log(`  final loss                   ${api.result.loss}`);
const PY_STEPS = Number(process.env.BENCH_PYTHON_STEPS ?? 3);
const python = PY_STEPS > 0 ? pythonMicrograd(PY_STEPS) : null;
if (python) {
  const pyPerStep = (python.seconds * 1000) / python.steps;
  console.log(
    `  Python micrograd             ${pyPerStep.toFixed(0)} ms/step (${python.steps} steps of the same loop)`,
  );
  console.log(`  speed-up over Python         ${(pyPerStep / (api.ms / STEPS)).toFixed(0)}x`);
} else {
  console.log("  Python micrograd             not measured (python3 not found, or BENCH_PYTHON_STEPS=0)");
}
console.log();

const deep = await measure(chain, Math.min(REPEATS, 3));
console.log("chain of 1,000,000 nodes (v = v * 1), then backward()");
console.log(
  `  build + backward             ${deep.ms.toFixed(0)} ms (backward alone ${deep.result.backwardMs.toFixed(0)} ms)`,
);
console.log(`  peak heap                    ${mb(deep.peak)}`);
console.log(`  max RSS of this process      ${mb(process.resourceUsage().maxRSS * 1024)}`);

console.log();
const { benchScale } = await import(new URL("./scale.mjs", import.meta.url).href);
benchScale();

const graphBench = new URL("./graph.mjs", import.meta.url);
if (existsSync(graphBench)) {
  console.log();
  const { benchGraph } = await import(graphBench.href);
  await benchGraph();
}

// Opt-in (about a minute): `npm run bench -- soak` or BENCH_SOAK=1.
if (process.argv.includes("soak") || process.env.BENCH_SOAK === "1") {
  console.log();
  const { benchSoak } = await import(new URL("./soak.mjs", import.meta.url).href);
  await benchSoak();
}
