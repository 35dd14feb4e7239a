#!/usr/bin/env node
// npm run lectures: executes every notebook headlessly into build/lectures/NN-name.ipynb plus a
// self-contained NN-name.html (graphs and charts render from disk, offline). notebooks/ is never
// modified. Exits non-zero naming the notebook and cell that failed.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { root, findPython, jupyterEnv, runNotebook, describeFailure, INSTALL_HINT } = require("./jupyter-env.cjs");

const outDir = path.join(root, "build", "lectures");
const only = process.argv.slice(2); // optional: notebook names or prefixes (e.g. 05)
const notebooks = fs
  .readdirSync(path.join(root, "notebooks"))
  .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const python = findPython(["nbclient", "nbformat", "nbconvert"]);
if (python === null) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });

const started = Date.now();
for (const [i, name] of notebooks.entries()) {
  const t0 = Date.now();
  const executed = path.join(outDir, name);
  process.stdout.write(`[${i + 1}/${notebooks.length}] ${name}: executing… `);
  const report = runNotebook(path.join(root, "notebooks", name), { out: executed });
  if (!report.ok) {
    console.log("FAILED");
    console.error(describeFailure(report));
    process.exit(1);
  }
  process.stdout.write(`ok (${((Date.now() - t0) / 1000).toFixed(1)} s); html… `);
  const html = spawnSync(python, ["-m", "nbconvert", "--to", "html", "--log-level", "ERROR", executed], {
    env: jupyterEnv(),
    encoding: "utf8",
  });
  if (html.status !== 0) {
    console.log("FAILED");
    console.error(`${name}: nbconvert --to html failed:\n${html.stderr}`);
    process.exit(1);
  }
  const htmlFile = executed.replace(/\.ipynb$/, ".html");
  const mb = (f) => (fs.statSync(f).size / 2 ** 20).toFixed(1);
  console.log(`ok → ${path.relative(root, htmlFile)} (${mb(htmlFile)} MB, notebook ${mb(executed)} MB)`);
}
console.log(
  `${notebooks.length} lectures in ${((Date.now() - started) / 1000).toFixed(1)} s, in ${path.relative(root, outDir)}/`,
);
