#!/usr/bin/env node
// npm start: gets everything ready and opens the notebooks in Jupyter (JupyterLab if present, else the
// classic Notebook). Installs what is missing: npm packages, the build, this project's tslab kernel
// (in ./.jupyter, never in the user's kernels). Extra arguments go to Jupyter: npm start -- --port 9999
const { spawnSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const say = (text) => console.log(`[start] ${text}`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts }).status === 0;

if (!fs.existsSync(path.join(root, "node_modules", "tslab"))) {
  say("installing npm packages (npm install)…");
  if (!run("npm", ["install"])) process.exit(1);
}
const { writeKernelSpec, jupyterEnv, toolCandidates, INSTALL_HINT } = require("./jupyter-env.cjs");

const newest = (dir) => fs.readdirSync(dir).reduce((t, f) => Math.max(t, fs.statSync(path.join(dir, f)).mtimeMs), 0);
const distIndex = path.join(root, "dist", "index.js");
if (!fs.existsSync(distIndex) || fs.statSync(distIndex).mtimeMs < newest(path.join(root, "src"))) {
  say("building the package (npm run build)…");
  if (!run("npm", ["run", "build"])) process.exit(1);
}
say(`tslab kernel registered for this project in ${path.relative(root, writeKernelSpec())}`);

/** A command that answers `<cmd> <sub> --version`, or null. */
const works = (cmd, sub) => spawnSync(cmd, [sub, "--version"], { stdio: "ignore", timeout: 60000 }).status === 0;
function findJupyter() {
  for (const sub of ["lab", "notebook"]) {
    const cmd = toolCandidates("jupyter").find((c) => works(c, sub));
    if (cmd) return { cmd, sub };
  }
  return null;
}

let jupyter = findJupyter();
if (jupyter === null) {
  say("no Jupyter found: trying a project .venv with JupyterLab from pip…");
  const venv = path.join(root, ".venv");
  const ok =
    (fs.existsSync(path.join(venv, "bin", "pip")) || run("python3", ["-m", "venv", venv])) &&
    run(path.join(venv, "bin", "pip"), ["install", "--disable-pip-version-check", "--timeout", "15", "jupyterlab"]);
  jupyter = ok ? findJupyter() : null;
  if (jupyter === null) {
    console.error(`\n${INSTALL_HINT}\nThen run npm start again.`);
    process.exit(1);
  }
}

const args = [jupyter.sub, `--notebook-dir=${path.join(root, "notebooks")}`, ...process.argv.slice(2)];
if (process.getuid?.() === 0) args.push("--allow-root"); // Jupyter refuses to run as root otherwise
say(`${jupyter.cmd} ${args.join(" ")}`);
const child = spawn(jupyter.cmd, args, { cwd: root, stdio: "inherit", env: jupyterEnv() });
child.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
