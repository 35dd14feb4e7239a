/**
 * node:fs for the package in the browser: the few files it reads (the demo's data set, plotly.js's
 * package.json), built into the bundle by site/build-assets.cjs as `mgts:virtual-files`.
 */
import { virtualFiles } from "mgts:virtual-files";

export function readFileSync(path: string, _encoding?: string): string {
  const text = virtualFiles[path];
  if (text === undefined) {
    throw Object.assign(new Error(`ENOENT: ${path} is not part of the browser bundle`), { code: "ENOENT" });
  }
  return text;
}

export function existsSync(path: string): boolean {
  return Object.hasOwn(virtualFiles, path);
}
