/**
 * The type-along edition (notebooks/type-along/, scripts/exercises.cjs), executed by the global setup:
 * - the `prints` recorded in solutions/ are what the solved notebooks print (node scripts/exercises.cjs
 *   --record-prints, from their execution);
 * - filled with the solved cells, each edition prints what the solved notebook prints in those cells,
 *   every check says OK, and every other cell prints what the learner's notebook prints (but for cells
 *   tagged "timing": measurements);
 * - as generated (empty cells), it runs without an error up to the check under its first empty cell that
 *   a later cell needs, and stops there with a message naming the cell to type.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Cell, readReport } from "./reports";
import { ONLY } from "./setup";

interface Mark {
  cell: string;
  what: string;
  prints: string | null;
  check?: string;
}
interface NotebookCell {
  id: string;
  cell_type: string;
  metadata: { "micrograd-ts"?: { "type-along"?: Mark }; tags?: string[] };
  source: string[];
}

const exercises = require("../../scripts/exercises.cjs") as {
  SOLUTIONS: string;
  NOTEBOOKS: string;
  TYPE_ALONG: string;
  cellPrints(cell: { outputs?: unknown[] }): string | null;
};

const EDITIONS = readdirSync(join(exercises.NOTEBOOKS, exercises.TYPE_ALONG))
  .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
  .filter((f) => ONLY.length === 0 || ONLY.some((o) => f.startsWith(o)))
  .map((f) => f.replace(/\.ipynb$/, ""));

const cellsOf = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { cells: NotebookCell[] }).cells;
/** The marked cells of the solved source, in order. */
const marked = (name: string) =>
  cellsOf(join(exercises.SOLUTIONS, `${name}.ipynb`)).filter((c) => c.metadata["micrograd-ts"]?.["type-along"]);
const markOf = (c: NotebookCell) => c.metadata["micrograd-ts"]?.["type-along"] as Mark;
const byId = (cells: Cell[], id: string) => {
  const found = cells.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no cell ${id}`);
  return found;
};
const prints = (c: Cell) => exercises.cellPrints(c);

it("01–05 each have a type-along edition", () => {
  expect(EDITIONS.length).toBeGreaterThan(0);
  if (ONLY.length === 0)
    expect(EDITIONS.map((n) => n.slice(0, 2))).toEqual(expect.arrayContaining(["01", "02", "03", "04", "05"]));
});

describe.each(EDITIONS)("%s, type-along", (name) => {
  it("the recorded prints are what the solved notebook prints in each marked cell", () => {
    const solved = readReport(`solutions/${name}`);
    expect(solved.ok).toBe(true);
    for (const c of marked(name)) expect(markOf(c).prints, `${name}, ${c.id}`).toBe(prints(byId(solved.cells, c.id)));
  });

  it("filled with the solved cells: the solved notebook's prints in them, every check OK, the rest as the learner's", () => {
    const filled = readReport(`type-along-filled/${name}`);
    expect(filled.exception, filled.exception?.message).toBeNull();
    expect(filled.ok).toBe(true);
    const solved = readReport(`solutions/${name}`).cells;
    const learner = readReport(name).cells;
    const ids = new Set(marked(name).map((c) => c.id));
    const edition = cellsOf(join(exercises.NOTEBOOKS, exercises.TYPE_ALONG, `${name}.ipynb`));
    const timing = new Set(edition.filter((c) => c.metadata.tags?.includes("timing")).map((c) => c.id)); // measurements
    let checks = 0;
    for (const c of filled.cells.filter((x) => x.cell_type === "code")) {
      if (ids.has(c.id)) expect(prints(c), c.id).toBe(prints(byId(solved, c.id)));
      else if (c.id.endsWith("-check") && c.id !== "type-along-check") {
        const lines = (c.stdout ?? "").trimEnd().split("\n");
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) expect(line, c.id).toMatch(/^OK for /);
        checks++;
      } else if (c.id !== "type-along-check" && !timing.has(c.id))
        expect(prints(c), c.id).toBe(prints(byId(learner, c.id)));
    }
    expect(checks).toBe(edition.filter((c) => c.id.endsWith("-check") && c.id !== "type-along-check").length);
  });

  it("as generated: runs up to the check under its first empty cell that a later cell needs, and stops there saying so", () => {
    const run = readReport(`type-along/${name}`);
    const edition = cellsOf(join(exercises.NOTEBOOKS, exercises.TYPE_ALONG, `${name}.ipynb`));
    const at = edition.findIndex((c) => c.id.endsWith("-check") && c.id !== "type-along-check");
    if (at < 0) {
      expect(run.ok, "no cell needs another: it runs to the end").toBe(true);
      return;
    }
    const mark = markOf(edition.find((c) => `${c.id}-check` === edition[at]?.id) as NotebookCell);
    expect(run.first_error_index).toBe(at);
    for (const c of run.cells.slice(0, at).filter((x) => x.cell_type === "code"))
      expect([c.id, c.status, c.stderr]).toEqual([c.id, "ok", ""]);
    const message = run.cells[at]?.stderr ?? "";
    expect(message.trim()).toMatch(
      new RegExp(`^${mark.cell} is not typed yet \\(\\w+ is not defined\\): type it in the empty cell above`),
    );
    expect(message, "the message alone, no stack trace").not.toMatch(/\n\s+at /);
  });
});
