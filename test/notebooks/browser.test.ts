/**
 * What learners see, verified in a real browser (headless Chromium from Debian, offline):
 *
 * 1. Exports: each build/test-lectures/NN-name.html (nbconvert, made by the global setup) opened from
 *    disk shows every computation graph (loaded, whole, readable, the expected Graphviz nodes and texts)
 *    and every Plotly chart (drawn, not cut off, the expected traces), with no page error, console
 *    error, network request or error output.
 * 2. Live, in JupyterLab 4 and in Notebook 7, both served by one `jupyter lab` process of the project's
 *    Jupyter (127.0.0.1, random port and token, a temporary copy of notebooks/, no user settings):
 *    each lecture is opened (it must not be marked modified: the front end's own unsaved-changes
 *    warning stays silent), run with Run → Run All Cells, and checked as the export is, plus: no output
 *    collapsed into a scroll box, the plotly.js loader taking no room, the live display updated in
 *    place (one chart holding the final step). Then File → Save and a reload: the saved outputs draw
 *    again, and the notebook opens unmodified again. On the export and live, before and after saving,
 *    the exercises' solutions (closed <details> in markdown cells) hide their code until clicked.
 * 3. Untrusted: the executed copy from the global setup (signed by no one) opened in both front ends
 *    shows every graph and, for every chart, its static picture.
 * 4. Screenshots of every page in build/screenshots/, and a summary (times, graphs, charts, widths,
 *    clipping, modified flags) printed and written to build/screenshots/browser-summary.json.
 *    With MGTS_WRITE_SCREENSHOTS=1 it also writes docs/images/screenshot-NN-name.png (one cell each).
 *
 * Notebooks are found by glob (notebooks/NN-*.ipynb); expectations per notebook are in
 * browser-expected.ts, and a notebook without an entry is still checked for errors, clipping and
 * readability. Skipped when /usr/bin/chromium (or $CHROMIUM) or the project's Jupyter is missing,
 * except under CI (.ci/run sets CI=1), where either is a failure.
 * Run alone: npx vitest run --project notebooks test/notebooks/browser.test.ts
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANIMATED, EXPECTED, type ExpectedLecture } from "./browser-expected";
import { KERNEL_WAIT_MAX_MS, kernelReady } from "./browser-kernel";
import {
  type CheckOptions,
  describeSeen,
  hasChromium,
  inspect,
  launchChromium,
  openPage,
  problems,
  revealAllCells,
  type Seen,
  screenshotDocument,
  screenshotNotebook,
  type WatchedOutput,
  waitForOutputs,
  watchedOutputs,
  watchGraphOutputs,
} from "./browser-page";
import { type JupyterServer, startJupyterServer } from "./browser-server";
import { solutionProblems } from "./browser-solutions";
import { LECTURES_DIR, ONLY } from "./setup";

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  root: string;
  lectureNames(only?: string[], dir?: string): string[];
  findPython(): string | null;
};

const SCREENSHOTS = join(jupyter.root, "build", "screenshots");
const LECTURES = jupyter.lectureNames(ONLY).map((f) => f.replace(/\.ipynb$/, ""));
const TYPE_ALONG_DIR = join(jupyter.root, "notebooks", "type-along");
/** The type-along editions (notebooks/type-along/NN-name.ipynb). */
const TYPE_ALONG = jupyter.lectureNames(ONLY, TYPE_ALONG_DIR).map((f) => f.replace(/\.ipynb$/, ""));

interface TypeAlongCell {
  id: string;
  metadata: { "micrograd-ts"?: { "type-along"?: { cell: string } } };
}
/**
 * Where a type-along edition must stop when run as generated: the index of its first check cell (under
 * the first empty cell whose names a later cell needs) and that cell's name; null when it has none.
 */
function typeAlongStop(name: string): { at: number; cell: string } | null {
  const cells = (JSON.parse(readFileSync(join(TYPE_ALONG_DIR, `${name}.ipynb`), "utf8")) as { cells: TypeAlongCell[] })
    .cells;
  const at = cells.findIndex((c) => c.id.endsWith("-check") && c.id !== "type-along-check");
  if (at < 0) return null;
  const checked = cells.find((c) => `${c.id}-check` === cells[at]?.id);
  return { at, cell: checked?.metadata["micrograd-ts"]?.["type-along"]?.cell as string };
}
const RUN_TIMEOUT_MS = 300_000; // one lecture's Run All
/** With MGTS_WRITE_SCREENSHOTS=1: the live cell (input and output) pictured in docs/images/screenshot-NN-name.png. */
const README_CELLS: Record<string, number> = {
  "01-derivatives": 4, // f(x) plotted
  "02-backprop-by-hand": 18, // the graph after the manual backward pass
  "03-engine-testing": 7, // a / b, gradient-checked and drawn
  "04-mlp-training": 21, // the training loop with its live loss curve
  "05-moons-demo": 13, // the decision boundary
};

interface FrontEnd {
  key: "lab" | "nb7";
  name: string;
  /** The page a learner opens for a notebook at `path` (relative to the served folder). */
  url(server: JupyterServer, path: string, visit: string): string;
  /** The appName in the page's config data. */
  appName: string;
  checks: Omit<CheckOptions, "trusted">;
}

const FRONT_ENDS: FrontEnd[] = [
  {
    key: "lab",
    name: "JupyterLab",
    appName: "JupyterLab",
    // A workspace of its own per visit: JupyterLab would otherwise reopen the previous lecture's tab.
    url: (s, path, visit) => `${s.url}/lab/workspaces/${visit}/tree/${path}?token=${s.token}`,
    checks: {},
  },
  {
    key: "nb7",
    name: "Notebook 7",
    appName: "Jupyter Notebook",
    url: (s, path) => `${s.url}/notebooks/${path}?token=${s.token}`,
    // Notebook 7.6's own start-up errors, raised on every notebook page (an empty notebook too).
    checks: { knownPageErrors: [/reading 'schema'/, /Command 'filebrowser:open-path' not registered/] },
  },
];

interface Row {
  notebook: string;
  page: string;
  /** Page opened to all outputs shown (live: to Run All finished). */
  seconds: number;
  /** Run → Run All Cells clicked to the last cell done (live pages). */
  runAllSeconds?: number;
  graphs: number;
  charts: number;
  /** The widest graph as displayed, against the width of its output area (px). */
  widestGraph?: string;
  /** Anything cut off by a scroll box, or outputs collapsed: "no" or what. */
  clipped: string;
  /** Marked modified on open (the front end's unsaved-changes warning): live pages only. */
  modifiedOnOpen?: boolean;
  seen: string;
  screenshot: string;
  note?: string;
}
const rows: Row[] = [];

function expectedFor(name: string): ExpectedLecture | null {
  return EXPECTED[name] ?? null; // a new notebook without expectations: errors and layout only
}

function record(row: Omit<Row, "graphs" | "charts" | "seen" | "clipped" | "widestGraph">, seen: Seen): void {
  const widest = [...seen.graphs].sort((a, b) => b.naturalWidth - a.naturalWidth)[0];
  const clipped = [
    ...seen.graphs.filter((g) => g.shownX < 0.999 || g.shown < 0.999).map((g) => `graph in cell ${g.cell}`),
    ...seen.charts.filter((c) => c.shown < 0.999).map((c) => `chart in cell ${c.cell}`),
    ...seen.scrolledOutputs.map((c) => `outputs of cell ${c} scrolled`),
  ];
  const full: Row = {
    ...row,
    graphs: seen.graphs.length,
    charts: seen.charts.filter((c) => c.drawn || c.staticPicture).length,
    widestGraph: widest
      ? `${widest.naturalWidth} px graph shown ${Math.round(widest.width)} px wide${widest.overview ? " (overview)" : ""} in a ${Math.round(widest.outputWidth)} px output`
      : undefined,
    clipped: clipped.length ? clipped.join(", ") : "no",
    seen: describeSeen(seen),
  };
  rows.push(full);
  console.log(
    `[browser] ${full.notebook} (${full.page}, ${full.seconds} s${full.runAllSeconds !== undefined ? `, Run All ${full.runAllSeconds} s` : ""}): ${full.seen}; clipped: ${full.clipped}${full.modifiedOnOpen !== undefined ? `; modified on open: ${full.modifiedOnOpen}` : ""}${full.note ? `; ${full.note}` : ""}`,
  );
}

/** Cells in the lecture's .ipynb, markdown included: the page must show as many. */
const cellCount = (name: string) =>
  (JSON.parse(readFileSync(join(jupyter.root, "notebooks", `${name}.ipynb`), "utf8")) as { cells: unknown[] }).cells
    .length;

const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(1));

it.runIf(!hasChromium && !!process.env.CI)("has Chromium (CI must install Debian's chromium)", () => {
  throw new Error("Chromium is missing: apt-get install -y chromium (or set $CHROMIUM)");
});

describe.skipIf(!hasChromium)("what learners see, in headless Chromium (offline)", () => {
  let browser: Browser;
  let suiteStarted = 0;
  let chromiumVersion = "";
  const frontEnds: string[] = [];

  beforeAll(async () => {
    suiteStarted = performance.now();
    browser = await launchChromium();
    chromiumVersion = browser.version();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    const total = seconds(suiteStarted);
    console.log(`[browser] Chromium ${chromiumVersion}; front ends: ${frontEnds.join(", ") || "none run"}`);
    console.table(rows.map(({ seen, screenshot, note, ...r }) => r));
    console.log(`[browser] browser suite: ${total} s (after the global setup executed the notebooks)`);
    writeFileSync(
      join(SCREENSHOTS, "browser-summary.json"),
      `${JSON.stringify({ chromium: chromiumVersion, frontEnds, seconds: total, pages: rows }, null, 2)}\n`,
    );
  });

  describe("exported lectures: nbconvert HTML opened from disk", () => {
    it.each(LECTURES)(
      "%s",
      async (name) => {
        const expected = expectedFor(name);
        const file = join(LECTURES_DIR, `${name}.html`);
        expect(existsSync(file), `${name}: ${file} is missing (did its nbconvert export fail in the setup?)`).toBe(
          true,
        );
        const started = performance.now();
        const { context, page, log } = await openPage(browser, (url) => url.startsWith("file:"));
        try {
          await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 120_000 });
          await waitForOutputs(page, expected);
          const seen = await inspect(page);
          const shot = join(SCREENSHOTS, `${name}.export.png`);
          await screenshotDocument(page, shot);
          record({ notebook: name, page: "export", seconds: seconds(started), screenshot: shot }, seen);
          const found = problems(`${name} (export)`, seen, log, expected);
          found.push(...(await solutionProblems(page, `${name} (export)`, name))); // closed until clicked
          expect(found).toEqual([]);
        } finally {
          await context.close();
        }
      },
      180_000,
    );
  });

  it("the contents page opens from disk offline and every link leads to a lecture", async () => {
    const file = join(LECTURES_DIR, "index.html");
    const { context, page, log } = await openPage(browser, (url) => url.startsWith("file:"));
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60_000 });
      const links = (await page.evaluate(
        `Array.from(document.querySelectorAll("li > a")).map((a) => ({ href: a.href, text: a.textContent }))`,
      )) as { href: string; text: string }[];
      expect(links.map((l) => l.href.split("/").pop())).toEqual(LECTURES.map((n) => `${n}.html`));
      await screenshotDocument(page, join(SCREENSHOTS, "index.png"));
      await page.locator("li > a").first().click();
      await page.waitForLoadState("load");
      expect(page.url()).toBe(pathToFileURL(join(LECTURES_DIR, `${LECTURES[0]}.html`)).href);
      expect([...log.pageErrors, ...log.consoleErrors, ...log.blocked, ...log.failed]).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  const python = jupyter.findPython();
  it.runIf(python === null && !!process.env.CI)("has the project's Jupyter (CI installs it with pip)", () => {
    throw new Error("no Jupyter with requirements-jupyter.txt: node scripts/jupyter-env.cjs --ensure-jupyter");
  });

  describe.skipIf(python === null)("live lectures: JupyterLab 4 and Notebook 7, Run → Run All Cells", () => {
    let server: JupyterServer | null = null;

    beforeAll(async () => {
      server = await startJupyterServer(python as string);
      // The executed copies, signed by no one: both front ends open them untrusted.
      mkdirSync(join(server.dir, "untrusted"), { recursive: true });
      for (const name of LECTURES) {
        const executed = join(LECTURES_DIR, `${name}.ipynb`);
        if (existsSync(executed)) copyFileSync(executed, join(server.dir, "untrusted", `${name}.ipynb`));
      }
      const v = server.versions;
      frontEnds.push(`JupyterLab ${v.jupyterlab}`, `Notebook ${v.notebook}`);
      console.log(
        `[browser] jupyter lab (JupyterLab ${v.jupyterlab}, Notebook ${v.notebook}, jupyter_server ${v.jupyter_server}) at ${server.url} serving a copy in ${server.dir}`,
      );
    }, 120_000);

    afterAll(async () => {
      await server?.stop(); // only when a test failed before the last one stopped it
    }, 60_000);

    for (const fe of FRONT_ENDS) {
      describe(fe.name, () => {
        it.each(LECTURES)(
          "%s: opens unmodified, runs, shows everything whole; saved and reloaded",
          async (name) => {
            const expected = expectedFor(name);
            const srv = server as JupyterServer;
            const where = `${name} (${fe.name})`;
            const started = performance.now();
            const { context, page, log } = await openPage(browser, (url) => url.startsWith(`${srv.url}/`));
            try {
              await page.goto(fe.url(srv, `${name}.ipynb`, `${name}-live`), { timeout: 60_000 });
              const restarted = await kernelReady(page, where, srv, `${name}.ipynb`);
              const modifiedOnOpen = await unsavedWarning(page);
              const runStarted = performance.now();
              await watchGraphOutputs(page);
              const route = await runAll(page, where);
              const finished = await runFinished(page);
              const animated = await watchedOutputs(page);
              const inPlace = animated.filter((w) => w.mostAtOnce === 1 && w.frames > 1).map((w) => w.frames);
              if (inPlace.length > 0)
                console.log(`[browser] ${where}: graphs updated in place, pictures seen: ${inPlace.join(", ")}`);
              const runAllSeconds = seconds(runStarted);
              const cellsShown = await revealAllCells(page, cellCount(name));
              await waitForOutputs(page, expected);
              const seen = await inspect(page);
              const shot = join(SCREENSHOTS, `${name}.${fe.key}.live.png`);
              const { frontEnd } = seen;
              if (process.env.MGTS_WRITE_SCREENSHOTS === "1" && fe.key === "lab" && README_CELLS[name] !== undefined) {
                const picture = join(jupyter.root, "docs", "images", `screenshot-${name}.png`);
                await page
                  .locator(".jp-Notebook .jp-Cell")
                  .nth(README_CELLS[name] as number)
                  .screenshot({ path: picture });
              }
              await screenshotNotebook(page, shot);
              record(
                {
                  notebook: name,
                  page: `${fe.key} live`,
                  seconds: seconds(started),
                  runAllSeconds,
                  modifiedOnOpen: modifiedOnOpen !== "",
                  screenshot: shot,
                  note: [route, restarted].filter(Boolean).join("; "),
                },
                seen,
              );
              const found = problems(where, seen, log, expected, { trusted: true, ...fe.checks });
              if (modifiedOnOpen !== "") found.unshift(`${where}: marked modified as soon as it opened`);
              if (cellsShown !== cellCount(name))
                found.push(`${where}: ${cellsShown} cells on the page, ${cellCount(name)} in the file`);
              if (!finished) found.unshift(`${where}: Run All did not finish within ${RUN_TIMEOUT_MS / 1000} s`);
              if (!frontEnd.startsWith(`${fe.appName} `)) found.push(`${where}: the page is ${frontEnd}`);
              found.push(...animationProblems(where, animated, ANIMATED[name] ?? []));
              found.push(...(await solutionProblems(page, where, name))); // Run All opened none; a click does
              expect(found).toEqual([]);

              // A learner saves and comes back: the saved outputs must show again (trusted, scripts run).
              const reopenedAt = performance.now();
              await saveFromMenu(page, where);
              await page.reload({ timeout: 60_000 });
              const restartedAgain = await kernelReady(page, where, srv, `${name}.ipynb`);
              const modifiedOnReopen = await unsavedWarning(page);
              await revealAllCells(page, cellCount(name));
              await waitForOutputs(page, expected);
              const again = await inspect(page);
              record(
                {
                  notebook: name,
                  page: `${fe.key} reopened`,
                  seconds: seconds(reopenedAt),
                  modifiedOnOpen: modifiedOnReopen !== "",
                  screenshot: "",
                  note: ["saved with File → Save, reloaded", restartedAgain].filter(Boolean).join("; "),
                },
                again,
              );
              const foundAgain = problems(`${where}, saved and reopened`, again, log, expected, {
                trusted: true,
                ...fe.checks,
              });
              if (modifiedOnReopen !== "") foundAgain.unshift(`${where}: marked modified when reopened after saving`);
              foundAgain.push(...(await solutionProblems(page, `${where}, saved and reopened`, name)));
              expect(foundAgain).toEqual([]);
            } finally {
              await context.close();
              await shutDownSessions(srv, `${name}.ipynb`);
            }
          },
          // Run All, the checks, and two kernel waits (each at most twice the longest wait, a restart and a reload).
          RUN_TIMEOUT_MS + 120_000 + 2 * (2 * KERNEL_WAIT_MAX_MS + 60_000),
        );

        it.each(LECTURES)(
          "%s: the executed copy, untrusted, shows graphs and static chart pictures",
          async (name) => {
            const expected = expectedFor(name);
            const srv = server as JupyterServer;
            const where = `${name} (${fe.name}, untrusted copy)`;
            expect(existsSync(join(srv.dir, "untrusted", `${name}.ipynb`)), `${where}: no executed copy`).toBe(true);
            const started = performance.now();
            const { context, page, log } = await openPage(browser, (url) => url.startsWith(`${srv.url}/`));
            try {
              await page.goto(fe.url(srv, `untrusted/${name}.ipynb`, `${name}-untrusted`), { timeout: 60_000 });
              await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 60_000 });
              const cellsShown = await revealAllCells(page, cellCount(name));
              await waitForImages(page);
              const seen = await inspect(page);
              const shot = join(SCREENSHOTS, `${name}.${fe.key}.untrusted.png`);
              await screenshotNotebook(page, shot);
              record(
                { notebook: name, page: `${fe.key} untrusted`, seconds: seconds(started), screenshot: shot },
                seen,
              );
              const found = problems(where, seen, log, expected, { trusted: false, ...fe.checks });
              if (cellsShown !== cellCount(name))
                found.push(`${where}: ${cellsShown} cells on the page, ${cellCount(name)} in the file`);
              expect(found).toEqual([]);
            } finally {
              await context.close();
              await shutDownSessions(srv, `untrusted/${name}.ipynb`);
            }
          },
          180_000,
        );

        it.each(TYPE_ALONG)(
          "type-along/%s, as generated: Run All stops at the check under the first empty cell, saying which to type",
          async (name) => {
            const srv = server as JupyterServer;
            const where = `type-along/${name} (${fe.name})`;
            const stop = typeAlongStop(name);
            const { context, page, log } = await openPage(browser, (url) => url.startsWith(`${srv.url}/`));
            try {
              await page.goto(fe.url(srv, `type-along/${name}.ipynb`, `${name}-type-along`), { timeout: 60_000 });
              await kernelReady(page, where, srv, `type-along/${name}.ipynb`);
              await runAll(page, where);
              expect(await runFinished(page), `${where}: Run All did not finish or stop`).toBe(true);
              const total = (JSON.parse(readFileSync(join(TYPE_ALONG_DIR, `${name}.ipynb`), "utf8")) as { cells: [] })
                .cells.length;
              expect(await revealAllCells(page, total)).toBe(total);
              const seen =
                (await page.evaluate(String.raw`Array.from(document.querySelectorAll(".jp-Notebook .jp-Cell")).map((c) => ({
                code: c.classList.contains("jp-CodeCell"),
                ran: /\[\d+\]/.test(c.querySelector(".jp-InputPrompt")?.textContent ?? ""),
                stderr: Array.from(c.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]'), (e) => e.textContent).join(""),
              }))`)) as { code: boolean; ran: boolean; stderr: string }[];
              await screenshotNotebook(page, join(SCREENSHOTS, `type-along-${name}.${fe.key}.png`));
              const failed = seen.flatMap((c, i) => (c.stderr ? [i] : []));
              if (stop === null) {
                expect(failed, `${where}: no cell fails`).toEqual([]);
              } else {
                expect(failed, `${where}: only the check under ${stop.cell} fails`).toEqual([stop.at]);
                expect(seen[stop.at]?.stderr.trim()).toMatch(
                  new RegExp(
                    `^${stop.cell} is not typed yet \\(\\w+ is not defined\\): type it in the empty cell above, run it, then run this check\\.$`,
                  ),
                );
                const before = seen.slice(0, stop.at).filter((c) => c.code);
                expect(
                  before.every((c) => c.ran),
                  `${where}: every cell before the check ran`,
                ).toBe(true);
                const after = seen.slice(stop.at + 1).filter((c) => c.code && c.ran);
                expect(after, `${where}: no cell after the check ran`).toEqual([]);
              }
              const known = (e: string) => (fe.checks.knownPageErrors ?? []).some((r) => r.test(e));
              expect(log.pageErrors.filter((e) => !known(e))).toEqual([]);
            } finally {
              await context.close();
              await shutDownSessions(srv, `type-along/${name}.ipynb`);
            }
          },
          180_000,
        );
      });
    }

    it("stops the server, leaving no process behind", async () => {
      const srv = server as JupyterServer;
      server = null;
      const leftovers = await srv.stop();
      expect(leftovers, "processes still running after the Jupyter server stopped (now killed)").toEqual([]);
      expect(existsSync(srv.dir)).toBe(false);
    }, 60_000);
  });
});

/**
 * The front end's own unsaved-changes warning, as it would show when the learner closes the tab: ""
 * when the notebook is not modified. (A dispatched beforeunload event whose returnValue the app's
 * handler fills in; Chromium shows no real prompt without a user gesture.)
 */
async function unsavedWarning(page: Page): Promise<string> {
  return (await page.evaluate(`(() => {
    const event = new Event("beforeunload", { cancelable: true });
    Object.defineProperty(event, "returnValue", { value: "", writable: true });
    window.dispatchEvent(event);
    return String(event.returnValue || "");
  })()`)) as string;
}

const RUN_STARTED = String.raw`Array.from(document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt"))
  .some((p) => /\[(\*|\d+)\]/.test(p.textContent))`;

/** Clicks a menu of the menu bar, then an item of it, as a learner does. */
async function menu(page: Page, title: string, item: RegExp): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${title}$`) }).click({ timeout: 15_000 });
  await page.locator(".lm-Menu-itemLabel", { hasText: item }).first().click({ timeout: 15_000 });
}

/** Run → Run All Cells; clicked a second time (and said so) if no cell started within 30 s. */
async function runAll(page: Page, where: string): Promise<string> {
  await menu(page, "Run", /^Run All Cells$/);
  const started = await page
    .waitForFunction(RUN_STARTED, null, { timeout: 30_000, polling: 100 })
    .then(() => true)
    .catch(() => false);
  if (started) return "Run → Run All Cells";
  await menu(page, "Run", /^Run All Cells$/);
  await page.waitForFunction(RUN_STARTED, null, { timeout: 30_000, polling: 100 }).catch(() => {
    throw new Error(`${where}: Run → Run All Cells started no cell, twice`);
  });
  return "Run → Run All Cells, clicked twice (no cell had started after the first click)";
}

/** File → Save (JupyterLab: "Save Notebook"), then waits until the front end no longer warns of unsaved changes. */
async function saveFromMenu(page: Page, where: string): Promise<void> {
  await menu(page, "File", /^Save( Notebook)?$/);
  await page
    .waitForFunction(
      `(() => {
        const event = new Event("beforeunload", { cancelable: true });
        Object.defineProperty(event, "returnValue", { value: "", writable: true });
        window.dispatchEvent(event);
        return !event.returnValue;
      })()`,
      null,
      { timeout: 60_000, polling: 250 },
    )
    .catch(() => {
      throw new Error(`${where}: still modified 60 s after File → Save`);
    });
}

/** True once no cell is running, the kernel is idle and every cell ran (or one failed, stopping the run). */
async function runFinished(page: Page): Promise<boolean> {
  return page
    .waitForFunction(
      String.raw`(() => {
        const prompts = Array.from(document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt")).map((p) => p.textContent);
        const running = prompts.some((t) => t.includes("*"));
        const idle = document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]') !== null;
        const all = prompts.length > 0 && prompts.every((t) => /\[\d+\]/.test(t));
        const failed = document.querySelector('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]') !== null;
        return !running && idle && (all || failed);
      })()`,
      null,
      { timeout: RUN_TIMEOUT_MS, polling: 250 },
    )
    .then(() => true)
    .catch(() => false);
}

/** Waits (≤ 30 s) until every image in the outputs has loaded; never throws (inspect reports what is missing). */
async function waitForImages(page: Page): Promise<void> {
  await page
    .waitForFunction(`Array.from(document.querySelectorAll(".jp-OutputArea img")).every((i) => i.complete)`, null, {
      timeout: 30_000,
      polling: 200,
    })
    .catch(() => {});
}

/** Ends the notebook's sessions (and kernels) so that lectures do not pile up kernels. */
async function shutDownSessions(server: JupyterServer, path: string): Promise<void> {
  try {
    const sessions = (await server.api("/api/sessions")) as { id: string; path: string }[];
    for (const s of sessions.filter((s) => s.path === path)) await server.api(`/api/sessions/${s.id}`, "DELETE");
  } catch {
    // the server's own shutdown stops any kernel left
  }
}

/**
 * Each expected animation must be one output that showed at least its number of distinct pictures, one
 * at a time (updated in place, not one output per step).
 */
function animationProblems(where: string, watched: readonly WatchedOutput[], expected: readonly number[]): string[] {
  const inPlace = watched.filter((w) => w.mostAtOnce === 1).map((w) => w.frames);
  const found: string[] = [];
  const left = [...inPlace].sort((x, y) => y - x);
  for (const least of [...expected].sort((x, y) => y - x)) {
    const i = left.findIndex((frames) => frames >= least);
    if (i < 0) {
      found.push(
        `${where}: no graph output updated in place through ${least} pictures (seen: ${inPlace.join(", ") || "none"})`,
      );
    } else {
      left.splice(i, 1);
    }
  }
  return found;
}
