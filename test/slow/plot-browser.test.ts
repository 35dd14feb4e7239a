import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accuracy,
  arange,
  decisionBoundary,
  demoMoons,
  type Figure,
  figureHtml,
  linePlot,
  lossCurve,
  MLP,
  maxMargin,
  SGD,
  scatter2d,
  seed,
  Value,
} from "../../src";
import { plotlyLoaderHtml } from "../../src/display/plotly";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ROOT = join(__dirname, "..", "..");

/** The demo: micrograd's MLP(2, [16, 16, 1]) trained 100 SGD steps on its moons. */
function trainDemo(): { model: MLP; history: { step: number; loss: number; accuracy: number }[] } {
  const { X, y } = demoMoons();
  seed(1337);
  const model = new MLP(2, [16, 16, 1]);
  const optimizer = new SGD(model.parameters(), { lr: (k) => 1.0 - (0.9 * k) / 100 });
  const history = [];
  for (let k = 0; k < 100; k++) {
    const scores = X.map((row) => model.output(row.map((v) => new Value(v))));
    const loss = maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
    history.push({ step: k, loss: loss.data, accuracy: accuracy(scores, y) });
    model.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return { model, history };
}

interface Drawn {
  plotly: string | null;
  figures: { svgs: number; scatter: number; contour: number; noteShown: boolean; note: string }[];
}

async function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const w = window as unknown as { Plotly?: { version: string } };
    return {
      plotly: w.Plotly ? w.Plotly.version : null,
      figures: Array.from(document.querySelectorAll(".mgts-plot")).map((el) => {
        const note = el.querySelector(".mgts-plot-note") as HTMLElement;
        return {
          svgs: el.querySelectorAll(".main-svg").length,
          scatter: el.querySelectorAll("g.trace.scatter").length,
          contour: el.querySelectorAll("g.contour").length,
          noteShown: note.style.display !== "none",
          note: note.textContent ?? "",
        };
      }),
    };
  });
}

describe("charts in headless Chromium, offline", { timeout: 180_000 }, () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM`);
  }
  let browser: Browser;
  let dir: string;
  const errors: string[] = [];
  let demo: ReturnType<typeof trainDemo>;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    });
    dir = mkdtempSync(join(tmpdir(), "mgts-plot-"));
    demo = trainDemo();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens an HTML file from disk with every non-file request aborted. */
  async function open(
    html: string,
    opts: { javaScript?: boolean; wait?: number; document?: boolean } = {},
  ): Promise<Page> {
    const file = join(dir, `page-${Math.random().toString(36).slice(2)}.html`);
    const page = `<!doctype html><html><head><meta charset="utf-8"></head><body style="width:800px">${html}</body></html>`;
    writeFileSync(file, opts.document ? html : page);
    const context = await browser.newContext({
      javaScriptEnabled: opts.javaScript ?? true,
      viewport: { width: 820, height: 600 },
    });
    const tab = await context.newPage();
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
    await tab.goto(`file://${file}`);
    await tab.waitForTimeout(opts.wait ?? 800);
    return tab;
  }

  it("draws every helper's figure from self-contained HTML, plotly.js included once", async () => {
    const { X, y } = demoMoons();
    const figures: Figure[] = [
      linePlot(arange(-5, 5, 0.25), (x) => 3 * x ** 2 - 4 * x + 5, { title: "f(x) = 3x² − 4x + 5" }),
      scatter2d(X, y),
      lossCurve(demo.history),
      decisionBoundary(demo.model, X, y, { h: 0.25 }),
    ];
    const html = figures.map((f, i) => figureHtml(f, { includePlotly: i === 0 })).join("\n");
    const page = await open(html);
    const result = await drawn(page);
    expect(result.plotly).toBe("4.1.2");
    expect(result.figures.map((f) => [f.svgs > 0, f.scatter, f.contour, f.noteShown])).toEqual([
      [true, 1, 0, false],
      [true, 2, 0, false],
      [true, 2, 0, false],
      [true, 2, 1, false],
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("draws where RequireJS's define is on the page (classic Notebook, nbconvert's template)", async () => {
    const amd =
      "<script>window.define = function () { throw new Error('AMD define called'); }; window.define.amd = {};</script>";
    const page = await open(amd + figureHtml(linePlot([0, 1, 2], [0, 1, 0])));
    const result = await drawn(page);
    expect(result.plotly).toBe("4.1.2");
    expect(result.figures[0]?.svgs).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("says plotly.js is missing when it is, and draws as soon as it is loaded", async () => {
    const page = await open(figureHtml(linePlot([0, 1, 2], [0, 1, 0]), { includePlotly: false }), { wait: 6000 });
    let result = await drawn(page);
    expect(result.plotly).toBeNull();
    expect(result.figures[0]).toMatchObject({ svgs: 0, noteShown: true });
    expect(result.figures[0]?.note).toContain("plotly.js is not loaded on this page");
    expect(
      await page.evaluate(() => (document.querySelector(".mgts-plot-static") as HTMLElement).offsetHeight),
    ).toBeGreaterThan(0);
    const loader = plotlyLoaderHtml();
    await page.addScriptTag({ content: loader.slice(loader.indexOf(">") + 1, loader.lastIndexOf("</script>")) });
    await page.waitForTimeout(800);
    result = await drawn(page);
    expect(result.plotly).toBe("4.1.2");
    expect(result.figures[0]).toMatchObject({ noteShown: false });
    expect(result.figures[0]?.svgs).toBeGreaterThan(0);
    await page.context().close();
  });

  it("shows the static picture and the caption where no script runs", async () => {
    const { X, y } = demoMoons();
    const page = await open(figureHtml(decisionBoundary(demo.model, X, y), { includePlotly: false }), {
      javaScript: false,
    });
    const img = await page.evaluate(() => {
      const el = document.querySelector(".mgts-plot-static") as HTMLImageElement;
      return { width: el.naturalWidth, height: el.naturalHeight, visible: el.getBoundingClientRect().height > 0 };
    });
    expect(img).toEqual({ width: 700, height: 400, visible: true });
    const note = await page.textContent(".mgts-plot-note");
    expect(note).toContain("the interactive Plotly figure needs JavaScript");
    await page.context().close();
  });

  it.runIf(process.env.MGTS_WRITE_IMAGES === "1")("writes the README's pictures", async () => {
    const { X, y } = demoMoons();
    const loss = lossCurve(demo.history, { title: "micrograd's demo: loss and accuracy, 100 SGD steps" });
    const boundary = decisionBoundary(demo.model, X, y, { h: 0.25, title: "decision boundary after training" });
    const page = await open(figureHtml(loss, { includePlotly: true }) + figureHtml(boundary, { includePlotly: false }));
    mkdirSync(join(ROOT, "docs", "images"), { recursive: true });
    const [a, b] = await page.$$(".mgts-plot-chart");
    await a?.screenshot({ path: join(ROOT, "docs", "images", "loss-curve.png") });
    await b?.screenshot({ path: join(ROOT, "docs", "images", "boundary.png") });
    await page.context().close();
  });
});
