/**
 * The lectures' exercises against the mistakes they are about: the notebooks' own cells (the solved ones from
 * solutions/, the learner's from notebooks/, or a solved cell with one line taken out) run together in Node,
 * and their checks must say WRONG! where the exercise text says they will, and OK only to a right answer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { lectureData, MLP, pyFloat, seed, squaredError, Value } from "../src";

const { SOLUTIONS, NOTEBOOKS } = require("../scripts/exercises.cjs") as { SOLUTIONS: string; NOTEBOOKS: string };

interface Cell {
  id?: string;
  source: string[] | string;
}

/** The source of cell `id` of `name` in `dir` (solutions/ or notebooks/). */
function cellSource(dir: string, name: string, id: string): string {
  const nb = JSON.parse(readFileSync(join(dir, `${name}.ipynb`), "utf8")) as { cells: Cell[] };
  const cell = nb.cells.find((c) => c.id === id);
  if (cell === undefined) throw new Error(`${name} has no cell ${id}`);
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Runs TypeScript cells in one scope, as the kernel runs them one after the other, with `globals` in scope;
 * returns the check lines they print: [OK or WRONG!, what, yours].
 */
function runChecks(sources: string[], globals: Record<string, unknown>): [string, string, number][] {
  const printed: string[] = [];
  const console = { log: (...args: unknown[]) => printed.push(args.join(" ")) };
  const { code } = transformSync(sources.join("\n"), { loader: "ts" });
  new Function(...Object.keys(globals), "console", code)(...Object.values(globals), console);
  return printed
    .join("\n")
    .split("\n")
    .flatMap((line) => {
      const m = /^(OK|WRONG!) for ([^:]+): expected \S+, yours returns (\S+)$/.exec(line);
      return m ? [[m[1] as string, m[2] as string, Number(m[3])] as [string, string, number]] : [];
    });
}

const oks = (lines: [string, string, number][]) => lines.map(([ok]) => ok);

describe("02's exercises: backward() in topological order, then ReLU's operand", () => {
  const NB = "02-backprop-by-hand";
  const solved = (id: string) => cellSource(SOLUTIONS, NB, id);
  const learner = (id: string) => cellSource(NOTEBOOKS, NB, id);
  const run = (backward: string, relu: string) =>
    runChecks(
      [solved("backprop-exercises-01"), backward, solved("backprop-exercises-03"), relu]
        .concat(solved("backprop-exercises-07"), solved("backprop-exercises-11"))
        .map((s, i) => (i === 2 ? s.replace(/\n\{[\s\S]*$/, "\n") : s)), // the walks' definitions, not their prints
      { pyFloat },
    );

  it("both solved: the 8 checks say OK", () => {
    expect(oks(run(solved("backprop-exercises-05"), solved("backprop-exercises-09")))).toEqual(Array(8).fill("OK"));
  });

  it("backward by the recursion the exercise shows, or calling each _backward once: WRONG! on a and b", () => {
    for (const [walk, a, b] of [
      ["backwardByRecursion", 60, 40],
      ["backwardOnceEach", 21, 14],
    ] as const) {
      const lines = run(`function backward(root: Val): void {\n  ${walk}(root);\n}`, solved("backprop-exercises-09"));
      expect(lines.slice(0, 4)).toEqual([
        ["WRONG!", "a.grad", a],
        ["WRONG!", "b.grad", b],
        ["OK", "c.grad", 13],
        ["OK", "d.grad", 6],
      ]);
      // on a tree (the ReLU neuron) the recursion is right: the ReLU checks pass with it
      expect(oks(lines.slice(4))).toEqual(Array(4).fill("OK"));
    }
  });

  it("the learner's ReLU, whose placeholder is the bug: WRONG! with 0 even once backward() is right", () => {
    expect(learner("backprop-exercises-09")).toContain('const out = new Val(Math.max(0, x.data), { op: "ReLU" });');
    const lines = run(solved("backprop-exercises-05"), learner("backprop-exercises-09"));
    expect(oks(lines.slice(0, 4))).toEqual(Array(4).fill("OK"));
    expect(lines.slice(4)).toEqual(["x1.grad", "w1.grad", "x2.grad", "b.grad"].map((g) => ["WRONG!", g, 0]));
  });

  it("a fixed ReLU with exercise 1 unsolved still says WRONG! (its check uses your backward)", () => {
    const lines = run(learner("backprop-exercises-05"), solved("backprop-exercises-09"));
    expect(lines.map(([ok, , yours]) => [ok, yours])).toEqual(Array(8).fill(["WRONG!", 0]));
  });
});

describe("04's exercises: one training step with its reset, a learning rate too large", () => {
  const NB = "04-mlp-training";
  const solved = (id: string) => cellSource(SOLUTIONS, NB, id);
  const { xs, ys } = lectureData();
  const globals = { MLP, Value, seed, squaredError, pyFloat, xs, ys };
  const trainChecks = (trainStep: string) => runChecks([trainStep, solved("mlp-training-exercises-03")], globals);

  it("solved: the 6 losses say OK", () => {
    expect(oks(trainChecks(solved("mlp-training-exercises-01")))).toEqual(Array(6).fill("OK"));
  });

  it("trainStep without the reset: steps 0 and 1 say OK and the later ones WRONG!, as the exercise says", () => {
    const step = solved("mlp-training-exercises-01");
    const withoutReset = step.replace(/^ *model\.zeroGrad\(\);.*\n/m, "");
    expect(withoutReset).not.toBe(step);
    expect(oks(trainChecks(withoutReset))).toEqual(["OK", "OK", "WRONG!", "WRONG!", "WRONG!", "WRONG!"]);
  });

  it("maxLearningRate: only 1/x² passes; the rates a step either side of it say WRONG!", () => {
    const check = solved("mlp-training-exercises-03").replace(/\n\{[\s\S]*$/, "\n"); // check(), without its run
    const withRate = (rate: string) =>
      runChecks(
        [
          check,
          `function maxLearningRate(x: number): number {\n  return ${rate};\n}`,
          solved("mlp-training-exercises-08"),
        ],
        globals,
      );
    expect(oks(withRate("1 / x ** 2"))).toEqual(Array(4).fill("OK"));
    expect(oks(withRate("0.999 / x ** 2"))).toEqual(Array(4).fill("WRONG!"));
    expect(oks(withRate("1 / (2 * x ** 2)"))).toEqual(Array(4).fill("WRONG!")); // where the error stops in one step
  });
});
