/**
 * The browser site's type checker (site/checker) in Node, with the files the site ships
 * (site/build-types.cjs): a type error is reported as tslab reports it (compared with tslab 1.0.22's own
 * executor), and no cell of the lecture notebooks is refused when they run in order, as in Jupyter.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CellChecker } from "../../site/checker/checker";
import { tslabKernel } from "../site-tslab";

const root = join(__dirname, "..", "..");
const { typeFiles } = require("../../site/build-types.cjs") as { typeFiles(): Record<string, string> };
const files = typeFiles();
const printed = (problems: { line: number; column: number; message: string }[]) =>
  problems.map((p) => `${p.line}:${p.column} - ${p.message}\n`).join("");

describe("the site's type checker, against tslab", () => {
  let tslab: ReturnType<typeof tslabKernel>;
  beforeAll(() => {
    tslab = tslabKernel();
  }, 60_000);
  afterAll(() => tslab?.close());

  it.each([
    ['const n: number = "hello";\nn'],
    ['import { Value } from "micrograd-ts";\nconst v: Value = new Value(2);\nv.mul("3")'],
    ["let h = 0.001;", 'h = "text";'],
    ["function twice(x: number) { return 2 * x; }", "twice(3).toUpperCase()"],
  ])(
    "reports what tslab reports: %s",
    async (...cells: string[]) => {
      const checker = new CellChecker(ts, files);
      let refused = 0;
      for (const source of cells) {
        const reference = await tslab.run(source);
        const problems = checker.check(source);
        if (reference.ok) {
          expect(problems, source).toEqual([]);
          checker.commit(source);
        } else {
          refused++;
          expect(printed(problems), source).toBe(reference.printed);
        }
      }
      expect(refused, "tslab refused the last cell").toBe(1);
    },
    60_000,
  );
});

describe("no lecture cell is refused", () => {
  const notebooks = readdirSync(join(root, "notebooks"))
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort();
  it.each(notebooks)(
    "%s, its code cells checked in order",
    (name) => {
      const nb = JSON.parse(readFileSync(join(root, "notebooks", name), "utf8")) as {
        cells: { cell_type: string; source: string | string[] }[];
      };
      const checker = new CellChecker(ts, files);
      const refused: string[] = [];
      nb.cells.forEach((cell, index) => {
        if (cell.cell_type !== "code") return;
        const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
        const problems = checker.check(source);
        if (problems.length > 0) refused.push(`cell ${index}:\n${printed(problems)}`);
        checker.commit(source);
      });
      expect(refused.join("\n")).toBe("");
    },
    120_000,
  );
});
