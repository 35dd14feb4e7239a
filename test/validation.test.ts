/**
 * Bad input, table-driven over every public function and constructor: for each argument, values of the
 * wrong kind and out of range. Each must throw the expected TypeError/RangeError before changing
 * anything, with a message that names the function and the value, and no leaked internal error.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as mg from "../src";
import { Adam, Layer, MLP, Neuron, Random, SGD, Value } from "../src";

const require = createRequire(__filename);
/** The built package, loaded by Node's require: a second copy of micrograd-ts next to ../src. */
const other = require("../dist/index.js") as typeof mg;

const INTERNAL = [
  "is not a function",
  "Cannot read properties",
  "Maximum call stack",
  "is not iterable",
  "Cannot create property",
  "Cannot convert",
  "Invalid array length",
];

/** A Value of the other loaded copy: refused by name, with the fix. */
const incompatible = new other.Value(1);
const TWICE = "micrograd-ts is loaded twice, from";

type ErrorClass = typeof TypeError | typeof RangeError;
/** One bad value: a label, the value, the error it must raise, and text the message must contain. */
interface Bad {
  label: string;
  value: unknown;
  error: ErrorClass;
  shows: string;
}
const bad = (label: string, value: unknown, error: ErrorClass, shows: string): Bad => ({ label, value, error, shows });

// Wrong kinds for any argument that is not a number/Value.
const NOT_NUMBERS: Bad[] = [
  bad("NaN", Number.NaN, TypeError, "NaN"),
  bad("Infinity", Number.POSITIVE_INFINITY, TypeError, "Infinity"),
  bad("-Infinity", Number.NEGATIVE_INFINITY, TypeError, "-Infinity"),
  bad("a string", "2", TypeError, '"2"'),
  bad("null", null, TypeError, "null"),
  bad("an object", { a: 1 }, TypeError, "Object"),
  bad("an array", [1], TypeError, "Array"),
  bad("a BigInt", 10n, TypeError, "10n"),
  bad("a function", () => 1, TypeError, "function"),
  bad("a boolean", true, TypeError, "true"),
];
const NOT_VALUES: Bad[] = [
  bad("a number", 2, TypeError, "2"),
  bad("a string", "v", TypeError, '"v"'),
  bad("null", null, TypeError, "null"),
  bad("undefined", undefined, TypeError, "undefined"),
  bad("an object", { data: 1 }, TypeError, "Object"),
  bad("an array", [new Value(1)], TypeError, "Array"),
  bad("a BigInt", 10n, TypeError, "10n"),
  bad("a function", () => 1, TypeError, "function"),
  bad("another copy's Value", incompatible, TypeError, TWICE),
];
const NOT_OPERANDS: Bad[] = [
  ...NOT_NUMBERS.filter((b) => b.label !== "an array"),
  bad("undefined", undefined, TypeError, "undefined"),
  bad("an array", [1], TypeError, "Array"),
  bad("another copy's Value", incompatible, TypeError, TWICE),
];
const required = (list: Bad[]): Bad[] => [...list, bad("undefined", undefined, TypeError, "undefined")];
/** Wrong kinds for an array argument of Values. */
const NOT_VALUE_ARRAYS: Bad[] = [
  bad("a number", 5, TypeError, "5"),
  bad("a string", "abc", TypeError, '"abc"'),
  bad("null", null, TypeError, "null"),
  bad("undefined", undefined, TypeError, "undefined"),
  bad("an object", { length: 1 }, TypeError, "Object"),
  bad("a BigInt", 3n, TypeError, "3n"),
  bad("an uncalled method", new MLP(1, [1]).parameters, TypeError, "call it: parameters()"),
  bad("a model", new MLP(1, [1]), TypeError, "MLP"),
  bad("an array with a number", [new Value(1), 2], TypeError, "at index 1"),
  bad("an array with a string", [new Value(1), "x"], TypeError, '"x" at index 1'),
  bad("an array with NaN", [Number.NaN], TypeError, "NaN at index 0"),
  bad("an array with another copy's Value", [incompatible], TypeError, TWICE),
];
const EMPTY = bad("an empty array", [], RangeError, "empty array");
/** Wrong kinds for an options object (undefined is fine: no options). */
const NOT_OPTIONS: Bad[] = [
  bad("a number", 5, TypeError, "5"),
  bad("a string", "relu", TypeError, '"relu"'),
  bad("null", null, TypeError, "null"),
  bad("an array", [], TypeError, "Array"),
  bad("a BigInt", 1n, TypeError, "1n"),
  bad("a function", () => 1, TypeError, "function"),
  bad("a misspelt key", { bogusOption: 1 }, RangeError, '"bogusOption"'),
];
/** Wrong kinds for an optional string option. */
const NOT_STRINGS: Bad[] = [
  bad("a number", 5, TypeError, "5"),
  bad("null", null, TypeError, "null"),
  bad("an object", {}, TypeError, "Object"),
  bad("a BigInt", 1n, TypeError, "1n"),
];
const NOT_BOOLEANS: Bad[] = [
  bad("a string", "yes", TypeError, '"yes"'),
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
];
/** Bad values for a positive integer size. */
const BAD_SIZES: Bad[] = [
  ...required(NOT_NUMBERS),
  bad("0", 0, RangeError, "0"),
  bad("-1", -1, RangeError, "-1"),
  bad("1.5", 1.5, RangeError, "1.5"),
];
/** Bad values for a finite number that must be > 0. */
const BAD_POSITIVE: Bad[] = [...NOT_NUMBERS, bad("0", 0, RangeError, "0"), bad("-1", -1, RangeError, "-1")];
const BAD_NONNEGATIVE: Bad[] = [...NOT_NUMBERS, bad("-1", -1, RangeError, "-1")];

interface Row {
  /** The function as the message names it. */
  fn: string;
  /** The argument, for the test's name. */
  arg: string;
  call: (x: unknown) => unknown;
  bads: Bad[];
}
const rows: Row[] = [];
const add = (fn: string, arg: string, call: (x: unknown) => unknown, bads: Bad[]) => rows.push({ fn, arg, call, bads });
// Options: the whole object, then each option's bad values.
const addOptions = (fn: string, call: (opts: unknown) => unknown, options: Record<string, Bad[]> = {}) => {
  add(fn, "options", call, NOT_OPTIONS);
  for (const [key, bads] of Object.entries(options)) add(fn, `option ${key}`, (x) => call({ [key]: x }), bads);
};

const v = () => new Value(2);
// State that a failing call must leave as it was (checked after every case).
const shared = new Value(2, { label: "shared" });
const sharedRng = new Random(1);
const sharedLive = mg.liveTraining({ steps: 3, write: () => {} });
const values = (xs: number[]) => xs.map((x) => new Value(x));
const num = (x: unknown) => x as number;
const any = (x: unknown) => x as never;

// ---- the engine ----
add("Value", "data", (x) => new Value(num(x)), required(NOT_NUMBERS));
addOptions("Value", (o) => new Value(1, any(o)), { label: NOT_STRINGS });
add(
  "Value",
  "data (setter)",
  (x) => {
    shared.data = num(x);
  },
  required(NOT_NUMBERS),
);
add(
  "Value",
  "grad (setter)",
  (x) => {
    shared.grad = num(x);
  },
  required(NOT_NUMBERS),
);
for (const op of ["add", "mul", "sub", "div", "rsub", "rdiv"] as const) {
  add(op, "operand", (x) => v()[op](any(x)), NOT_OPERANDS);
}
add("pow", "exponent", (x) => v().pow(any(x)), NOT_OPERANDS);
add("topologicalOrder", "root", (x) => mg.topologicalOrder(any(x)), NOT_VALUES);
add("resetGrads", "root", (x) => mg.resetGrads(any(x)), NOT_VALUES);

// ---- nn ----
add("Neuron", "nin", (x) => new Neuron(num(x)), BAD_SIZES);
const NEURON_OPTION_BADS = {
  activation: [
    bad("sigmoid", "sigmoid", RangeError, '"sigmoid"'),
    bad("Tanh", "Tanh", RangeError, '"Tanh"'),
    bad("a number", 1, TypeError, "1"),
  ],
  bias: [bad("ones", "ones", RangeError, '"ones"'), bad("null", null, TypeError, "null")],
  rng: [
    bad("an object", {}, TypeError, "Object"),
    bad("Math", Math, TypeError, "Object"),
    bad("a number", 42, TypeError, "42"),
    bad("null", null, TypeError, "null"),
  ],
  maxParameters: [...NOT_NUMBERS, bad("0", 0, RangeError, "0"), bad("2.5", 2.5, RangeError, "2.5")],
};
addOptions("Neuron", (o) => new Neuron(2, any(o)), { ...NEURON_OPTION_BADS, nonlin: NOT_BOOLEANS });
add("Layer", "nin", (x) => new Layer(num(x), 2), BAD_SIZES);
add("Layer", "nout", (x) => new Layer(2, num(x)), BAD_SIZES);
addOptions("Layer", (o) => new Layer(2, 2, any(o)), NEURON_OPTION_BADS);
add("MLP", "nin", (x) => new MLP(num(x), [2]), BAD_SIZES);
add("MLP", "nouts", (x) => new MLP(2, any(x)), [
  ...NOT_VALUE_ARRAYS.slice(0, 6),
  bad("an empty array", [], RangeError, "empty array"),
  bad("[2, 0]", [2, 0], RangeError, "nouts[1]"),
  bad('[2, "3"]', [2, "3"], TypeError, '"3"'),
  bad("[NaN]", [Number.NaN], TypeError, "NaN"),
]);
addOptions("MLP", (o) => new MLP(2, [2], any(o)), { ...NEURON_OPTION_BADS, nonlinOutput: NOT_BOOLEANS });
add("MLP.lecture", "rng", (x) => MLP.lecture(2, [2], any(x)), NEURON_OPTION_BADS.rng.slice(0, 3));
const [neuron2, layer23, mlp231] = [new Neuron(2), new Layer(2, 3), new MLP(2, [3, 1])];
const INPUT_BADS = (n: number): Bad[] => [
  ...NOT_VALUE_ARRAYS.slice(0, 6),
  bad("too few inputs", [1], RangeError, `${n} inputs, got 1`),
  bad("a string input", [1, "x"], TypeError, '"x" at index 1'),
  bad("a NaN input", [1, Number.NaN], TypeError, "NaN at index 1"),
  bad("another copy's Value", [1, incompatible], TypeError, TWICE),
];
add("Neuron.forward", "x", (x) => neuron2.forward(any(x)), INPUT_BADS(2));
add("Layer.forward", "x", (x) => layer23.forward(any(x)), INPUT_BADS(2));
add("MLP.forward", "x", (x) => mlp231.forward(any(x)), INPUT_BADS(2));
add("MLP.forward", "x (through output)", (x) => mlp231.output(any(x)), INPUT_BADS(2));

// ---- losses ----
const LABEL_BADS: Bad[] = [
  ...NOT_VALUE_ARRAYS.slice(0, 6),
  EMPTY,
  bad("the string label", ["1"], TypeError, '"1" at index 0'),
  bad("label 0", [0], RangeError, "got 0 at index 0"),
  bad("label 2", [2], RangeError, "got 2 at index 0"),
  bad("label NaN", [Number.NaN], RangeError, "NaN at index 0"),
];
add("squaredError", "predictions", (x) => mg.squaredError(any(x), [1]), [...NOT_VALUE_ARRAYS, EMPTY]);
add("squaredError", "targets", (x) => mg.squaredError(values([1]), any(x)), [
  ...NOT_VALUE_ARRAYS.slice(0, 6),
  bad("a string target", ["1"], TypeError, '"1" at index 0'),
  bad("too many targets", [1, 2], RangeError, "1 predictions and 2 targets"),
]);
addOptions("squaredError", (o) => mg.squaredError(values([1]), [1], any(o)), {
  reduction: [bad("avg", "avg", RangeError, '"avg"'), bad("a number", 1, TypeError, "1")],
});
add("mse", "predictions", (x) => mg.mse(any(x), [1]), [...NOT_VALUE_ARRAYS, EMPTY]);
add("maxMargin", "scores", (x) => mg.maxMargin(any(x), [1]), [
  ...NOT_VALUE_ARRAYS,
  EMPTY,
  bad("numbers as scores", [0.5], TypeError, "0.5 at index 0"),
]);
add("maxMargin", "labels", (x) => mg.maxMargin(values([1]), any(x)), LABEL_BADS);
addOptions("maxMargin", (o) => mg.maxMargin(values([1]), [1], any(o)), {
  alpha: [...NOT_NUMBERS, bad("-1", -1, RangeError, "-1")],
  parameters: NOT_VALUE_ARRAYS.filter((b) => b.value !== undefined),
});
add("accuracy", "scores", (x) => mg.accuracy(any(x), [1]), [
  ...NOT_VALUE_ARRAYS.slice(0, 6),
  EMPTY,
  bad("a string score", ["1"], TypeError, '"1"'),
  bad("a NaN score", [Number.NaN], TypeError, "NaN"),
  bad("a two-element score", [[1, 2]], TypeError, "Array"),
]);
add("accuracy", "labels", (x) => mg.accuracy([1], any(x)), LABEL_BADS);
add("softmax", "logits", (x) => mg.softmax(any(x)), [...NOT_VALUE_ARRAYS, EMPTY]);
add("crossEntropy", "logits", (x) => mg.crossEntropy(any(x), 0), [...NOT_VALUE_ARRAYS, EMPTY]);
add("crossEntropy", "target", (x) => mg.crossEntropy(values([1, 2]), num(x)), [
  ...required(NOT_NUMBERS),
  bad("2", 2, RangeError, "2"),
  bad("-1", -1, RangeError, "-1"),
  bad("0.5", 0.5, RangeError, "0.5"),
]);
add("sum", "values", (x) => mg.sum(any(x)), [...NOT_VALUE_ARRAYS, EMPTY]);

// ---- optimizers ----
for (const [name, make] of [
  ["SGD", (p: unknown, o: unknown) => new SGD(any(p), any(o === undefined ? { lr: 0.1 } : o))],
  ["Adam", (p: unknown, o: unknown) => new Adam(any(p), any(o))],
] as const) {
  add(name, "parameters", (x) => make(x, undefined), [...NOT_VALUE_ARRAYS, EMPTY]);
  const lr = [...NOT_NUMBERS.filter((b) => b.label !== "a function"), bad("-0.1", -0.1, RangeError, "-0.1")];
  add(name, "option lr", (x) => make([v()], { lr: x }), lr);
  add(name, "options", (o) => make([v()], o), NOT_OPTIONS);
}
add("SGD", "options (none)", (o) => new SGD([v()], any(o)), [bad("undefined", undefined, TypeError, "undefined")]);
add("Adam", "option beta1", (x) => new Adam([v()], { beta1: num(x) }), [
  ...NOT_NUMBERS,
  bad("1", 1, RangeError, "1"),
  bad("-0.1", -0.1, RangeError, "-0.1"),
]);
add("Adam", "option beta2", (x) => new Adam([v()], { beta2: num(x) }), [bad("1.5", 1.5, RangeError, "1.5")]);
add("Adam", "option eps", (x) => new Adam([v()], { eps: num(x) }), BAD_POSITIVE);
add("Adam", "option weightDecay", (x) => new Adam([v()], { weightDecay: num(x) }), BAD_NONNEGATIVE);
add("lr(0)", "schedule's result", (x) => new SGD([shared], { lr: () => num(x) }).step(), [
  ...NOT_NUMBERS.filter((b) => b.label !== "an array"),
  bad("-1", -1, RangeError, "-1"),
]);

// ---- random ----
const SEED_BADS = [...NOT_NUMBERS.filter((b) => b.label !== "a BigInt"), bad("1.5", 1.5, TypeError, "1.5")];
add("seed", "n", (x) => mg.seed(any(x)), SEED_BADS);
add("seed", "n (new Random)", (x) => new Random(any(x)), SEED_BADS);
add("uniform", "a", (x) => sharedRng.uniform(num(x), 1), required(NOT_NUMBERS));
add("uniform", "b", (x) => sharedRng.uniform(-1e308, num(x)), [
  ...required(NOT_NUMBERS),
  bad("b - a overflows", 1e308, RangeError, "overflows"),
]);
add("gauss", "mu", (x) => sharedRng.gauss(num(x), 1e307), [
  ...NOT_NUMBERS,
  bad("huge", 1.7e308, RangeError, "1.7e+308"),
]);
add("gauss", "sigma", (x) => sharedRng.gauss(0, num(x)), [...NOT_NUMBERS, bad("huge", 1e308, RangeError, "1e+308")]);
add("shuffle", "items", (x) => sharedRng.shuffle(any(x)), NOT_VALUE_ARRAYS.slice(0, 6));

// ---- data ----
add("makeMoons", "n", (x) => mg.makeMoons(num(x)), [
  ...BAD_SIZES,
  bad("1", 1, RangeError, "1"),
  bad("2^31", 2 ** 31, RangeError, "2147483648"),
]);
add("makeMoons", "noise", (x) => mg.makeMoons(10, num(x)), [
  ...BAD_NONNEGATIVE,
  bad("1e308", 1e308, RangeError, "1e+308"),
]);
add("makeMoons", "rng", (x) => mg.makeMoons(10, 0.1, any(x)), [
  bad("an object", {}, TypeError, "Object"),
  bad("a number", 3, TypeError, "3"),
  bad("null", null, TypeError, "null"),
]);

add("makeSpirals", "perClass", (x) => mg.makeSpirals(num(x)), [...BAD_SIZES, bad("1", 1, RangeError, "1")]);
add("makeSpirals", "classes", (x) => mg.makeSpirals(10, num(x)), [...NOT_NUMBERS, bad("1", 1, RangeError, "1")]);
add("makeSpirals", "noise", (x) => mg.makeSpirals(10, 3, num(x)), BAD_NONNEGATIVE);
add("makeSpirals", "rng", (x) => mg.makeSpirals(10, 3, 0.1, any(x)), [
  bad("an object", {}, TypeError, "Object"),
  bad("a number", 3, TypeError, "3"),
  bad("null", null, TypeError, "null"),
]);

// ---- compile ----
add("compile", "fn", (x) => mg.compile(any(x)), [
  bad("a number", 1, TypeError, "1"),
  bad("a Value", v(), TypeError, "Value(data="),
  bad("null", null, TypeError, "null"),
  bad("a function returning a number", () => 1, TypeError, "got 1"),
  bad("a function returning a string", () => "L", TypeError, '"L"'),
]);

// A backward pass that meets a gradient that is not finite (√x or x⁰ at 0), through compile's backward()
// and through animateBackward: backward()'s RangeError, and no grad changed (shared's among them).
const atZero = (k: unknown) => shared.mul(0).pow(num(k));
const NOT_FINITE_GRADIENTS: Bad[] = [
  bad("√x at 0", 0.5, RangeError, "pow: 0 ** 0.5 (local derivative Infinity"),
  bad("x⁰ at 0", 0, RangeError, "pow: 0 ** 0 (local derivative NaN"),
];
add(
  "backward",
  "compile(fn).backward()",
  (k) => {
    const graph = mg.compile(() => atZero(k));
    graph.forward();
    graph.backward();
  },
  NOT_FINITE_GRADIENTS,
);
add("backward", "animateBackward(root)", (k) => mg.animateBackward(atZero(k)), NOT_FINITE_GRADIENTS);

// ---- pyFloat ----
add("pyFloat", "x", (x) => mg.pyFloat(num(x)), [
  bad("a string", "1", TypeError, '"1"'),
  bad("null", null, TypeError, "null"),
  bad("a BigInt", 1n, TypeError, "1n"),
  bad("a Value", v(), TypeError, "Value(data="),
]);

// ---- gradcheck ----
const square = ([x]: Value[]) => (x as Value).mul(x as Value);
add("gradcheck", "f", (x) => mg.gradcheck(any(x), [1]), [
  bad("a number", 1, TypeError, "1"),
  bad("a Value", v(), TypeError, "Value(data="),
  bad("null", null, TypeError, "null"),
  bad("a function returning a number", () => 1, TypeError, "got 1"),
]);
add("gradcheck", "inputs", (x) => mg.gradcheck(square, any(x)), [
  ...NOT_VALUE_ARRAYS.slice(0, 6),
  EMPTY,
  bad("a string input", ["1"], TypeError, '"1" at index 0'),
  bad("an Infinity input", [Number.POSITIVE_INFINITY], TypeError, "Infinity at index 0"),
]);
addOptions("gradcheck", (o) => mg.gradcheck(square, [1], any(o)), { eps: BAD_POSITIVE });

// ---- display ----
const L = new Value(2).mul(3);
for (const [name, draw] of [
  ["toDot", mg.toDot],
  ["trace", mg.trace],
  ["drawDot", mg.drawDot],
] as const) {
  add(
    name,
    "root",
    (x) => draw(any(x)),
    NOT_VALUES.filter((b) => b.label !== "undefined"),
  );
}
const DOT_OPTION_BADS = {
  rankdir: [bad("RL", "RL", RangeError, '"RL"'), bad("a number", 1, TypeError, "1")],
  show: [bad("both", "both", RangeError, '"both"'), bad("null", null, TypeError, "null")],
  markGrads: NOT_BOOLEANS,
  model: [bad("an object", {}, TypeError, "Object"), bad("a number", 1, TypeError, "1")],
  style: [bad("Tutorial", "Tutorial", RangeError, '"Tutorial"'), bad("a number", 1, TypeError, "1")],
};
addOptions("toDot", (o) => mg.toDot(L, any(o)), DOT_OPTION_BADS);
const { markGrads: _markGrads, style: _style, ...DOT_OPTION_BADS_NO_MARKS } = DOT_OPTION_BADS; // (animateBackward has neither)
addOptions("drawDot", (o) => mg.drawDot(L, any(o)), {
  ...DOT_OPTION_BADS,
  maxNodes: [
    bad("0", 0, RangeError, "0"),
    bad("a string", "5", TypeError, '"5"'),
    bad("NaN", Number.NaN, TypeError, "NaN"),
  ],
  timeout: [
    bad("-1", -1, RangeError, "-1"),
    bad("a string", "5", TypeError, '"5"'),
    bad("NaN", Number.NaN, TypeError, "NaN"),
  ],
});
add("renderSvg", "dot", (x) => mg.renderSvg(any(x)), [
  bad("a number", 42, TypeError, "42"),
  bad("null", null, TypeError, "null"),
  bad("a Value", v(), TypeError, "Value(data="),
]);
addOptions("renderSvg", (o) => mg.renderSvg("digraph {}", any(o)), {
  timeout: [bad("0", 0, RangeError, "0"), bad("a string", "1", TypeError, '"1"')],
});
const FIGURE_BADS: Bad[] = [
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
  bad("undefined", undefined, TypeError, "undefined"),
  bad("no traces", { data: [], layout: {} }, RangeError, "no traces"),
  bad("a NaN point", { data: [{ type: "scatter", x: [1], y: [Number.NaN] }], layout: {} }, RangeError, "NaN"),
  bad("a string point", { data: [{ type: "scatter", x: [1], y: ["2"] }], layout: {} }, TypeError, '"2"'),
];
const figure = mg.linePlot([1, 2], [3, 4]);
add("plot", "figure", (x) => mg.plot(any(x)), FIGURE_BADS);
addOptions("plot", (o) => mg.plot(figure, any(o)), {
  maxPoints: [...NOT_NUMBERS, bad("0", 0, RangeError, "0"), bad("1 (too few)", 1, RangeError, "maxPoints = 1")],
});
add("figureHtml", "figure", (x) => mg.figureHtml(any(x)), FIGURE_BADS);
addOptions("figureHtml", (o) => mg.figureHtml(figure, any(o)), {
  includePlotly: NOT_BOOLEANS,
  staticImage: NOT_BOOLEANS,
  maxPoints: [bad("-5", -5, RangeError, "-5"), bad("a string", "5", TypeError, '"5"')],
});
add("arange", "start", (x) => mg.arange(num(x), 5), required(NOT_NUMBERS));
add("arange", "step", (x) => mg.arange(0, 5, num(x)), [...NOT_NUMBERS, bad("0", 0, RangeError, "0")]);
add("linePlot", "xs", (x) => mg.linePlot(any(x), [1]), [
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
  bad("an empty array", [], RangeError, "empty"),
  bad("a string point", ["1"], TypeError, '"1"'),
]);
const CHART_OPTION_BADS = {
  title: NOT_STRINGS,
  width: BAD_POSITIVE,
  height: [bad("-1", -1, RangeError, "-1")],
};
addOptions("linePlot", (o) => mg.linePlot([1], [1], any(o)), {
  ...CHART_OPTION_BADS,
  mode: [bad("dots", "dots", RangeError, '"dots"')],
  color: NOT_STRINGS,
});
add("lossCurve", "history", (x) => mg.lossCurve(any(x)), [
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
  bad("an empty array", [], RangeError, "empty"),
  bad("a NaN loss", [1, Number.NaN], RangeError, "NaN"),
  bad("a string loss", [1, "2"], TypeError, '"2"'),
  bad("a string step", [{ step: "0", loss: 1 }], TypeError, '"0"'),
]);
addOptions("lossCurve", (o) => mg.lossCurve([1, 2], any(o)), {
  ...CHART_OPTION_BADS,
  logY: NOT_BOOLEANS,
  steps: [bad("0", 0, RangeError, "0"), bad("1.5", 1.5, RangeError, "1.5")],
});
add("scatter2d", "points", (x) => mg.scatter2d(any(x), [1]), [
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
  bad("a 3-d point", [[1, 2, 3]], RangeError, "points[0]"),
]);
addOptions("scatter2d", (o) => mg.scatter2d([[1, 2]], [1], any(o)), { ...CHART_OPTION_BADS, size: BAD_POSITIVE });
const moonModel = (() => {
  mg.seed(1);
  return new MLP(2, [4, 1]);
})();
add("decisionBoundary", "model", (x) => mg.decisionBoundary(any(x), [[0, 0]], [1]), [
  bad("a number", 1, TypeError, "1"),
  bad("an object", {}, TypeError, "Object"),
  bad("null", null, TypeError, "null"),
]);
addOptions("decisionBoundary", (o) => mg.decisionBoundary(moonModel, [[0, 0]], [1], any(o)), {
  h: BAD_POSITIVE,
  margin: [bad("-1", -1, RangeError, "-1"), bad("a string", "1", TypeError, '"1"')],
});
add("liveTraining", "options", (x) => mg.liveTraining(any(x)), [
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
  bad("a misspelt key", { steps: 3, evry: 1 }, RangeError, '"evry"'),
]);
for (const [key, bads] of Object.entries({
  steps: [bad("0", 0, RangeError, "0"), bad("a string", "10", TypeError, '"10"'), bad("null", null, TypeError, "null")],
  every: [bad("1.5", 1.5, RangeError, "1.5"), bad("a string", "2", TypeError, '"2"')],
  minInterval: [bad("-1", -1, RangeError, "-1"), bad("a string", "100", TypeError, '"100"')],
  title: NOT_STRINGS,
  chart: NOT_BOOLEANS,
  write: [bad("a string", "out", TypeError, '"out"')],
})) {
  add("liveTraining", `option ${key}`, (x) => mg.liveTraining({ steps: 3, write: () => {}, [key]: x } as never), bads);
}
add("liveTraining", "option pace", (x) => mg.liveTraining({ steps: 3, write: () => {}, pace: num(x) }), [
  bad("-1", -1, RangeError, "-1"),
  bad("a string", "fast", TypeError, '"fast"'),
]);
add("liveTraining", "option graph", (x) => mg.liveTraining({ steps: 3, write: () => {}, graph: any(x) }), [
  bad("a number", 5, TypeError, "5"),
  bad("a model without an input", { model: new MLP(2, [1]) }, TypeError, "input"),
]);
add("liveTraining", "option network", (x) => mg.liveTraining({ steps: 3, write: () => {}, network: any(x) }), [
  bad("a number", 5, TypeError, "5"),
  bad("no model", { input: [1, 2] }, TypeError, "network.model"),
  bad("a misspelt key", { model: new MLP(2, [1]), inputs: [1, 2] }, RangeError, '"inputs"'),
  bad("a short input", { model: new MLP(2, [1]), input: [1] }, RangeError, "network.input"),
  bad("an unknown edges", { model: new MLP(2, [1]), edges: "both" }, RangeError, '"both"'),
]);
add("drawNetwork", "model", (x) => mg.drawNetwork(any(x)), [
  bad("a number", 1, TypeError, "1"),
  bad("an object", {}, TypeError, "Object"),
  bad("null", null, TypeError, "null"),
  bad("undefined", undefined, TypeError, "undefined"),
  bad("a Value", new Value(1), TypeError, "Value(data=1.0"),
  bad("too wide a layer", new MLP(2, [65, 1]), RangeError, "a layer of 65"),
]);
const networkModel = new MLP(2, [2, 1]);
addOptions("drawNetwork", (o) => mg.drawNetwork(networkModel, any(o)), {
  input: [
    bad("a number", 1, TypeError, "1"),
    bad("an array with NaN", [1, Number.NaN], TypeError, "NaN at index 1"),
    bad("too long", [1, 2, 3], RangeError, "got 3"),
  ],
  edges: [bad("grad", "grad", RangeError, '"grad"'), bad("a number", 1, TypeError, "1")],
  title: NOT_STRINGS,
});
add(
  "animateBackward",
  "root",
  (x) => mg.animateBackward(any(x)),
  NOT_VALUES.filter((b) => b.label !== "undefined"),
);
addOptions("animateBackward", (o) => mg.animateBackward(L, any(o)), {
  ...DOT_OPTION_BADS_NO_MARKS,
  delay: [...NOT_NUMBERS, bad("-1", -1, RangeError, "-1")],
  grads: [bad("some", "some", RangeError, '"some"'), bad("null", null, TypeError, "null")],
  view: [bad("grid", "grid", RangeError, '"grid"'), bad("a number", 5, TypeError, "5")],
  from: [bad("a number", 5, TypeError, "5"), bad("a Value elsewhere", new Value(1), RangeError, "Value(data=")],
  to: [bad("a string", "L", TypeError, '"L"')],
});
add("decisionRegions", "classify", (x) => mg.decisionRegions(any(x), [[0, 0]], [0]), [
  bad("a number", 1, TypeError, "1"),
  bad("a model", moonModel, TypeError, "MLP"),
  bad("null", null, TypeError, "null"),
]);
add("decisionRegions", "labels", (x) => mg.decisionRegions(() => 0, [[0, 0]], any(x)), [
  bad("a fraction", [0.5], RangeError, "0.5"),
  bad("a negative class", [-1], RangeError, "-1"),
]);
addOptions("decisionRegions", (o) => mg.decisionRegions(() => 0, [[0, 0]], [0], any(o)), {
  h: BAD_POSITIVE,
  margin: [bad("a string", "1", TypeError, '"1"')],
});
add("liveTraining.update", "record", (x) => sharedLive.update(any(x)), [
  bad("a number", 1, TypeError, "1"),
  bad("null", null, TypeError, "null"),
  bad("a misspelt key", { los: 1 }, RangeError, '"los"'),
  bad("a NaN loss", { loss: Number.NaN }, RangeError, "NaN"),
  bad("a string loss", { loss: "1" }, TypeError, '"1"'),
  bad("a string step", { step: "0", loss: 1 }, TypeError, '"0"'),
  bad("a string accuracy", { loss: 1, accuracy: "0.5" }, TypeError, '"0.5"'),
  bad("an accuracy of 2", { loss: 1, accuracy: 2 }, RangeError, "2"),
]);

/** Exports without rows of their own: no argument, not called directly, or covered under another name. */
const NO_ARGUMENTS: Record<string, string> = {
  Random: "new Random(n) seeds as seed(n) does: its rows are under seed",
  demoMoons: "no argument",
  lectureData: "no argument",
  loadPlotly: "no argument",
  plotlyVersion: "no argument",
  Module: "abstract: its subclasses Neuron, Layer and MLP are in the table",
  LiveTraining: "made by liveTraining(), which is in the table",
};

it("the table covers every exported function and class", () => {
  const covered = new Set(rows.map((r) => r.fn));
  const missing = Object.keys(mg).filter(
    (name) =>
      typeof (mg as Record<string, unknown>)[name] === "function" && !covered.has(name) && !(name in NO_ARGUMENTS),
  );
  expect(missing).toEqual([]);
});

const cases = rows.flatMap((r) => r.bads.map((b) => ({ ...r, bad: b, name: `${r.fn}: ${r.arg} = ${b.label}` })));

describe(`bad input: ${cases.length} cases over ${new Set(rows.map((r) => r.fn)).size} functions`, () => {
  it.each(cases)("$name", ({ fn, call, bad }) => {
    mg.seed(7);
    sharedRng.seed(1);
    shared.data = 2;
    shared.grad = 0.5;
    let thrown: unknown;
    try {
      call(bad.value);
    } catch (e) {
      thrown = e;
    }
    // Nothing changed: the global generator, a generator passed in, a Value, a live display.
    expect(mg.globalRandom.random()).toBe(new Random(7).random());
    expect(sharedRng.random()).toBe(new Random(1).random());
    expect([shared.data, shared.grad]).toEqual([2, 0.5]);
    expect(sharedLive.history).toHaveLength(0);
    expect(thrown, "nothing was thrown").toBeInstanceOf(Error);
    const error = thrown as Error;
    expect(error.constructor.name, error.message).toBe(bad.error.name);
    expect(error.message).toContain(fn);
    expect(error.message).toContain(bad.shows);
    for (const phrase of INTERNAL) expect(error.message).not.toContain(phrase);
  });
});

describe("a Value from a second loaded copy of the package", () => {
  it("is refused by name, with both folders and the fix, before anything changes (the issue's probe: a network fed another copy's inputs)", () => {
    mg.seed(1);
    const model = new MLP(2, [4, 1]);
    const before = model.parameters().map((p) => [p.data, p.grad]);
    const x = [new other.Value(0.5), new other.Value(-1)];
    const fail = () => model.output(any(x));
    const message = `a Value of another copy: micrograd-ts is loaded twice, from ${join(__dirname, "..", "dist")} and from ${join(__dirname, "..", "src")}: import it from one place`;
    expect(fail).toThrow(TypeError);
    expect(fail).toThrow(message);
    expect(() => new Value(2).mul(any(x[0]))).toThrow(message);
    expect(() => mg.topologicalOrder(any(x[0]))).toThrow(message);
    expect(() => new SGD(any(x), { lr: 0.1 })).toThrow(message);
    expect(() => mg.compile(() => any(x[0]))).toThrow(message);
    expect(model.parameters().map((p) => [p.data, p.grad])).toEqual(before);
  });

  it("is one copy when loaded through a symlink (the notebooks' node_modules/micrograd-ts, file:.)", () => {
    const linked = join(__dirname, "..", "node_modules", "micrograd-ts");
    expect(require(linked)).toBe(other); // Node caches a module by its real path
  });
});
