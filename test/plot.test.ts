/**
 * The figures as JSON: what each helper builds (traces, axes), numpy-exact grids, the decision boundary
 * of a hand-set network, and the errors bad input gets. Numbers marked "numpy" were printed by numpy
 * 1.24 (`np.arange(...).tolist()`).
 */
import { describe, expect, it } from "vitest";
import {
  arange,
  type ContourTrace,
  decisionBoundary,
  demoMoons,
  type Figure,
  linePlot,
  lossCurve,
  MLP,
  plot,
  type ScatterTrace,
  scatter2d,
  seed,
  Value,
} from "../src";

const scatterAt = (f: Figure, i: number) => f.data[i] as ScatterTrace;

describe("arange: numpy's values to the last bit", () => {
  it("gives the lecture's 40 x values for arange(-5, 5, 0.25)", () => {
    const xs = arange(-5, 5, 0.25);
    expect(xs).toHaveLength(40);
    expect(xs[0]).toBe(-5);
    expect(xs[39]).toBe(4.75);
  });

  it("counts as numpy does: ceil((stop − start)/step), so arange(1, 1.3, 0.1) has 4 values", () => {
    expect(arange(1, 1.3, 0.1)).toEqual([1.0, 1.1, 1.2000000000000002, 1.3000000000000003]); // numpy
    expect(arange(0, 1, 0.1)).toEqual([
      0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9,
    ]); // numpy
  });

  it("fills start + i·((start + step) − start), as numpy, not start + i·step", () => {
    // numpy: np.arange(0.1, 0.1 + 3, 0.25); the naive start + i*step gives 0.85 at i = 3
    expect(arange(0.1, 0.1 + 3, 0.25)).toEqual([
      0.1, 0.35, 0.6, 0.8499999999999999, 1.0999999999999999, 1.3499999999999999, 1.5999999999999999,
      1.8499999999999999, 2.0999999999999996, 2.3499999999999996, 2.5999999999999996, 2.8499999999999996,
    ]);
  });

  it("is empty when the range is, descends with a negative step, and rejects a zero or non-finite step", () => {
    expect(arange(1, 1, 0.5)).toEqual([]);
    expect(arange(2, 1, 0.5)).toEqual([]);
    expect(arange(1, 0, -0.5)).toEqual([1, 0.5]);
    expect(() => arange(0, 1, 0)).toThrow("non-zero step");
    expect(() => arange(0, Number.NaN, 1)).toThrow("finite number as stop");
  });
});

describe("linePlot", () => {
  it("draws the lecture's f(x) = 3x² − 4x + 5 over arange(-5, 5, 0.25) as one line", () => {
    const f = (x: number) => 3 * x ** 2 - 4 * x + 5;
    const fig = linePlot(arange(-5, 5, 0.25), f, { title: "f(x) = 3x² − 4x + 5" });
    expect(fig.data).toHaveLength(1);
    const t = scatterAt(fig, 0);
    expect(t.type).toBe("scatter");
    expect(t.mode).toBe("lines");
    expect(t.x).toHaveLength(40);
    expect(t.y[0]).toBe(100); // f(-5)
    expect(t.y[20]).toBe(5); // f(0)
    expect(t.y[39]).toBe(f(4.75));
    expect(fig.layout.title).toEqual({ text: "f(x) = 3x² − 4x + 5" });
    expect(fig.layout.xaxis?.title).toEqual({ text: "x" });
    expect(fig.layout.yaxis?.title).toEqual({ text: "y" });
    expect(fig.layout.showlegend).toBe(false);
  });

  it("draws tanh from arrays too, typed arrays included, with the options given", () => {
    const xs = arange(-5, 5, 0.2);
    const fig = linePlot(Float64Array.from(xs), xs.map(Math.tanh), {
      name: "tanh",
      xTitle: "x",
      yTitle: "tanh(x)",
      mode: "lines+markers",
      color: "#d62728",
      height: 300,
      width: 500,
    });
    const t = scatterAt(fig, 0);
    expect(Array.isArray(t.x)).toBe(true);
    expect(t.x).toEqual(xs);
    expect(t.y).toEqual(xs.map(Math.tanh));
    expect(t).toMatchObject({ name: "tanh", mode: "lines+markers", line: { color: "#d62728" } });
    expect(fig.layout).toMatchObject({ height: 300, width: 500, yaxis: { title: { text: "tanh(x)" } } });
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig); // plain JSON data
  });

  it("names the bad value: NaN, Infinity, mismatched lengths, empty series, a function giving NaN", () => {
    expect(() => linePlot([0, 1, 2], [0, Number.NaN, 2])).toThrow("linePlot: ys[1] is NaN (at x = 1)");
    expect(() => linePlot([0, Number.POSITIVE_INFINITY], [0, 1])).toThrow("linePlot: xs[1] is Infinity");
    expect(() => linePlot([0, 1, 2], [0, 1])).toThrow("ys has 2 values but x has 3");
    expect(() => linePlot([], [])).toThrow("linePlot: xs is empty");
    expect(() => linePlot([-1, 0, 1], Math.log)).toThrow("the function gave NaN at xs[0] = -1");
    expect(() => linePlot([0, 1], ["a", 1] as unknown as number[])).toThrow('ys[0] is the string "a"');
  });
});

describe("lossCurve", () => {
  it("plots plain losses against their index", () => {
    const fig = lossCurve([3, 2, 1.5]);
    expect(fig.data).toHaveLength(1);
    expect(scatterAt(fig, 0)).toMatchObject({
      type: "scatter",
      mode: "lines",
      name: "loss",
      x: [0, 1, 2],
      y: [3, 2, 1.5],
    });
    expect(fig.layout.xaxis?.title).toEqual({ text: "step" });
    expect(fig.layout.yaxis?.title).toEqual({ text: "loss" });
    expect(fig.layout.yaxis2).toBeUndefined();
  });

  it("plots { step, loss, accuracy } records: accuracy dotted on a second axis in %", () => {
    const fig = lossCurve(
      [
        { step: 0, loss: 0.9, accuracy: 0.5 },
        { step: 5, loss: 0.4, accuracy: 0.8 },
        { step: 10, loss: 0.1, accuracy: 1 },
      ],
      { steps: 100, logY: true, title: "training" },
    );
    expect(fig.data).toHaveLength(2);
    expect(scatterAt(fig, 0)).toMatchObject({ name: "loss", x: [0, 5, 10], y: [0.9, 0.4, 0.1] });
    expect(scatterAt(fig, 1)).toMatchObject({
      name: "accuracy",
      x: [0, 5, 10],
      y: [0.5, 0.8, 1],
      yaxis: "y2",
      line: { dash: "dot" },
    });
    expect(fig.layout.yaxis2).toMatchObject({ overlaying: "y", side: "right", tickformat: ".0%", range: [0, 1.02] });
    expect(fig.layout.yaxis?.type).toBe("log");
    expect(fig.layout.xaxis?.range).toEqual([0, 99]);
    expect(fig.layout.showlegend).toBe(true);
  });

  it("shows a single step as a marker (a one-point line draws nothing)", () => {
    expect(scatterAt(lossCurve([0.7]), 0).mode).toBe("lines+markers");
  });

  it("names the bad record", () => {
    expect(() => lossCurve([])).toThrow("lossCurve: the history is empty");
    expect(() => lossCurve([1, Number.NaN])).toThrow("lossCurve: history[1].loss is NaN (at step 1)");
    expect(() =>
      lossCurve([
        { step: 0, loss: 1 },
        { step: 0, loss: 1 },
      ]),
    ).toThrow("steps must increase");
    expect(() => lossCurve([{ loss: 1, accuracy: 87 }])).toThrow("history[0].accuracy is 87; accuracies are fractions");
    expect(() => lossCurve([{ loss: 1, accuracy: 0.5 }, { loss: 1 }])).toThrow("history[1] lacks an accuracy");
  });
});

describe("scatter2d", () => {
  it("draws the demo's moons as one marker trace per label, in the demo's Spectral colours", () => {
    const { X, y } = demoMoons();
    const fig = scatter2d(X, y);
    expect(fig.data).toHaveLength(2);
    const [neg, pos] = [scatterAt(fig, 0), scatterAt(fig, 1)];
    expect(neg).toMatchObject({ type: "scatter", mode: "markers", name: "y = -1", marker: { color: "#9e0142" } });
    expect(pos).toMatchObject({ name: "y = 1", marker: { color: "#5e4fa2" } });
    expect(neg.x.length + pos.x.length).toBe(100);
    expect(neg.x).toEqual(X.filter((_, i) => y[i] === -1).map((p) => p[0]));
    expect(pos.y).toEqual(X.filter((_, i) => y[i] === 1).map((p) => p[1]));
    expect(fig.layout.showlegend).toBe(true);
  });

  it("takes any labels, e.g. three classes, sorted", () => {
    const fig = scatter2d(
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      [2, 0, 1],
    );
    expect(fig.data.map((t) => t.name)).toEqual(["y = 0", "y = 1", "y = 2"]);
    expect(scatterAt(fig, 0).x).toEqual([1]);
  });

  it("names the bad point or label", () => {
    expect(() => scatter2d([[0, 1]], [1, 1])).toThrow("1 points but 2 labels");
    expect(() => scatter2d([[0, Number.NaN]], [1])).toThrow("scatter2d: points[0][1] is NaN");
    expect(() => scatter2d([[0, 1, 2]], [1])).toThrow("points[0] is");
    expect(() => scatter2d([], [])).toThrow("no points");
  });
});

describe("decisionBoundary", () => {
  /** MLP(2, [2, 1]) set by hand: h = (relu(x), relu(y)), score = h₀ − h₁ − 0.25. */
  function handSet(): MLP {
    const model = new MLP(2, [2, 1]);
    const values = [1, 0, 0, 0, 1, 0, 1, -1, -0.25]; // neuron 1: w, b; neuron 2: w, b; output: w, b
    model.parameters().forEach((p, i) => {
      p.data = values[i] as number;
    });
    return model;
  }
  const points = [
    [0, 0],
    [1, 0],
    [0, 1],
  ];
  const labels = [-1, 1, -1];

  it("evaluates the hand-set network on numpy's grid over the data's range ± 1 and contours score > 0", () => {
    const fig = decisionBoundary(handSet(), points, labels, { h: 0.5 });
    const c = fig.data[0] as ContourTrace;
    expect(c.type).toBe("contour");
    expect(c.x).toEqual([-1, -0.5, 0, 0.5, 1, 1.5]); // np.arange(-1, 2, 0.5)
    expect(c.y).toEqual([-1, -0.5, 0, 0.5, 1, 1.5]);
    const relu = (v: number) => Math.max(0, v);
    expect(c.z).toEqual(c.y.map((y) => c.x.map((x) => (relu(x) - relu(y) - 0.25 > 0 ? 1 : 0))));
    expect(c.z).toEqual([
      [0, 0, 0, 1, 1, 1],
      [0, 0, 0, 1, 1, 1],
      [0, 0, 0, 1, 1, 1],
      [0, 0, 0, 0, 1, 1],
      [0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(c.contours).toEqual({ start: 0.5, end: 0.5, size: 1, coloring: "fill" });
    expect(c.colorscale).toEqual([
      [0, "#9e0142"],
      [1, "#5e4fa2"],
    ]);
    // the points on top, one trace per label
    expect(fig.data.slice(1).map((t) => [t.name, (t as ScatterTrace).x])).toEqual([
      ["y = -1", [0, 0]],
      ["y = 1", [1]],
    ]);
    expect(fig.layout.xaxis?.range).toEqual([-1, 1.5]);
    expect(fig.layout.yaxis?.range).toEqual([-1, 1.5]);
  });

  it("takes a scoring function (numbers or Values) as the model, and a margin", () => {
    const fig = decisionBoundary((x) => new Value(x[0] as number).sub(x[1] as number), points, labels, {
      h: 1,
      margin: 0.5,
    });
    const c = fig.data[0] as ContourTrace;
    expect(c.x).toEqual([-0.5, 0.5]); // np.arange(-0.5, 1.5, 1)
    expect(c.z).toEqual([
      [0, 1],
      [0, 0],
    ]);
  });

  it("gives the demo's 21 × 15 grid (numpy's arange, h = 0.25) on the demo's moons", () => {
    const { X, y } = demoMoons();
    seed(1337);
    const model = new MLP(2, [16, 16, 1]);
    const fig = decisionBoundary(model, X, y, { h: 0.25 });
    const c = fig.data[0] as ContourTrace;
    expect(c.x).toHaveLength(21);
    expect(c.y).toHaveLength(15);
    expect(c.z).toHaveLength(15);
    for (const row of c.z) expect(row).toHaveLength(21);
    // numpy: np.arange(X[:,0].min() - 1, X[:,0].max() + 1, 0.25) and the same for X[:,1]
    expect([c.x[0], c.x[1], c.x[8], c.x[20]]).toEqual([
      -2.0221939055140945, -1.7721939055140945, -0.022193905514094503, 2.9778060944859055,
    ]);
    expect([c.y[0], c.y[6], c.y[14]]).toEqual([-1.548639298268643, -0.048639298268642994, 1.951360701731357]);
    for (const [i, j] of [
      [0, 0],
      [20, 0],
      [10, 7],
      [20, 14],
    ] as const) {
      expect(c.z[j]?.[i]).toBe(model.output([c.x[i] as number, c.y[j] as number]).data > 0 ? 1 : 0);
    }
    expect(fig.data.slice(1).map((t) => (t as ScatterTrace).x.length)).toEqual([50, 50]);
  });

  it("rejects a model without output(), a bad h and a grid too small to contour", () => {
    expect(() => decisionBoundary({} as never, points, labels)).toThrow("a model with output(x)");
    expect(() => decisionBoundary(handSet(), points, labels, { h: 0 })).toThrow(
      "decisionBoundary expects h to be a finite number > 0, got 0",
    );
    expect(() => decisionBoundary(handSet(), points, labels, { h: 5 })).toThrow("1 × 1 grid");
    expect(() => decisionBoundary(() => Number.NaN, points, labels)).toThrow("the model's score at (-1, -1) is NaN");
  });
});

describe("plot outside a notebook", () => {
  it("returns the figure (with default chart options) and a self-contained HTML fragment", () => {
    const out = plot(linePlot([0, 1], [1, 0], { title: "t" }));
    expect(out).toBeDefined();
    const { figure, html } = out as NonNullable<typeof out>;
    expect(figure.config).toEqual({ responsive: true, displaylogo: false });
    expect(html).toContain('window.Plotly.version === "4.1.2"');
    expect(html.length).toBeGreaterThan(4_000_000); // plotly.js itself
    expect(html).toContain('class="mgts-plot"');
  });

  it("refuses figures that would draw nothing, naming the trace and value", () => {
    expect(() => plot({ data: [], layout: {} })).toThrow("the figure has no traces");
    const bad: Figure = {
      data: [{ type: "scatter", mode: "lines", name: "f", x: [0, 1, 2], y: [0, Number.POSITIVE_INFINITY, 2] }],
      layout: {},
    };
    expect(() => plot(bad)).toThrow('plot: data[0] ("f").y[1] is Infinity (at x = 1)');
    const ragged: Figure = { data: [{ type: "contour", x: [0, 1], y: [0, 1], z: [[0, 1], [1]] }], layout: {} };
    expect(() => plot(ragged)).toThrow("data[0].z[1] has 1 values, x has 2");
    expect(() => plot({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} })).not.toThrow();
  });
});
