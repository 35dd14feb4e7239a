/**
 * Looking at a notebook page the way a learner does, in headless Chromium (Debian's, driven by
 * playwright-core), offline: what graphs and charts are on it, whether they are visible, and what went
 * wrong (page errors, console errors, requests that left the machine, error outputs).
 *
 * Works on every page the lectures reach learners as: nbconvert's HTML export, JupyterLab 4 and
 * Notebook 7, which share JupyterLab's markup (`.jp-Cell`, `.jp-OutputArea`).
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { ExpectedLecture } from "./browser-expected";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What happened on a page besides its content. */
export interface PageLog {
  pageErrors: string[];
  consoleErrors: string[];
  consoleWarnings: string[];
  /** Requests to anywhere but the allowed origin (blocked: the suite runs offline). */
  blocked: string[];
  /** Allowed requests that failed (a missing file, an HTTP error). */
  failed: string[];
  /** alert / confirm / prompt dialogs the page opened (accepted, so that nothing hangs). */
  dialogs: string[];
}

/**
 * A page in a fresh context that may only load `allowed` URLs (file:// for exports, the Notebook
 * server for the live run) plus data: and blob: URLs; everything else is aborted and recorded.
 */
export async function openPage(
  browser: Browser,
  allowed: (url: string) => boolean,
): Promise<{ context: BrowserContext; page: Page; log: PageLog }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const log: PageLog = { pageErrors: [], consoleErrors: [], consoleWarnings: [], blocked: [], failed: [], dialogs: [] };
  const ok = (url: string) => allowed(url) || url.startsWith("data:") || url.startsWith("blob:");
  page.on("pageerror", (e) => log.pageErrors.push(String(e.stack ?? e).slice(0, 600)));
  page.on("console", (m) => {
    const where = m.location()?.url ? ` (${m.location().url.slice(0, 120)})` : "";
    if (m.type() === "error") log.consoleErrors.push(m.text().slice(0, 600) + where);
    else if (m.type() === "warning") log.consoleWarnings.push(m.text().slice(0, 300));
  });
  page.on("dialog", (d) => {
    if (d.type() !== "beforeunload") log.dialogs.push(`${d.type()}: ${d.message().slice(0, 300)}`);
    d.accept().catch(() => {});
  });
  page.on("requestfailed", (r) => {
    const error = r.failure()?.errorText ?? "failed";
    // The app's own API calls still in flight when the page reloads are cancelled, not failed.
    const cancelled = error === "net::ERR_ABORTED" && ["fetch", "xhr"].includes(r.resourceType());
    if (ok(r.url()) && !cancelled) log.failed.push(`${r.url().slice(0, 200)}: ${error}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) log.failed.push(`${r.url().slice(0, 200)}: HTTP ${r.status()}`);
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (ok(url)) return route.continue();
    log.blocked.push(url.slice(0, 200));
    return route.abort("internetdisconnected");
  });
  return { context, page, log };
}

export interface SeenGraph {
  cell: number;
  form: "img" | "svg";
  visible: boolean;
  width: number;
  height: number;
  naturalWidth: number;
  naturalHeight: number;
  /** Share of its height not cut off by a scrolling output area (1: whole). */
  shown: number;
  /** Share of its width not cut off by a scrolling box (1: whole; the notebook's own scrolling excluded). */
  shownX: number;
  /** Width of the output area it is drawn in. */
  outputWidth: number;
  /** A graph too wide to fit at a readable size: this picture is the overview, a zoomed copy follows in a <details>. */
  overview: boolean;
  nodes: number;
  texts: string[];
  alt: string;
}

export interface SeenTrace {
  type: string;
  mode: string | null;
  points: number;
}

export interface SeenChart {
  cell: number;
  drawn: boolean;
  title: string;
  visible: boolean;
  width: number;
  height: number;
  /** Share of its height not cut off by a scrolling output area (1: whole). */
  shown: number;
  /** The static picture shown where plotly.js cannot run (untrusted notebooks): loaded and visible. */
  staticPicture: boolean;
  mainSvgs: number;
  traces: SeenTrace[];
  /** Marker points drawn in the plot area. */
  markers: number;
  /** Line paths drawn in the plot area (legend excluded). */
  lines: number;
  /** Contour traces with a filled path. */
  contours: number;
  /** The caption shown instead of the chart (micrograd-ts figures), when it shows. */
  note: string | null;
}

export interface Seen {
  frontEnd: string;
  plotly: string | null;
  graphs: SeenGraph[];
  charts: SeenChart[];
  brokenImages: string[];
  errorOutputs: string[];
  /** Code cells whose prompt shows no execution count (or `*`). */
  unexecuted: number[];
  codeCells: number;
  /** Cells whose outputs the front end collapsed into a scroll box (jp-mod-outputsScrolled). */
  scrolledOutputs: number[];
  /** Heights (px) of the outputs that load plotly.js: they hold only a script and should take no room. */
  loaderHeights: number[];
}

/**
 * Runs in the page (sent as text, so no bundler helper can leak into it). Cells are `.jp-Cell`,
 * indexed like the .ipynb's cells (JupyterLab's default windowing keeps every cell in the page).
 */
const INSPECT = String.raw`(() => {
  const cells = Array.from(document.querySelectorAll(".jp-Cell")).filter((c) => !c.parentElement.closest(".jp-Cell"));
  const cellOf = (el) => cells.indexOf(el.closest(".jp-Cell"));
  const visible = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const box = (el) => el.getBoundingClientRect();
  const textsOf = (root) => Array.from(new Set(Array.from(root.querySelectorAll("text")).map((t) => t.textContent)));
  const isGraph = (root) => root.querySelector('g[class~="node"]') !== null;
  const pageScroller = (a) => a.classList.contains("jp-WindowedPanel-outer") || a.classList.contains("jp-Notebook");
  // The share of the element's height (or width) not cut off by a scrolling ancestor, short of the
  // notebook's own scrolling (the learner scrolls the page anyway). 1 when it shows whole.
  const shownAlong = (el, vertical) => {
    const r = el.getBoundingClientRect();
    const size = vertical ? r.height : r.width;
    if (size <= 0) return 0;
    let start = vertical ? r.top : r.left, end = vertical ? r.bottom : r.right;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (pageScroller(a)) break;
      const o = getComputedStyle(a)[vertical ? "overflowY" : "overflowX"];
      if (o === "visible") continue;
      const c = a.getBoundingClientRect();
      start = Math.max(start, vertical ? c.top : c.left);
      end = Math.min(end, vertical ? c.bottom : c.right);
    }
    return Math.max(0, end - start) / size;
  };
  const shown = (el) => shownAlong(el, true);
  const outputWidth = (el) => { const o = el.closest(".jp-OutputArea-output"); return o ? o.getBoundingClientRect().width : 0; };

  const graphs = [];
  const brokenImages = [];
  for (const img of Array.from(document.querySelectorAll("img"))) {
    if (!img.closest(".jp-OutputArea")) continue;
    if (img.complete && img.naturalWidth === 0) brokenImages.push("cell " + cellOf(img) + ": " + img.src.slice(0, 80));
    if (!img.src.startsWith("data:image/svg+xml") || img.closest(".mgts-plot, .js-plotly-plot")) continue;
    // A wide graph's zoomed copy, inside a closed <details> under its overview: not a graph of its own.
    if (img.closest("details") && !img.closest("summary")) continue;
    const comma = img.src.indexOf(",");
    const payload = img.src.slice(comma + 1);
    let svg;
    try {
      let text;
      if (/;base64$/.test(img.src.slice(0, comma))) {
        const binary = atob(payload);
        text = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
      } else {
        text = decodeURIComponent(payload);
      }
      svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    } catch (e) {
      brokenImages.push("cell " + cellOf(img) + ": its SVG data URI does not decode (" + e.message + ")");
      continue;
    }
    if (!isGraph(svg)) continue;
    const b = box(img);
    const next = img.nextElementSibling;
    const zoom = next && next.tagName === "DETAILS" ? next.querySelector("img") : null;
    graphs.push({ el: img, cell: cellOf(img), form: "img", visible: visible(img), width: b.width, height: b.height,
      naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, shown: shown(img), shownX: shownAlong(img, false),
      outputWidth: outputWidth(img), overview: zoom !== null && zoom.src === img.src,
      nodes: svg.querySelectorAll('g[class~="node"]').length, texts: textsOf(svg), alt: img.alt || "" });
  }
  for (const svg of Array.from(document.querySelectorAll("svg"))) {
    if (svg.closest(".mgts-plot, .js-plotly-plot") || !svg.closest(".jp-OutputArea") || !isGraph(svg)) continue;
    if (svg.parentElement && svg.parentElement.closest("svg")) continue;
    const b = box(svg);
    graphs.push({ el: svg, cell: cellOf(svg), form: "svg", visible: visible(svg), width: b.width, height: b.height,
      naturalWidth: b.width, naturalHeight: b.height, shown: shown(svg), shownX: shownAlong(svg, false),
      outputWidth: outputWidth(svg), overview: false,
      nodes: svg.querySelectorAll("g.node").length, texts: textsOf(svg), alt: "" });
  }
  graphs.sort((x, y) => (x.el.compareDocumentPosition(y.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));

  const roots = Array.from(document.querySelectorAll(".mgts-plot"));
  for (const p of Array.from(document.querySelectorAll(".js-plotly-plot"))) if (!p.closest(".mgts-plot")) roots.push(p);
  roots.sort((x, y) => (x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const charts = roots.map((root) => {
    const gd = root.classList.contains("js-plotly-plot") ? root : root.querySelector(".js-plotly-plot");
    const noteEl = root.querySelector(".mgts-plot-note");
    const note = noteEl && visible(noteEl) ? noteEl.textContent.trim().slice(0, 400) : null;
    const still = root.querySelector("img.mgts-plot-static");
    const staticPicture = !!still && visible(still) && still.complete && still.naturalWidth > 0 && box(still).width > 0;
    if (!gd) {
      return { cell: cellOf(root), drawn: false, title: "", visible: visible(root), width: 0, height: 0,
        shown: still ? shown(still) : 0, staticPicture, mainSvgs: 0, traces: [], markers: 0, lines: 0, contours: 0, note };
    }
    const b = box(gd);
    const title = gd.querySelector(".gtitle");
    const plot = gd.querySelector(".cartesianlayer") || gd;
    return {
      cell: cellOf(root),
      drawn: true,
      title: title ? title.textContent : "",
      visible: visible(gd),
      width: b.width,
      height: b.height,
      shown: shown(gd),
      staticPicture,
      mainSvgs: gd.querySelectorAll(".main-svg").length,
      traces: (gd.data || []).map((t) => ({ type: t.type || "scatter", mode: t.mode || null, points: t.x ? t.x.length : 0 })),
      markers: plot.querySelectorAll("g.trace.scatter path.point").length,
      lines: Array.from(plot.querySelectorAll("g.trace.scatter path.js-line")).filter((l) => (l.getAttribute("d") || "").length > 20).length,
      contours: Array.from(gd.querySelectorAll("g.contour")).filter((g) =>
        Array.from(g.querySelectorAll(".contourfill path, .contourlines path")).some((p) => (p.getAttribute("d") || "").length > 20)).length,
      note,
    };
  });

  const errorOutputs = Array.from(document.querySelectorAll(
    '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error'))
    .map((e) => "cell " + cellOf(e) + ": " + e.textContent.trim().slice(0, 400));
  const prompts = Array.from(document.querySelectorAll(".jp-CodeCell .jp-InputPrompt"));
  const unexecuted = prompts.filter((p) => !/\[\d+\]/.test(p.textContent)).map(cellOf);
  const scrolledOutputs = cells.filter((c) => c.classList.contains("jp-mod-outputsScrolled")).map((c) => cells.indexOf(c));
  const loaderHeights = Array.from(document.querySelectorAll(".jp-OutputArea-output script"))
    .filter((s) => /^\/\* plotly\.js /.test(s.textContent || ""))
    .map((s) => { const child = s.closest(".jp-OutputArea-child") || s.closest(".jp-OutputArea-output"); return Math.round(box(child).height); });
  let config = {};
  try { config = JSON.parse(document.getElementById("jupyter-config-data").textContent); } catch (e) { config = {}; }
  const frontEnd = config.appName && config.appVersion ? config.appName + " " + config.appVersion
    : (document.querySelector(".jp-Notebook") ? "nbconvert HTML (lab template)" : "unknown");
  return {
    frontEnd,
    plotly: window.Plotly ? window.Plotly.version : null,
    graphs: graphs.map(({ el, ...g }) => g),
    charts, brokenImages, errorOutputs, unexecuted, codeCells: prompts.length, scrolledOutputs, loaderHeights,
  };
})()`;

export function inspect(page: Page): Promise<Seen> {
  return page.evaluate(INSPECT) as Promise<Seen>;
}

/**
 * Scrolls the open notebook from top to bottom and back, a screen at a time, as a reader does, until
 * the page holds `cells` cells (≤ 60 s): JupyterLab and Notebook 7 attach the cells of a freshly opened
 * notebook in batches, and some only as they come into view. Returns how many cells the page then has.
 */
export async function revealAllCells(page: Page, cells: number): Promise<number> {
  return (await page.evaluate(`(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const count = () => document.querySelectorAll(".jp-Notebook .jp-Cell").length;
    const deadline = Date.now() + 60000;
    do {
      const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer");
      if (panel) {
        for (let guard = 0; guard < 400; guard++) {
          const before = panel.scrollTop;
          panel.scrollTop = before + Math.max(200, panel.clientHeight - 50);
          await frame();
          if (panel.scrollTop === before && panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 2) break;
        }
        panel.scrollTop = 0;
      }
      await frame();
      if (count() >= ${Math.floor(cells)}) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    return count();
  })()`)) as number;
}

/**
 * Waits (bounded) until the page has settled: every image loaded and as many Plotly charts drawn as
 * expected. Never throws: whatever is missing at the deadline is what `problems` reports.
 */
export async function waitForOutputs(page: Page, expected: ExpectedLecture | null, timeout = 30_000): Promise<boolean> {
  const condition = `(() => {
    const imgs = Array.from(document.querySelectorAll(".jp-OutputArea img"));
    const drawn = Array.from(document.querySelectorAll(".js-plotly-plot")).filter((p) => p.querySelector(".main-svg")).length;
    return imgs.every((i) => i.complete) && drawn >= ${expected?.charts.length ?? 0};
  })()`;
  return page
    .waitForFunction(condition, null, { timeout, polling: 200 })
    .then(() => true)
    .catch(() => false);
}

/** How a page is checked: trusted pages draw charts with plotly.js, untrusted ones show static pictures. */
export interface CheckOptions {
  trusted: boolean;
  /** Page errors the front end itself raises whatever the notebook (reported, not failed). */
  knownPageErrors?: RegExp[];
}

/**
 * Everything a learner would miss or see broken, one message each, naming the notebook, the page and
 * the cell. Empty when the page shows exactly the expected graphs and charts, whole and readable, with
 * no errors. Without expectations (a new notebook) only errors, clipping and readability are checked.
 */
export function problems(
  where: string,
  seen: Seen,
  log: PageLog,
  expected: ExpectedLecture | null,
  opts: CheckOptions = { trusted: true },
): string[] {
  const out: string[] = [];
  const say = (text: string) => out.push(`${where}: ${text}`);
  const cells = (xs: { cell: number }[]) => `[${xs.map((x) => x.cell).join(", ")}]`;

  if (expected && seen.graphs.length !== expected.graphs.length) {
    say(
      `expected ${expected.graphs.length} graph(s) in cells ${cells(expected.graphs)}, saw ${seen.graphs.length} in cells ${cells(seen.graphs)}`,
    );
  }
  for (const exp of expected?.graphs ?? []) {
    const g = seen.graphs.find((s) => s.cell === exp.cell);
    if (!g) {
      say(`cell ${exp.cell}: no computation graph (expected an image or SVG of ${exp.nodes} Graphviz nodes)`);
      continue;
    }
    const what = `cell ${exp.cell}: graph (${g.form}${g.alt ? `, "${g.alt}"` : ""})`;
    if (g.nodes !== exp.nodes) say(`${what} has ${g.nodes} Graphviz nodes, expected ${exp.nodes}`);
    const missing = exp.texts.filter((t) => !g.texts.includes(t));
    if (missing.length > 0) say(`${what} lacks the texts ${JSON.stringify(missing)}`);
  }
  for (const g of seen.graphs) {
    const what = `cell ${g.cell}: graph (${g.form}${g.alt ? `, "${g.alt}"` : ""})`;
    if (!g.visible) say(`${what} is hidden`);
    if (!(g.width > 0 && g.height > 0)) say(`${what} has an empty box (${g.width}×${g.height})`);
    if (!(g.naturalWidth > 0 && g.naturalHeight > 0))
      say(`${what} did not load (natural size ${g.naturalWidth}×${g.naturalHeight})`);
    // Whole without scrolling: scaled to fit, or the overview of a graph too wide for that.
    if (g.shownX < 0.999 || g.shown < 0.999)
      say(
        `${what} is cut off: ${Math.round(100 * g.shownX)}% of its width and ${Math.round(100 * g.shown)}% of its height in view`,
      );
    // Readable: at least half its natural size, unless it is an overview (a readable copy is under it).
    if (!g.overview && g.width < 0.499 * g.naturalWidth)
      say(`${what} is shown at ${Math.round(g.width)} px of its ${g.naturalWidth} px: too small to read`);
  }

  if (expected && seen.charts.length !== expected.charts.length) {
    say(
      `expected ${expected.charts.length} chart(s) in cells ${cells(expected.charts)}, saw ${seen.charts.length} in cells ${cells(seen.charts)}`,
    );
  }
  if (opts.trusted && seen.charts.length > 0 && seen.plotly === null)
    say("plotly.js is not loaded on the page (window.Plotly)");
  for (const c of seen.charts) {
    const what = `cell ${c.cell}: chart${c.title ? ` "${c.title}"` : ""}`;
    if (c.shown < 0.999) say(`${what} is cut off by a scroll box: ${Math.round(100 * c.shown)}% of its height in view`);
    if (!opts.trusted) {
      // Untrusted: no script runs, so the static picture stands in for the chart.
      if (c.drawn) say(`${what} was drawn by plotly.js in an untrusted notebook (scripts should not run)`);
      if (!c.staticPicture) say(`${what}: its static picture is missing or not shown${c.note ? ` (${c.note})` : ""}`);
      continue;
    }
    if (!c.drawn) {
      say(`${what} was not drawn by plotly.js${c.note ? `; the page says: ${c.note}` : ""}`);
      continue;
    }
    if (c.note !== null) say(`${what}: the fallback caption still shows: ${c.note}`);
    if (c.mainSvgs === 0) say(`${what} has no .main-svg`);
    if (!c.visible) say(`${what} is hidden`);
    if (!(c.width > 0 && c.height > 0)) say(`${what} has an empty box (${c.width}×${c.height})`);
  }
  for (const exp of expected?.charts ?? []) {
    const c = seen.charts.find((s) => s.cell === exp.cell);
    const what = `cell ${exp.cell}: chart "${exp.title}"`;
    if (!c) {
      say(`${what} is missing`);
      continue;
    }
    if (!opts.trusted || !c.drawn) continue;
    if (c.title !== exp.title) say(`${what} shows the title "${c.title}"`);
    const want = exp.traces.map((t) => `${t.type}${t.mode ? `/${t.mode}` : ""} × ${t.points}`);
    const got = c.traces.map((t) => `${t.type}${t.type === "scatter" && t.mode ? `/${t.mode}` : ""} × ${t.points}`);
    if (JSON.stringify(want) !== JSON.stringify(got))
      say(`${what} has traces ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    const markerPoints = exp.traces.filter((t) => t.mode === "markers").reduce((n, t) => n + t.points, 0);
    if (c.markers !== markerPoints) say(`${what} drew ${c.markers} marker points, expected ${markerPoints}`);
    const lineTraces = exp.traces.filter((t) => t.mode === "lines").length;
    if (c.lines !== lineTraces) say(`${what} drew ${c.lines} line(s), expected ${lineTraces}`);
    const contours = exp.traces.filter((t) => t.type === "contour").length;
    if (c.contours !== contours) say(`${what} drew ${c.contours} filled contour(s), expected ${contours}`);
  }

  if (seen.scrolledOutputs.length > 0)
    say(`outputs collapsed into a scroll box in cells ${JSON.stringify(seen.scrolledOutputs)}`);
  for (const h of seen.loaderHeights) if (h > 1) say(`the plotly.js loader output takes ${h} px of blank space`);
  for (const e of seen.brokenImages) say(`broken image in ${e}`);
  for (const e of seen.errorOutputs) say(`error output in ${e}`);
  if (seen.unexecuted.length > 0) say(`code cells not executed: ${JSON.stringify(seen.unexecuted)}`);
  const known = (e: string) => (opts.knownPageErrors ?? []).some((r) => r.test(e));
  for (const e of log.pageErrors) if (!known(e)) say(`page error: ${e}`);
  for (const e of log.consoleErrors) say(`console error: ${e}`);
  for (const e of log.blocked) say(`request to the network (blocked, the page must work offline): ${e}`);
  for (const e of log.failed) say(`request failed: ${e}`);
  for (const e of log.dialogs) say(`the page opened a dialog: ${e}`);
  return out;
}

/** One line per page for the log: "2 graphs [7: 10 nodes 1539×208 at 74%], 1 chart [3: "…" scatter/lines×40]". */
export function describeSeen(seen: Seen): string {
  const cut = (shown: number) =>
    shown < 0.999 ? `, only ${Math.round(100 * shown)}% in view of its scrolled output area` : "";
  const graphs = seen.graphs.map(
    (g) =>
      `cell ${g.cell}: ${g.nodes} nodes, ${g.naturalWidth}×${g.naturalHeight} px shown at ${Math.round(g.width)}×${Math.round(g.height)} (${Math.round((100 * g.width) / Math.max(1, g.naturalWidth))}%${g.overview ? ", overview" : ""}) in a ${Math.round(g.outputWidth)} px output${cut(Math.min(g.shown, g.shownX))}`,
  );
  const charts = seen.charts.map(
    (c) =>
      `cell ${c.cell}: ${c.drawn ? `"${c.title}" ${c.traces.map((t) => `${t.type}${t.mode ? `/${t.mode}` : ""}×${t.points}`).join(" + ")}${cut(c.shown)}` : c.staticPicture ? "static picture (no script ran)" : "NOT DRAWN"}`,
  );
  return `${seen.graphs.length} graph(s)${graphs.length ? ` {${graphs.join("; ")}}` : ""}, ${seen.charts.length} chart(s)${charts.length ? ` {${charts.join("; ")}}` : ""}`;
}

/**
 * Waits (≤ 20 s) for MathJax, which the export loads, to show no "Loading [MathJax]…" box, so that the
 * box does not end up in a screenshot.
 */
export async function mathJaxSettled(page: Page): Promise<void> {
  await page
    .waitForFunction(
      `(() => {
        if (!window.MathJax || window.MathJax.isReady === undefined) return true;
        const message = document.getElementById("MathJax_Message");
        const quiet = !message || message.style.display === "none" || message.textContent === "";
        return window.MathJax.isReady === true && quiet;
      })()`,
      null,
      { timeout: 20_000, polling: 250 },
    )
    .catch(() => {});
}

/** A full-page picture of a normally scrolling page (the nbconvert export). */
export async function screenshotDocument(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await mathJaxSettled(page);
  await page.screenshot({ path, fullPage: true });
}

/**
 * A picture of the whole notebook in JupyterLab or Notebook 7, where the notebook scrolls inside its own
 * panel rather than the document: the viewport is made as tall as the page plus what the panel hides
 * (at most 16,000 px), scrolled to the top; then the viewport is put back.
 */
export async function screenshotNotebook(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const before = page.viewportSize() ?? { width: 1280, height: 900 };
  const extra = (await page.evaluate(`(() => {
    const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer");
    return panel ? panel.scrollHeight - panel.clientHeight : 0;
  })()`)) as number;
  await page.setViewportSize({
    width: before.width,
    height: Math.min(before.height + Math.max(0, extra) + 20, 16_000),
  });
  await page.evaluate(`(() => {
    const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer");
    if (panel) panel.scrollTop = 0;
  })()`);
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
  await page.screenshot({ path });
  await page.setViewportSize(before);
}

/** What one output area showed while the notebook ran: its distinct graph pictures, and at most how many at once. */
export interface WatchedOutput {
  frames: number;
  mostAtOnce: number;
}

/**
 * Starts recording, in the page, every graph picture (an SVG data-URI <img> outside the charts) each
 * output area shows while cells run: an animation updated in place shows many pictures over time, one at
 * a time. Call before Run All; `watchedOutputs` reads the record.
 */
export async function watchGraphOutputs(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = new Map();
    window.__mgtsWatched = seen;
    const scan = () => {
      for (const area of document.querySelectorAll(".jp-OutputArea")) {
        const srcs = new Set(
          [...area.querySelectorAll('img[src^="data:image/svg+xml"]')]
            .filter((img) => !img.closest(".mgts-plot"))
            .map((img) => img.getAttribute("src")),
        );
        if (srcs.size === 0) continue;
        const record = seen.get(area) ?? { srcs: new Set(), mostAtOnce: 0 };
        for (const src of srcs) record.srcs.add(src);
        record.mostAtOnce = Math.max(record.mostAtOnce, srcs.size);
        seen.set(area, record);
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
  })()`);
}

/** The record of watchGraphOutputs: one entry per output area that showed a graph. */
export async function watchedOutputs(page: Page): Promise<WatchedOutput[]> {
  return (await page.evaluate(
    "[...window.__mgtsWatched.values()].map((r) => ({ frames: r.srcs.size, mostAtOnce: r.mostAtOnce }))",
  )) as WatchedOutput[];
}
