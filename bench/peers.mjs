// Peers: micrograd's demo (the workload of bench/demo.mjs) through other engines, from the same 337 initial
// parameters (micrograd's, seed 1337), each checked against the object API's losses so that a fast wrong
// engine cannot win:
//   - three JavaScript/TypeScript ports of micrograd, vendored unchanged in bench/peers/<name>/ (licence and
//     commit beside them); the demo's model and loss are written once below against their Value classes,
//     with micrograd's operations in micrograd's order, so float64 losses must agree to the last bit;
//   - TensorFlow.js's pure-JS CPU backend, the whole batch as matrices (float32: losses to a stated tolerance);
//   - Python micrograd (test/fixtures/micrograd_reference.py: its engine and demo loop), where python3 exists
//     (to 1e-12 relative: it adds grads in the order of a set).
// Every peer runs in fresh processes, rotated (other load only ever adds time, so the fastest is kept).
//
//   node bench/peers.mjs                (after `npm run build`: the table with this project's rows measured too)
//   node bench/peers.mjs run <peer> N   (one process, as the bench's children do: prints JSON)

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CLOCK, now } from "./clock.mjs";

const require = createRequire(import.meta.url);
const mg = require(process.env.BENCH_DIST ?? "../dist/index.js");

const ALPHA = 1e-4;
const N = 100; // samples, and steps of a full run
const lr = (k) => 1.0 - (0.9 * k) / 100;
/** Steps a slow port is timed on: the first half cold, the second half steady. */
const PEER_STEPS = Number(process.env.BENCH_PEER_STEPS ?? 20);
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 2);
/** TF.js computes in float32: its losses are checked to this relative tolerance. */
const TFJS_TOLERANCE = 1e-5;
/** Python micrograd keeps a node's operands in a set, so it adds grads in another order: last bits differ. */
const PYTHON_TOLERANCE = 1e-12;

const peerFile = (path) => fileURLToPath(new URL(`./peers/${path}`, import.meta.url));

/** A vendored TypeScript file, transpiled by esbuild and imported as a module. */
async function typescriptModule(path) {
  const { transformSync } = require("esbuild");
  const { code } = transformSync(readFileSync(peerFile(path), "utf8"), { loader: "ts", format: "esm" });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/** The ports: each one's Value class and its ReLU, as its README shows them used. */
const PORTS = {
  eureka: {
    name: "EurekaLabsAI/micrograd, JavaScript version",
    async engine() {
      // a script that exports nothing: run in a function that hands back its Value class
      const source = readFileSync(peerFile("eurekalabs-micrograd/micrograd.js"), "utf8");
      const Value = new Function(`${source}\nreturn Value;`)();
      return { Value, relu: (v) => v.relu() };
    },
  },
  trekhleb: {
    name: "trekhleb/micrograd-ts",
    async engine() {
      const { Value } = await typescriptModule("trekhleb-micrograd-ts/engine.ts");
      return { Value, relu: (v) => v.relu() };
    },
  },
  "2bad": {
    name: "2BAD/micrograd",
    async engine() {
      const { Value } = await typescriptModule("2bad-micrograd/value.ts");
      return { Value, relu: (v) => Value.relu(v) };
    },
  },
};

/** micrograd's initial parameters (seed 1337, per layer, per neuron, weights then bias) and data. */
function demoSetup() {
  mg.seed(1337);
  const initial = new mg.MLP(2, [16, 16, 1]).parameters().map((p) => p.data);
  return { initial, ...mg.demoMoons() };
}

/**
 * micrograd's demo on a port's Value: nn.py's MLP(2, [16, 16, 1]) (act = b + w₀x₀ + w₁x₁ + …, ReLU but for
 * the last layer) and demo.ipynb's loss (relu(1 + score·−y) summed, times 1/n, plus (Σ p·p)·α), the same
 * operations in the same order as micrograd and this project. `step(k)` runs SGD step k and returns its loss.
 */
function portTrainer({ Value, relu }, initial, X, y) {
  const params = initial.map((d) => new Value(d));
  const layers = [];
  let p = 0;
  for (const [nin, nout] of [
    [2, 16],
    [16, 16],
    [16, 1],
  ]) {
    const neurons = [];
    for (let j = 0; j < nout; j++) {
      const w = params.slice(p, p + nin);
      p += nin;
      neurons.push({ w, b: params[p++] });
    }
    layers.push(neurons);
  }
  const score = (x) => {
    let h = x;
    layers.forEach((neurons, l) => {
      h = neurons.map(({ w, b }) => {
        let act = b;
        for (let i = 0; i < w.length; i++) act = act.add(w[i].mul(h[i]));
        return l < layers.length - 1 ? relu(act) : act;
      });
    });
    return h[0];
  };
  const sum = (vs) => vs.reduce((total, v) => total.add(v)); // Python's sum; its leading 0 changes no float
  const loss = () => {
    const scores = X.map((row) => score(row.map((x) => new Value(x))));
    const margins = scores.map((s, i) => relu(s.mul(-y[i]).add(1)));
    const dataLoss = sum(margins).mul(1.0 / margins.length);
    return dataLoss.add(sum(params.map((q) => q.mul(q))).mul(ALPHA));
  };
  return {
    step(k) {
      const total = loss();
      for (const q of params) q.grad = 0;
      total.backward();
      for (const q of params) q.data -= lr(k) * q.grad;
      return total.data;
    },
  };
}

/** One fresh process of a port: PEER_STEPS steps, each timed. */
async function runPort(key, steps) {
  const engine = await PORTS[key].engine();
  const { initial, X, y } = demoSetup();
  const t0 = now();
  const trainer = portTrainer(engine, initial, X, y);
  const stepMs = [];
  const losses = [];
  let last = t0;
  for (let k = 0; k < steps; k++) {
    losses.push(trainer.step(k));
    const t = now();
    stepMs.push(t - last); // the first step includes making the model
    last = t;
  }
  return { stepMs, losses };
}

/**
 * TF.js, CPU backend: the three layers as matrices over the whole batch, float32. Cold: a fresh process's
 * first 100 steps (loading TF.js not included, as loading this project is not); steady: further 100-step
 * runs in the same process from the initial parameters, the fastest per step.
 */
async function runTfjs() {
  const tf = require("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  const { initial, X, y } = demoSetup();
  const t0 = now();
  // micrograd's order into matrices: W[i][j] is neuron j's weight on input i
  const shapes = [
    [2, 16],
    [16, 16],
    [16, 1],
  ];
  const start = [];
  let p = 0;
  for (const [nin, nout] of shapes) {
    const w = new Float32Array(nin * nout);
    const b = new Float32Array(nout);
    for (let j = 0; j < nout; j++) {
      for (let i = 0; i < nin; i++) w[i * nout + j] = initial[p++];
      b[j] = initial[p++];
    }
    start.push(tf.tensor2d(w, [nin, nout]), tf.tensor1d(b));
  }
  const vars = start.map((t, i) => tf.variable(t, true, `p${i}`));
  const inputs = tf.tensor2d(X.flat(), [N, 2]);
  const labels = tf.tensor1d(y);
  const [w1, b1, w2, b2, w3, b3] = vars;
  const loss = () => {
    const h1 = tf.relu(inputs.matMul(w1).add(b1));
    const h2 = tf.relu(h1.matMul(w2).add(b2));
    const scores = h2.matMul(w3).add(b3).reshape([N]);
    const dataLoss = tf.relu(tf.scalar(1).sub(labels.mul(scores))).mean();
    return dataLoss.add(tf.addN(vars.map((v) => v.square().sum())).mul(ALPHA));
  };
  const run = () => {
    vars.forEach((v, i) => {
      v.assign(start[i]);
    });
    const losses = [];
    for (let k = 0; k < N; k++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, vars);
        for (const v of vars) v.assign(v.sub(grads[v.name].mul(lr(k))));
        losses.push(value.dataSync()[0]);
      });
    }
    return losses;
  };
  const losses = run();
  const coldMs = now() - t0;
  let steadyMs = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t1 = now();
    run();
    steadyMs = Math.min(steadyMs, (now() - t1) / N);
  }
  return { coldMs, coldSteps: N, steadyMs, losses, version: tf.version.tfjs };
}

/** Runs `node bench/peers.mjs run <key> <steps>` in a fresh process; its result (the last line it prints). */
function spawnPeer(key, steps) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "run", key, String(steps)], {
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`peer ${key} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop());
}

/** Python micrograd's own engine and demo loop on a few steps; null without python3. */
function runPython(steps) {
  const script = new URL("../test/fixtures/micrograd_reference.py", import.meta.url).pathname;
  const data = new URL("../data/demo-moons.json", import.meta.url).pathname;
  const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["--version"]).status === 0);
  if (!python || !existsSync(script)) return null;
  const run = spawnSync(python, [script, data, "--bench", String(steps)], { encoding: "utf8" });
  if (run.status !== 0) return null;
  const { seconds, losses } = JSON.parse(run.stdout);
  const perStep = (seconds * 1000) / steps; // no JIT: every step costs the same
  return { coldMs: perStep * steps, coldSteps: steps, steadyMs: perStep, losses };
}

/** The first step whose loss is not the reference's (exactly, or within a relative tolerance); null if none. */
function mismatch(losses, reference, tolerance) {
  for (let k = 0; k < losses.length; k++) {
    const ok =
      tolerance === 0
        ? Object.is(losses[k], reference[k])
        : Math.abs(losses[k] - reference[k]) <= tolerance * Math.abs(reference[k]);
    if (!ok) return `step ${k}: ${losses[k]}, the object API's ${reference[k]}`;
  }
  return null;
}

/** Every peer measured: rows of { name, coldMs, coldSteps, steadyMs, check, note }. */
export function measurePeers(reference) {
  const rows = [];
  const best = {};
  const half = PEER_STEPS / 2;
  for (let round = 0; round < PEER_RUNS; round++) {
    for (const key of [...Object.keys(PORTS), "tfjs"]) {
      const r = spawnPeer(key, PEER_STEPS);
      const m =
        key === "tfjs"
          ? { ...r, tolerance: TFJS_TOLERANCE }
          : {
              coldMs: r.stepMs.slice(0, half).reduce((a, b) => a + b, 0),
              coldSteps: half,
              steadyMs: r.stepMs.slice(half).reduce((a, b) => a + b, 0) / (PEER_STEPS - half),
              losses: r.losses,
              tolerance: 0,
            };
      m.wrong = mismatch(m.losses, reference, m.tolerance);
      const old = best[key];
      best[key] =
        old === undefined
          ? m
          : {
              ...m,
              coldMs: Math.min(old.coldMs, m.coldMs),
              steadyMs: Math.min(old.steadyMs, m.steadyMs),
              wrong: old.wrong ?? m.wrong,
            };
    }
  }
  for (const [key, m] of Object.entries(best)) {
    const name = key === "tfjs" ? `TensorFlow.js ${m.version}, CPU backend, whole batch as matrices` : PORTS[key].name;
    const check =
      m.tolerance === 0
        ? `all ${m.losses.length} losses bit for bit`
        : `all ${N} losses within ${m.tolerance.toExponential()} relative (float32)`;
    rows.push({ name, ...m, check });
  }
  const PY_STEPS = Number(process.env.BENCH_PYTHON_STEPS ?? 3);
  const python = PY_STEPS > 0 ? runPython(PY_STEPS) : null;
  if (python) {
    rows.push({
      name: "Python micrograd",
      ...python,
      wrong: mismatch(python.losses, reference, PYTHON_TOLERANCE),
      check: `all ${python.losses.length} within ${PYTHON_TOLERANCE.toExponential()} relative (sums grads in set order)`,
    });
  }
  return { rows, python: python !== null };
}

const times = (r) => (r >= 1.05 ? `${fmt(r)}x slower` : r <= 1 / 1.05 ? `${fmt(1 / r)}x faster` : "the same");
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x >= 10 ? x.toFixed(0) : x.toFixed(1));
const ms = (x) =>
  x >= 100 ? Math.round(x).toLocaleString("en-US") : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(4);

/**
 * Prints the peers table, with this project's rows from benchDemo's result in the same run (the object
 * API's losses are the reference). Ratios are against the object API, per step.
 */
export function printPeers({ reference, cold, steady }) {
  const ours = {
    api: { cold: cold.api.ms, steady: steady.best.api },
    compile: { cold: cold.compile.ms, steady: steady.best.compile },
    hand: {
      cold: Math.min(cold.loops.ms, cold.unrolled.ms),
      steady: Math.min(steady.best.loops, steady.best.unrolled),
    },
  };
  const { rows, python } = measurePeers(reference);
  const api = { cold: ours.api.cold / N, steady: ours.api.steady };
  const same = `all ${N} losses bit for bit`; // checked by benchDemo in every run
  const all = [
    { name: "this project, compile", coldMs: ours.compile.cold, steadyMs: ours.compile.steady, check: same },
    { name: "this project, object API", coldMs: ours.api.cold, steadyMs: ours.api.steady, check: "the reference" },
    { name: "hand-written for these shapes (bench)", coldMs: ours.hand.cold, steadyMs: ours.hand.steady, check: same },
  ]
    .map((r) => ({ coldSteps: N, ...r }))
    .concat(rows)
    .sort((a, b) => (a.wrong ? 1 : 0) - (b.wrong ? 1 : 0) || a.steadyMs - b.steadyMs);
  console.log(
    `peers: the same demo from the same 337 initial parameters; cold = ms per step over a fresh process's first ` +
      `steps (${N} for this project and TF.js, ${PEER_STEPS / 2} for the ports, ${process.env.BENCH_PYTHON_STEPS ?? 3} ` +
      `for Python), steady = ms per step once warm (ports: steps ${PEER_STEPS / 2 + 1}–${PEER_STEPS}); the fastest of ` +
      `${PEER_RUNS} processes each; ${CLOCK}`,
  );
  const row = (a, b, c, d, e) => console.log(`  ${a.padEnd(60)}${b.padEnd(30)}${c.padEnd(30)}${d.padEnd(7)}${e}`);
  row("engine", "cold ms/step, vs object API", "steady ms/step, vs object API", "", "losses");
  for (const r of all) {
    const coldPerStep = r.coldMs / r.coldSteps;
    if (r.wrong) {
      row(r.name, `${ms(coldPerStep)}`, `${ms(r.steadyMs)}`, "", `NOT MATCHING (${r.wrong}): not ranked`);
      continue;
    }
    const isApi = r.name === "this project, object API";
    row(
      r.name,
      `${ms(coldPerStep)}, ${isApi ? "1x" : times(coldPerStep / api.cold)}`,
      `${ms(r.steadyMs)}, ${isApi ? "1x" : times(r.steadyMs / api.steady)}`,
      "",
      r.check,
    );
  }
  if (!python) console.log("  Python micrograd: not measured (python3 not found, or BENCH_PYTHON_STEPS=0)");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv[2] === "run") {
    const [key, steps] = [process.argv[3], Number(process.argv[4])];
    const result = key === "tfjs" ? await runTfjs() : await runPort(key, steps);
    console.log(JSON.stringify(result));
  } else {
    const { benchDemo } = await import("./demo.mjs");
    printPeers(await benchDemo());
  }
  process.exit(0);
}
