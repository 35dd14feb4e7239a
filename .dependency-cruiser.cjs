/**
 * `npm run lint` runs dependency-cruiser over src/ with these rules: the layering docs/DEVELOPMENT.md
 * states ("What may import what"), one rule per sentence there, and no import circle. Type-only imports
 * count as imports.
 */
/** The internal modules below the engine: they work on chunk.ts's `Node` shape and never know the Value class. */
const BELOW_ENGINE = "^src/internal/(check|chunk|stored-value|sweep|tape|backward|math)\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "ops-imports-only-math",
      severity: "error",
      comment: "ops.ts, the table, imports nothing from the engine: only internal/math.ts.",
      from: { path: "^src/ops\\.ts$" },
      to: { path: "^src/", pathNot: "^src/internal/math\\.ts$" },
    },
    {
      name: "below-the-engine-never-imports-it",
      severity: "error",
      comment: "check, chunk, stored-value, sweep, tape, backward and math never import engine.ts, not even a type.",
      from: { path: BELOW_ENGINE },
      to: { path: "^src/engine\\.ts$" },
    },
    {
      name: "below-the-engine-imports-only-below-and-ops",
      severity: "error",
      comment: "The modules below the engine import only each other and ops.ts (nothing that knows the Value class).",
      from: { path: BELOW_ENGINE },
      to: { path: "^src/", pathNot: [BELOW_ENGINE, "^src/ops\\.ts$"] },
    },
    {
      name: "the-engine-never-imports-what-is-above-it",
      severity: "error",
      comment: "engine.ts imports ops.ts, format.ts and the modules below it, never check-values, neuron or compile.",
      from: { path: "^src/engine\\.ts$" },
      to: { path: "^src/", pathNot: [BELOW_ENGINE, "^src/ops\\.ts$", "^src/format\\.ts$"] },
    },
    {
      name: "the-core-never-imports-display",
      severity: "error",
      comment:
        "The core (the files at src/ and src/internal/) never imports display/; only index.ts lists its exports.",
      from: { path: "^src/(internal/)?[^/]+\\.ts$", pathNot: "^src/index\\.ts$" },
      to: { path: "^src/display/" },
    },
    {
      name: "display-uses-only-internal-checks",
      severity: "error",
      comment:
        "display/ may use internal's argument checks and math, never the machinery (chunks, sweep, tape, neuron, compile).",
      from: { path: "^src/display/" },
      to: { path: "^src/internal/", pathNot: "^src/internal/(check|check-values|math)\\.ts$" },
    },
    {
      name: "nothing-imports-index",
      severity: "error",
      comment: "index.ts is the public API's list: no module of the package imports it.",
      from: { path: "^src/", pathNot: "^src/index\\.ts$" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle: the engine's layers are ops → internal → engine → the rest; nothing imports upwards.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports count too: `import type` from a file that imports you back is still a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
