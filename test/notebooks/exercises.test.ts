/**
 * The exercises, executed by the global setup in both versions: each solved notebook of solutions/ prints OK
 * on every check, and its learner's version in notebooks/ (placeholders in place of the solutions) runs to
 * the end without an error and prints WRONG! on the same checks. Notebook 07 (the lecture's exercise Colab)
 * and the exercises at the end of 01, 02 and 04 print the expected numbers, checked against the package
 * (test/exercise-mistakes.test.ts runs their cells against the mistakes they are about). Cells are found by id.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lectureData, pyFloat, Value } from "../../src";
import { lectureExpression, lectureMLP, trainLecture } from "../helpers";
import { type Cell, readReport } from "./reports";

const jupyter = require("../../scripts/jupyter-env.cjs") as { root: string };
const { SOLUTIONS, splitSolutions } = require("../../scripts/exercises.cjs") as {
  SOLUTIONS: string;
  splitSolutions(source: string, where: string): { regions: number };
};

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

/** Every solved notebook with exercises in its cells: notebooks/<name> is its learner's version. */
const SOURCES = readdirSync(SOLUTIONS)
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => f.replace(/\.ipynb$/, ""))
  .filter((name) => exerciseIds(name).length > 0);

/** The ids of the solved notebook's code cells with solution regions: each is followed by its solution. */
function exerciseIds(name: string): string[] {
  const nb = JSON.parse(readFileSync(join(SOLUTIONS, `${name}.ipynb`), "utf8")) as {
    cells: { id: string; cell_type: string; source: string[] }[];
  };
  return nb.cells
    .filter((c) => c.cell_type === "code" && splitSolutions(c.source.join(""), name).regions > 0)
    .map((c) => c.id);
}

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

  it("learner's: each exercise cell is followed by its solution as markdown, closed, never executed", () => {
    const cells = readReport(name).cells;
    const nb = JSON.parse(readFileSync(join(jupyter.root, "notebooks", `${name}.ipynb`), "utf8")) as {
      cells: { id: string; cell_type: string; source: string[] }[];
    };
    const ids = exerciseIds(name);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
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
    expect(nb.cells.filter((c) => c.id.endsWith("-solution"))).toHaveLength(ids.length);
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

describe("02-backprop-by-hand's exercises: backward() in topological order, ReLU without its operand", () => {
  const SOLVED02 = "solutions/02-backprop-by-hand";
  const LEARNER02 = "02-backprop-by-hand";
  /** The exercises' e = c·d with d = c + 1 and c = a·b (a = 2, b = 3), with the package: c is used twice. */
  const usedTwice = () => {
    const a = new Value(2.0);
    const b = new Value(3.0);
    const c = a.mul(b);
    const d = c.add(1);
    const e = c.mul(d);
    e.backward();
    return { a, b, c, d };
  };

  it("the walks without build_topo: right on the tree L, wrong on e by the numbers the text explains", () => {
    const { a, b, c, f, L } = lectureExpression();
    L.backward();
    // On e, c's _backward passes c.grad down to a (times b) and b (times a). The recursion runs it twice:
    // first with e's direct share d = 7, then with all of d + c = 13; once each runs only the first.
    const [A, B, C, D] = [2, 3, 6, 7];
    const grads = (values: [string, number][]) => values.map(([n, g]) => `${n}.grad ${pyFloat(g)}`).join(", ");
    const expected = [
      `L, by recursion:   ${grads([
        ["a", a.grad],
        ["b", b.grad],
        ["c", c.grad],
        ["f", f.grad],
      ])}`,
      `e, by recursion:   ${grads([
        ["a", B * D + B * (D + C)],
        ["b", A * D + A * (D + C)],
        ["c", D + C],
        ["d", C],
      ])}`,
      `e, once each:      ${grads([
        ["a", B * D],
        ["b", A * D],
        ["c", D + C],
        ["d", C],
      ])}`,
      "",
    ].join("\n");
    expect(expected).toContain("a.grad 60.0, b.grad 40.0, c.grad 13.0, d.grad 6.0");
    expect(stdoutOf(SOLVED02, "backprop-exercises-03")).toBe(expected);
    expect(stdoutOf(LEARNER02, "backprop-exercises-03")).toBe(expected);
  });

  it("solved: backward(e) gives the package's gradients of e exactly, 39, 26, 13 and 6", () => {
    const { a, b, c, d } = usedTwice();
    const grads = [a.grad, b.grad, c.grad, d.grad];
    expect(grads).toEqual([39, 26, 13, 6]);
    const names = ["a.grad", "b.grad", "c.grad", "d.grad"];
    expectChecks(checks(stdoutOf(SOLVED02, "backprop-exercises-07")), names, grads, grads, 0);
  });

  it("solved: the neuron through the fixed ReLU gets the package's relu gradients exactly", () => {
    const x1 = new Value(2.0);
    const x2 = new Value(0.0);
    const w1 = new Value(-3.0);
    const w2 = new Value(1.0);
    const b = new Value(6.8813735870195432);
    const o = x1.mul(w1).add(x2.mul(w2)).add(b).relu();
    o.backward();
    expect(o.data).toBeGreaterThan(0); // the ReLU passes the gradient on
    expect(w2.grad).toBe(0); // x2 = 0: not checked, it would say OK to the bug too
    const grads = [x1, w1, x2, b].map((v) => v.grad);
    expect(grads).toEqual([-3, 2, 1, 1]);
    const names = ["x1.grad", "w1.grad", "x2.grad", "b.grad"];
    expectChecks(checks(stdoutOf(SOLVED02, "backprop-exercises-11")), names, grads, grads, 0);
  });

  it("learner's: the 8 checks say WRONG!, yours 0", () => {
    for (const id of ["backprop-exercises-07", "backprop-exercises-11"]) {
      const lines = checks(stdoutOf(LEARNER02, id));
      expect(
        lines.map((l) => [l.ok, l.yours]),
        id,
      ).toEqual(Array(4).fill(["WRONG!", 0]));
    }
  });
});

describe("04-mlp-training's exercises: one training step with its reset, a learning rate too large", () => {
  const SOLVED04 = "solutions/04-mlp-training";
  const LEARNER04 = "04-mlp-training";
  const STEPS = [0, 1, 2, 7, 11, 19];

  /** The exercise's one weight: the loss (w·x − y)² from w = 0, at each step, and the error w·x − y after it. */
  function descend(x: number, y: number, lr: number, steps: number) {
    const w = new Value(0.0);
    const losses: number[] = [];
    const errors: number[] = [];
    for (let k = 0; k < steps; k++) {
      const loss = w.mul(x).sub(y).pow(2);
      w.grad = 0.0;
      loss.backward();
      w.data += -lr * w.grad;
      losses.push(loss.data);
      errors.push(w.data * x - y);
    }
    return { losses, errors };
  }

  it("solved: trainStep's losses are the package's loop's exactly, and within 1e-15 of the fixed loop's printed ones", () => {
    const losses: number[] = [];
    trainLecture(lectureMLP(), 20, 0.1, { afterStep: (_, loss) => losses.push(loss) });
    // the fixed loop ran on the notebook's Value, whose tanh (the lecture's formula) rounds differently
    const printed = stdoutOf(SOLVED04, "mlp-training-13").split("\n"); // "k loss"
    for (const k of STEPS) {
      const [step, loss] = (printed[k] ?? "").split(" ");
      expect(step).toBe(String(k));
      expect(Math.abs(Number(loss) - (losses[k] as number))).toBeLessThanOrEqual(1e-15);
    }
    const expected = STEPS.map((k) => losses[k] as number);
    const names = STEPS.map((k) => `the loss at step ${k}`);
    expectChecks(checks(stdoutOf(SOLVED04, "mlp-training-exercises-03")), names, expected, expected, 0);
  });

  it("one weight: the package's losses; falling at 0.1, overshooting at 0.2, growing at 0.3", () => {
    const runs = [0.1, 0.2, 0.3].map((lr) => ({ lr, ...descend(2, 1, lr, 6) }));
    const lines = stdoutOf(SOLVED04, "mlp-training-exercises-05").split("\n");
    runs.forEach(({ lr, losses }, i) =>
      expect(lines[i]).toBe(`one weight, lr ${lr}: ${losses.map(pyFloat).join(", ")}`),
    );
    const falling = (l: number[]) => l.every((x, k) => k === 0 || x < (l[k - 1] as number));
    const [at01, at02, at03] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    expect(falling(at01.losses) && at01.errors.every((e) => e < 0)).toBe(true); // from below, never past
    expect(falling(at02.losses)).toBe(true);
    expect(at02.errors.every((e, k) => Math.sign(e) === (k % 2 === 0 ? 1 : -1))).toBe(true); // past 0.5 each step
    expect(at03.losses.every((x, k) => k === 0 || x > (at03.losses[k - 1] as number))).toBe(true);
  });

  it("the network at four rates: the package's losses; learning at 0.1 and 1.0, stuck near 4 and 8 at 0.5 and 2.0", () => {
    const { xs } = lectureData();
    const lines = stdoutOf(SOLVED04, "mlp-training-exercises-05").split("\n").slice(3, 7);
    const seen = [0.1, 0.5, 1.0, 2.0].map((lr, i) => {
      let last = 0;
      const model = trainLecture(lectureMLP(), 100, lr, { afterStep: (_, loss) => (last = loss) });
      const predictions = xs.map((x) => model.output(x).data);
      expect(lines[i]).toBe(
        `the network, lr ${pyFloat(lr)}: loss at step 99 ${pyFloat(last)}, predictions ${predictions.map((p) => p.toFixed(3)).join(", ")}`,
      );
      return { last, signs: predictions.map(Math.sign) };
    });
    const [at01, at05, at1, at2] = seen as [(typeof seen)[0], (typeof seen)[0], (typeof seen)[0], (typeof seen)[0]];
    expect(at01.last).toBeLessThan(0.01);
    expect(at01.signs).toEqual([1, -1, -1, 1]); // the targets
    expect(Math.abs(at05.last - 4)).toBeLessThan(1e-3);
    expect(at05.signs).toEqual([1, -1, 1, 1]); // the third on the wrong side
    expect(at1.last).toBeLessThan(1e-3);
    expect(Math.abs(at2.last - 8)).toBeLessThan(1e-9);
    expect(at2.signs).toEqual([-1, -1, -1, -1]);
  });

  it("solved: maxLearningRate is 1/x²: a rate 1% below it converges, 1% above diverges", () => {
    const xs = [0.5, 1, 2, 3];
    const rates = xs.map((x) => 1 / x ** 2);
    const names = xs.map((x) => `maxLearningRate(${x})`);
    expectChecks(checks(stdoutOf(SOLVED04, "mlp-training-exercises-08")), names, rates, rates, 0);
    xs.forEach((x, i) => {
      const below = descend(x, 1, 0.99 * (rates[i] as number), 200).losses;
      const above = descend(x, 1, 1.01 * (rates[i] as number), 200).losses;
      expect(below.at(-1)).toBeLessThan(1e-3 * (below[0] as number));
      expect(above.at(-1)).toBeGreaterThan(1e3 * (above[0] as number));
    });
  });

  it("learner's: the 10 checks say WRONG!, yours 0; the demonstration prints what the solved one does", () => {
    const lines = ["mlp-training-exercises-03", "mlp-training-exercises-08"].flatMap((id) =>
      checks(stdoutOf(LEARNER04, id)),
    );
    expect(lines.map((l) => [l.ok, l.yours])).toEqual(Array(10).fill(["WRONG!", 0]));
    expect(stdoutOf(LEARNER04, "mlp-training-exercises-05")).toBe(stdoutOf(SOLVED04, "mlp-training-exercises-05"));
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
});
