/**
 * The figures of the lecture and the demo, as plain Plotly data (figure-types.ts): linePlot, lossCurve,
 * scatter2d, decisionBoundary, decisionRegions, and numpy's arange. Bad input is an error, never a blank
 * figure (check-figure.ts).
 */

import type { Operand, Value } from "../engine";
import {
  checkBoolean,
  checkChoice,
  checkFinite,
  checkNumber,
  checkOptions,
  checkString,
  describe,
  errorOfKind,
} from "../internal/check";
import { isValue } from "../internal/check-values";
import { extent } from "../internal/math";
import { finiteAt, series } from "./check-figure";
import type { Axis, ContourTrace, Figure, Layout, ScatterTrace, Series } from "./figure-types";

/**
 * numpy's `arange(start, stop, step)` to the last bit: ceil((stop − start)/step) values, the first two
 * `start` and `start + step`, the rest `start + i·delta` with delta = (start + step) − start, as numpy
 * fills them. `arange(-5, 5, 0.25)` is the lecture's 40 x values.
 */
export function arange(start: number, stop: number, step = 1): number[] {
  checkFinite(start, "arange", "start");
  checkFinite(stop, "arange", "stop");
  checkFinite(step, "arange", "step");
  if (step === 0) throw new RangeError("arange expects a non-zero step, got 0");
  const length = Math.ceil((stop - start) / step);
  if (!(length > 0)) return [];
  if (length > 10_000_000) throw new RangeError(`arange(${start}, ${stop}, ${step}) would hold ${length} values`);
  const next = start + step;
  const delta = next - start;
  const out = new Array<number>(length);
  out[0] = start;
  if (length > 1) out[1] = next;
  for (let i = 2; i < length; i++) out[i] = start + i * delta;
  return out;
}

export interface LinePlotOptions {
  title?: string;
  /** The trace's name (legend and hover). */
  name?: string;
  xTitle?: string;
  yTitle?: string;
  mode?: ScatterTrace["mode"];
  color?: string;
  width?: number;
  height?: number;
}

/**
 * A line through (xs[i], ys[i]), as the lecture's `plt.plot(xs, ys)`. `ys` may be a function of x:
 * `linePlot(arange(-5, 5, 0.25), (x) => 3 * x ** 2 - 4 * x + 5)`.
 */
export function linePlot(xs: Series, ys: Series | ((x: number) => number), opts: LinePlotOptions = {}): Figure {
  checkChartOptions(opts, "linePlot", ["title", "name", "xTitle", "yTitle", "mode", "color", "width", "height"]);
  const x = series(xs, "linePlot", "xs");
  const y =
    typeof ys === "function"
      ? x.map((xi, i) => {
          const yi = ys(xi);
          if (typeof yi !== "number" || !Number.isFinite(yi)) {
            throw new (errorOfKind(typeof yi === "number"))(
              `linePlot: the function gave ${describe(yi)} at xs[${i}] = ${xi}; plots need finite numbers`,
            );
          }
          return yi;
        })
      : series(ys, "linePlot", "ys", x);
  const trace: ScatterTrace = { type: "scatter", mode: opts.mode ?? "lines", x, y, name: opts.name ?? "y" };
  if (opts.color !== undefined) trace.line = { color: opts.color };
  return {
    data: [trace],
    layout: baseLayout(opts, { xTitle: opts.xTitle ?? "x", yTitle: opts.yTitle ?? "y", showlegend: false }),
  };
}

/** One training step as `lossCurve` and `liveTraining` take it; `step` defaults to the position. */
export interface TrainingRecord {
  step?: number;
  loss: number;
  /** A fraction in [0, 1]. */
  accuracy?: number;
}

export interface LossCurveOptions {
  title?: string;
  /** A logarithmic loss axis. */
  logY?: boolean;
  /** Fixes the x axis to [0, steps − 1], so a curve that is still growing does not rescale. */
  steps?: number;
  width?: number;
  height?: number;
}

/**
 * The loss against the step, from plain losses or from records `{ step, loss, accuracy }`; when the
 * records carry an accuracy it is drawn too, dotted, against a second axis from 0 to 100 %.
 */
export function lossCurve(history: ArrayLike<number> | readonly TrainingRecord[], opts: LossCurveOptions = {}): Figure {
  const fn = "lossCurve";
  checkChartOptions(opts, fn, ["title", "logY", "steps", "width", "height"]);
  if (history === null || typeof history !== "object" || typeof history.length !== "number") {
    throw new TypeError(
      `${fn} expects an array of losses or of { step, loss, accuracy } records, got ${describe(history)}`,
    );
  }
  if (history.length === 0) throw new RangeError(`${fn}: the history is empty; there is no loss to plot`);
  const records: TrainingRecord[] = Array.from(history as ArrayLike<number | TrainingRecord>, (h) =>
    typeof h === "number" ? { loss: h } : h,
  );
  const steps: number[] = [];
  const losses: number[] = [];
  const accuracies: number[] = [];
  records.forEach((r, i) => {
    if (r === null || typeof r !== "object") {
      throw new TypeError(`${fn}: history[${i}] is ${describe(r)}, not a number or a { step, loss } record`);
    }
    const step = r.step ?? i;
    if (!Number.isInteger(step))
      throw new (errorOfKind(typeof step === "number"))(
        `${fn}: history[${i}].step is ${describe(step)}, not an integer`,
      );
    if (i > 0 && step <= (steps[i - 1] as number)) {
      throw new RangeError(`${fn}: history[${i}].step is ${step}, after step ${steps[i - 1]}; steps must increase`);
    }
    finiteAt(r.loss, fn, `history[${i}].loss`, `step ${step}`);
    steps.push(step);
    losses.push(r.loss);
    if ((r.accuracy === undefined) !== (records[0]?.accuracy === undefined)) {
      throw new RangeError(
        `${fn}: history[${i}] ${r.accuracy === undefined ? "lacks" : "has"} an accuracy, unlike history[0]`,
      );
    }
    if (r.accuracy !== undefined) {
      finiteAt(r.accuracy, fn, `history[${i}].accuracy`, `step ${step}`);
      if (r.accuracy < 0 || r.accuracy > 1) {
        throw new RangeError(`${fn}: history[${i}].accuracy is ${r.accuracy}; accuracies are fractions in [0, 1]`);
      }
      accuracies.push(r.accuracy);
    }
  });
  const mode = records.length === 1 ? "lines+markers" : "lines"; // one point: a marker, not an empty line
  const data: ScatterTrace[] = [
    { type: "scatter", mode, name: "loss", x: steps, y: losses, line: { color: "#1f77b4", width: 2 } },
  ];
  const layout = baseLayout(opts, { xTitle: "step", yTitle: "loss", showlegend: accuracies.length > 0 });
  if (opts.logY) (layout.yaxis as Axis).type = "log";
  if (opts.steps !== undefined) {
    if (!Number.isInteger(opts.steps) || opts.steps < 1) {
      throw new RangeError(`${fn} expects steps to be a positive integer, got ${describe(opts.steps)}`);
    }
    (layout.xaxis as Axis).range = [0, Math.max(1, opts.steps - 1)];
  }
  if (accuracies.length > 0) {
    data.push({
      type: "scatter",
      mode,
      name: "accuracy",
      x: steps,
      y: accuracies,
      yaxis: "y2",
      line: { color: "#2ca02c", width: 2, dash: "dot" },
    });
    layout.yaxis2 = {
      title: { text: "accuracy" },
      overlaying: "y",
      side: "right",
      range: [0, 1.02],
      tickmode: "array",
      tickvals: [0, 0.25, 0.5, 0.75, 1],
      tickformat: ".0%",
      showgrid: false,
      zeroline: false,
    };
    layout.legend = { x: 0.98, xanchor: "right", y: 0.55, yanchor: "middle", bgcolor: "rgba(255,255,255,0.8)" };
    (layout.margin as { r: number }).r = 70;
  }
  return { data, layout };
}

export interface ScatterOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  /** Marker size in px (default 8). */
  size?: number;
}

/** Points in the plane, one trace per label (sorted), as the demo's `plt.scatter(X[:,0], X[:,1], c=y)`. */
export function scatter2d(points: readonly Series[], labels: Series, opts: ScatterOptions = {}): Figure {
  checkChartOptions(opts, "scatter2d", ["title", "xTitle", "yTitle", "width", "height", "size"]);
  const { xs, ys, ls } = pointsAndLabels(points, labels, "scatter2d");
  return {
    data: labelTraces(xs, ys, ls, opts.size ?? 8),
    layout: baseLayout(opts, { xTitle: opts.xTitle ?? "x₀", yTitle: opts.yTitle ?? "x₁", showlegend: true }),
  };
}

/** Something that scores a point: an MLP with one output (its `output`), or a function. */
export type Scorer = { output(x: readonly Operand[]): Value } | ((x: number[]) => number | Value);

export interface DecisionBoundaryOptions extends ScatterOptions {
  /** The grid step (default 0.25, the demo's). */
  h?: number;
  /** How far the grid reaches past the data on each side (default 1, the demo's). */
  margin?: number;
}

/**
 * numpy's grid over the points' range ± margin with step h, as demo.ipynb builds it (h = 0.25 on the
 * demo's moons gives 21 × 15 points): refused below 2 × 2 points (no contour) and above 1,000,000.
 */
function grid(xs: readonly number[], ys: readonly number[], opts: DecisionBoundaryOptions, fn: string) {
  const h = opts.h ?? 0.25;
  const margin = opts.margin ?? 1;
  if (typeof h !== "number" || !Number.isFinite(h) || h <= 0) {
    throw new (errorOfKind(typeof h === "number" && Number.isFinite(h)))(
      `${fn} expects a grid step h > 0, got ${describe(h)}`,
    );
  }
  checkFinite(margin, fn, "margin");
  const [xmin, xmax] = extent(xs);
  const [ymin, ymax] = extent(ys);
  const gx = arange(xmin - margin, xmax + margin, h);
  const gy = arange(ymin - margin, ymax + margin, h);
  if (gx.length * gy.length > 1_000_000) {
    throw new RangeError(`${fn}: h = ${h} makes a ${gx.length} × ${gy.length} grid; use a larger h`);
  }
  if (gx.length < 2 || gy.length < 2) {
    throw new RangeError(`${fn}: h = ${h} makes a ${gx.length} × ${gy.length} grid; a contour needs 2 × 2 at least`);
  }
  return { gx, gy };
}

/**
 * The demo's decision boundary: the model's score on every point of a grid with step h over the data's
 * range ± 1 (numpy's `arange`, so h = 0.25 on the demo's moons gives 21 × 15 points), a filled contour of
 * `score > 0` (1) against `score ≤ 0` (0), and the points on top, one trace per label.
 */
export function decisionBoundary(
  model: Scorer,
  points: readonly Series[],
  labels: Series,
  opts: DecisionBoundaryOptions = {},
): Figure {
  const fn = "decisionBoundary";
  checkChartOptions(opts, fn, ["title", "xTitle", "yTitle", "width", "height", "size", "h", "margin"]);
  const score = scorer(model, fn);
  const { xs, ys, ls } = pointsAndLabels(points, labels, fn);
  const { gx, gy } = grid(xs, ys, opts, fn);
  const z = gy.map((y) =>
    gx.map((x) => {
      const s = score([x, y]);
      if (!Number.isFinite(s)) throw new RangeError(`${fn}: the model's score at (${x}, ${y}) is ${s}`);
      return s > 0 ? 1 : 0;
    }),
  );
  const contour: ContourTrace = {
    type: "contour",
    name: "score > 0",
    x: gx,
    y: gy,
    z,
    colorscale: [
      [0, SPECTRAL_LOW],
      [1, SPECTRAL_HIGH],
    ],
    contours: { start: 0.5, end: 0.5, size: 1, coloring: "fill" },
    opacity: 0.55,
    showscale: false,
    line: { width: 0 },
    hoverinfo: "skip",
  };
  return regionsFigure(contour, { xs, ys, ls }, { gx, gy }, opts, 8);
}

/** Something that names a class for a point: a class index 0, 1, …, classes − 1. */
export type Classifier = (x: number[]) => number;

/**
 * Decision regions of a classifier with any number of classes: `classify` on every point of a grid with
 * step h over the data's range ± margin, each region filled in its class's colour (the colours of the
 * points' traces), and the points on top, one trace per label. Labels are class indices 0, 1, ….
 */
export function decisionRegions(
  classify: Classifier,
  points: readonly Series[],
  labels: Series,
  opts: DecisionBoundaryOptions = {},
): Figure {
  const fn = "decisionRegions";
  checkChartOptions(opts, fn, ["title", "xTitle", "yTitle", "width", "height", "size", "h", "margin"]);
  if (typeof classify !== "function") {
    throw new TypeError(`${fn} expects a function from a point to a class index, got ${describe(classify)}`);
  }
  const { xs, ys, ls } = pointsAndLabels(points, labels, fn);
  ls.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) throw new RangeError(`${fn}: labels[${i}] is ${l}, not a class index 0, 1, …`);
  });
  const { gx, gy } = grid(xs, ys, opts, fn);
  const classes = extent(ls)[1] + 1;
  const z = gy.map((y) =>
    gx.map((x) => {
      const c = classify([x, y]);
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new RangeError(`${fn}: the class at (${x}, ${y}) is ${describe(c)}, not one of 0 … ${classes - 1}`);
      }
      return c;
    }),
  );
  // A stepped colour scale: class c covers z in (c − ½, c + ½), in the colour of its points.
  const colorOf = (c: number) =>
    classes === 2 ? (c === 0 ? SPECTRAL_LOW : SPECTRAL_HIGH) : (PALETTE[c % PALETTE.length] as string);
  const colorscale: [number, string][] = [];
  for (let c = 0; c < classes; c++) {
    colorscale.push([c / classes, colorOf(c)], [(c + 1) / classes, colorOf(c)]);
  }
  const contour: ContourTrace = {
    type: "contour",
    name: "predicted class",
    x: gx,
    y: gy,
    z,
    zmin: -0.5,
    zmax: classes - 0.5,
    colorscale,
    contours: { start: 0.5, end: classes - 1.5, size: 1, coloring: "fill" },
    opacity: 0.45,
    showscale: false,
    line: { width: 0 },
    hoverinfo: "skip",
  };
  return regionsFigure(contour, { xs, ys, ls }, { gx, gy }, opts, 6);
}

/** Filled regions over the grid, the points on top (one trace per label), axes spanning the grid. */
function regionsFigure(
  contour: ContourTrace,
  points: { xs: number[]; ys: number[]; ls: number[] },
  grid: { gx: number[]; gy: number[] },
  opts: DecisionBoundaryOptions,
  pointSize: number,
): Figure {
  const layout = baseLayout(opts, { xTitle: opts.xTitle ?? "x₀", yTitle: opts.yTitle ?? "x₁", showlegend: true });
  (layout.xaxis as Axis).range = [grid.gx[0] as number, grid.gx[grid.gx.length - 1] as number];
  (layout.yaxis as Axis).range = [grid.gy[0] as number, grid.gy[grid.gy.length - 1] as number];
  return { data: [contour, ...labelTraces(points.xs, points.ys, points.ls, opts.size ?? pointSize)], layout };
}

/** Options of the chart helpers: no unknown keys, and each known one of its kind. */
function checkChartOptions(opts: unknown, fn: string, allowed: readonly string[]): void {
  const o = checkOptions(opts, fn, allowed) as { [key: string]: unknown };
  for (const key of ["title", "name", "xTitle", "yTitle", "color"]) checkString(o[key], fn, key, true);
  for (const key of ["width", "height", "size", "h"]) {
    if (o[key] !== undefined) checkNumber(o[key], fn, key, { above: 0 });
  }
  if (o.margin !== undefined) checkNumber(o.margin, fn, "margin", { min: 0 });
  if (o.steps !== undefined) checkNumber(o.steps, fn, "steps", { integer: true, min: 1 });
  checkBoolean(o.logY, fn, "logY", false);
  checkChoice(o.mode, fn, "mode", ["lines", "markers", "lines+markers"] as const);
}

// Matplotlib's Spectral colormap at 0 and 1: the demo's two classes.
const SPECTRAL_LOW = "#9e0142";
const SPECTRAL_HIGH = "#5e4fa2";
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

function baseLayout(
  opts: { title?: string; width?: number; height?: number },
  axes: { xTitle: string; yTitle: string; showlegend: boolean },
): Layout {
  const layout: Layout = {
    xaxis: { title: { text: axes.xTitle }, zeroline: true },
    yaxis: { title: { text: axes.yTitle }, zeroline: true },
    showlegend: axes.showlegend,
    height: opts.height ?? 400,
    margin: { l: 60, r: 30, t: opts.title ? 50 : 20, b: 50 },
  };
  if (opts.title !== undefined) layout.title = { text: opts.title };
  if (opts.width !== undefined) layout.width = opts.width;
  return layout;
}

function labelTraces(xs: number[], ys: number[], ls: number[], size: number): ScatterTrace[] {
  const classes = [...new Set(ls)].sort((a, b) => a - b);
  return classes.map((label, c) => {
    const color =
      classes.length === 2 ? (c === 0 ? SPECTRAL_LOW : SPECTRAL_HIGH) : (PALETTE[c % PALETTE.length] as string);
    const idx = ls.flatMap((l, i) => (l === label ? [i] : []));
    return {
      type: "scatter",
      mode: "markers",
      name: `y = ${label}`,
      x: idx.map((i) => xs[i] as number),
      y: idx.map((i) => ys[i] as number),
      marker: { color, size, line: { color: "#222222", width: 1 } },
    };
  });
}

function pointsAndLabels(
  points: readonly Series[],
  labels: Series,
  fn: string,
): { xs: number[]; ys: number[]; ls: number[] } {
  if (!Array.isArray(points)) throw new TypeError(`${fn} expects an array of [x, y] points, got ${describe(points)}`);
  if (points.length === 0) throw new RangeError(`${fn}: there are no points to plot`);
  const ls = series(labels, fn, "labels");
  if (ls.length !== points.length) {
    throw new RangeError(`${fn}: ${points.length} points but ${ls.length} labels; each point needs one label`);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  points.forEach((p, i) => {
    if (p === null || typeof p !== "object" || p.length !== 2) {
      throw new (errorOfKind(Array.isArray(p)))(`${fn}: points[${i}] is ${describe(p)}, not an [x, y] pair`);
    }
    finiteAt(p[0], fn, `points[${i}][0]`);
    finiteAt(p[1], fn, `points[${i}][1]`);
    xs.push(p[0] as number);
    ys.push(p[1] as number);
  });
  return { xs, ys, ls };
}

function scorer(model: Scorer, fn: string): (x: number[]) => number {
  const toNumber = (s: unknown, x: number[]): number => {
    if (isValue(s)) return s.data;
    if (typeof s === "number") return s;
    throw new TypeError(`${fn}: the model's score at (${x.join(", ")}) is ${describe(s)}, not a number or a Value`);
  };
  if (typeof model === "function") return (x) => toNumber(model(x), x);
  if (model !== null && typeof model === "object" && typeof model.output === "function") {
    return (x) => toNumber(model.output(x), x);
  }
  throw new TypeError(
    `${fn} expects a model with output(x) (an MLP with one output) or a function, got ${describe(model)}`,
  );
}
