#!/usr/bin/env node
// npm start: gets everything ready and opens the notebooks in JupyterLab (Notebook 7 is served by the same
// server, at /tree). Installs what is missing: npm packages, the build, this project's tslab kernel (in
// ./.jupyter, never in the user's kernels), and Jupyter itself (requirements-jupyter.txt, with pip into
// ./.venv) when no suitable one is found. Extra arguments go to Jupyter: npm start -- --port 9999
const { spawnSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const say = (text) => console.log(`[start] ${text}`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts }).status === 0;

if (!require("./ensure-packages.cjs").ensureNpmPackages(say)) process.exit(1);
const { writeKernelSpec, jupyterEnv, ensureJupyter } = require("./jupyter-env.cjs");

const newest = (dir) => fs.readdirSync(dir).reduce((t, f) => Math.max(t, fs.statSync(path.join(dir, f)).mtimeMs), 0);
const distIndex = path.join(root, "dist", "index.js");
if (!fs.existsSync(distIndex) || fs.statSync(distIndex).mtimeMs < newest(path.join(root, "src"))) {
  say("building the package (npm run build)…");
  if (!run("npm", ["run", "build"])) process.exit(1);
}
say(`tslab kernel registered for this project in ${path.relative(root, writeKernelSpec())}`);

let python;
try {
  python = ensureJupyter(say); // JupyterLab 4 and Notebook 7 from pip into .venv when none is found
} catch (e) {
  console.error(`\n${e.message}\nThen run npm start again.`);
  process.exit(1);
}

const args = ["-m", "jupyter", "lab", `--notebook-dir=${path.join(root, "notebooks")}`, ...process.argv.slice(2)];
if (process.getuid?.() === 0) args.push("--allow-root"); // Jupyter refuses to run as root otherwise
say(`${python} ${args.join(" ")}  (Notebook 7: the same server's /tree page)`);
const child = spawn(python, args, { cwd: root, stdio: "inherit", env: jupyterEnv() });
child.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
