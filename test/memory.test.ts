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
    // until somebody looks) and ~0.5 MB of other objects, released with the last Value; and ~1.9 MB of
    // chunk storage, released too once the chunk is closed (by the next backward() or when it is full).
    expect(withGraph - released).toBeGreaterThan(0.3);
    expect(withGraph - closed).toBeGreaterThan(2);
    expect(withGraph - closed).toBeLessThan(15);
    // From step 5 to step 39 nothing accumulates: 34 more graphs were built and dropped. (A single
    // reading varies by ~3 MB; keeping each dropped graph's chunk alone would add ~35 MB.)
    expect((samples[1] as number) - (samples[0] as number)).toBeLessThan(8);
  });
});
