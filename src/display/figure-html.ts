/**
 * Turning a figure into outputs: the MIME bundle a notebook receives and the HTML fragment that draws it
 * (plotly.js itself is plotly.ts's).
 *
 * Each front end takes what it renders best from one bundle:
 * - `application/vnd.plotly.v1+json`: VS Code, and JupyterLab with the jupyterlab-plotly extension;
 * - `text/html`: a div and a script calling `Plotly.newPlot` (classic Notebook, JupyterLab without the
 *   extension, nbconvert HTML), with a caption inside the div for views that run no script;
 * - `text/plain`: a one-line description of the traces (terminals, logs).
 * The script finds plotly.js as `window.Plotly` (or as RequireJS module "plotly" if another copy
 * registered itself there) and says so in the output when it is missing, instead of staying blank.
 */
import { randomBytes } from "node:crypto";
import { checkBoolean, checkNumber, checkOptions } from "../internal/check";
import { checkFigure, DEFAULT_MAX_POINTS } from "./check-figure";
import { escapeHtml } from "./escape-html";
import { figureSvgDataUri } from "./figure-svg";
import type { ContourTrace, Figure, ScatterTrace } from "./figure-types";
import { display, type MimeBundle } from "./notebook";
import { ensurePlotly, LOADED_EVENT, plotlyLoaderHtml } from "./plotly";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** A copy of the figure as plain JSON data, with the project's default chart options. */
export function normalizeFigure(figure: Figure): Figure {
  const copy = JSON.parse(JSON.stringify({ data: figure.data, layout: figure.layout ?? {} })) as Figure;
  copy.config = { responsive: true, displaylogo: false, ...(figure.config ?? {}) };
  return copy;
}

export interface FigureHtmlOptions {
  /** Put plotly.js itself in front of the figure (≈4.8 MB) so the fragment draws on any page. Default true. */
  includePlotly?: boolean;
  /**
   * A static SVG picture of the figure inside the caption, for views that run no JavaScript (GitHub,
   * untrusted notebooks); plotly.js hides it when it draws. Default true.
   */
  staticImage?: boolean;
  /** The most points (numbers per axis, summed over traces) the figure may have; default 100,000. */
  maxPoints?: number;
}

/**
 * An HTML fragment that draws the figure: a div, a caption shown until plotly.js draws (or when it
 * cannot), and a script. With `includePlotly` (the default) it is self-contained: open it from disk in
 * a browser, no network needed.
 */
export function figureHtml(figure: Figure, opts: FigureHtmlOptions = {}): string {
  const o = checkOptions(opts, "figureHtml", ["includePlotly", "staticImage", "maxPoints"]);
  checkBoolean(o.includePlotly, "figureHtml", "includePlotly", true);
  checkBoolean(o.staticImage, "figureHtml", "staticImage", true);
  const maxPoints =
    o.maxPoints === undefined
      ? DEFAULT_MAX_POINTS
      : checkNumber(o.maxPoints, "figureHtml", "maxPoints", { integer: true, min: 1 });
  checkFigure(figure, "figureHtml", maxPoints);
  return figureHtmlOf(normalizeFigure(figure), o.includePlotly !== false, o.staticImage !== false);
}

/** @internal figureHtml of a figure checked and copied already (plot's, figureBundle's): no second check or copy. */
export function figureHtmlOf(fig: Figure, includePlotly: boolean, staticImage: boolean): string {
  const id = `mgts-plot-${randomBytes(6).toString("hex")}`;
  const summary = escapeHtml(describeFigure(fig));
  const missing =
    "plotly.js is not loaded on this page, so this figure cannot be drawn. micrograd-ts sends it once per kernel " +
    "session, with the first figure, and that output is gone (cleared, or its cell ran again). Run " +
    "<code>loadPlotly()</code> in a cell (this figure then draws itself), or restart the kernel and run all cells.";
  const script = `(function () {
  var root = document.getElementById(${JSON.stringify(id)});
  if (!root) return;
  var fig = ${scriptJson(fig)};
  var note = root.querySelector(".mgts-plot-note"), chart = root.querySelector(".mgts-plot-chart");
  var tries = 0;
  function fail(text) {
    note.style.display = "";
    var caption = note.querySelector(".mgts-plot-caption");
    caption.style.color = "#b00";
    caption.innerHTML = text;
  }
  function draw(P) {
    note.style.display = "none";
    try {
      Promise.resolve(P.newPlot(chart, fig.data, fig.layout, fig.config)).then(
        function () { note.style.display = "none"; },
        function (e) { fail("plotly.js could not draw this figure: " + String(e)); });
    } catch (e) { fail("plotly.js could not draw this figure: " + String(e)); }
  }
  function attempt() {
    if (window.Plotly && window.Plotly.newPlot) return draw(window.Plotly);
    var r = window.requirejs;
    if (r && r.defined && r.defined("plotly")) return r(["plotly"], draw);
    if (++tries < 40) return setTimeout(attempt, 125);
    fail(${JSON.stringify(missing)});
    window.addEventListener(${JSON.stringify(LOADED_EVENT)}, function () { tries = 0; attempt(); }, { once: true });
  }
  attempt();
})();`;
  const image = !staticImage
    ? ""
    : `<img class="mgts-plot-static" alt="${summary}" src="${figureSvgDataUri(fig)}" style="max-width:100%;height:auto;display:block">`;
  const html =
    `<div id="${id}" class="mgts-plot" style="width:100%">` +
    `<div class="mgts-plot-note" style="font:13px sans-serif;color:#666;padding:4px 0">${image}` +
    `<div class="mgts-plot-caption">${image ? "A static picture: the interactive" : "An interactive"} Plotly figure needs JavaScript ` +
    `(a trusted notebook or the exported HTML). ${summary}</div></div>` +
    `<div class="mgts-plot-chart" style="width:100%"></div></div>\n` +
    `<script type="text/javascript">\n${script}\n</script>`;
  return includePlotly ? `${plotlyLoaderHtml()}\n${html}` : html;
}

/**
 * The bundle a notebook receives for a figure its caller checked (plotly.js itself travels separately, see
 * ensurePlotly): the figure copied once, its HTML made from the copy.
 */
export function figureBundle(figure: Figure): MimeBundle {
  const fig = normalizeFigure(figure);
  return {
    [PLOTLY_MIME]: fig,
    "text/html": figureHtmlOf(fig, false, true),
    "text/plain": describeFigure(fig),
  };
}

/** Shows a figure as a new output: plotly.js first if this kernel session has not had it yet. */
export function showFigure(figure: Figure): void {
  ensurePlotly();
  display(figureBundle(figure));
}

/** One line naming the figure and its traces, e.g. for text/plain. */
export function describeFigure(figure: Figure): string {
  const title = figure.layout?.title?.text;
  const traces = figure.data.map((t) => {
    const name = t.name ? ` "${t.name}"` : "";
    if (t.type === "scatter") {
      const s = t as ScatterTrace;
      return `scatter${name} (${s.mode ?? "lines"}, ${s.x.length} points, x ${span(s.x)}, y ${span(s.y)})`;
    }
    if (t.type === "contour") {
      const c = t as ContourTrace;
      return `contour${name} (${c.x.length} × ${c.y.length} grid, x ${span(c.x)}, y ${span(c.y)}, z ${span(c.z.flat())})`;
    }
    return `${t.type}${name}`;
  });
  return `Plotly figure${title ? ` "${title}"` : ""}: ${traces.join("; ")}`;
}

function span(values: readonly number[]): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return `${short(lo)}…${short(hi)}`;
}

function short(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** JSON that is safe inside a <script> element: no `<`, `>` or `&` that HTML could read as markup. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
