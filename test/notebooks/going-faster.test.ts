/**
 * Notebook 06 ("Going faster, going further"), as executed by the global setup: the demo's losses agree
 * across the object API, compile and the hand-written loop; the capture examples print what they
 * explain; the seeded spirals training ends at its losses and accuracies. Timings are printed, never
 * asserted.
 */
import { describe, expect, it } from "vitest";
import { type Report, readReport } from "./reports";

interface PlotlyFigure {
  data: { type: string; x?: unknown[]; y?: unknown[] }[];
  layout: { title?: { text: string } };
}

function report(): Report {
  const r = readReport("06-going-faster");
  expect(r.ok).toBe(true);
  for (const cell of r.cells) expect(cell.stderr ?? "", `cell ${cell.index} (${cell.id}) stderr`).toBe("");
  return r;
}

describe("06-going-faster", { timeout: 60_000 }, () => {
  it("the demo through the object API, compile and by hand: the same final loss; compile bit-identical", () => {
    const text = report()
      .cells.map((c) => c.stdout ?? "")
      .join("");
    expect(text).toContain("final loss, object API : 0.010978370135492717\n");
    expect(text).toContain("final loss, compile    : 0.010978370135492717\n");
    expect(text).toContain("final loss, by hand    : 0.010978370135492717\n");
    expect(text).toContain("compile = object API at every step, to the last bit: true\n");
    expect(text).toContain("by hand = object API at every step, to the last bit: true\n");
    for (const name of ["Python micrograd", "object API", "compile \\+ capture", "compile replays"]) {
      expect(text).toMatch(
        new RegExp(`^${name} +\\d+\\.\\d ms per 100 steps +\\d+\\.\\dx slower than hand-written`, "m"),
      );
    }
    expect(text).toMatch(/^hand-written +\d+\.\d ms per 100 steps +the yardstick/m);
  });

  it("the capture examples: a replay equals the rebuilt graph; a value-dependent `if` is frozen, relu is not", () => {
    const text = report()
      .cells.map((c) => c.stdout ?? "")
      .join("");
    expect(text).toContain("instructions: 5 (leaves a and b, one weighted sum, tanh)\n");
    expect(text).toContain("replayed forward : 0.35835739835078595\nobject API       : 0.35835739835078595\n");
    expect(text).toContain("replay of |x| at x = -3: -3   object API: 3\n");
    expect(text).toContain("replay of relu(x) + relu(-x) at x = 5: 5\n");
    expect(text).toContain("replay of relu(x) + relu(-x) at x = -7: 7\n");
  });

  it("the seeded spirals: 371 parameters, final losses and accuracies, the charts", () => {
    const r = report();
    const text = r.cells.map((c) => c.stdout ?? "").join("");
    expect(text).toContain("points: 300 train: 240 validation: 60\n");
    // Captured in creation order, more products sit next to their sums and fuse (4,437 and 9,132 in depth-first order).
    expect(text).toContain(
      "parameters: 371  training graph: 3604 instructions,  validation graph: 7332 instructions\n",
    );
    expect(text).toContain("final minibatch loss 0.06369120939329667\n");
    expect(text).toContain("final validation loss 0.1175423136413279\n");
    expect(text).toContain("train accuracy 98.75%\n");
    expect(text).toContain("validation accuracy 98.33333333333333%\n");
    const charts = r.cells
      .flatMap((c) => c.outputs ?? [])
      .map((o) => o.data?.["application/vnd.plotly.v1+json"] as PlotlyFigure | undefined)
      .filter((f): f is PlotlyFigure => f !== undefined);
    expect(charts.map((f) => f.data[0]?.type)).toEqual(["bar", "scatter", "scatter", "contour"]);
    expect(charts[0]?.data[0]?.x).toEqual([
      "Python micrograd",
      "object API",
      "compile + capture",
      "compile replays",
      "hand-written",
    ]);
    expect(charts[2]?.data.map((t) => (t.x as unknown[]).length)).toEqual([41, 41]); // steps 0, 25, …, 975, 999
    expect(charts[3]?.data.slice(1).map((t) => (t.x as unknown[]).length)).toEqual([100, 100, 100]);
  });
});
