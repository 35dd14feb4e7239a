/**
 * What a learner must see in each lecture, in the browser: every computation graph (cell, size in
 * Graphviz nodes, texts that must be on it) and every Plotly chart (cell, title, traces). Cells are
 * counted as in the .ipynb, markdown cells included, from 0. The same list checks the nbconvert export,
 * JupyterLab 4 and Notebook 7 (live and untrusted); a change to a lecture's pictures is a change here. A
 * notebook without an entry is still checked for errors, clipping and readability.
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
    charts: [{ cell: 4, title: "f(x) = 3x² − 4x + 5", traces: [lines(40)] }],
  },
  "02-backprop-by-hand": {
    graphs: [
      // the lecture's draw_dot, written in the notebook and laid out by @hpcc-js/wasm: L before backward()
      { cell: 11, nodes: 10, texts: [...LOSS_LABELS, "data 2.0000", "data -8.0000", "grad 0.0000"] },
      // the package's copy of L before backpropagation, by the package's drawDot: every grad 0
      { cell: 16, nodes: 10, texts: [...LOSS_LABELS, "data 2.0000", "data -3.0000", "data -8.0000", "grad 0.0000"] },
      // after the manual backward pass, by the notebook's draw_dot
      {
        cell: 18,
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
      // the neuron, o = tanh(n), gradients by hand, by the notebook's draw_dot
      {
        cell: 30,
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
      // a / b with the hand-written class, drawn by the notebook's draw_dot: a **-1 node and a * node
      { cell: 51, nodes: 6, texts: ["a", "b", "q", "*", "**-1", "data 0.5000", "grad 0.2500", "grad -0.1250"] },
      // tanh written with exp (the lecture's second half, cell 11) with the notebook's class, drawn by its
      // draw_dot: the same gradients through more nodes (the lecture leaves e unlabelled)
      { cell: 55, nodes: 28, texts: [...NEURON_LABELS, "exp", "**-1", "data 0.7071", "grad -1.5000"] },
      // the neuron written in the notebook, right after o.backward(), by draw_dot
      { cell: 67, nodes: 15, texts: [...NEURON_LABELS, "tanh", "data 0.7071", "grad 1.0000", "grad -1.5000"] },
      // b = a + a after backward: a.grad 2, by draw_dot
      { cell: 69, nodes: 3, texts: ["a", "b", "+", "data 3.0000", "grad 2.0000"] },
      // a value used twice: gradients accumulate, by draw_dot
      { cell: 71, nodes: 8, texts: ["a", "b", "d", "e", "f", "*", "+", "grad -3.0000", "grad -8.0000"] },
      // animateBackward(L): one output updated in place (5 frames), its last frame drawDot's after backward()
      { cell: 74, nodes: 10, texts: [...LOSS_LABELS, "grad 6.0000", "grad -4.0000", "grad 1.0000"] },
      // animateBackward on the tanh neuron (7 frames), ending as drawDot(o)
      { cell: 76, nodes: 15, texts: [...NEURON_LABELS, "tanh", "grad 0.5000", "grad -1.5000"] },
      // view: "steps": the 5 frames of L side by side in one output (the first checked: before any step)
      ...Array.from({ length: 5 }, () => ({
        cell: 78,
        nodes: 10,
        texts: [...LOSS_LABELS, "L.grad = 1: backward() starts at the output (dL/dL = 1)", "grad 0.0000"],
      })),
    ],
    charts: [{ cell: 24, title: "tanh(x)", traces: [lines(50)] }],
  },
  "03-engine-testing": {
    graphs: [
      // the tutorial's drawings (style "tutorial": { op | data | grad }, no labels, no operation nodes)
      { cell: 3, nodes: 7, texts: ["*", "+", "data -8.0000", "data 10.0000", "grad 0.0000"] },
      { cell: 5, nodes: 9, texts: ["+", "*", "data -6.0000", "data -5.0000", "grad 0.0000", "grad -2.0000"] },
      { cell: 7, nodes: 10, texts: ["tanh", "data 0.7071", "data 6.8814", "grad -1.5000", "grad 0.5000"] },
      {
        cell: 19,
        nodes: 6,
        texts: ["a", "b", "q", "*", "**-1", "data 0.7500", "grad 0.2500", "grad -0.1875"],
      },
    ],
    charts: [],
  },
  "04-mlp-training": {
    // the package's copy of the notebook's MLP(3, [4, 4, 1]) on one input: 126 values, 73 operations; its output is 0.4277
    graphs: [
      { cell: 11, nodes: 199, texts: ["tanh", "+", "*", "data 0.4277"] },
      // micrograd's trace_graph.ipynb: relu(2x + 1) in LR and TB, the seeded Neuron(2) in LR and TB
      { cell: 37, nodes: 9, texts: ["ReLU", "data 3.0000", "grad 2.0000"] },
      { cell: 37, nodes: 9, texts: ["ReLU", "data 3.0000", "grad 2.0000"] },
      { cell: 39, nodes: 15, texts: ["ReLU", "data 0.1024", "grad 0.2355"] },
      { cell: 40, nodes: 15, texts: ["ReLU", "data 0.1024", "grad 0.2355"] },
      // the dead ReLU, clustered by neuron, zero grads grey
      { cell: 42, nodes: 15, texts: ["neuron (ReLU)", "w0", "w1", "b", "grad 0.0000"] },
      // liveTraining's network option: the network's picture (3 inputs and 9 neurons, each a "node")
      {
        cell: 45,
        nodes: 12,
        texts: ["MLP(3, [4, 4, 1]): 41 parameters, after step 100/100", "layer 3: 1 tanh", "x0 = 2.00", "0.96"],
      },
    ],
    charts: [
      { cell: 21, title: "squared-error loss", traces: [lines(20)] }, // the live curve, final state
      { cell: 33, title: "training loss", traces: [lines(20)] },
      { cell: 45, title: "squared-error loss, with the network on x = [2, 3, −1]", traces: [lines(100)] },
    ],
  },
  "05-moons-demo": {
    graphs: [
      // liveTraining's network option on micrograd's demo network: 2 inputs and 33 neurons
      { cell: 11, nodes: 35, texts: ["MLP(2, [16, 16, 1]): 337 parameters, after step 100/100", "layer 2: 16 ReLU"] },
    ],
    charts: [
      { cell: 1, title: "the demo's moons (labels −1 and +1)", traces: [markers(50), markers(50)] },
      { cell: 11, title: "max-margin loss (the package's network)", traces: [lines(100), lines(100)] }, // live
      {
        cell: 13,
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
        title: "micrograd's demo, 100 steps: milliseconds (log scale)",
        traces: [{ type: "bar", points: 5 }],
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

/**
 * Pictures updated in place while a cell runs (animateBackward, liveTraining's network picture): for
 * each, the fewest distinct pictures its one output must show over the run. The neuron's animation has
 * 7 steps, L's 5; a live picture's count depends on the machine's speed (its run lasts ~3 s: about 15
 * redraws), so 3 is asked.
 */
export const ANIMATED: Record<string, number[]> = {
  "02-backprop-by-hand": [7, 5],
  "04-mlp-training": [3],
  "05-moons-demo": [3],
};
