/**
 * The exercises' one source (scripts/exercises.cjs): each solved notebook in solutions/ gives the learner's
 * version in notebooks/, solution regions replaced by placeholders and the solutions moved into closed
 * markdown blocks. The committed learner's versions must be exactly what the generator writes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

interface Cell {
  cell_type: string;
  id?: string;
  metadata: Record<string, unknown>;
  source: string[] | string;
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { micrograd_ts?: { generated?: { source: string; sha256: string } } } & Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}
interface Result {
  name: string;
  status: "unchanged" | "written" | "differs" | "refused";
  reason?: string;
}

const exercises = require("../scripts/exercises.cjs") as {
  SOLUTIONS: string;
  NOTEBOOKS: string;
  splitSolutions(source: string, where: string): { learner: string; solved: string; regions: number };
  solutionMarkdown(code: string): string;
  learnerNotebook(nb: Notebook, sourceName: string): Notebook;
  notebookJson(nb: Notebook): string;
  generateExercises(options?: { from?: string; to?: string; check?: boolean; force?: boolean }): Result[];
};

const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const readNotebook = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Notebook;
const sources = readdirSync(exercises.SOLUTIONS).filter((f) => f.endsWith(".ipynb"));

describe("the committed learner's notebooks", () => {
  it("solutions/ holds the exercises' sources: the lecture's exercise notebook, and the lectures with exercises", () => {
    expect(sources).toEqual([
      "01-derivatives.ipynb",
      "02-backprop-by-hand.ipynb",
      "04-mlp-training.ipynb",
      "07-exercises.ipynb",
    ]);
  });

  it("every notebook with a source in solutions/ is exactly what npm run exercises generates from it", () => {
    const results = exercises.generateExercises({ check: true });
    expect(results.map((r) => r.name)).toEqual(sources);
    for (const r of results)
      expect(r, `notebooks/${r.name} ${r.reason}: run npm run exercises and commit it`).toEqual({
        name: r.name,
        status: "unchanged",
      });
  });

  it.each(sources)(
    "%s: the learner's code cells hold no line of a solution; each solution follows its exercise",
    (name) => {
      const solved = readNotebook(join(exercises.SOLUTIONS, name));
      const learner = readNotebook(join(exercises.NOTEBOOKS, name));
      let regions = 0;
      for (const cell of solved.cells.filter((c) => c.cell_type === "code")) {
        const split = exercises.splitSolutions(text(cell), name);
        if (split.regions === 0) continue;
        regions += split.regions;
        const at = learner.cells.findIndex((c) => c.id === cell.id);
        expect(text(learner.cells[at] as Cell)).toBe(split.learner);
        expect(learner.cells[at + 1]).toEqual({
          cell_type: "markdown",
          id: `${cell.id}-solution`,
          metadata: {},
          source: expect.any(Array),
        });
        expect(text(learner.cells[at + 1] as Cell)).toBe(exercises.solutionMarkdown(split.solved));
      }
      expect(regions).toBeGreaterThan(0);
      // What only the solutions have: lines of the solved cells missing from the learner's code cells.
      const learnerCode = new Set(
        learner.cells
          .filter((c) => c.cell_type === "code")
          .flatMap((c) =>
            text(c)
              .split("\n")
              .map((l) => l.trim()),
          ),
      );
      const solvedCode = solved.cells.filter((c) => c.cell_type === "code").flatMap((c) => text(c).split("\n"));
      const onlyInSolutions = solvedCode.map((l) => l.trim()).filter((l) => l !== "" && !learnerCode.has(l));
      expect(onlyInSolutions.length).toBeGreaterThan(0);
      for (const line of onlyInSolutions.filter((l) => !/^\/\/ (BEGIN|END) SOLUTION/.test(l))) {
        const markdown = learner.cells.filter((c) => c.cell_type === "markdown" && text(c).includes(line));
        expect(markdown.length, `"${line}" is in no solution block`).toBeGreaterThan(0);
        for (const cell of markdown)
          expect(text(cell)).toMatch(/^<details class="solution"><summary>Solution<\/summary>/);
      }
    },
  );

  it.each(sources)("%s: the learner's copy is cleared, nbformat 4.5, and records its source", (name) => {
    const learner = readNotebook(join(exercises.NOTEBOOKS, name));
    expect([learner.nbformat, learner.nbformat_minor]).toEqual([4, 5]);
    for (const cell of learner.cells.filter((c) => c.cell_type === "code")) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
    expect(learner.metadata.micrograd_ts?.generated?.source).toBe(`solutions/${name}`);
  });
});

describe("splitSolutions: nbgrader's regions, in TypeScript comments", () => {
  const source = [
    "function gradf(a: number): number[] {",
    "  // BEGIN SOLUTION (placeholder: return [0, 0, 0]; // (a, b, c))",
    "  const d = 3 * a;",
    "  return [d, d, d];",
    "  // END SOLUTION",
    "}",
    "// BEGIN SOLUTION",
    "console.log(gradf(1));",
    "// END SOLUTION",
    "check(gradf(2));",
  ].join("\n");

  it("replaces each region by YOUR CODE HERE and its placeholder, at the marker's indentation", () => {
    const { learner, solved, regions } = exercises.splitSolutions(source, "cell");
    expect(regions).toBe(2);
    expect(learner).toBe(
      [
        "function gradf(a: number): number[] {",
        "  // YOUR CODE HERE",
        "  return [0, 0, 0]; // (a, b, c)",
        "}",
        "// YOUR CODE HERE",
        "check(gradf(2));",
      ].join("\n"),
    );
    expect(solved).toBe(
      [
        "function gradf(a: number): number[] {",
        "  const d = 3 * a;",
        "  return [d, d, d];",
        "}",
        "console.log(gradf(1));",
        "check(gradf(2));",
      ].join("\n"),
    );
  });

  it("leaves a cell without regions as it is", () => {
    expect(exercises.splitSolutions("const a = 1;\n\nconsole.log(a);", "cell")).toEqual({
      learner: "const a = 1;\n\nconsole.log(a);",
      solved: "const a = 1;\n\nconsole.log(a);",
      regions: 0,
    });
  });

  it.each([
    ["// BEGIN SOLUTION\nconst a = 1;", "cell X, line 1: BEGIN SOLUTION is never closed by END SOLUTION"],
    ["const a = 1;\n// END SOLUTION", "cell X, line 2: END SOLUTION without a BEGIN SOLUTION before it"],
    [
      "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION",
      "cell X, line 2: BEGIN SOLUTION inside the region opened on line 1",
    ],
    ["const a = 1; // BEGIN SOLUTION", 'cell X, line 1: a marker is a line of its own, "// BEGIN SOLUTION"'],
    ["// BEGIN SOLUTION: return 0;\n// END SOLUTION", "cell X, line 1: a marker is a line of its own"],
  ])("refuses a marker out of place: %j", (bad, message) => {
    expect(() => exercises.splitSolutions(bad, "cell X")).toThrow(message);
  });
});

describe("solutionMarkdown", () => {
  it("puts the code in a closed <details>, fenced with more backticks than the code has in a row", () => {
    expect(exercises.solutionMarkdown("const a = 1;\n")).toBe(
      '<details class="solution"><summary>Solution</summary>\n\n```typescript\nconst a = 1;\n```\n\n</details>',
    );
    const withFence = exercises.solutionMarkdown("const s = `a ```` b`;");
    expect(withFence).toContain("\n`````typescript\nconst s = `a ```` b`;\n`````\n");
  });
});

describe("generateExercises in a folder of its own", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const code = (id: string, source: string): Cell => ({
    cell_type: "code",
    id,
    metadata: {},
    source: [source],
    execution_count: null,
    outputs: [],
  });
  const solved: Notebook = {
    cells: [
      { cell_type: "markdown", id: "intro", metadata: {}, source: ["# An exercise"] },
      code("answer", "// BEGIN SOLUTION (placeholder: const answer = 0;)\nconst answer = 42;\n// END SOLUTION"),
      code("check", 'console.log(answer === 42 ? "OK" : "WRONG!");'),
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };

  function folders() {
    const base = mkdtempSync(join(tmpdir(), "mgts-exercises-"));
    dirs.push(base);
    const from = join(base, "solutions");
    const to = join(base, "notebooks");
    for (const d of [from, to]) mkdirSync(d);
    writeFileSync(join(from, "01-answer.ipynb"), exercises.notebookJson(solved));
    writeFileSync(join(to, "02-lecture.ipynb"), "not generated, must stay as it is\n");
    return { from, to };
  }

  it("writes the learner's version under the same name, and leaves notebooks without a source alone", () => {
    const { from, to } = folders();
    expect(exercises.generateExercises({ from, to })).toEqual([{ name: "01-answer.ipynb", status: "written" }]);
    expect(readFileSync(join(to, "02-lecture.ipynb"), "utf8")).toBe("not generated, must stay as it is\n");
    const learner = readNotebook(join(to, "01-answer.ipynb"));
    expect(learner.cells.map((c) => [c.id, text(c)])).toEqual([
      ["intro", "# An exercise"],
      ["answer", "// YOUR CODE HERE\nconst answer = 0;"],
      [
        "answer-solution",
        '<details class="solution"><summary>Solution</summary>\n\n```typescript\nconst answer = 42;\n```\n\n</details>',
      ],
      ["check", 'console.log(answer === 42 ? "OK" : "WRONG!");'],
    ]);
    expect(learner.metadata.micrograd_ts?.generated?.source).toBe("solutions/01-answer.ipynb");
    expect(exercises.generateExercises({ from, to, check: true })).toEqual([
      { name: "01-answer.ipynb", status: "unchanged" },
    ]);
  });

  it("regenerates a learner's copy that was only run, but refuses one whose cells were edited, unless forced", () => {
    const { from, to } = folders();
    exercises.generateExercises({ from, to });
    const file = join(to, "01-answer.ipynb");
    const generated = readFileSync(file, "utf8");

    const ran = readNotebook(file);
    (ran.cells[1] as Cell).outputs = [{ output_type: "stream", name: "stdout", text: ["WRONG!\n"] }];
    (ran.cells[1] as Cell).execution_count = 1;
    writeFileSync(file, JSON.stringify(ran)); // as a front end saves it: other layout, outputs
    expect(exercises.generateExercises({ from, to })).toEqual([{ name: "01-answer.ipynb", status: "written" }]);
    expect(readFileSync(file, "utf8")).toBe(generated);

    const answered = readNotebook(file);
    (answered.cells[1] as Cell).source = ["const answer = 6 * 7;"];
    writeFileSync(file, JSON.stringify(answered));
    expect(exercises.generateExercises({ from, to })).toEqual([
      { name: "01-answer.ipynb", status: "refused", reason: "its cells were edited since it was generated" },
    ]);
    expect(readNotebook(file).cells[1]?.source).toEqual(["const answer = 6 * 7;"]);
    expect(exercises.generateExercises({ from, to, check: true })[0]?.status).toBe("differs");
    expect(exercises.generateExercises({ from, to, force: true })[0]?.status).toBe("written");
    expect(readFileSync(file, "utf8")).toBe(generated);
  });

  it("refuses to replace a notebook it did not generate (a lecture moved into solutions/ needs --force once)", () => {
    const { from, to } = folders();
    writeFileSync(join(to, "01-answer.ipynb"), exercises.notebookJson({ ...solved, cells: [] }));
    expect(exercises.generateExercises({ from, to })).toEqual([
      {
        name: "01-answer.ipynb",
        status: "refused",
        reason: "it was not generated from solutions/ (no record of it in its metadata)",
      },
    ]);
  });

  it("refuses solution markers in a markdown cell, naming the notebook and the cell", () => {
    const bad = { ...solved, cells: [{ ...solved.cells[0], source: ["// BEGIN SOLUTION"] } as Cell] };
    expect(() => exercises.learnerNotebook(bad, "solutions/x.ipynb")).toThrow(
      "solutions/x.ipynb, cell 0 (id intro): solution regions belong in code cells, not markdown cells",
    );
  });
});
