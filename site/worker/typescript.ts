/**
 * TypeScript's own compiler in the worker, loaded on demand (assets/typescript-source.js, ~3.6 MB): only a
 * cell with a `namespace` needs it to run (sucrase drops namespaces), compiled as tslab compiles it.
 */
import type * as TS from "typescript";
import { runGlobalScript } from "./global-script";
import type { Fetch } from "./modules";

let loading: Promise<typeof TS> | null = null;

/** The compiler, evaluated once in this worker from the code the page sends. */
export function loadTypeScript(fetchCode: Fetch): Promise<typeof TS> {
  // The asset sets globalThis.ts; a cell's own `ts` stays its own.
  loading ??= fetchCode("typescript").then((code) => runGlobalScript<typeof TS>(code, "ts", "TypeScript"));
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
