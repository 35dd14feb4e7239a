/**
 * The reports the global setup writes for each executed notebook (scripts/run_notebook.py): one place for
 * their shape and for reading them, shared by the notebook tests.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LECTURES_DIR } from "./setup";

export interface Output {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
}
export interface Cell {
  index: number;
  id: string;
  cell_type: string;
  status?: string;
  stdout?: string;
  stderr?: string;
  outputs?: Output[];
}
export interface Report {
  ok: boolean;
  notebook: string;
  /** What the kernel's kernel_info_reply says about its language. */
  language_info: Record<string, unknown> | null;
  cells: Cell[];
  first_error_index: number | null;
  exception: { type: string; message: string } | null;
}

/** The report of `notebook` ("02-backprop-by-hand" or "02-backprop-by-hand.ipynb"), as written. */
export function readReport(notebook: string): Report {
  const name = notebook.replace(/\.ipynb$/, "");
  const file = join(LECTURES_DIR, `${name}.report.json`);
  if (!existsSync(file)) throw new Error(`${name}.ipynb was not executed: no ${file}`);
  return JSON.parse(readFileSync(file, "utf8")) as Report;
}

/** One cell of an executed notebook, by its id (ids do not move when cells are inserted elsewhere). */
export function cellById(notebook: string, id: string): Cell {
  const found = readReport(notebook).cells.find((c) => c.id === id);
  if (found === undefined) throw new Error(`${notebook} has no cell with id ${id}`);
  return found;
}
