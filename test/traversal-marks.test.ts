/**
 * The traversal counter (src/internal/chunk.ts) feeds Int32 marks and grows by a few per backward(): at
 * ~7 µs a call it passes 2^31 after hours of small backward() calls in one kernel. Started near its limit
 * through its test seam (`traversal.last`, exported by dist/internal/chunk.js), every
 * traversal kind must keep giving the reference's grads as the counter starts a new epoch. A child
 * process with a timeout: a counter that wraps made the sweep loop forever.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const script = `
const mg = require(${JSON.stringify(join(__dirname, "..", "dist", "index.js"))});
const { backwardReference } = require(${JSON.stringify(join(__dirname, "..", "dist", "engine.js"))});
const counter = require(${JSON.stringify(join(__dirname, "..", "dist", "internal", "chunk.js"))}).traversal;
const LIMIT = 2 ** 31 - 1;
mg.seed(3);
const model = new mg.MLP(3, [4, 4, 1]);
const params = model.parameters();
const loss = (x) => {
  const out = model.output(x.map((v) => new mg.Value(v)));
  return out.mul(out).add(out.tanh()); // a shared subexpression
};
const mismatches = [];
const check = (root, label) => {
  for (const p of params) p.grad = 0;
  const expected = backwardReference(root, new Map(mg.topologicalOrder(root).map((v) => [v, 0])));
  mg.resetGrads(root); // intermediate grads accumulate too (as micrograd's): start from zero as the reference
  root.backward();
  for (const p of params) if (p.grad !== expected.get(p)) mismatches.push(label);
};
const old = loss([0.5, -1, 2]); // a root of an earlier chunk: backward() takes the tape
old.backward(); // marks in old's chunk from before the limit
let crossed = 0;
for (let start = LIMIT - 12; start <= LIMIT; start++) {
  counter.last = start;
  const epoch = counter.epoch;
  check(loss([start % 3, 1, -0.5]), "sweep " + start); // the sweep of the open chunk
  check(old, "tape " + start); // the tape, through chunks marked in the last epoch
  const compiled = mg.compile(() => loss([1, 2, 3])); // compile's capture searches too
  for (const p of params) p.grad = 0;
  compiled.forward();
  compiled.backward();
  const fromCompile = params.map((p) => p.grad);
  check(loss([1, 2, 3]), "compile " + start);
  if (params.some((p, i) => p.grad !== fromCompile[i])) mismatches.push("compile " + start);
  if (counter.epoch !== epoch) crossed++;
  if (!(counter.last > 0 && counter.last <= LIMIT)) mismatches.push("counter " + counter.last);
}
console.log(JSON.stringify({ mismatches, crossed }));
`;

describe("the traversal counter near its limit", () => {
  it("starts a new epoch instead of wrapping: backward() ends and gives the reference's grads", () => {
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.signal, "the child hung and was killed").toBeNull();
    expect(run.stderr).toBe("");
    const { mismatches, crossed } = JSON.parse(run.stdout) as { mismatches: string[]; crossed: number };
    expect(mismatches).toEqual([]);
    expect(crossed).toBeGreaterThan(5); // most starts ran into the limit within their few traversals
  });
});
