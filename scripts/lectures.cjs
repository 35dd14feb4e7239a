#!/usr/bin/env node
// npm run lectures: executes every notebook headlessly into build/lectures/NN-name.ipynb plus a
// self-contained NN-name.html (graphs and charts render from disk, offline), and writes
// build/lectures/index.html, a contents page linking them. notebooks/ is never modified. Exits non-zero
// naming the notebook and cell that failed. Notebook 5 runs on the solved module files of
// solutions/micrograd/ (runWithModules), so that the exported lecture trains the demo. With --solved it executes the solved sources of solutions/
// instead, into build/lectures/solutions/ (what `node scripts/exercises.cjs --record-prints` reads).
const fs = require("node:fs");
const path = require("node:path");
const { root, ensureJupyter, lectureNames, executeLecture, describeFailure } = require("./jupyter-env.cjs");
const { writeLecturesIndex } = require("./lectures-index.cjs");

const solved = process.argv.includes("--solved");
const only = process.argv.slice(2).filter((a) => a !== "--solved"); // optional prefixes, e.g. `npm run lectures -- 05`
const outDir = path.join(root, "build", "lectures", ...(solved ? ["solutions"] : []));
const from = path.join(root, solved ? "solutions" : "notebooks");
const notebooks = lectureNames(only, from);
try {
  ensureJupyter(); // from pip into .venv when no suitable Jupyter is found
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

const mb = (f) => `${(fs.statSync(f).size / 2 ** 20).toFixed(1)} MB`;
const started = Date.now();
for (const [i, name] of notebooks.entries()) {
  process.stdout.write(`[${i + 1}/${notebooks.length}] ${name} … `);
  const run = executeLecture(name, outDir, from);
  fs.rmSync(run.ipynb.replace(/\.ipynb$/, ".report.json"), { force: true });
  if (!run.report.ok) {
    console.log("FAILED");
    console.error(describeFailure(run.report));
    process.exit(1);
  }
  if (run.html === null) {
    console.log("FAILED");
    console.error(`${name}: jupyter nbconvert --to html failed:\n${run.htmlError}`);
    process.exit(1);
  }
  console.log(`ok in ${run.seconds.toFixed(1)} s → ${path.relative(root, run.html)} (${mb(run.html)})`);
}
if (!solved) console.log(`contents page → ${path.relative(root, writeLecturesIndex(outDir))}`);
console.log(
  `${notebooks.length} lectures in ${((Date.now() - started) / 1000).toFixed(1)} s, in ${path.relative(root, outDir)}/`,
);
