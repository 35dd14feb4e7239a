/** The messages between a lecture page and the Web Worker that runs its cells (site/page, site/worker). */

/** Outputs keyed by MIME type, as Jupyter's display_data: { "text/html": …, "text/plain": … }. */
export type MimeBundle = Record<string, unknown>;

/** Page → worker. */
export type ToWorker =
  /** Run a cell's source; `run` numbers the request, `name` is the cell's visible name in errors ("cell [44]"). */
  | { type: "run"; run: number; name: string; source: string }
  /** The code of a module the worker asked for (need-module), or why it could not be loaded. */
  | { type: "module"; name: string; code: string }
  | { type: "module-error"; name: string; message: string };

/** Worker → page. */
export type FromWorker =
  /** The worker can run cells (its package and Graphviz are loaded). */
  | { type: "ready"; graphviz: string }
  /** Loading failed: the page cannot run code. */
  | { type: "load-error"; message: string }
  /** Printed text of a run (console.log, console.error, a cell's value). */
  | { type: "stream"; run: number; name: "stdout" | "stderr"; text: string }
  /** A display: new (update false) or replacing every output with the same displayId. */
  | { type: "display"; run: number; data: MimeBundle; displayId: string | null; update: boolean }
  /** Where the browser cannot do what the kernel does, said once per run and topic. */
  | { type: "note"; run: number; text: string }
  /** A cell imports a module the page loads on demand (TensorFlow.js). */
  | { type: "need-module"; name: string }
  /** The run is over: ok, or failed (its error is already printed to stderr; `line` within the cell, or null). */
  | { type: "done"; run: number; ok: boolean; line: number | null };

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * What a display shows, as the page draws it and the tests compare it with the kernel's outputs: a
 * Plotly chart, a graph (an SVG picture from Graphviz), other HTML, or text only.
 */
export function displayKind(data: MimeBundle): "plotly" | "graph" | "html" | "text" {
  if (PLOTLY_MIME in data) return "plotly";
  if ("image/svg+xml" in data) return "graph";
  if ("text/html" in data) return "html";
  return "text";
}

/** A type error in a cell, as tslab prints it: `line:column - message` (both from 1). */
export interface CellProblem {
  line: number;
  column: number;
  message: string;
}

/** Page → the type checker's worker (site/checker). */
export type ToChecker =
  /** TypeScript's compiler (its code) and the files it checks against (lib, @types/node, the package). */
  | { type: "init"; typescript: string; files: Record<string, string> }
  | { type: "check"; id: number; source: string }
  /** The cell checked last ran: its names join the context of the cells after it. */
  | { type: "commit"; source: string }
  /** The cells' worker was ended: forget every name. */
  | { type: "reset" }
  | { type: "complete"; id: number; source: string; position: number }
  | { type: "hover"; id: number; source: string; position: number };

/** The type checker's worker → page. */
export type FromChecker =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "problems"; id: number; problems: CellProblem[] }
  | { type: "completions"; id: number; items: { label: string; kind: string }[] }
  | { type: "hover"; id: number; text: string | null };
