// npm run bench: speed as ratios against baselines measured in the same run (never timed assertions).
// Each workload runs several times; the minimum is reported, since other load only ever adds time.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { CLOCK } from "./clock.mjs";
import { benchDemo } from "./demo.mjs";
import { printPeers } from "./peers.mjs";

const require = createRequire(import.meta.url);
const mg = require("../dist/index.js");

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const heapUsed = () => process.memoryUsage().heapUsed;

/** Runs fn `repeats` times after a full collection each; the fastest run's time and result, and the peak heap seen. */
function measure(fn, repeats) {
  let best = { ms: Number.POSITIVE_INFINITY, result: undefined };
  let peak = 0;
  for (let r = 0; r < repeats; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    const result = fn((bytes) => {
      peak = Math.max(peak, bytes);
    });
    const ms = performance.now() - t0;
    if (ms < best.ms) best = { ms, result };
  }
  return { ...best, peak };
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

console.log(
  `micrograd-ts benchmarks (Node ${process.version}; cold: the fastest of ${process.env.BENCH_COLD_RUNS ?? 5} fresh ` +
    `processes each; steady: the fastest of ${REPEATS * 3} runs each; the demo and its peers timed in ${CLOCK})\n`,
);
const demo = await benchDemo();
console.log();
printPeers(demo);
console.log();

const deep = measure(chain, Math.min(REPEATS, 3));
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
