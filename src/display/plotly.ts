/**
 * plotly.js itself: read from the installed `plotly.js-dist-min` (no CDN) and sent to the notebook once per
 * kernel session, as its own output, before the first figure.
 */
import { readFileSync } from "node:fs";
import { display } from "./notebook";

const PLOTLY_PACKAGE = "plotly.js-dist-min";

/** The installed plotly.js version (package.json of plotly.js-dist-min). */
export function plotlyVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${PLOTLY_PACKAGE}/package.json`), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The loader script, read and built once per process (it holds plotly.js: ~4.8 MB). */
const plotly = { loader: null as string | null };

/**
 * A `<script>` that defines `window.Plotly` from the installed bundle, offline. The bundle runs inside a
 * function whose `define`, `module`, `exports` and `require` are undefined, so that its UMD header takes
 * the browser-global branch even where RequireJS (classic Notebook) or a CommonJS shim is present; it
 * does nothing when the same version is already loaded on the page. Sequences that could end or
 * re-open the script element early (`</script`, `<!--`) are escaped inside the JavaScript.
 */
export function plotlyLoaderHtml(): string {
  if (plotly.loader !== null) return plotly.loader;
  const version = plotlyVersion();
  const js = readFileSync(require.resolve(PLOTLY_PACKAGE), "utf8")
    .replace(/<\/script/gi, "<\\/script")
    .replace(/<!--/g, "<\\x21--");
  plotly.loader =
    `<script type="text/javascript">/* plotly.js ${version} from ${PLOTLY_PACKAGE}, sent by micrograd-ts */\n` +
    `if (!(window.Plotly && window.Plotly.version === ${JSON.stringify(version)})) {\n` +
    `(function (define, module, exports, require) {\n${js}\n}).call(window);\n}\n` +
    `window.dispatchEvent(new Event("${LOADED_EVENT}"));\n</script>`;
  return plotly.loader;
}

/** Dispatched on window once plotly.js is loaded: figures that found it missing draw then. */
export const LOADED_EVENT = "micrograd-ts:plotly-loaded";
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
