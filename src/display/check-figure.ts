/**
 * The checks that turn a figure's bad numbers into clear errors before anything is drawn: NaN or
 * ±Infinity in a series, series of different lengths and empty series throw a RangeError naming the
 * series, the index and the value; a figure above `maxPoints` is refused.
 */
import { describe, errorOfKind } from "../internal/check";
import type { Figure, Series } from "./figure-types";

/**
 * The default of `maxPoints` (plot, figureHtml): a figure with more numbers than this is refused. A
 * million-point chart is a ~70 MB notebook output that slows the browser and bloats the .ipynb.
 */
export const DEFAULT_MAX_POINTS = 100_000;

/**
 * Checks a figure before it is shown: at least one trace, and in the traces this project knows
 * (scatter, contour) finite numbers, x and y of the same length, a z of y.length rows of x.length.
 */
export function checkFigure(figure: Figure, fn = "plot", maxPoints = DEFAULT_MAX_POINTS): void {
  if (figure === null || typeof figure !== "object" || !Array.isArray(figure.data)) {
    throw new TypeError(`${fn} expects a figure { data: [traces], layout }, got ${describe(figure)}`);
  }
  if (figure.data.length === 0) throw new RangeError(`${fn}: the figure has no traces; there is nothing to draw`);
  if (figure.layout !== undefined && (figure.layout === null || typeof figure.layout !== "object")) {
    throw new TypeError(`${fn}: layout must be an object, got ${describe(figure.layout)}`);
  }
  let points = 0;
  figure.data.forEach((trace, t) => {
    if (trace === null || typeof trace !== "object" || typeof trace.type !== "string") {
      throw new TypeError(`${fn}: data[${t}] is ${describe(trace)}, not a trace with a type`);
    }
    const where = `data[${t}]${trace.name ? ` ("${trace.name}")` : ""}`;
    if (trace.type === "scatter") {
      const x = series(trace.x as Series, fn, `${where}.x`);
      series(trace.y as Series, fn, `${where}.y`, x);
      points += x.length;
    } else if (trace.type === "contour") {
      const x = series(trace.x as Series, fn, `${where}.x`);
      const y = series(trace.y as Series, fn, `${where}.y`);
      const z = trace.z;
      if (!Array.isArray(z) || z.length !== y.length) {
        throw new (errorOfKind(Array.isArray(z)))(
          `${fn}: ${where}.z must have one row per y (${y.length}), got ${describe(z)}`,
        );
      }
      z.forEach((row, j) => {
        const r = series(row as Series, fn, `${where}.z[${j}]`);
        if (r.length !== x.length) {
          throw new RangeError(`${fn}: ${where}.z[${j}] has ${r.length} values, x has ${x.length}`);
        }
      });
      points += x.length * y.length;
    }
  });
  if (points > maxPoints) {
    throw new RangeError(
      `${fn}: this figure has ${points.toLocaleString("en-US")} points, more than maxPoints = ` +
        `${maxPoints.toLocaleString("en-US")}; a notebook output that big (~70 bytes a point) slows the browser ` +
        "and bloats the notebook. Plot fewer points (e.g. every k-th), or raise the limit with the option { maxPoints }.",
    );
  }
}

/** A copy of a series as a plain array, every value finite; with `like`, of the same length as it. */
export function series(values: Series, fn: string, name: string, like?: readonly number[]): number[] {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError(`${fn} expects ${name} to be an array of numbers, got ${describe(values)}`);
  }
  if (values.length === 0) throw new RangeError(`${fn}: ${name} is empty; there is nothing to plot`);
  if (like !== undefined && values.length !== like.length) {
    throw new RangeError(`${fn}: ${name} has ${values.length} values but x has ${like.length}; they must match`);
  }
  const out = Array.from(values);
  out.forEach((v, i) => finiteAt(v, fn, `${name}[${i}]`, like ? `x = ${like[i]}` : undefined));
  return out;
}

export function finiteAt(v: unknown, fn: string, name: string, context?: string): void {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    const at = context ? ` (at ${context})` : "";
    // a number that is not finite is a wrong value in data (a diverged loss); anything else, a wrong kind
    throw new (errorOfKind(typeof v === "number"))(`${fn}: ${name} is ${describe(v)}${at}; plots need finite numbers`);
  }
}
