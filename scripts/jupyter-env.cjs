// Finds Jupyter for this project and writes the project's own tslab kernelspec, so nothing user-wide
// or system-wide is touched: the kernelspec lives in <root>/.jupyter and JUPYTER_PATH points there.
const { spawnSync } = require("node:child_process");
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

/**
 * Writes <root>/.jupyter/config/labconfig/page_config.json, which turns off JupyterLab's debugger
 * extension for this project's Jupyter: with a kernel that has no debugger (tslab) its notebook handler
 * throws "No active debugger session" after every executed cell in JupyterLab 4.6 and Notebook 7.6 (it
 * calls displayModules without a session); tslab cannot be debugged anyway. (Turning off only the
 * notebook plugin leaves the variables plugin failing to start.)
 */
function writeLabConfig() {
  const dir = path.join(jupyterDir, "config", "labconfig");
  fs.mkdirSync(dir, { recursive: true });
  const config = { disabledExtensions: { "@jupyterlab/debugger-extension": true } };
  fs.writeFileSync(path.join(dir, "page_config.json"), `${JSON.stringify(config, null, 2)}\n`);
}

/** The environment that makes Jupyter find the project's kernelspec and lab config (and keeps its runtime files here). */
function jupyterEnv(base = process.env) {
  writeLabConfig();
  return {
    ...base,
    JUPYTER_PATH: [jupyterDir, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_CONFIG_PATH: [path.join(jupyterDir, "config"), base.JUPYTER_CONFIG_PATH]
      .filter(Boolean)
      .join(path.delimiter),
    JUPYTER_RUNTIME_DIR: path.join(jupyterDir, "runtime"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

/**
 * The Jupyter packages and the versions they may have (one `name>=minimum,<bound` a line: the bound is the
 * first release not tested), read by pip and by the check below.
 */
const REQUIREMENTS = path.join(root, "requirements-jupyter.txt");

/** requirements-jupyter.txt's text as [{ name, minimum, below }] (`below` null when a line has no upper bound). */
function parseRequirements(text) {
  return text
    .split("\n")
    .map((line) => line.split("#")[0].trim())
    .filter(Boolean)
    .map((line) => {
      const m = line.match(/^([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*(?:,\s*<\s*([0-9.]+))?$/);
      if (!m) throw new Error(`requirements-jupyter.txt: "${line}" is not name>=version or name>=version,<version`);
      return { name: m[1], minimum: m[2], below: m[3] ?? null };
    });
}

/** -1, 0 or 1 as version a is below, equal to or above b, on their first three numbers ("4.6.4" > "4.6"). */
function compareVersions(a, b) {
  const parts = (v) => (v.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) < (y[i] ?? -1) ? -1 : 1;
  }
  return 0;
}

/** What `have` (name → installed version, or null) lacks of `requirements`, one phrase each: [] when nothing. */
function unmetRequirements(requirements, have) {
  return requirements.flatMap(({ name, minimum, below }) => {
    const version = have[name] ?? null;
    if (version === null) return [`${name} missing`];
    if (compareVersions(version, minimum) < 0) return [`${name} ${version} < ${minimum}`];
    if (below !== null && compareVersions(version, below) >= 0) return [`${name} ${version} is not < ${below}`];
    return [];
  });
}

// Run by a candidate Python: prints the installed version of each package named in argv (null if none), as JSON.
const INSTALLED_VERSIONS = `
import json, sys
from importlib.metadata import version, PackageNotFoundError
def have(name):
    try: return version(name)
    except PackageNotFoundError: return None
print(json.dumps({name: have(name) for name in sys.argv[1:]}))
`;

/** What this Python lacks of requirements-jupyter.txt ([] when it has everything; ["… does not run"] when it does not run). */
function missingRequirements(python) {
  const requirements = parseRequirements(fs.readFileSync(REQUIREMENTS, "utf8"));
  const names = requirements.map((r) => r.name);
  const result = spawnSync(python, ["-c", INSTALLED_VERSIONS, ...names], { encoding: "utf8", timeout: 30000 });
  if (result.status !== 0)
    return [`${python} does not run (${(result.stderr || String(result.error)).trim().split("\n").pop()})`];
  return unmetRequirements(requirements, JSON.parse(result.stdout));
}

/**
 * Where a Python with Jupyter may live, in order of preference: the project's .venv, an activated conda
 * env, PATH, and Debian's /usr/bin (where `python3` on PATH may be another Python).
 */
function pythonCandidates() {
  return [
    path.join(root, ".venv", "bin", "python3"),
    process.env.CONDA_PREFIX && path.join(process.env.CONDA_PREFIX, "bin", "python3"),
    "python3",
    "/usr/bin/python3",
  ].filter((c) => c && (c.includes(path.sep) ? fs.existsSync(c) : true));
}

let pythonFound;

/**
 * The first Python that has everything requirements-jupyter.txt asks for (JupyterLab 4, Notebook 7,
 * nbclient, nbconvert), or null. Remembered: each probe starts a Python, and every notebook run asks.
 */
function findPython() {
  if (pythonFound === undefined) {
    pythonFound = pythonCandidates().find((p) => missingRequirements(p).length === 0) ?? null;
  }
  return pythonFound;
}

const INSTALL_HINT = [
  "Jupyter (JupyterLab 4 up to 4.6, Notebook 7 up to 7.6, nbclient and nbconvert: requirements-jupyter.txt) was",
  "not found, and installing it into .venv with pip did not work. Any one of these provides it:",
  "  pip:    python3 -m venv .venv && .venv/bin/pip install -r requirements-jupyter.txt",
  "  conda:  conda env create -f environment.yml && conda activate micrograd-ts",
].join("\n");

/**
 * A Python with the project's Jupyter: found (see findPython) or, failing that, installed with pip into
 * <root>/.venv. pip does not retry (PIP_RETRIES=0), so an unreachable package index fails in seconds, not
 * minutes; then this throws INSTALL_HINT with pip's last words.
 */
function ensureJupyter(say = (text) => console.log(`[jupyter] ${text}`)) {
  const found = findPython();
  if (found !== null) return found;
  const venv = path.join(root, ".venv");
  const venvPython = path.join(venv, "bin", "python3");
  const have = fs.existsSync(venvPython) ? missingRequirements(venvPython) : ["no .venv"];
  say(`no suitable Jupyter found (${have.join(", ")}): installing requirements-jupyter.txt into .venv with pip…`);
  const run = (cmd, args, env = process.env) => {
    const result = spawnSync(cmd, args, { cwd: root, encoding: "utf8", env, stdio: ["ignore", "inherit", "pipe"] });
    if (result.stderr) process.stderr.write(result.stderr);
    return result.status === 0 ? null : (result.stderr || String(result.error ?? `exit ${result.status}`)).trim();
  };
  let failure = null;
  if (!fs.existsSync(venvPython)) {
    failure = run("python3", ["-m", "venv", venv]);
    if (failure !== null) failure = `python3 -m venv .venv failed: ${failure.split("\n").slice(-3).join("\n")}`;
  }
  if (failure === null) {
    const pip = run(
      venvPython,
      ["-m", "pip", "install", "--disable-pip-version-check", "--retries", "0", "--timeout", "15", "-r", REQUIREMENTS],
      { ...process.env, PIP_RETRIES: "0" },
    );
    if (pip !== null)
      failure = `pip could not install from its package index:\n${pip.split("\n").slice(-6).join("\n")}`;
  }
  pythonFound = undefined;
  const python = failure === null ? findPython() : null;
  if (python === null) {
    const still = failure ?? `still missing after pip: ${missingRequirements(venvPython).join(", ")}`;
    throw new Error(`${INSTALL_HINT}\n\n${still}`);
  }
  say(`Jupyter installed in .venv (${python})`);
  return python;
}

/** Versions of the Jupyter packages this Python has, e.g. { jupyterlab: "4.6.4", notebook: "7.6.3", … }. */
function jupyterVersions(python = findPython()) {
  const script =
    "import json\nfrom importlib.metadata import version\n" +
    'print(json.dumps({n: version(n) for n in ["jupyterlab", "notebook", "nbclient", "nbconvert", "jupyter_server"]}))';
  const result = spawnSync(python, ["-c", script], { encoding: "utf8", timeout: 30000 });
  return result.status === 0 ? JSON.parse(result.stdout) : {};
}

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

/** Notebook 5's module files as published lectures, the site and the solved notebooks run them: the solved ones. */
const SOLVED_MODULES = path.join(root, "solutions", "micrograd");

/**
 * Executes `from`/`name` as runNotebook does, with its `./micrograd/…` imports resolved to the module files
 * in `modules`: when those are not the ones beside it, from a copy in a temporary folder under build/
 * (with a copy of `modules` as its micrograd/), removed afterwards. The published lectures run
 * notebooks/05-moons-demo.ipynb on the solved files; the tests also run it on the learner's.
 */
function runWithModules(name, from, { modules = SOLVED_MODULES, ...options } = {}) {
  const source = path.join(from, name);
  const own = path.join(from, "micrograd");
  if (!fs.readFileSync(source, "utf8").includes("./micrograd/") || path.resolve(modules) === path.resolve(own))
    return runNotebook(source, options);
  fs.mkdirSync(path.join(root, "build"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, "build", "staging-"));
  try {
    fs.cpSync(modules, path.join(dir, "micrograd"), { recursive: true });
    fs.copyFileSync(source, path.join(dir, name));
    return { ...runNotebook(path.join(dir, name), options), notebook: source };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The lecture notebooks (NN-name.ipynb) in `dir` (notebooks/, or solutions/ for the solved sources),
 * sorted; `only` keeps names starting with one of its prefixes.
 */
function lectureNames(only = [], dir = path.join(root, "notebooks")) {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
}

/**
 * nbconvert's HTML template loads RequireJS and MathJax from a CDN; the exports must open offline, and
 * the lectures need neither (plotly.js is injected as a global, the text has no LaTeX): empty scripts.
 */
const OFFLINE_HTML = [
  "--HTMLExporter.require_js_url=data:text/javascript,",
  "--HTMLExporter.mathjax_url=data:text/javascript,",
];

/**
 * Executes one lecture into outDir: NN-name.ipynb (executed), NN-name.report.json (the runner's report)
 * and NN-name.html (nbconvert, self-contained). Returns { name, report, ipynb, html, htmlError, seconds }.
 * `from` is the folder the notebook is in: notebooks/, or solutions/ for a solved exercise notebook;
 * `modules` the module files its ./micrograd/ imports run on (see runWithModules).
 */
function executeLecture(name, outDir, from = path.join(root, "notebooks"), modules = SOLVED_MODULES) {
  fs.mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  const ipynb = path.join(outDir, name);
  const report = runWithModules(name, from, { out: ipynb, modules });
  fs.writeFileSync(ipynb.replace(/\.ipynb$/, ".report.json"), JSON.stringify(report));
  let html = null;
  let htmlError = null;
  if (fs.existsSync(ipynb)) {
    const python = findPython();
    const result = python
      ? spawnSync(python, ["-m", "nbconvert", "--to", "html", "--log-level", "ERROR", ...OFFLINE_HTML, ipynb], {
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
  ensureJupyter,
  jupyterVersions,
  missingRequirements,
  parseRequirements,
  unmetRequirements,
  runNotebook,
  runWithModules,
  SOLVED_MODULES,
  describeFailure,
  lectureNames,
  executeLecture,
  INSTALL_HINT,
};

if (require.main === module) {
  if (process.argv.includes("--ensure-jupyter")) {
    // .ci/run: Jupyter before anything else, so that a missing package index fails the run at once.
    try {
      const python = ensureJupyter();
      console.log(`Jupyter: ${python} ${JSON.stringify(jupyterVersions(python))}`);
    } catch (e) {
      console.error(e.message);
      process.exit(1);
    }
    process.exit(0);
  }
  console.log(`kernelspec written to ${writeKernelSpec()}`);
  console.log(`use it with: export JUPYTER_PATH=${jupyterDir}`);
}
