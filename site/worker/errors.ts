/**
 * A cell's error as a learner can act on it: the error's name and message, then only the frames in the
 * learner's own cells, each named by the cell's visible prompt (`cell [44], line 2`); the site's bundle
 * (the package, the worker) is left out. Each run's code is tagged `mgts-run-N` (its sourceURL), so a
 * function defined in one cell and failing when called from another names the cell it was written in.
 */
import { formatLog } from "./console";

/** A cell that does not parse: where, as line and column within the cell (both from 1). */
export class CellSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

/** The sourceURL a run's code carries. */
export const runTag = (run: number) => `mgts-run-${run}`;

/** Visible names of the runs (`cell [44]`), by run number. */
const names = new Map<number, string>();

export function nameRun(run: number, name: string): void {
  names.set(run, name);
}

const FRAME = /mgts-run-(\d+):(\d+):(\d+)/;

/** The error's text for the cell's output, and the line (within the running cell) to mark, or null. */
export function describeError(error: unknown, run: number): { text: string; line: number | null } {
  const where = names.get(run) ?? "this cell";
  if (error instanceof CellSyntaxError) {
    return {
      text: `${error.name}: ${error.message} (${where}, line ${error.line}, column ${error.column})`,
      line: error.line,
    };
  }
  if (!(error instanceof Error)) return { text: `Uncaught ${formatLog([error])}`, line: null };
  const frames: string[] = [];
  let line: number | null = null;
  for (const frame of (error.stack ?? "").split("\n")) {
    const m = FRAME.exec(frame);
    if (m === null) continue; // the site's own code: not the learner's to fix
    const [tag, runOf, row] = [m[0], Number(m[1]), Number(m[2])];
    if (line === null && runOf === run) line = row;
    const fn = /^\s*at (?:async )?([\w$.<>]+) \(/.exec(frame)?.[1];
    const named = fn && fn !== "eval" ? `${fn} ` : "";
    frames.push(`    at ${named}(${names.get(runOf) ?? "an earlier cell"}, line ${row})`.replace(tag, ""));
  }
  const head = `${error.name}: ${error.message}`;
  const text = frames.length > 0 ? `${head}\n${frames.join("\n")}` : `${head} (${where})`;
  return { text, line };
}
