/**
 * Runs a classic script's code in this worker (a page from disk cannot serve it as a file: it comes as a
 * string, run from a Blob) and takes the global it sets, removing it, so that only its importer sees it.
 */
export function runGlobalScript<T>(code: string, global: string, what: string): T {
  const scope = globalThis as unknown as Record<string, T | undefined>;
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  try {
    importScripts(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const value = scope[global];
  if (value === undefined) throw new Error(`${what} did not load`);
  delete scope[global];
  return value;
}
