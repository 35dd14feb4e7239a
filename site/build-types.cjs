// The files the cells' type checker reads (site/checker), by the paths it sees them at: TypeScript's lib
// files for ES2022, @types/node (and undici-types, which it imports), and the package's own sources as
// node_modules/micrograd-ts, so that a cell is checked against the package as tslab checks it, and notebook
// 5's module files. Modules a notebook imports without types here (TensorFlow.js, Graphviz, tslab) are
// declared as `any`.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

function addTree(files, dir, as, keep) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    const to = `${as}/${entry.name}`;
    if (entry.isDirectory()) addTree(files, from, to, keep);
    else if (keep(entry.name)) files[to] = fs.readFileSync(from, "utf8");
  }
}

/**
 * A module declared by its export names, each `any` (and a type `any` too where it is a class, so that
 * `tf.Tensor` works as a type): TensorFlow.js's own declarations would add 2.5 MB.
 */
function looseModule(name) {
  const warn = console.warn;
  console.warn = () => {}; // tfjs suggests installing its Node backend when loaded in Node
  let names;
  try {
    names = Object.keys(require(name)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  } finally {
    console.warn = warn;
  }
  const lines = names.map((n) => `  export const ${n}: any;${/^[A-Z]/.test(n) ? ` export type ${n} = any;` : ""}`);
  return `declare module ${JSON.stringify(name)} {\n${lines.join("\n")}\n}`;
}

/** { "/path": text } for the checker's in-memory file system. */
function typeFiles() {
  const files = {};
  const lib = path.join(root, "node_modules", "typescript", "lib");
  for (const name of fs
    .readdirSync(lib)
    .filter((f) => /^lib\.(es5|es20\d\d(\.\w+)*|decorators(\.\w+)*)\.d\.ts$/.test(f))) {
    files[`/${name}`] = fs.readFileSync(path.join(lib, name), "utf8");
  }
  const dts = (name) => name.endsWith(".d.ts") || name === "package.json";
  addTree(files, path.join(root, "node_modules", "@types", "node"), "/node_modules/@types/node", dts);
  addTree(files, path.join(root, "node_modules", "undici-types"), "/node_modules/undici-types", dts);
  addTree(files, path.join(root, "src"), "/node_modules/micrograd-ts/src", (n) => n.endsWith(".ts"));
  files["/node_modules/micrograd-ts/package.json"] = JSON.stringify({ name: "micrograd-ts", types: "src/index.ts" });
  // Notebook 5's ./micrograd/engine and ./micrograd/nn, as a cell (/cell.ts) imports them: the solved files the worker runs.
  addTree(files, path.join(root, "solutions", "micrograd"), "/micrograd", (n) => n.endsWith(".ts"));
  files["/node_modules/@types/mgts-untyped/index.d.ts"] = `${looseModule("@tensorflow/tfjs")}\n${[
    "@hpcc-js/wasm",
    "@hpcc-js/wasm/graphviz",
    "tslab",
    "plotly.js-dist-min",
  ]
    .map((m) => `declare module ${JSON.stringify(m)};`)
    .join("\n")}`;
  return files;
}

module.exports = { typeFiles };
