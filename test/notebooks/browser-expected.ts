/**
 * What a learner must see in each lecture, in the browser: every computation graph (cell, size in
 * Graphviz nodes, texts that must be on it) and every Plotly chart (cell, title, traces). Cells are
 * counted as in the .ipynb, markdown cells included, from 0. The same list checks the nbconvert export
 * and the live classic Notebook; a change to a lecture's pictures is a change here.
 */

export interface ExpectedGraph {
  /** The cell whose output holds the drawing. */
  cell: number;
  /** Graphviz nodes (`g.node`): values plus operations ("graph: 7 values, 3 operations" → 10). */
  nodes: number;
  /** Texts that must appear on the drawing: labels, operations, "data …" and "grad …" fields. */
  texts: string[];
}

export interface ExpectedTrace {
  type: "scatter" | "contour" | "bar";
  /** For scatter traces: "lines" or "markers". */
  mode?: "lines" | "markers";
  /** Points in the trace (length of x). */
  points: number;
}

export interface ExpectedChart {
  cell: number;
  title: string;
  traces: ExpectedTrace[];
}

export interface ExpectedLecture {
  graphs: ExpectedGraph[];
  charts: ExpectedChart[];
}

const LOSS_LABELS = ["a", "b", "c", "e", "d", "f", "L", "*", "+"];
const NEURON_LABELS = ["x1", "x2", "w1", "w2", "b", "n", "o"];
const lines = (points: number): ExpectedTrace => ({ type: "scatter", mode: "lines", points });
const markers = (points: number): ExpectedTrace => ({ type: "scatter", mode: "markers", points });

export const EXPECTED: Record<string, ExpectedLecture> = {
  "01-derivatives": {
    graphs: [],
    charts: [{ cell: 3, title: "f(x) = 3x² − 4x + 5", traces: [lines(40)] }],
  },
  "02-backprop-by-hand": {
    graphs: [
      // L = d * f before backpropagation: every grad 0
      { cell: 7, nodes: 10, texts: [...LOSS_LABELS, "data 2.0000", "data -3.0000", "data -8.0000", "grad 0.0000"] },
      // after the manual backward pass
      {
        cell: 9,
        nodes: 10,
        texts: [
          ...LOSS_LABELS,
          "data -8.0000",
          "grad 1.0000",
          "grad 4.0000",
          "grad -2.0000",
          "grad 6.0000",
          "grad -4.0000",
        ],
      },
      // the neuron, o = tanh(n), gradients by hand
      {
        cell: 17,
        nodes: 15,
        texts: [
          ...NEURON_LABELS,
          "x1*w1",
          "x2*w2",
          "x1*w1 + x2*w2",
          "tanh",
          "data 0.7071",
          "grad 0.5000",
          "grad -1.5000",
        ],
      },
      // tanh written with exp: the same gradients through more nodes
      { cell: 25, nodes: 28, texts: [...NEURON_LABELS, "e", "exp", "**-1", "data 0.7071", "grad -1.5000"] },
      // a value used twice: gradients accumulate
      { cell: 29, nodes: 8, texts: ["a", "b", "d", "e", "f", "*", "+", "grad -3.0000", "grad -8.0000"] },
    ],
    charts: [],
  },
  "03-engine-testing": {
    graphs: [
      {
        cell: 7,
        nodes: 6,
        texts: ["a", "b", "q", "*", "**-1", "data 0.7500", "grad 0.2500", "grad -0.1875"],
      },
    ],
    charts: [],
  },
  "04-mlp-training": {
    // MLP(3, [4, 4, 1]) on one input: 126 values, 73 operations; its output is -0.2546
    graphs: [{ cell: 7, nodes: 199, texts: ["tanh", "+", "*", "data -0.2546"] }],
    charts: [
      { cell: 13, title: "squared-error loss", traces: [lines(50)] }, // the live curve, final state
      { cell: 17, title: "training loss", traces: [lines(50)] },
    ],
  },
  "05-moons-demo": {
    graphs: [],
    charts: [
      { cell: 1, title: "the demo's moons (labels −1 and +1)", traces: [markers(50), markers(50)] },
      { cell: 7, title: "max-margin loss", traces: [lines(100), lines(100)] }, // loss and accuracy, live
      {
        cell: 9,
        title: "decision boundary after 100 steps",
        traces: [{ type: "contour", points: 21 }, markers(50), markers(50)],
      },
    ],
  },
  "06-going-faster": {
    graphs: [],
    charts: [
      {
        cell: 8,
        title: "micrograd's demo, 100 steps: milliseconds (log scale), and x the hand-written time",
        traces: [{ type: "bar", points: 4 }],
      },
      { cell: 13, title: "three spirals (classes 0, 1, 2)", traces: [markers(100), markers(100), markers(100)] },
      { cell: 17, title: "cross-entropy while training", traces: [lines(41), lines(41)] },
      {
        cell: 19,
        title: "decision regions after 1000 steps",
        traces: [{ type: "contour", points: 41 }, markers(100), markers(100), markers(100)],
      },
    ],
  },
};
