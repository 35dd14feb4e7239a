/**
 * Plotly charts, offline, inline in tslab notebooks: `plot(figure)` checks a figure once (check-figure.ts)
 * and shows it (figure-html.ts; plotly.js is sent by plotly.ts). figures.ts builds the lecture's and the
 * demo's figures, live-training.ts shows training as it runs.
 *
 *   plot(linePlot(arange(-5, 5, 0.25), (x) => 3 * x ** 2 - 4 * x + 5, { title: "f(x)" }));
 *   plot(decisionBoundary(model, X, y, { h: 0.25 }));
 */
import { checkNumber, checkOptions } from "../internal/check";
import { checkFigure, DEFAULT_MAX_POINTS } from "./check-figure";
import { figureHtmlOf, normalizeFigure, showFigure } from "./figure-html";
import type { Figure } from "./figure-types";
import { inNotebook } from "./notebook";

/** What `plot` returns outside a notebook: the figure as shown, and a self-contained HTML fragment. */
export interface PlotOutput {
  figure: Figure;
  /** Draws the figure on any page, offline: plotly.js (≈4.8 MB) is included. */
  html: string;
}

export interface PlotOptions {
  /**
   * The most points (x values, summed over traces; x·y for a contour) a figure may have: above it plot
   * throws, naming both numbers. Default 100,000 (DEFAULT_MAX_POINTS).
   */
  maxPoints?: number;
}

/**
 * Shows a figure. In a notebook: inline, as one output (plotly.js is sent first, once per kernel
 * session), and returns undefined so the cell prints nothing more. Elsewhere: returns the figure and
 * a self-contained HTML fragment (write it to a .html file and open it in a browser).
 * Throws on a figure with no traces, NaN/±Infinity, mismatched lengths or empty series.
 */
export function plot(figure: Figure, opts: PlotOptions = {}): PlotOutput | undefined {
  const o = checkOptions(opts, "plot", ["maxPoints"]);
  const maxPoints = checkNumber(o.maxPoints === undefined ? DEFAULT_MAX_POINTS : o.maxPoints, "plot", "maxPoints", {
    integer: true,
    min: 1,
  });
  checkFigure(figure, "plot", maxPoints);
  if (inNotebook()) {
    showFigure(figure);
    return undefined;
  }
  const fig = normalizeFigure(figure); // checked once above, copied once here
  return { figure: fig, html: figureHtmlOf(fig, true, true) };
}
