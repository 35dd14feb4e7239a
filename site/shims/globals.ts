/**
 * Node globals the package uses, for the browser bundle (esbuild's `inject`): Buffer (base64 of SVG
 * pictures) and require.resolve (where plotly.js's files are: paths into mgts:virtual-files).
 */
export { Buffer } from "buffer";

/** require.resolve(id) → a path readFileSync (fs.ts) knows. */
export function __mgtsRequireResolve(id: string): string {
  return `/node_modules/${id}`;
}
