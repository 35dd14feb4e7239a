/**
 * The exercises, executed by the global setup in both versions: each solved notebook of solutions/ prints OK
 * on every check, and its learner's version in notebooks/ (placeholders in place of the solutions) runs to
 * the end without an error and prints WRONG! on the same checks. Notebook 07 (the lecture's exercise Colab)
 * and 01's exercise print the expected numbers. Cells are found by id.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pyFloat } from "../../src";
import { type Cell, readReport } from "./reports";

const jupyter = require("../../scripts/jupyter-env.cjs") as { root: string };
const { SOLUTIONS } = require("../../scripts/exercises.cjs") as { SOLUTIONS: string };

const LEARNER = "07-exercises";
const SOLVED = "solutions/07-exercises";

// The Colab's expected answers, and what CPython 3.11 computes for the difference quotients of its f at
// (2, 3, 4) with h = 0.000001: V8 gives the same doubles, to the last bit.
const F_AT_234 = 6.336362190988558;
const GRADIENT = [-12.353553390593273, 10.25699027111255, 0.0625];
const FORWARD = [-12.353559348809995, 10.256991666679482, 0.062499984743169534];
const SYMMETRIC = [-12.353553391353245, 10.25699027401572, 0.06250000028629188];
const LOSS = 2.1755153626167147;
const SOFTMAX_GRADS = [0.041772570515350445, 0.8390245074625319, 0.005653302662216329, -0.8864503806400986];

// 01's exercise: tanh' = 1 − tanh² at four points, and the forward differences with h = 1e-6, as CPython
// computes them (V8 gives the same doubles).
const TANH_POINTS = [-2, 0, 0.8813735870195432, 3];
const TANH_SLOPES = [0.07065082485316443, 1.0, 0.4999999999999998, 0.009866037165440211];
const TANH_FORWARD = [0.07065089302482619, 0.9999999999996667, 0.49999964635283334, 0.009866027328442328];

/** Every solved notebook: notebooks/<name> is its learner's version. */
const SOURCES = readdirSync(SOLUTIONS)
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => f.replace(/\.ipynb$/, ""));

/** The exercise cells, each followed by its solution in the learner's version. */
const EXERCISES = [
  "exercises-gradf",
  "exercises-numerical",
  "exercises-symmetric",
  "exercises-value",
  "exercises-tfjs",
];

interface CheckLine {
  ok: string;
  name: string;
  expected: number;
  yours: number;
}

/** The Colab's check lines a cell printed: "OK for dim 0: expected -12.35…, yours returns -12.35…". */
function checks(stdout: string): CheckLine[] {
  return [...stdout.matchAll(/^(OK|WRONG!) for ([^:]+): expected (\S+), yours returns (\S+)$/gm)].map((m) => ({
    ok: m[1] as string,
    name: m[2] as string,
    expected: Number(m[3]),
    yours: Number(m[4]),
  }));
}

/** The notebook's code cells after a clean run: every cell ran, none failed or wrote to stderr. */
function codeCells(name: string): Cell[] {
  const report = readReport(name);
  expect(report.exception, `${name}: ${report.exception?.message}`).toBeNull();
  const code = report.cells.filter((c) => c.cell_type === "code");
  for (const c of code) {
    expect(c.status, `${name}, cell ${c.index} (${c.id})`).toBe("ok");
    expect(c.stderr ?? "", `${name}, cell ${c.index} (${c.id}) wrote to stderr`).toBe("");
  }
  expect(report.ok).toBe(true);
  return code;
}

function stdoutOf(name: string, id: string): string {
  const found = codeCells(name).find((c) => c.id === id);
  if (found === undefined) throw new Error(`${name} has no code cell ${id}`);
  return found.stdout ?? "";
}

/** Expects the cell's check lines to name `names`, expect `expected`, and find `yours` within `tolerance`. */
function expectChecks(line: CheckLine[], names: string[], expected: number[], yours: number[], tolerance: number) {
  expect(line.map((l) => l.name)).toEqual(names);
  expect(line.map((l) => l.ok)).toEqual(names.map(() => "OK"));
  expect(line.map((l) => l.expected)).toEqual(expected);
  line.forEach((l, i) => expect(Math.abs(l.yours - (yours[i] as number)), l.name).toBeLessThanOrEqual(tolerance));
}

const dims = (n: number) => Array.from({ length: n }, (_, i) => `dim ${i}`);

describe.each(SOURCES)("%s: the solved and the learner's version check the same things", (name) => {
  const solved = () => codeCells(`solutions/${name}`).flatMap((c) => checks(c.stdout ?? ""));
  const learner = () => codeCells(name).flatMap((c) => checks(c.stdout ?? ""));

  it("solved: every check prints OK", () => {
    expect(solved().length).toBeGreaterThan(0);
    for (const l of solved()) expect(l, l.name).toMatchObject({ ok: "OK" });
  });

  it("learner's: runs to the end, and each check of the solved version says WRONG! against the same number", () => {
    expect(learner().map((l) => [l.name, l.expected])).toEqual(solved().map((l) => [l.name, l.expected]));
    for (const l of learner())
      expect(l, `${l.name} before anything is solved`).toMatchObject({ ok: "WRONG!", yours: 0 });
    const text = codeCells(name)
      .map((c) => c.stdout ?? "")
      .join("");
    expect(text).not.toMatch(/^OK /m);
  });
});

describe("01-derivatives' exercise: the derivative of tanh, measured and by calculus", () => {
  it("solved: slope(Math.tanh) gives CPython's forward differences, dtanh the formula's values", () => {
    const lines = checks(stdoutOf("solutions/01-derivatives", "derivatives-19"));
    const at = (what: string) => TANH_POINTS.map((x) => `${what} at x = ${pyFloat(x)}`);
    expect(lines.map((l) => l.name)).toEqual([...at("slope(Math.tanh)"), ...at("dtanh")]);
    expect(lines.map((l) => l.expected)).toEqual([...TANH_SLOPES, ...TANH_SLOPES]);
    lines
      .slice(0, 4)
      .forEach((l, i) => expect(Math.abs(l.yours - (TANH_FORWARD[i] as number))).toBeLessThanOrEqual(2e-9));
    lines.slice(4).forEach((l, i) => expect(Math.abs(l.yours - (TANH_SLOPES[i] as number))).toBeLessThanOrEqual(1e-15));
  });
});

describe("07-exercises, solved (solutions/): every check OK, the Colab's numbers", { timeout: 60_000 }, () => {
  it("section 1: f(2, 3, 4), the analytic gradient, the forward and the symmetric difference", () => {
    expect(stdoutOf(SOLVED, "exercises-f")).toBe(`${F_AT_234}\n`);
    // The analytic gradient is a formula: the Colab's numbers to the last bit (tolerance 1e-14, a few units
    // in the last place). A difference quotient divides f's rounding by h = 1e-6: one unit in the last place
    // of f (8.9e-16) moves it by 8.9e-10, so the tolerance is 2e-9.
    expectChecks(checks(stdoutOf(SOLVED, "exercises-gradf")), dims(3), GRADIENT, GRADIENT, 1e-14);
    expectChecks(checks(stdoutOf(SOLVED, "exercises-numerical")), dims(3), GRADIENT, FORWARD, 2e-9);
    const symmetric = stdoutOf(SOLVED, "exercises-symmetric");
    expectChecks(checks(symmetric), dims(3), GRADIENT, SYMMETRIC, 2e-9);
  });

  it("section 1: the symmetric difference comes closer in every dimension, by the factors measured", () => {
    const lines = [
      ...stdoutOf(SOLVED, "exercises-symmetric").matchAll(
        /^(OK|WRONG!) for dim (\d): the forward difference is off by (\S+), the symmetric one by (\S+) \((\d+) times closer\)$/gm,
      ),
    ];
    expect(lines.map((m) => m[1])).toEqual(["OK", "OK", "OK"]);
    lines.forEach((m, dim) => {
      const forward = Math.abs((FORWARD[dim] as number) - (GRADIENT[dim] as number));
      const symmetric = Math.abs((SYMMETRIC[dim] as number) - (GRADIENT[dim] as number));
      expect(Number(m[3])).toBe(Number(forward.toExponential(1)));
      expect(Number(m[4])).toBe(Number(symmetric.toExponential(1)));
      expect(Number(m[5])).toBe(Math.round(forward / symmetric)); // 7840, 481 and 53 times
    });
  });

  it("section 2: the learner's Value gives the Colab's loss and softmax gradients (float64, to the last bit)", () => {
    const stdout = stdoutOf(SOLVED, "exercises-softmax");
    expect(stdout.split("\n")[0]).toBe(String(LOSS));
    const lines = checks(stdout);
    expectChecks(lines, ["the loss", ...dims(4)], [LOSS, ...SOFTMAX_GRADS], [LOSS, ...SOFTMAX_GRADS], 1e-15);
  });

  it("section 3: TensorFlow.js gives the same loss and gradients to float32 precision", () => {
    const lines = checks(stdoutOf(SOLVED, "exercises-tfjs"));
    // float32 keeps about 7 significant digits: within 1e-7 of the float64 answers, as the README says (5e-8
    // measured: one float32 unit at 2.18 is 2.4e-7), and not equal to them, which a float64 computation would be.
    expectChecks(lines, ["the loss", ...dims(4)], [LOSS, ...SOFTMAX_GRADS], [LOSS, ...SOFTMAX_GRADS], 1e-7);
    const loss = lines[0]?.yours as number;
    expect(loss).not.toBe(LOSS);
    expect(Math.fround(loss)).toBe(loss); // a float32 value, widened to a double
  });
});

describe("07-exercises, the learner's version (notebooks/): runs to the end, every check says WRONG!", () => {
  it("every code cell runs without an error; the given f still prints f(2, 3, 4)", () => {
    expect(codeCells(LEARNER).length).toBeGreaterThan(0);
    expect(stdoutOf(LEARNER, "exercises-f")).toBe(`${F_AT_234}\n`);
  });

  it("the Colab's 19 checks, and the 3 comparisons of the two differences, all say WRONG!", () => {
    expect(codeCells(LEARNER).flatMap((c) => checks(c.stdout ?? ""))).toHaveLength(3 * 3 + 5 + 5);
    const text = codeCells(LEARNER)
      .map((c) => c.stdout ?? "")
      .join("");
    expect(text.match(/^WRONG! for dim \d: the forward difference .* \(not closer\)$/gm)).toHaveLength(3);
  });

  it("each exercise cell is followed by its solution as markdown, closed, never executed", () => {
    const cells = readReport(LEARNER).cells;
    const nb = JSON.parse(readFileSync(join(jupyter.root, "notebooks", `${LEARNER}.ipynb`), "utf8")) as {
      cells: { id: string; cell_type: string; source: string[] }[];
    };
    for (const id of EXERCISES) {
      const at = cells.findIndex((c) => c.id === id);
      expect(cells[at]?.cell_type, id).toBe("code");
      expect(cells[at + 1], `${id} is followed by its solution`).toMatchObject({
        id: `${id}-solution`,
        cell_type: "markdown",
      });
      const solution = nb.cells.find((c) => c.id === `${id}-solution`)?.source.join("") ?? "";
      expect(solution).toMatch(/^<details class="solution"><summary>Solution<\/summary>\n\n```typescript\n/);
      expect(solution).not.toMatch(/<details[^>]* open/);
    }
    expect(nb.cells.filter((c) => c.id.endsWith("-solution"))).toHaveLength(EXERCISES.length);
  });
});
