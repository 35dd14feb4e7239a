/**
 * `npm run lint` runs dependency-cruiser over src/ with this one rule: no file imports, even as a type, a
 * file that imports it back, directly or through others (docs/DEVELOPMENT.md, "What may import what").
 */
module.exports = {
  forbidden: [
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
