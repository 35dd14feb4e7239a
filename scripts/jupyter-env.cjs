// Finds Jupyter for this project and writes the project's own tslab kernelspec, so nothing user-wide
// or system-wide is touched: the kernelspec lives in <root>/.jupyter and JUPYTER_PATH points there.
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const jupyterDir = path.join(root, ".jupyter");
const tslabBin = path.join(root, "node_modules", "tslab", "bin", "tslab");

/** Writes <root>/.jupyter/kernels/tslab/kernel.json (absolute paths: this checkout's node and tslab). */
function writeKernelSpec() {
  if (!fs.existsSync(tslabBin)) throw new Error(`${tslabBin} is missing: run npm install first`);
  const dir = path.join(jupyterDir, "kernels", "tslab");
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    // A larger young generation: a training step's graph (~66,000 Values in the demo) then dies young
    // instead of being copied by the garbage collector; the demo trains ~1.5x faster (npm run bench).
    argv: [process.execPath, "--max-semi-space-size=64", tslabBin, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (micrograd-ts)",
    language: "typescript",
  };
  fs.writeFileSync(path.join(dir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
  return dir;
}

/** The environment that makes Jupyter find the project's kernelspec (and keeps its runtime files here). */
function jupyterEnv(base = process.env) {
  return {
    ...base,
    JUPYTER_PATH: [jupyterDir, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_RUNTIME_DIR: path.join(jupyterDir, "runtime"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

/** Can this Python import the given modules? */
function pythonHas(python, modules) {
  try {
    execFileSync(python, ["-c", `import ${modules.join(", ")}`], { stdio: "ignore", timeout: 30000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a Jupyter tool may live, in order of preference: the project's .venv, an activated conda env,
 * PATH, and Debian's /usr/bin (where `python3` on PATH may be another Python, without Jupyter).
 */
function toolCandidates(name) {
  return [
    path.join(root, ".venv", "bin", name),
    process.env.CONDA_PREFIX && path.join(process.env.CONDA_PREFIX, "bin", name),
    name,
    path.join("/usr/bin", name),
  ].filter((c) => c && (c.includes(path.sep) ? fs.existsSync(c) : true));
}

const pythonFound = new Map();

/**
 * A Python that can run notebooks (imports nbclient and nbformat, or `modules`), or null. Remembered per
 * module list: each probe starts Python processes, and every notebook run asks again.
 */
function findPython(modules = ["nbclient", "nbformat"]) {
  const key = modules.join(",");
  if (!pythonFound.has(key)) pythonFound.set(key, toolCandidates("python3").find((p) => pythonHas(p, modules)) ?? null);
  return pythonFound.get(key);
}

const INSTALL_HINT = [
  "Jupyter (with nbclient) was not found. Any one of these provides it:",
  "  conda:  conda env create -f environment.yml && conda activate micrograd-ts",
  "  Debian: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client",
  "  pip:    python3 -m venv .venv && .venv/bin/pip install jupyterlab nbclient",
].join("\n");

/**
 * Executes a notebook with nbclient through scripts/run_notebook.py and returns its JSON report
 * ({ ok, cells: [{ index, status, stdout, stderr, outputs }], first_error_index, exception, … }).
 */
function runNotebook(notebook, { out, allowErrors = false, timeout = 600 } = {}) {
  const python = findPython();
  if (python === null) throw new Error(INSTALL_HINT);
  writeKernelSpec();
  const args = [path.join(__dirname, "run_notebook.py"), notebook, "--timeout", String(timeout)];
  if (out) args.push("--out", out);
  if (allowErrors) args.push("--allow-errors");
  const result = spawnSync(python, args, {
    env: jupyterEnv(),
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`run_notebook.py exited ${result.status} without a report:\n${result.stderr}`);
  }
}

/** The lecture notebooks (NN-name.ipynb), sorted; `only` keeps names starting with one of its prefixes. */
function lectureNames(only = []) {
  return fs
    .readdirSync(path.join(root, "notebooks"))
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
}

/**
 * Executes one lecture into outDir: NN-name.ipynb (executed), NN-name.report.json (the runner's report)
 * and NN-name.html (nbconvert, self-contained). Returns { name, report, ipynb, html, htmlError, seconds }.
 */
function executeLecture(name, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  const ipynb = path.join(outDir, name);
  const report = runNotebook(path.join(root, "notebooks", name), { out: ipynb });
  fs.writeFileSync(ipynb.replace(/\.ipynb$/, ".report.json"), JSON.stringify(report));
  let html = null;
  let htmlError = null;
  if (fs.existsSync(ipynb)) {
    const python = findPython(["nbconvert"]);
    const result = python
      ? spawnSync(python, ["-m", "nbconvert", "--to", "html", "--log-level", "ERROR", ipynb], {
          env: jupyterEnv(),
          encoding: "utf8",
        })
      : null;
    if (result?.status === 0) html = ipynb.replace(/\.ipynb$/, ".html");
    else htmlError = result ? result.stderr : "nbconvert not found";
  }
  return { name, report, ipynb, html, htmlError, seconds: (Date.now() - t0) / 1000 };
}

/** "notebooks/05-moons-demo.ipynb, cell 7 (id …): <first lines of its error>" for a failed report. */
function describeFailure(report) {
  if (report.exception && report.first_error_index === null) {
    return `${report.notebook}: ${report.exception.type}: ${report.exception.message}`;
  }
  const cell = report.cells[report.first_error_index] ?? {};
  const message = (cell.stderr || report.exception?.message || "").split("\n").slice(0, 8).join("\n");
  return `${report.notebook}, cell ${cell.index} (id ${cell.id}) failed:\n${message}`;
}

module.exports = {
  root,
  jupyterDir,
  writeKernelSpec,
  jupyterEnv,
  findPython,
  pythonHas,
  toolCandidates,
  runNotebook,
  describeFailure,
  lectureNames,
  executeLecture,
  INSTALL_HINT,
};

if (require.main === module) {
  console.log(`kernelspec written to ${writeKernelSpec()}`);
  console.log(`use it with: export JUPYTER_PATH=${jupyterDir}`);
}
