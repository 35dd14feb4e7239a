/**
 * The lectures as a browser site (npm run site): built from the notebooks this test run executed
 * (build/test-lectures, global setup) into build/test-site, and checked in headless Chromium with every
 * page opened from disk (file://) and the network blocked:
 *
 * 1. The build: a page per notebook, and one copy each of plotly.js, Graphviz and the package.
 * 2. Run all on every page finishes with no page error, and each code cell prints exactly what the
 *    kernel printed in this run's executed notebook (stdout and stderr), except cells tagged "timing"
 *    (their numbers are measurements); its displays are those of the kernel, in order and kind, each
 *    graph the kernel's SVG and each chart the kernel's figure, drawn; live training and animations
 *    updated one output in place. The exercises' solutions stay closed until clicked, and open on a click.
 * 3. An edited cell runs with the edit; Stop halts a long training cell while the page keeps running
 *    its own timers, and says what was lost.
 *
 * Skipped without Chromium, except under CI. Run alone (after the global setup has run once):
 * npx vitest run --project notebooks test/notebooks/browser-site.test.ts
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayKind, type MimeBundle, PLOTLY_MIME } from "../../site/protocol";
import { pyFloat } from "../../src/index";
import { lectureExpression } from "../helpers";
import { hasChromium, launchChromium, openPage, type PageLog } from "./browser-page";
import { solutionProblems } from "./browser-solutions";
import { type Output, readReport } from "./reports";
import { LECTURES_DIR, ONLY } from "./setup";

const jupyter = require("../../scripts/jupyter-env.cjs") as { root: string; lectureNames(only?: string[]): string[] };

const SITE = join(jupyter.root, "build", "test-site");
const LECTURES = jupyter.lectureNames(ONLY).map((f) => f.replace(/\.ipynb$/, ""));
/** Chart numbers may differ in their last bits: Debian's Chromium computes Math.exp/log/pow with glibc, Node with V8's fdlibm. */
const CHART_RELATIVE_TOLERANCE = 1e-12;
/**
 * Printed numbers allowed to differ, by notebook: 04's own Value computes tanh with Math.exp, which Chromium
 * rounds differently from Node on ~9% of inputs (one ulp), and its loops carry that on: the fixed loop's
 * 20 steps by ~1e-15, the first loop's 100 steps without a reset (which diverges: grads of 95, weights of
 * 543) by up to 5e-9 relative (measured). Hence 1e-7 relative, or 1e-11 absolute for the tiny numbers it
 * prints (its class's differences from the package, ~1e-12; losses of 1e-19). Every other notebook prints
 * the kernel's text exactly.
 */
const PRINTED_TOLERANCE: Record<string, { relative: number; absolute: number }> = {
  "04-mlp-training": { relative: 1e-7, absolute: 1e-11 },
};

/**
 * Whether two printed texts are the same, but for numbers within the tolerance of each other (and the spaces that
 * pad a table's columns, which follow the numbers' lengths).
 */
function sameText(got: string, want: string, { relative, absolute }: { relative: number; absolute: number }): boolean {
  const number = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g;
  const skeleton = (text: string) => text.replace(number, "#").replace(/ +/g, " ");
  if (skeleton(got) !== skeleton(want)) return false;
  const a = (got.match(number) ?? []).map(Number);
  const b = (want.match(number) ?? []).map(Number);
  return (
    a.length === b.length && a.every((x, i) => Math.abs(x - (b[i] as number)) <= absolute || close(x, b[i], relative))
  );
}

interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
}
const notebook = (name: string) =>
  JSON.parse(readFileSync(join(LECTURES_DIR, `${name}.ipynb`), "utf8")) as { cells: NotebookCell[] };
const sourceOf = (cell: NotebookCell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const isTiming = (cell: NotebookCell) => (cell.metadata.tags ?? []).includes("timing");

/** A code cell's outputs as the page shows them. */
interface PageCell {
  stdout: string;
  stderr: string;
  notes: string[];
  displays: { kind: string; updates: number; bundle: MimeBundle; drawn: boolean }[];
}

async function pageCells(page: Page): Promise<Record<string, PageCell>> {
  return page.evaluate(() => {
    const text = (els: NodeListOf<Element>) => Array.from(els, (e) => e.textContent ?? "").join("");
    const cells: Record<string, PageCell> = {};
    for (const cell of Array.from(document.querySelectorAll<HTMLElement>("[data-cell]"))) {
      const out = cell.querySelector("[data-output]") as HTMLElement;
      const displays = Array.from(out.querySelectorAll<HTMLElement & { mgtsBundle?: MimeBundle }>(".mgts-display"));
      cells[cell.dataset.cell as string] = {
        stdout: text(out.querySelectorAll('[data-stream="stdout"]')),
        stderr: text(out.querySelectorAll('[data-stream="stderr"]')),
        notes: Array.from(out.querySelectorAll(".mgts-note"), (n) => n.textContent ?? ""),
        displays: displays.map((d) => {
          const images = Array.from(d.querySelectorAll("img"));
          const drawn =
            d.dataset.kind === "plotly"
              ? d.querySelector(".main-svg") !== null
              : d.dataset.kind === "graph"
                ? images.length > 0 && images.every((i) => i.complete && i.naturalWidth > 0)
                : true;
          return { kind: d.dataset.kind ?? "", updates: Number(d.dataset.updates), bundle: d.mgtsBundle ?? {}, drawn };
        }),
      };
    }
    return cells;
  });
}

async function open(browser: Browser, name: string): Promise<{ page: Page; log: PageLog; close(): Promise<void> }> {
  const { context, page, log } = await openPage(browser, (url) => url.startsWith("file:"));
  await page.goto(pathToFileURL(join(SITE, `${name}.html`)).href);
  await page.waitForFunction(() => document.body.dataset.state === "idle");
  return { page, log, close: () => context.close() };
}

/** Clicks (its handler queues the cells and sets the state to "running" at once) and waits until all ran. */
async function runAndWait(page: Page, selector: string, timeout = 240_000): Promise<void> {
  await page.click(selector);
  expect(await page.evaluate(() => document.body.dataset.state)).not.toBe("loading");
  await page.waitForFunction(() => document.body.dataset.state === "idle", null, { timeout });
}

const runCell = (page: Page, n: number) => runAndWait(page, `[data-cell="${n}"] [data-action="run"]`);

/** Replaces cell n's code through the page's hook, as a learner's edit. */
const editCell = (page: Page, n: number, text: string) =>
  page.evaluate(([cell, source]) => window.setCellSource(cell, source), [n, text] as [number, string]);

/** Equal, numbers within a relative tolerance (charts: see CHART_RELATIVE_TOLERANCE). */
function close(a: unknown, b: unknown, rel: number): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return Object.is(a, b) || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i], rel));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      close(ka, kb, 0) &&
      ka.every((k) => close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel))
    );
  }
  return a === b;
}

/** The kernel's displays of a cell (display_data outputs), as the page should show them. */
const kernelDisplays = (outputs: Output[] | undefined) =>
  (outputs ?? []).filter((o) => o.output_type === "display_data").map((o) => o.data ?? {});

it.runIf(!hasChromium && !!process.env.CI)("has Chromium for the browser site (CI must install it)", () => {
  throw new Error("Chromium is missing: apt-get install -y chromium (or set $CHROMIUM)");
});

describe.skipIf(!hasChromium)("the lectures as a browser site (npm run site), offline in Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    const build = spawnSync(
      process.execPath,
      [join(jupyter.root, "scripts", "site.cjs"), "--executed", LECTURES_DIR, "--out", SITE, ...ONLY],
      { encoding: "utf8" },
    );
    if (build.status !== 0) throw new Error(`scripts/site.cjs failed:\n${build.stdout}\n${build.stderr}`);
    console.log(`[site]\n${build.stdout.trim()}`);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("has a page per notebook, and one copy each of plotly.js, Graphviz and the package", () => {
    const files = readdirSync(SITE).filter((f) => f.endsWith(".html"));
    expect(files.sort()).toEqual(["index.html", ...LECTURES.map((n) => `${n}.html`)].sort());
    const index = readFileSync(join(SITE, "index.html"), "utf8");
    for (const name of LECTURES) expect(index).toContain(`href="${name}.html"`);
    const node = (...p: string[]) => readFileSync(join(jupyter.root, "node_modules", ...p), "utf8");
    const graphviz = node("@hpcc-js", "wasm", "dist", "graphviz.js");
    // Pieces each copy must contain (the Graphviz one from its embedded WASM, free of quotes and backslashes).
    const markers = {
      "plotly.js": node("plotly.js-dist-min", "plotly.min.js").slice(0, 200),
      Graphviz: (graphviz.slice(graphviz.length / 2).match(/[A-Za-z0-9+/=!#$%&()*,.:;<>?@[\]^_`{|}~-]{80}/) ?? [""])[0],
      "the package": "micrograd-ts.loaded",
    };
    // The type checker's declarations (types-source.js) hold the package's sources as text to check
    // against, not code that runs: left out.
    const all = [...readdirSync(SITE), ...readdirSync(join(SITE, "assets")).map((f) => join("assets", f))].filter(
      (f) => /\.(html|js|css)$/.test(f) && f !== join("assets", "types-source.js"),
    );
    expect(readFileSync(join(SITE, "assets", "types-source.js"), "utf8")).toContain("micrograd-ts/src/index.ts");
    for (const [what, marker] of Object.entries(markers)) {
      expect(marker.length, what).toBeGreaterThan(10);
      const holders = all.filter((f) => readFileSync(join(SITE, f), "utf8").includes(marker));
      expect(holders, `${what} is in exactly one file`).toHaveLength(1);
    }
  });

  describe.each(LECTURES)("%s", (name) => {
    it("Run all prints what the kernel printed and shows its displays, drawn", async () => {
      const report = readReport(name);
      const cells = notebook(name).cells;
      const { page, log, close: closePage } = await open(browser, name);
      try {
        const started = performance.now();
        await runAndWait(page, '[data-action="run-all"]');
        console.log(`[site] ${name}: Run all in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        const seen = await pageCells(page);
        for (const kernel of report.cells.filter((c) => c.cell_type === "code")) {
          const cell = cells[kernel.index] as NotebookCell;
          const got = seen[kernel.index] as PageCell;
          const where = `${name} cell ${kernel.index}`;
          if (!isTiming(cell)) {
            const tolerance = PRINTED_TOLERANCE[name];
            if (tolerance === undefined || got.stdout === kernel.stdout)
              expect(got.stdout, `${where}: stdout`).toBe(kernel.stdout);
            else
              expect(
                sameText(got.stdout, kernel.stdout ?? "", tolerance),
                `${where}: stdout\n${got.stdout}\n${kernel.stdout}`,
              ).toBe(true);
            expect(got.stderr, `${where}: stderr`).toBe(kernel.stderr);
          }
          const expected = kernelDisplays(kernel.outputs);
          expect(
            got.displays.map((d) => d.kind),
            `${where}: displays`,
          ).toEqual(expected.map(displayKind));
          got.displays.forEach((d, i) => {
            const want = expected[i] as MimeBundle;
            expect(d.drawn, `${where}: display ${i} (${d.kind}) drawn`).toBe(true);
            if (isTiming(cell)) return;
            if (d.kind === "graph")
              expect(d.bundle["image/svg+xml"], `${where}: graph ${i}`).toBe(want["image/svg+xml"]);
            if (d.kind === "plotly") {
              const same = close(d.bundle[PLOTLY_MIME], want[PLOTLY_MIME], CHART_RELATIVE_TOLERANCE);
              expect(same, `${where}: chart ${i} is the kernel's figure`).toBe(true);
            }
          });
          // Live displays (liveTraining, animateBackward) are updated in place: one output each, as in Jupyter.
          const source = sourceOf(cell);
          if (/liveTraining\(|animateBackward\((?![^)]*view: "steps")/.test(source)) {
            expect(Math.max(...got.displays.map((d) => d.updates)), `${where}: updated in place`).toBeGreaterThan(0);
          }
          // Where the browser cannot do what the kernel does, the cell says so.
          if (/\bspawnSync\(/.test(source)) expect(got.notes.join("\n"), where).toMatch(/cannot start programs/);
          for (const note of got.notes) expect(source, `${where}: note "${note}"`).toMatch(/Sync\(/);
        }
        expect(await page.textContent(".mgts-status")).toMatch(/^done/);
        // Run all opened no exercise's solution; each stays closed until clicked.
        expect(await solutionProblems(page, `${name} (site)`, name, "site")).toEqual([]);
        expect(log.pageErrors).toEqual([]);
        expect(log.consoleErrors).toEqual([]);
        expect(log.blocked).toEqual([]);
        expect(log.failed).toEqual([]);
      } finally {
        await closePage();
      }
    });
  });

  it.runIf(LECTURES.includes("02-backprop-by-hand"))(
    "an edited cell runs with the edit: a = 3 instead of 2 changes L and the grads drawn",
    async () => {
      const { page, log, close: closePage } = await open(browser, "02-backprop-by-hand");
      try {
        const cells = notebook("02-backprop-by-hand").cells;
        const index = (pattern: RegExp) => cells.findIndex((c) => c.cell_type === "code" && pattern.test(sourceOf(c)));
        const defineA = index(/const a = new Value\(2\.0, \{ label: "a" \}\)/);
        const defineL = index(/const L = d\.mul\(f\);/);
        const byHand = index(/b\.grad = e\.grad \* a\.data;[\s\S]*draw_dot\(L\)/);
        expect([defineA, defineL, byHand].every((i) => i >= 0)).toBe(true);
        const edited = sourceOf(cells[defineA] as NotebookCell).replace("new Value(2.0", "new Value(3.0");
        await editCell(page, defineA, edited);
        // every code cell up to the drawing: the notebook's own Value, trace, draw_dot and showDot
        const upTo = cells.slice(0, byHand + 1).flatMap((c, i) => (c.cell_type === "code" ? [i] : []));
        for (const n of upTo) await runCell(page, n);
        const seen = await pageCells(page);
        // The same steps with the package in Node: L = (a·b + c)·f with a = 3, and the grads by hand.
        const { a, b, c, d, e, f, L } = lectureExpression(3.0);
        expect(seen[defineL]?.stdout).toBe(`Value(data=${pyFloat(L.data)})\n`); // the lecture's first form
        expect(seen[defineL]?.stdout).not.toBe(readReport("02-backprop-by-hand").cells[defineL]?.stdout);
        L.grad = 1.0;
        f.grad = d.data;
        d.grad = f.data;
        c.grad = d.grad;
        e.grad = d.grad;
        a.grad = e.grad * b.data;
        b.grad = e.grad * a.data;
        // showDot's picture: the SVG that Graphviz laid out, as a data URI in an <img>
        const html = String(seen[byHand]?.displays[0]?.bundle["text/html"] ?? "");
        const base64 = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)?.[1] ?? "";
        const svg = Buffer.from(base64, "base64").toString("utf8");
        const svgNumber = (x: number) => x.toFixed(4).replace("-", "&#45;"); // Graphviz writes − as &#45;
        for (const v of [a, b, c, d, e, f, L]) {
          expect(svg, `${v.label}'s box`).toContain(`data ${svgNumber(v.data)}`);
          expect(svg, `${v.label}'s box`).toContain(`grad ${svgNumber(v.grad)}`);
        }
        expect(svg).toContain("grad &#45;6.0000"); // b.grad = e.grad · a = −2 · 3, was −4 with a = 2
        expect(log.pageErrors).toEqual([]);
      } finally {
        await closePage();
      }
    },
  );

  it.runIf(LECTURES.includes("05-moons-demo"))(
    "Stop halts a long training cell; the page keeps responding meanwhile; the lost state is said",
    async () => {
      const { page, log, close: closePage } = await open(browser, "05-moons-demo");
      try {
        const cells = notebook("05-moons-demo").cells;
        const train = cells.findIndex((c) => /liveTraining\(/.test(sourceOf(c)));
        // 5,000 steps: a redraw every 100 steps (liveTraining draws ~50 times per run), a run of minutes.
        const long = sourceOf(cells[train] as NotebookCell).replace(/const steps = \d+;/, "const steps = 5_000;");
        expect(long).toContain("5_000");
        await editCell(page, train, long);
        const before = cells.slice(0, train).flatMap((c, i) => (c.cell_type === "code" ? [i] : []));
        for (const n of before) await runCell(page, n);
        await page.evaluate(() => {
          const w = window as unknown as { ticks: number };
          w.ticks = 0;
          setInterval(() => w.ticks++, 20);
        });
        await page.click(`[data-cell="${train}"] [data-action="run"]`);
        const progress = `[data-cell="${train}"] .mgts-display[data-updates]`;
        await page.waitForFunction(
          (sel) => Number(document.querySelector(sel)?.getAttribute("data-updates")) >= 2,
          progress,
          {
            timeout: 60_000,
          },
        );
        const ticks = () => page.evaluate(() => (window as unknown as { ticks: number }).ticks);
        const t0 = await ticks();
        await page.waitForTimeout(1000);
        expect(await ticks(), "a 20 ms timer fired during 1 s of training").toBeGreaterThan(t0 + 20);
        expect(await page.evaluate(() => document.body.dataset.state)).toBe("running");
        await page.click('[data-action="stop"]');
        await page.waitForFunction(() => document.body.dataset.state === "idle", null, { timeout: 5_000 });
        const shown = await page.textContent(progress);
        await page.waitForTimeout(1000);
        expect(await page.textContent(progress), "no update after Stop").toBe(shown);
        expect(shown).not.toMatch(/step 5000\/5000/);
        const seen = await pageCells(page);
        expect(seen[train]?.notes.join(" ")).toMatch(/Stopped\..*every variable/);
        // The state is gone, as the note says: a cell that uses the first cell's import fails alone (as in
        // tslab, its type check no longer knows MLP).
        const model = cells.findIndex((c) => /new MLP\(/.test(sourceOf(c)));
        await runCell(page, model);
        expect((await pageCells(page))[model]?.stderr).toMatch(/Cannot find name 'MLP'/);
        expect(log.pageErrors).toEqual([]);
      } finally {
        await closePage();
      }
    },
  );
});

declare global {
  interface Window {
    setCellSource(n: number, text: string): void;
  }
}
