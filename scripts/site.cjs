#!/usr/bin/env node
// npm run site: the lectures as a static site whose code cells can be edited and run in a browser, with
// nothing installed, offline (from disk or any static host): build/site/index.html, one page per
// notebook, and assets/ shared by all. Each notebook is first executed through Jupyter (as `npm run
// lectures` does), so that every page shows the kernel's own outputs until the learner runs a cell.
//
//   npm run site                          executes every notebook, then builds build/site/
//   npm run site -- 02 04                 only the notebooks starting with these prefixes
//   node scripts/site.cjs --executed DIR  builds from notebooks already executed into DIR (the tests)
//   node scripts/site.cjs --out DIR       writes the site to DIR instead of build/site/
const fs = require("node:fs");
const path = require("node:path");
const { root, ensureJupyter, lectureNames, runWithModules, describeFailure } = require("./jupyter-env.cjs");
const { buildAssets } = require("../site/build-assets.cjs");
const { buildPages } = require("../site/build-pages.cjs");

function parseArgs(argv) {
  const args = { executed: null, out: path.join(root, "build", "site"), only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--executed" || a === "--out") {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a directory`);
      args[a.slice(2)] = path.resolve(value);
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a} (options: --executed DIR, --out DIR)`);
    else args.only.push(a);
  }
  return args;
}

/** Executes the notebooks into dir (stopping at the first failure); returns [{ name, file }]. */
function execute(names, dir) {
  ensureJupyter();
  fs.mkdirSync(dir, { recursive: true });
  return names.map((name, i) => {
    process.stdout.write(`[${i + 1}/${names.length}] executing ${name} … `);
    const started = Date.now();
    const file = path.join(dir, name);
    const report = runWithModules(name, path.join(root, "notebooks"), { out: file }); // 05 on the solved files
    if (!report.ok) {
      console.log("FAILED");
      throw new Error(describeFailure(report));
    }
    console.log(`ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { name, file };
  });
}

function executedIn(names, dir) {
  return names.map((name) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: execute the notebooks first (or drop --executed)`);
    return { name, file };
  });
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const names = lectureNames(args.only);
  if (names.length === 0) throw new Error(`no notebooks/NN-*.ipynb match ${args.only.join(", ")}`);
  const executed =
    args.executed === null
      ? execute(names, path.join(root, "build", "site-executed"))
      : executedIn(names, args.executed);
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(args.out, { recursive: true });
  const sizes = { ...(await buildAssets(args.out)), ...buildPages(executed, args.out) };
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const width = Math.max(...Object.keys(sizes).map((f) => f.length));
  for (const [file, bytes] of Object.entries(sizes)) console.log(`  ${file.padEnd(width)} ${mb(bytes).padStart(9)}`);
  console.log(`site: ${Object.keys(sizes).length} files, ${mb(total)} in ${path.relative(root, args.out) || "."}/`);
  console.log(`open ${path.join(path.relative(root, args.out), "index.html")} in a browser (from disk is fine)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
