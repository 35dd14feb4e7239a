// Which TypeScript transpiler the browser site (npm run site) runs in its pages: sucrase, esbuild-wasm or
// TypeScript's own transpileModule, measured in Chromium on every code cell of notebooks/*.ipynb.
// Prints, per transpiler: bytes shipped (raw and gzip), time until it can transpile (download from
// memory, parse, compile/instantiate), the first pass over all cells (cold) and the fastest of 5 later
// passes (warm). Run by hand: `npm install --no-save esbuild-wasm@0.28.2 && node bench/site-transpilers.mjs`.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const esbuild = require("esbuild");
const root = join(import.meta.dirname, "..");

const cells = readdirSync(join(root, "notebooks"))
  .filter((f) => f.endsWith(".ipynb"))
  .flatMap((f) => JSON.parse(readFileSync(join(root, "notebooks", f), "utf8")).cells)
  .filter((c) => c.cell_type === "code")
  .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));

/** An IIFE bundle (minified, as the site ships code) that sets window.transpile(code) → JS. */
function bundle(source) {
  return esbuild.buildSync({
    stdin: { contents: source, resolveDir: root },
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  }).outputFiles[0].text;
}

const candidates = {
  sucrase: {
    files: {
      "t.js": bundle(
        `import { transform } from "sucrase";
         window.ready = Promise.resolve();
         window.transpile = (code) => transform(code, { transforms: ["typescript"], disableESTransforms: true }).code;`,
      ),
    },
  },
  "typescript transpileModule": {
    files: {
      "t.js": bundle(
        `import ts from "typescript";
         window.ready = Promise.resolve();
         window.transpile = (code) => ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022,
           module: ts.ModuleKind.ESNext, isolatedModules: true } }).outputText;`,
      ),
    },
  },
  "esbuild-wasm": {
    files: {
      "t.js": bundle(
        `import * as esbuild from "esbuild-wasm";
         window.ready = esbuild.initialize({ wasmURL: "esbuild.wasm", worker: false });
         window.transpile = async (code) => (await esbuild.transform(code, { loader: "ts", target: "es2022" })).code;`,
      ),
      "esbuild.wasm": readFileSync(require.resolve("esbuild-wasm/esbuild.wasm")),
    },
  },
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
console.log(`${cells.length} code cells, ${cells.join("").length} characters; Chromium ${browser.version()}`);
for (const [name, { files }] of Object.entries(candidates)) {
  const page = await browser.newPage();
  await page.route("http://bench.invalid/**", (route) => {
    const file = route.request().url().slice("http://bench.invalid/".length);
    if (file === "") return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>bench</title>" });
    const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
    return route.fulfill({ contentType: type, body: Buffer.from(files[file]) });
  });
  await page.goto("http://bench.invalid/");
  const result = await page.evaluate(async (sources) => {
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "t.js";
      s.onload = resolve;
      s.onerror = reject;
      document.head.append(s);
    });
    await window.ready;
    const readyMs = performance.now() - t0;
    const pass = async () => {
      const start = performance.now();
      for (const code of sources) await window.transpile(code);
      return performance.now() - start;
    };
    const coldMs = await pass();
    let warmMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) warmMs = Math.min(warmMs, await pass());
    return { readyMs, coldMs, warmMs };
  }, cells);
  const bytes = Object.values(files).reduce((n, f) => n + Buffer.byteLength(f), 0);
  const gz = Object.values(files).reduce((n, f) => n + gzipSync(f).length, 0);
  const mb = (n) => `${(n / 2 ** 20).toFixed(2)} MB`;
  console.log(
    `${name.padEnd(28)} ${mb(bytes).padStart(9)} (gzip ${mb(gz)})   ready ${result.readyMs.toFixed(0).padStart(5)} ms   ` +
      `all cells cold ${result.coldMs.toFixed(0).padStart(5)} ms, warm ${result.warmMs.toFixed(1).padStart(6)} ms ` +
      `(${((1000 * result.warmMs) / cells.length).toFixed(0)} µs per cell)`,
  );
  await page.close();
}
await browser.close();
