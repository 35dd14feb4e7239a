// Scaling of backward(): time per node for chains and MLP graphs from 1,000 to 10,000,000 nodes, with the
// peak heap and the peak RSS. Each size runs in a fresh Node process, so that its RSS is its own.
//   node --expose-gc bench/scale.mjs            (the whole table; BENCH_SCALE_MAX=1e6 stops earlier)
//   npm run bench                               (prints the same table at the end)

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const SIZES = [1e3, 1e4, 1e5, 1e6, 1e7];
const RSS_LIMIT_MB = 2048;

/** Small graphs are measured several times after a warm-up (the first calls run before V8 optimizes). */
function measureOne(kind, target) {
  if (target > 1e5) return buildAndBackward(kind, target);
  buildAndBackward(kind, 1e4);
  const runs = Array.from({ length: 5 }, () => buildAndBackward(kind, target));
  return runs.reduce((best, r) => (r.backwardMs < best.backwardMs ? r : best));
}

/** One measurement, in this process: builds the graph, runs backward(), reports times and memory. */
function buildAndBackward(kind, target) {
  const mg = require("../dist/index.js");
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const t0 = performance.now();
  let root;
  let nodes;
  let check;
  if (kind === "chain") {
    // v ← v · c, n times: n + 2 nodes, each one operation deep.
    const x = new mg.Value(1);
    const c = new mg.Value(1);
    let v = x;
    for (let i = 0; i < target - 2; i++) v = v.mul(c);
    root = v;
    nodes = target;
    check = () => x.grad === 1 && c.grad === target - 2;
  } else {
    // Σ model(xᵢ) over enough samples of MLP(2, [16, 16, 1]) (337 parameters, the rest per sample).
    mg.seed(1337);
    const model = new mg.MLP(2, [16, 16, 1]);
    const sumOver = (samples) => {
      let total = null;
      for (let s = 0; s < samples; s++) {
        const out = model.output([Math.sin(s), Math.cos(s)]);
        total = total === null ? out : total.add(out);
      }
      return total;
    };
    const one = mg.topologicalOrder(sumOver(1)).length;
    const perSample = mg.topologicalOrder(sumOver(2)).length - one;
    const samples = Math.max(1, Math.round((target - one) / perSample) + 1);
    model.zeroGrad();
    root = sumOver(samples);
    nodes = one + (samples - 1) * perSample;
    const bias = model.layers[2].neurons[0].b;
    check = () => bias.grad === samples;
  }
  sample();
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  root.backward();
  const backwardMs = performance.now() - t1;
  sample();
  if (!check()) throw new Error(`${kind} of ${nodes} nodes: wrong gradient`);
  return { kind, nodes, buildMs, backwardMs, peakHeap, maxRss: peakRss() };
}

/** Runs one size in a child process (node flags as this process); null with the reason if it failed. */
function runChild(kind, target) {
  const script = new URL(import.meta.url).pathname;
  const run = spawnSync(process.execPath, ["--expose-gc", script, "--one", kind, String(target)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) {
    const lines = `${run.stderr}`.split("\n").filter((l) => /Error|heap|memory/i.test(l));
    return { kind, target, error: lines.slice(0, 2).join(" ") || `exit ${run.status} ${run.signal ?? ""}` };
  }
  return JSON.parse(run.stdout.trim().split("\n").pop());
}

/**
 * This process's peak resident memory: Linux's VmHWM (of this address space alone: getrusage's maxRSS
 * survives exec, so a child would report its parent's peak if that was larger), else maxRSS.
 */
function peakRss() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Prints the table (Markdown, as the README shows it). */
export function benchScale(maxNodes = Number(process.env.BENCH_SCALE_MAX ?? 1e7)) {
  console.log("scaling: backward() on graphs of growing size (one fresh process per row)");
  console.log("| graph | nodes | build | backward | backward per node | peak heap | peak RSS |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const kind of ["chain", "MLP"]) {
    for (const target of SIZES.filter((s) => s <= maxNodes)) {
      const r = runChild(kind, target);
      if (r.error) {
        console.log(`| ${kind} | ${target.toLocaleString("en-US")} | failed: ${r.error} | | | | |`);
        continue;
      }
      const perNode = (r.backwardMs * 1e6) / r.nodes;
      const over = r.maxRss > RSS_LIMIT_MB * 2 ** 20 ? ` (over ${RSS_LIMIT_MB} MB)` : "";
      console.log(
        `| ${kind} | ${r.nodes.toLocaleString("en-US")} | ${r.buildMs.toFixed(0)} ms | ${r.backwardMs.toFixed(0)} ms | ` +
          `${perNode.toFixed(0)} ns | ${mb(r.peakHeap)} | ${mb(r.maxRss)}${over} |`,
      );
    }
  }
}

if (process.argv[2] === "--one") {
  console.log(JSON.stringify(measureOne(process.argv[3], Number(process.argv[4]))));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  benchScale();
}
