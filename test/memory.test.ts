/**
 * Memory is released as micrograd's would be: a graph lives as long as a Value of it is referenced, no
 * longer, also inside one long synchronous loop (as a notebook cell runs). A child process with
 * --expose-gc measures the heap and the typed-array memory (slabs) after full collections.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Steps run in a function so that no stack slot of the measuring frame holds a graph.
const script = `
const { seed, MLP, Value, demoMoons, maxMargin } = require(${JSON.stringify(join(__dirname, "..", "dist", "index.js"))});
// Two collections: V8 frees a dead ArrayBuffer's memory after the collection that found it dead, lazily.
const mb = () => { global.gc(); global.gc(); const m = process.memoryUsage(); return (m.heapUsed + m.arrayBuffers) / 2 ** 20; };
seed(1337);
const model = new MLP(2, [16, 16, 1]);
const { X, y } = demoMoons();
const notebook = { loss: null }; // the latest graph stays referenced, as a notebook variable would keep it
function step(k) {
  const scores = X.map((row) => model.output(row.map((v) => new Value(v))));
  const loss = maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
  if (k % 2 === 0) { model.zeroGrad(); loss.backward(); } // every other step forward only
  notebook.loss = loss;
}
const samples = [];
for (let k = 0; k < 40; k++) { step(k); if (k === 5 || k === 39) samples.push(mb()); }
const withGraph = mb();
notebook.loss = null;
const released = mb();
new Value(0).backward(); // closes the open chunk (src/internal/chunk.ts): its storage goes with its last Value
console.log(JSON.stringify({ samples, withGraph, released, closed: mb() }));
`;

/**
 * Graphs bigger than a chunk (2^18 nodes): 600,000 nodes, forward only, then dropped; and the same after a
 * backward() and a few small ones. `DIST` is the build measured (a seam to check an older build).
 */
const spanning = (dist: string) => `
const { Value } = require(${JSON.stringify(dist)});
const mb = () => { global.gc(); global.gc(); const m = process.memoryUsage(); return [m.heapUsed / 2 ** 20, m.arrayBuffers / 2 ** 20]; };
const small = () => { const x = new Value(1); x.mul(2).add(x).backward(); };
for (let i = 0; i < 3; i++) small(); // the machinery's buffers exist before the first reading
// A chain of 600,000 nodes (300,000 products, each with a leaf factor), with a second path every 1,000 steps.
function build() {
  let v = new Value(1);
  const shortcut = [];
  for (let i = 0; i < 300000; i++) {
    v = v.mul(1.000001);
    if (i % 1000 === 999) shortcut.push(v);
  }
  return { root: v, shortcut };
}
function forwardOnly() { const g = build(); return g.root.data; }
function withBackward() { const g = build(); g.root.backward(); return g.root.data; }
const before = mb();
forwardOnly();
const afterForward = mb();
withBackward();
const afterBackward = mb();
for (let i = 0; i < 3; i++) small();
const afterSmall = mb();
let held = build(); // the same graph, still referenced: what dropping it must give back
const withGraph = mb();
held.root.backward();
held = null;
console.log(JSON.stringify({ before, afterForward, afterBackward, afterSmall, withGraph }));
`;

describe("memory: graphs spanning chunks", () => {
  it("a dropped 600,000-node graph, forward only or backpropagated, is collected at once", () => {
    const dist = process.env.MEMORY_TEST_DIST ?? join(__dirname, "..", "dist", "index.js");
    const run = spawnSync(process.execPath, ["--expose-gc", "-e", spanning(dist)], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const m = JSON.parse(run.stdout) as Record<string, [number, number]>;
    const [heap, arrays] = m.before as [number, number];
    const grew = (key: string) => [(m[key] as number[])[0] as number, (m[key] as number[])[1] as number];
    // The graph itself (300,000 Values of each kind, its chunks' storage): ~60 MB, so a leak cannot hide.
    expect((grew("withGraph")[0] as number) - heap + (grew("withGraph")[1] as number) - arrays).toBeGreaterThan(40);
    for (const key of ["afterForward", "afterBackward", "afterSmall"]) {
      const [h, a] = grew(key) as [number, number];
      // Every object of the graph is collected: the JS heap is back within 1 MB.
      expect(h - heap, key).toBeLessThan(1);
      // Typed-array memory: at most the open chunk's storage (17 bytes a node, with its operands' positions
      // and its marks at most 7.6 MB: 2^18 nodes), released at the next backward(); the sweep's and the
      // tape's reused buffers are smaller.
      expect(a - arrays, key).toBeLessThan(7.7);
    }
    // After the small backward() calls, the open chunk is a small one again: nothing of the graph is left.
    expect((grew("afterSmall")[1] as number) - arrays).toBeLessThan(1);
  });
});

describe("memory", () => {
  it("a training loop holds one graph at a time, and none once the last is dropped", () => {
    const run = spawnSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const { samples, withGraph, released, closed } = JSON.parse(run.stdout) as {
      samples: number[];
      withGraph: number;
      released: number;
      closed: number;
    };
    // One step's graph is 65,477 nodes: 4,777 Value objects (a neuron's products and sums get no object
    // until somebody looks) and ~0.5 MB of other objects, released with the last Value; and ~1.1 MB of
    // chunk storage, released too once the chunk is closed (by the next backward() or when it is full).
    expect(withGraph - released).toBeGreaterThan(0.3);
    expect(withGraph - closed).toBeGreaterThan(0.3 + 1.1); // the objects, then the storage (17 bytes a node)
    expect(withGraph - closed).toBeLessThan(15);
    // From step 5 to step 39 nothing accumulates: 34 more graphs were built and dropped. (A single
    // reading varies by ~3 MB; keeping each dropped graph's chunk alone would add ~35 MB.)
    expect((samples[1] as number) - (samples[0] as number)).toBeLessThan(8);
  });
});
