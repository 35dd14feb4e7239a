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
  typeAlongNotebook(nb: Notebook, sourceName: string): Notebook | null;
  refillTypeAlong(typeAlong: Notebook, nb: Notebook): Notebook;
  cellPrints(cell: { outputs?: unknown[] }): string | null;
  recordPrints(options: { from: string; executed: string }): { name: string; status: string; cells: number }[];
  learnerModule(text: string, sourceName: string): string;
};

const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const readNotebook = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Notebook;
const sources = readdirSync(exercises.SOLUTIONS).filter((f) => f.endsWith(".ipynb"));

describe("the committed learner's notebooks", () => {
  it("solutions/ holds the sources of notebooks 01–05 and 07 (the lectures, their exercises, the exercise notebook)", () => {
    expect(sources).toEqual([
      "01-derivatives.ipynb",
      "02-backprop-by-hand.ipynb",
      "03-engine-testing.ipynb",
      "04-mlp-training.ipynb",
      "05-moons-demo.ipynb",
      "07-exercises.ipynb",
    ]);
  });

  it("every notebook, type-along edition and module file from solutions/ is exactly what npm run exercises writes", () => {
    const results = exercises.generateExercises({ check: true });
    const marked = (n: string) => exercises.typeAlongNotebook(readNotebook(join(exercises.SOLUTIONS, n)), n) !== null;
    const typeAlong = sources.filter(marked).map((n) => `type-along/${n}`);
    expect(typeAlong.length).toBeGreaterThanOrEqual(3); // 01, 03, 05 (02 and 04 once marked)
    expect(results.map((r) => r.name).sort()).toEqual(
      [...sources, ...typeAlong, "type-along/micrograd", "micrograd/engine.ts", "micrograd/nn.ts"].sort(),
    );
    for (const r of results)
      expect(r, `notebooks/${r.name} ${r.reason}: run npm run exercises and commit it`).toEqual({
        name: r.name,
        status: "unchanged",
      });
  });

  it.each(sources.filter((n) => /BEGIN SOLUTION/.test(readFileSync(join(exercises.SOLUTIONS, n), "utf8"))))(
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

describe("the learner's module files: micrograd/engine.ts and nn.ts", () => {
  it("keep every line outside the solution regions, a placeholder for each region, and say where they come from", () => {
    for (const file of ["engine.ts", "nn.ts"]) {
      const solved = readFileSync(join(exercises.SOLUTIONS, "micrograd", file), "utf8");
      const learner = readFileSync(join(exercises.NOTEBOOKS, "micrograd", file), "utf8");
      const split = exercises.splitSolutions(solved, file);
      expect(split.regions).toBeGreaterThan(2);
      expect(learner).toBe(exercises.learnerModule(solved, `solutions/micrograd/${file}`));
      expect(learner.split("\n")[0]).toMatch(/^\/\/ Generated by npm run exercises from solutions\/micrograd\//);
      expect(learner.match(/^\s*\/\/ YOUR CODE HERE$/gm)).toHaveLength(split.regions);
    }
  });

  it("are not overwritten once edited, unless forced", () => {
    const dir = mkdtempSync(join(tmpdir(), "mgts-modules-"));
    try {
      expect(exercises.generateExercises({ to: dir }).every((r) => r.status === "written")).toBe(true);
      const engine = join(dir, "micrograd", "engine.ts");
      writeFileSync(engine, `${readFileSync(engine, "utf8")}// my answer\n`);
      const refused = exercises.generateExercises({ to: dir }).find((r) => r.name === "micrograd/engine.ts");
      expect(refused).toEqual({
        name: "micrograd/engine.ts",
        status: "refused",
        reason: "it was edited since it was generated",
      });
      expect(readFileSync(engine, "utf8")).toContain("// my answer");
      exercises.generateExercises({ to: dir, force: true });
      expect(readFileSync(engine, "utf8")).not.toContain("// my answer");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the type-along edition", () => {
  const code = (id: string, source: string, mark?: object): Cell => ({
    cell_type: "code",
    id,
    metadata: mark ? { "micrograd-ts": { "type-along": mark } } : {},
    source: [source],
    outputs: [],
    execution_count: null,
  });
  const nb = (): Notebook => ({
    cells: [
      { cell_type: "markdown", id: "title", metadata: {}, source: ["# 1 · Title"] },
      code("imports", 'import { Value } from "./micrograd/engine";'),
      code("f", "const f = (x: number) => x * 2;\nf(3)", {
        cell: "first half, cell 2",
        what: "f",
        prints: "6",
        check: '[["f(3)", f(3), 6]]',
      }),
      code("plot", "plot(f)", { cell: "first half, cell 3", what: "f plotted", prints: null }),
      code("g", "let g = 1;\nconst { h, k: j } = { h: 2, k: 3 };", {
        cell: "first half, cell 4",
        what: "g",
        prints: null,
      }),
      code("after", "console.log(f(1), g + j, x.h);"),
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

  it("empties each marked cell to a comment naming it, shows what it prints, checks what a later cell needs", () => {
    const t = exercises.typeAlongNotebook(nb(), "solutions/01-x.ipynb") as Notebook;
    expect(t.cells.map((c) => c.id)).toEqual([
      "title",
      "type-along-intro",
      "type-along-check",
      "imports",
      "f",
      "f-prints",
      "f-check",
      "plot",
      "plot-prints",
      "g",
      "g-prints",
      "g-check",
      "after",
    ]);
    const byId = (id: string) => text(t.cells.find((c) => c.id === id) as Cell);
    expect(byId("imports")).toBe('import { Value } from "./micrograd/engine";'); // through type-along/micrograd
    expect(byId("f")).toBe("// first half, cell 2: f");
    expect(byId("f-prints")).toBe("**first half, cell 2**, typed right, prints:\n\n```text\n6\n```");
    expect(byId("f-check")).toBe(
      '// @ts-ignore: TypeScript knows the names of the cell above once it has run\ntypeAlongCheck("first half, cell 2", () => [["f(3)", f(3), 6]]);',
    );
    expect(byId("g-check").split("\n")[1]).toBe('typeAlongCheck("first half, cell 4", () => [["g", g], ["j", j]]);'); // h: a property
    expect(byId("plot-prints")).toBe(
      "**first half, cell 3** prints no text. Type it above and run it before going on.",
    );
    expect(t.cells.find((c) => c.id === "f")?.metadata).toEqual(nb().cells[2]?.metadata); // the site reads the marks
    expect(exercises.typeAlongNotebook({ ...nb(), cells: nb().cells.slice(0, 2) }, "x")).toBeNull();
  });

  it("shows the first and last lines of a long output", () => {
    const prints = Array.from({ length: 100 }, (_, k) => `step ${k}`).join("\n");
    const long = nb();
    (long.cells[2]!.metadata["micrograd-ts"] as { "type-along": { prints: string } })["type-along"].prints = prints;
    const t = exercises.typeAlongNotebook(long, "x") as Notebook;
    const shown = text(t.cells.find((c) => c.id === "f-prints") as Cell).split("\n");
    expect(shown.slice(3, 5)).toEqual(["step 0", "step 1"]);
    expect(shown).toContain("… (100 lines in all)");
    expect(shown.slice(-4, -1)).toEqual(["step 97", "step 98", "step 99"]);
  });

  it("refilled from the solved notebook, it has the solved cells back", () => {
    const t = exercises.refillTypeAlong(exercises.typeAlongNotebook(nb(), "x") as Notebook, nb());
    expect(text(t.cells.find((c) => c.id === "f") as Cell)).toBe("const f = (x: number) => x * 2;\nf(3)");
  });

  it("cellPrints: stdout then the result's text, trailing spaces trimmed; null when nothing", () => {
    const outputs = [
      { output_type: "stream", name: "stdout", text: ["a  \n", "b\n"] },
      { output_type: "stream", name: "stderr", text: "warning\n" },
      { output_type: "display_data", data: { "text/plain": "a picture" } },
      { output_type: "execute_result", data: { "text/plain": "20.0" } },
    ];
    expect(exercises.cellPrints({ outputs })).toBe("a\nb\n20.0");
    expect(exercises.cellPrints({ outputs: [] })).toBeNull();
  });

  it("--record-prints fills prints from an executed notebook, and a second run changes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "mgts-prints-"));
    try {
      const from = join(dir, "solutions");
      const executed = join(dir, "executed");
      mkdirSync(from);
      mkdirSync(executed);
      writeFileSync(join(from, "01-x.ipynb"), exercises.notebookJson(nb()));
      const ran = nb();
      (ran.cells[2] as Cell).outputs = [{ output_type: "execute_result", data: { "text/plain": "6" } }];
      (ran.cells[3] as Cell).outputs = [{ output_type: "stream", name: "stdout", text: "drawn\n" }];
      writeFileSync(join(executed, "01-x.ipynb"), JSON.stringify(ran));
      expect(exercises.recordPrints({ from, executed })).toEqual([{ name: "01-x.ipynb", status: "written", cells: 3 }]);
      const marks = readNotebook(join(from, "01-x.ipynb")).cells.map(
        (c) =>
          (c.metadata["micrograd-ts"] as { "type-along"?: { prints: string | null } } | undefined)?.["type-along"]
            ?.prints,
      );
      expect(marks).toEqual([undefined, undefined, "6", "drawn", null, undefined]);
      expect(exercises.recordPrints({ from, executed })).toEqual([
        { name: "01-x.ipynb", status: "unchanged", cells: 3 },
      ]);
      rmSync(join(executed, "01-x.ipynb"));
      expect(exercises.recordPrints({ from, executed })).toEqual([
        { name: "01-x.ipynb", status: "not executed", cells: 0 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
