/**
 * Turning a figure into outputs: the MIME bundle a notebook receives, the HTML fragment that draws it,
 * and plotly.js itself, read from the installed `plotly.js-dist-min` and sent once per kernel session.
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
import { readFileSync } from "node:fs";
import { checkBoolean, checkNumber, checkOptions } from "../internal/check";
import { escapeHtml } from "./html";
import { display, type MimeBundle } from "./notebook";
import { type ContourTrace, checkFigure, DEFAULT_MAX_POINTS, type Figure, type ScatterTrace } from "./plot-figures";
import { figureSvgDataUri } from "./plot-svg";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const PLOTLY_PACKAGE = "plotly.js-dist-min";

/** The installed plotly.js version (package.json of plotly.js-dist-min). */
export function plotlyVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${PLOTLY_PACKAGE}/package.json`), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

let loaderCache: string | null = null;

/**
 * A `<script>` that defines `window.Plotly` from the installed bundle, offline. The bundle runs inside a
 * function whose `define`, `module`, `exports` and `require` are undefined, so that its UMD header takes
 * the browser-global branch even where RequireJS (classic Notebook) or a CommonJS shim is present; it
 * does nothing when the same version is already loaded on the page. Sequences that could end or
 * re-open the script element early (`</script`, `<!--`) are escaped inside the JavaScript.
 */
export function plotlyLoaderHtml(): string {
  if (loaderCache !== null) return loaderCache;
  const version = plotlyVersion();
  const js = readFileSync(require.resolve(PLOTLY_PACKAGE), "utf8")
    .replace(/<\/script/gi, "<\\/script")
    .replace(/<!--/g, "<\\x21--");
  loaderCache =
    `<script type="text/javascript">/* plotly.js ${version} from ${PLOTLY_PACKAGE}, sent by micrograd-ts */\n` +
    `if (!(window.Plotly && window.Plotly.version === ${JSON.stringify(version)})) {\n` +
    `(function (define, module, exports, require) {\n${js}\n}).call(window);\n}\n` +
    `window.dispatchEvent(new Event("${LOADED_EVENT}"));\n</script>`;
  return loaderCache;
}

/** Dispatched on window once plotly.js is loaded: figures that found it missing draw then. */
const LOADED_EVENT = "micrograd-ts:plotly-loaded";
const INJECTED = Symbol.for("micrograd-ts.plotly-injected");
type Flags = Record<symbol, boolean | undefined>;

/**
 * Sends plotly.js to the notebook now, as its own output (≈4.8 MB, stored in the notebook once). Figures
 * call it on their own the first time in a kernel session; call it yourself in a notebook's first
 * cell (as plotly.py's `init_notebook_mode`) so that re-running that cell puts it back in the saved file.
 */
export function loadPlotly(): void {
  const size = (plotlyLoaderHtml().length / 1e6).toFixed(1);
  display({
    "text/html": plotlyLoaderHtml(),
    "text/plain": `plotly.js ${plotlyVersion()} loaded for this notebook's figures (offline, ${size} MB)`,
  });
  (globalThis as unknown as Flags)[INJECTED] = true;
}

/** Sends plotly.js unless this kernel session already did (one injection per session). */
export function ensurePlotly(): void {
  if (!(globalThis as unknown as Flags)[INJECTED]) loadPlotly();
}

/** @internal Forgets that plotly.js was sent (tests: a fresh kernel session). */
export function resetPlotlyInjection(): void {
  (globalThis as unknown as Flags)[INJECTED] = false;
}

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
  const id = `mgts-plot-${randomBytes(6).toString("hex")}`;
  const fig = normalizeFigure(figure);
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
  const image =
    opts.staticImage === false
      ? ""
      : `<img class="mgts-plot-static" alt="${summary}" src="${figureSvgDataUri(fig)}" style="max-width:100%;height:auto;display:block">`;
  const html =
    `<div id="${id}" class="mgts-plot" style="width:100%">` +
    `<div class="mgts-plot-note" style="font:13px sans-serif;color:#666;padding:4px 0">${image}` +
    `<div class="mgts-plot-caption">${image ? "A static picture: the interactive" : "An interactive"} Plotly figure needs JavaScript ` +
    `(a trusted notebook or the exported HTML). ${summary}</div></div>` +
    `<div class="mgts-plot-chart" style="width:100%"></div></div>\n` +
    `<script type="text/javascript">\n${script}\n</script>`;
  return opts.includePlotly === false ? html : `${plotlyLoaderHtml()}\n${html}`;
}

/** The bundle a notebook receives for a figure (plotly.js itself travels separately, see ensurePlotly). */
export function figureBundle(figure: Figure): MimeBundle {
  const fig = normalizeFigure(figure);
  return {
    [PLOTLY_MIME]: fig,
    "text/html": figureHtml(fig, { includePlotly: false, maxPoints: Number.MAX_SAFE_INTEGER }), // checked by the caller
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
