// The site's shared files, one copy each for every page (build/site/assets/): the page's code (CodeMirror,
// outputs), the cells' worker (the package, Graphviz WASM, sucrase, acorn, Node's util.inspect) as a
// string the page starts a worker from, TensorFlow.js the same way (loaded when a cell imports it),
// TypeScript's compiler too (the type checker's, loaded after the page is usable, and the cells' worker's
// for a namespace), the type checker's worker and the declarations it checks against (build-types.cjs),
// plotly.js, and the style sheet. Bundled by esbuild.
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");
const { typeFiles } = require("./build-types.cjs");

const root = path.resolve(__dirname, "..");
const nodeModule = (...parts) => path.join(root, "node_modules", ...parts);

/**
 * The package's Node built-ins, replaced for the browser; src/display/graph-wasm.ts (Graphviz in a Node
 * worker thread, waited for with Atomics) by its browser version. A Node module not listed here fails
 * the build, naming who imports it: the browser would otherwise fail at run time.
 */
const NODE_SHIMS = {
  "node:fs": path.join(__dirname, "shims", "fs.ts"),
  "node:crypto": path.join(__dirname, "shims", "crypto.ts"),
  "node:util": nodeModule("node-inspect-extracted", "index.mjs"),
  "node:path": nodeModule("path-browserify", "index.js"),
};
const SUBSTITUTES = { "graph-wasm": path.join(__dirname, "shims", "graph-wasm.ts") };

/** The files the package reads at run time (src/data.ts, src/display/plotly.ts), by the paths it asks for. */
function virtualFiles() {
  const plotly = JSON.parse(fs.readFileSync(nodeModule("plotly.js-dist-min", "package.json"), "utf8"));
  return {
    // data.ts reads join(__dirname, "..", "data", "demo-moons.json"); __dirname is defined as below.
    "/micrograd-ts/data/demo-moons.json": fs.readFileSync(path.join(root, "data", "demo-moons.json"), "utf8"),
    "/node_modules/plotly.js-dist-min/package.json": JSON.stringify({ version: plotly.version }),
    // loadPlotly() wraps this in its loader: the page has plotly.js already (assets/plotly.min.js).
    "/node_modules/plotly.js-dist-min": "/* plotly.js: loaded by the page itself (assets/plotly.min.js) */",
  };
}

function browserPackagePlugin(used) {
  return {
    name: "micrograd-ts-browser",
    setup(build) {
      build.onResolve({ filter: /^mgts:virtual-files$/ }, () => ({ path: "virtual-files", namespace: "mgts" }));
      build.onLoad({ filter: /.*/, namespace: "mgts" }, () => ({
        contents: `export const virtualFiles = ${JSON.stringify(virtualFiles())};`,
        loader: "js",
      }));
      build.onResolve({ filter: /^(node:)?[a-z_]+$/ }, (args) => {
        // Bare names are Node's only in the package's own code ("buffer" elsewhere is the npm package).
        const fromPackage = args.importer.startsWith(path.join(root, "src"));
        if (!args.path.startsWith("node:") && !(fromPackage && isNodeBuiltin(args.path))) return undefined;
        const name = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
        const shim = NODE_SHIMS[name];
        if (shim === undefined) {
          return {
            errors: [{ text: `${name} has no browser version (imported by ${path.relative(root, args.importer)})` }],
          };
        }
        used.add(name);
        return { path: shim };
      });
      // Notebook 5's micrograd/nn.ts imports the package by name: the same copy as the cells', from src/.
      build.onResolve({ filter: /^micrograd-ts$/ }, () => ({ path: path.join(root, "src", "index.ts") }));
      build.onResolve({ filter: /^\.\/graph-wasm$/ }, (args) => {
        if (!args.importer.startsWith(path.join(root, "src"))) return undefined;
        used.add("graph-wasm");
        return { path: SUBSTITUTES["graph-wasm"] };
      });
    },
  };
}

function isNodeBuiltin(name) {
  return require("node:module").builtinModules.includes(name);
}

/** One minified script for the browser, as text. */
async function bundle(entry, options = {}) {
  const result = await esbuild.build({
    entryPoints: [path.join(__dirname, entry)],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    legalComments: "none",
    ...options,
  });
  return result.outputFiles[0].text;
}

/** The cells' worker as JavaScript text (the package and everything it needs in a browser). */
async function buildWorker() {
  const used = new Set();
  const code = await bundle(path.join("worker", "main.ts"), {
    plugins: [browserPackagePlugin(used)],
    inject: [path.join(__dirname, "shims", "globals.ts")],
    define: {
      "require.resolve": "__mgtsRequireResolve",
      __dirname: JSON.stringify("/micrograd-ts/src"),
    },
  });
  // src/ is being restructured by others: a substitute that no longer applies must fail loudly, not ship
  // Node's worker-thread code to the browser.
  const unused = Object.keys(SUBSTITUTES).filter((s) => !used.has(s));
  if (unused.length > 0)
    throw new Error(`site build: src/ no longer imports ./${unused.join(", ./")}; update site/build-assets.cjs`);
  return code;
}

/** A classic script that hands `code` to the page as a string (a page from disk cannot fetch files). */
function asString(global, code, key) {
  const value = JSON.stringify(code);
  return key === undefined
    ? `window.${global} = ${value};\n`
    : `(window.${global} = window.${global} || {})[${JSON.stringify(key)}] = ${value};\n`;
}

/**
 * TypeScript's compiler, for the cells sucrase cannot compile (a namespace): minified (it ships
 * unminified, 9 MB), and in a function so that its `var ts` is not a global a cell could not redeclare.
 */
async function typescriptSource() {
  const code = fs.readFileSync(nodeModule("typescript", "lib", "typescript.js"), "utf8");
  const minified = (await esbuild.transform(code, { minify: true, legalComments: "none" })).code;
  return `(function () {${minified}\nself.ts = ts;\n})();\n`;
}

/** Writes outDir/assets/; returns the files written with their sizes in bytes. */
async function buildAssets(outDir) {
  const dir = path.join(outDir, "assets");
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    "page.js": await bundle(path.join("page", "main.ts")),
    "worker-source.js": asString("MGTS_WORKER_SOURCE", await buildWorker()),
    "tfjs-source.js": asString(
      "MGTS_MODULES",
      fs.readFileSync(nodeModule("@tensorflow", "tfjs", "dist", "tf.es2017.min.js"), "utf8"),
      "@tensorflow/tfjs",
    ),
    "typescript-source.js": asString("MGTS_MODULES", await typescriptSource(), "typescript"),
    // @typescript/vfs reads Node's path and fs only in functions for Node, never called here.
    "checker-source.js": asString(
      "MGTS_CHECKER_SOURCE",
      await bundle(path.join("checker", "main.ts"), { external: ["path", "fs"] }),
    ),
    "types-source.js": `window.MGTS_TYPES = ${JSON.stringify(typeFiles())};\n`,
    "plotly.min.js": fs.readFileSync(nodeModule("plotly.js-dist-min", "plotly.min.js"), "utf8"),
    "site.css": fs.readFileSync(path.join(__dirname, "site.css"), "utf8"),
  };
  const sizes = {};
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
    sizes[`assets/${name}`] = Buffer.byteLength(text);
  }
  return sizes;
}

module.exports = { buildAssets };
