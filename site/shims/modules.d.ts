/** Types for the browser bundle's imports that ship none usable here (site/build-assets.cjs). */

/** Generated at build time: file path → content, for fs.ts. */
declare module "mgts:virtual-files" {
  export const virtualFiles: Record<string, string>;
}

/** @hpcc-js/wasm's Graphviz; its own declarations point to a package it does not ship. */
declare module "@hpcc-js/wasm/graphviz" {
  export interface Graphviz {
    layout(dot: string, format: string, engine: string): string;
    version(): string;
  }
  export const Graphviz: { load(): Promise<Graphviz>; unload(): void };
}

/** Node's path module for browsers (POSIX). */
declare module "path-browserify" {
  const path: typeof import("node:path").posix;
  export default path;
}
