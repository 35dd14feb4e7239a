/**
 * TypeScript's own compiler in the worker, loaded on demand (assets/typescript-source.js, ~3.6 MB): only a
 * cell with a `namespace` needs it to run (sucrase drops namespaces), compiled as tslab compiles it.
 */
import type * as TS from "typescript";
import type { Fetch } from "./modules";

let loading: Promise<typeof TS> | null = null;

/** The compiler, evaluated once in this worker from the code the page sends. */
export function loadTypeScript(fetchCode: Fetch): Promise<typeof TS> {
  loading ??= fetchCode("typescript").then((code) => {
    const scope = globalThis as unknown as { ts?: typeof TS };
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    try {
      importScripts(url); // sets globalThis.ts
    } finally {
      URL.revokeObjectURL(url);
    }
    const ts = scope.ts;
    if (ts === undefined) throw new Error("TypeScript did not load");
    delete scope.ts; // a cell's own `ts` stays its own
    return ts;
  });
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
