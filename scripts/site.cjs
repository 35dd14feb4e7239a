#!/usr/bin/env node
// npm run site: the lectures as a static site whose code cells can be edited and run in a browser, with
// nothing installed, offline (from disk or any static host): build/site/index.html, one page per
// notebook, and assets/ shared by all. Needs only Node: the pages are built from notebooks/*.ipynb, and a
// cell's outputs appear when the learner runs it. Where `npm run lectures` has left executed notebooks in
// build/lectures/, each page shows their outputs for the cells whose code is unchanged.
//
//   npm run site                          builds build/site/ from notebooks/ (+ build/lectures/ if there)
//   npm run site -- 02 04                 only the notebooks starting with these prefixes
//   node scripts/site.cjs --executed DIR  takes the executed outputs from DIR instead (the tests)
//   node scripts/site.cjs --no-outputs    ignores build/lectures/: every page starts with no outputs
//   node scripts/site.cjs --out DIR       writes the site to DIR instead of build/site/
const fs = require("node:fs");
const path = require("node:path");
const { root, lectureNames } = require("./jupyter-env.cjs");
const { buildAssets } = require("../site/build-assets.cjs");
const { buildPages } = require("../site/build-pages.cjs");

function parseArgs(argv) {
  const args = { executed: path.join(root, "build", "lectures"), out: path.join(root, "build", "site"), only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--executed" || a === "--out") {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a directory`);
      args[a.slice(2)] = path.resolve(value);
    } else if (a === "--no-outputs") args.executed = null;
    else if (a.startsWith("--"))
      throw new Error(`unknown option ${a} (options: --executed DIR, --no-outputs, --out DIR)`);
    else args.only.push(a);
  }
  return args;
}

/** Each notebook's source, and its executed copy in `dir` when there is one. */
function sources(names, dir) {
  return names.map((name) => {
    const executed = dir === null ? null : path.join(dir, name);
    return {
      name,
      file: path.join(root, "notebooks", name),
      executed: executed !== null && fs.existsSync(executed) ? executed : null,
    };
  });
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

async function main() {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const names = lectureNames(args.only);
  if (names.length === 0) throw new Error(`no notebooks/NN-*.ipynb match ${args.only.join(", ")}`);
  const notebooks = sources(names, args.executed);
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(args.out, { recursive: true });
  const sizes = { ...(await buildAssets(args.out)), ...buildPages(notebooks, args.out) };
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const width = Math.max(...Object.keys(sizes).map((f) => f.length));
  for (const [file, bytes] of Object.entries(sizes)) console.log(`  ${file.padEnd(width)} ${mb(bytes).padStart(9)}`);
  const withOutputs = notebooks.filter((n) => n.executed !== null).length;
  console.log(
    `outputs: ${withOutputs} of ${notebooks.length} pages show executed outputs` +
      (withOutputs === 0 ? " (none found: run `npm run lectures` first to embed them)" : ""),
  );
  console.log(
    `site: ${Object.keys(sizes).length} files, ${mb(total)} in ${path.relative(root, args.out) || "."}/, ` +
      `built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`open ${path.join(path.relative(root, args.out), "index.html")} in a browser (from disk is fine)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
