/**
 * Looking at a notebook page the way a learner does, in headless Chromium (Debian's, driven by
 * playwright-core), offline: what graphs and charts are on it, whether they are visible, and what went
 * wrong (page errors, console errors, requests that left the machine, error outputs).
 *
 * Works on both pages the lectures reach learners as: nbconvert's HTML export (JupyterLab-style
 * markup, `.jp-Cell`) and the live classic Notebook 6 (`.cell`).
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
    if (ok(r.url())) log.failed.push(`${r.url().slice(0, 200)}: ${r.failure()?.errorText ?? "failed"}`);
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
}

/**
 * Runs in the page (sent as text, so no bundler helper can leak into it). Cells are `.jp-Cell`
 * (nbconvert) or `.cell` (classic Notebook), indexed like the .ipynb's cells.
 */
const INSPECT = String.raw`(() => {
  const cells = Array.from(document.querySelectorAll(".jp-Cell, .cell"));
  const cellOf = (el) => cells.indexOf(el.closest(".jp-Cell, .cell"));
  const visible = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const box = (el) => el.getBoundingClientRect();
  const textsOf = (root) => Array.from(new Set(Array.from(root.querySelectorAll("text")).map((t) => t.textContent)));
  const isGraph = (root) => root.querySelector('g[class~="node"]') !== null;
  // The share of the element's height not cut off by a scrolling ancestor (classic Notebook puts long
  // outputs in a scroll box). 1 when it shows whole.
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.height <= 0) return 0;
    let top = r.top, bottom = r.bottom;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.id === "site" || a.id === "notebook") break; // the page's own scrolling
      const o = getComputedStyle(a).overflowY;
      if (o === "visible") continue;
      const c = a.getBoundingClientRect();
      top = Math.max(top, c.top);
      bottom = Math.min(bottom, c.bottom);
    }
    return Math.max(0, bottom - top) / r.height;
  };

  const graphs = [];
  const brokenImages = [];
  for (const img of Array.from(document.querySelectorAll("img"))) {
    if (!img.closest(".jp-OutputArea, .output_area")) continue;
    if (img.complete && img.naturalWidth === 0) brokenImages.push("cell " + cellOf(img) + ": " + img.src.slice(0, 80));
    if (!img.src.startsWith("data:image/svg+xml") || img.closest(".mgts-plot, .js-plotly-plot")) continue;
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
    graphs.push({ el: img, cell: cellOf(img), form: "img", visible: visible(img), width: b.width, height: b.height,
      naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, shown: shown(img),
      nodes: svg.querySelectorAll('g[class~="node"]').length, texts: textsOf(svg), alt: img.alt || "" });
  }
  for (const svg of Array.from(document.querySelectorAll("svg"))) {
    if (svg.closest(".mgts-plot, .js-plotly-plot") || !svg.closest(".jp-OutputArea, .output_area") || !isGraph(svg)) continue;
    if (svg.parentElement && svg.parentElement.closest("svg")) continue;
    const b = box(svg);
    graphs.push({ el: svg, cell: cellOf(svg), form: "svg", visible: visible(svg), width: b.width, height: b.height,
      naturalWidth: b.width, naturalHeight: b.height, shown: shown(svg),
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
    if (!gd) {
      return { cell: cellOf(root), drawn: false, title: "", visible: visible(root), width: 0, height: 0, shown: 0, mainSvgs: 0,
        traces: [], markers: 0, lines: 0, contours: 0, note };
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
    '[data-mime-type="application/vnd.jupyter.stderr"], .output_stderr, .output_error, .jp-OutputArea-output.jp-mod-error'))
    .map((e) => "cell " + cellOf(e) + ": " + e.textContent.trim().slice(0, 400));
  const prompts = Array.from(document.querySelectorAll(".jp-CodeCell .jp-InputPrompt, .code_cell .input_prompt"));
  const unexecuted = prompts.filter((p) => !/\[\d+\]/.test(p.textContent)).map(cellOf);
  const J = window.Jupyter;
  return {
    frontEnd: J && J.version ? "classic Notebook " + J.version : (document.querySelector(".jp-Notebook") ? "nbconvert HTML (lab template)" : "unknown"),
    plotly: window.Plotly ? window.Plotly.version : null,
    graphs: graphs.map(({ el, ...g }) => g),
    charts, brokenImages, errorOutputs, unexecuted, codeCells: prompts.length,
  };
})()`;

export function inspect(page: Page): Promise<Seen> {
  return page.evaluate(INSPECT) as Promise<Seen>;
}

/**
 * Waits (bounded) until the page has settled: every image loaded and as many Plotly charts drawn as
 * expected. Never throws: whatever is missing at the deadline is what `problems` reports.
 */
export async function waitForOutputs(page: Page, expected: ExpectedLecture, timeout = 30_000): Promise<boolean> {
  const condition = `(() => {
    const imgs = Array.from(document.querySelectorAll(".jp-OutputArea img, .output_area img"));
    const drawn = Array.from(document.querySelectorAll(".js-plotly-plot")).filter((p) => p.querySelector(".main-svg")).length;
    return imgs.every((i) => i.complete) && drawn >= ${expected.charts.length};
  })()`;
  return page
    .waitForFunction(condition, null, { timeout, polling: 200 })
    .then(() => true)
    .catch(() => false);
}

/**
 * Everything a learner would miss or see broken, one message each, naming the notebook, the page and
 * the cell. Empty when the page shows exactly the expected graphs and charts, with no errors.
 */
export function problems(where: string, seen: Seen, log: PageLog, expected: ExpectedLecture): string[] {
  const out: string[] = [];
  const say = (text: string) => out.push(`${where}: ${text}`);
  const cells = (xs: { cell: number }[]) => `[${xs.map((x) => x.cell).join(", ")}]`;

  if (seen.graphs.length !== expected.graphs.length) {
    say(
      `expected ${expected.graphs.length} graph(s) in cells ${cells(expected.graphs)}, saw ${seen.graphs.length} in cells ${cells(seen.graphs)}`,
    );
  }
  for (const exp of expected.graphs) {
    const g = seen.graphs.find((s) => s.cell === exp.cell);
    if (!g) {
      say(`cell ${exp.cell}: no computation graph (expected an image or SVG of ${exp.nodes} Graphviz nodes)`);
      continue;
    }
    const what = `cell ${exp.cell}: graph (${g.form}${g.alt ? `, "${g.alt}"` : ""})`;
    if (!g.visible) say(`${what} is hidden`);
    if (!(g.width > 0 && g.height > 0)) say(`${what} has an empty box (${g.width}×${g.height})`);
    if (!(g.naturalWidth > 0 && g.naturalHeight > 0))
      say(`${what} did not load (natural size ${g.naturalWidth}×${g.naturalHeight})`);
    if (g.nodes !== exp.nodes) say(`${what} has ${g.nodes} Graphviz nodes, expected ${exp.nodes}`);
    const missing = exp.texts.filter((t) => !g.texts.includes(t));
    if (missing.length > 0) say(`${what} lacks the texts ${JSON.stringify(missing)}`);
  }

  if (seen.charts.length !== expected.charts.length) {
    say(
      `expected ${expected.charts.length} chart(s) in cells ${cells(expected.charts)}, saw ${seen.charts.length} in cells ${cells(seen.charts)}`,
    );
  }
  if (expected.charts.length > 0 && seen.plotly === null) say("plotly.js is not loaded on the page (window.Plotly)");
  for (const exp of expected.charts) {
    const c = seen.charts.find((s) => s.cell === exp.cell);
    const what = `cell ${exp.cell}: chart "${exp.title}"`;
    if (!c) {
      say(`${what} is missing`);
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

  for (const e of seen.brokenImages) say(`broken image in ${e}`);
  for (const e of seen.errorOutputs) say(`error output in ${e}`);
  if (seen.unexecuted.length > 0) say(`code cells not executed: ${JSON.stringify(seen.unexecuted)}`);
  for (const e of log.pageErrors) say(`page error: ${e}`);
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
      `cell ${g.cell}: ${g.nodes} nodes, ${g.naturalWidth}×${g.naturalHeight} px shown at ${Math.round(g.width)}×${Math.round(g.height)} (${Math.round((100 * g.width) / Math.max(1, g.naturalWidth))}%)${cut(g.shown)}`,
  );
  const charts = seen.charts.map(
    (c) =>
      `cell ${c.cell}: ${c.drawn ? `"${c.title}" ${c.traces.map((t) => `${t.type}${t.mode ? `/${t.mode}` : ""}×${t.points}`).join(" + ")}${cut(c.shown)}` : "NOT DRAWN"}`,
  );
  return `${seen.graphs.length} graph(s)${graphs.length ? ` {${graphs.join("; ")}}` : ""}, ${seen.charts.length} chart(s)${charts.length ? ` {${charts.join("; ")}}` : ""}`;
}

/**
 * Waits (≤ 20 s) for MathJax 2, which both the export and the classic Notebook load, to have started
 * and to show no "Loading [MathJax]…" box, so that the box does not end up in a screenshot. (Its
 * queue is not a usable signal: in the classic Notebook it can stay blocked, see the findings.)
 */
export async function mathJaxSettled(page: Page): Promise<void> {
  await page
    .waitForFunction(
      `(() => {
        if (!window.MathJax) return true;
        const message = document.getElementById("MathJax_Message");
        const quiet = !message || message.style.display === "none" || message.textContent === "";
        return window.MathJax.isReady === true && quiet;
      })()`,
      null,
      { timeout: 20_000, polling: 250 },
    )
    .catch(() => {});
}

/**
 * Whether MathJax's queue runs a new job within `ms` (true when there is no MathJax). A blocked queue
 * means math typed later (a learner's own markdown cell with $…$) stays raw until the page reloads.
 */
export async function mathJaxQueueRuns(page: Page, ms = 5_000): Promise<boolean> {
  return (await page.evaluate(`new Promise((resolve) => {
    const hub = window.MathJax && window.MathJax.Hub;
    if (!hub || !hub.Queue) return resolve(true);
    setTimeout(() => resolve(false), ${ms});
    hub.Queue(() => resolve(true));
  })`)) as boolean;
}

/** A full-page picture of a normally scrolling page (the nbconvert export). */
export async function screenshotDocument(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await mathJaxSettled(page);
  await page.screenshot({ path, fullPage: true });
}

/**
 * A full-page picture of the classic Notebook, whose notebook scrolls inside #site rather than the
 * document: the viewport is made as tall as header plus notebook (at most 16,000 px), scrolled to top.
 */
export async function screenshotClassicNotebook(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await mathJaxSettled(page);
  const height = (await page.evaluate(`(() => {
    const header = document.getElementById("header");
    const notebook = document.getElementById("notebook");
    return (header ? header.offsetHeight : 0) + (notebook ? notebook.scrollHeight : document.body.scrollHeight);
  })()`)) as number;
  const width = page.viewportSize()?.width ?? 1280;
  await page.setViewportSize({ width, height: Math.min(Math.max(900, Math.ceil(height) + 20), 16_000) });
  await page.waitForFunction(`(() => {
    const site = document.getElementById("site");
    if (site) site.scrollTop = 0;
    return !site || site.scrollTop === 0;
  })()`);
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
  await page.screenshot({ path });
}
