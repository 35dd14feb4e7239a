/**
 * The browser site as a learner works in it (docs/SITE.md), built with Node only (`--no-outputs`: no
 * executed notebooks, as on a clone with no Jupyter) into build/test-site-node and driven in headless
 * Chromium from disk (file://) with the network blocked:
 *
 * - `npm run site` needs no Python or Jupyter: a copy of the project with no .venv and no python on PATH builds;
 * - edits, scratch cells and the Type along switch survive a reload; Revert and Reset (which asks) give
 *   the lecture's code back;
 * - Download saves NN-name.ipynb, which Jupyter (nbclient, the project's tslab kernel) runs, printing
 *   what the page printed;
 * - an error names the cell's visible prompt and line, with no frames from the site's bundle, and the
 *   line is marked in the editor;
 * - rel=next / rel=prev lead through every page from the index and back; every link resolves;
 * - Type along hides marked cells (a fixture notebook with marks) and marks a correctly typed one as matching.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pyFloat } from "../../src/index";
import { TSLAB_CASES, tslabKernel } from "../site-tslab";
import { hasChromium, launchChromium, openPage, type PageLog } from "./browser-page";

const root = join(__dirname, "..", "..");
const SITE = join(root, "build", "test-site-node");
const FIXTURE_SITE = join(root, "build", "test-site-fixture");
const lectures = readdirSync(join(root, "notebooks"))
  .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
  .sort()
  .map((f) => f.replace(/\.ipynb$/, ""));

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  ensureJupyter(): string;
  runNotebook(file: string, options: { out?: string }): { ok: boolean; cells: { index: number; stdout: string }[] };
};

function buildSite(args: string[], cwd = root, env = process.env) {
  const build = spawnSync(process.execPath, [join(cwd, "scripts", "site.cjs"), ...args], {
    cwd,
    env,
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`scripts/site.cjs failed:\n${build.stdout}\n${build.stderr}`);
  return build.stdout;
}

describe("npm run site with Node only", () => {
  it("builds on a copy of the project with no .venv and no Python on PATH", () => {
    const copy = mkdtempSync(join(tmpdir(), "mgts-site-clone-"));
    try {
      const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
        cwd: root,
        encoding: "utf8",
      }).stdout.split("\n");
      for (const f of files.filter((f) => f !== "" && existsSync(join(root, f)))) {
        mkdirSync(dirname(join(copy, f)), { recursive: true });
        cpSync(join(root, f), join(copy, f));
      }
      symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
      expect(existsSync(join(copy, ".venv"))).toBe(false);
      // A PATH with node and nothing else.
      mkdirSync(join(copy, ".bin-node-only"));
      symlinkSync(process.execPath, join(copy, ".bin-node-only", "node"));
      const env = { PATH: join(copy, ".bin-node-only"), HOME: copy };
      expect(spawnSync("python3", ["--version"], { env }).error, "no python3 on this PATH").toBeDefined();
      const started = performance.now();
      const out = buildSite([], copy, env);
      console.log(`[site] Node-only build of a copy in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      expect(out).toMatch(/outputs: 0 of \d+ pages/);
      for (const name of lectures) expect(existsSync(join(copy, "build", "site", `${name}.html`)), name).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!hasChromium)("the site as a notebook to work in, offline in Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    console.log(`[site]\n${buildSite(["--no-outputs", "--out", SITE]).trim()}`);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(name: string, site = SITE): Promise<{ page: Page; log: PageLog; close(): Promise<void> }> {
    const { context, page, log } = await openPage(browser, (url) => url.startsWith("file:"));
    await page.goto(pathToFileURL(join(site, `${name}.html`)).href);
    await ready(page);
    return { page, log, close: () => context.close() };
  }
  const ready = (page: Page) => page.waitForFunction(() => document.body.dataset.state === "idle");
  const editCell = (page: Page, n: number, text: string) =>
    page.evaluate(([cell, source]) => window.setCellSource(cell, source), [n, text] as [number, string]);
  const cellSource = (page: Page, n: number) => page.evaluate((cell) => window.getCellSource(cell), n);
  async function run(page: Page, selector: string): Promise<void> {
    await page.click(selector);
    await page.waitForFunction(() => document.body.dataset.state === "idle", null, { timeout: 60_000 });
  }
  const output = (page: Page, selector: string, stream: "stdout" | "stderr") =>
    page.evaluate(
      ([sel, name]) =>
        Array.from(
          document.querySelectorAll(`${sel} [data-output] [data-stream="${name}"]`),
          (e) => e.textContent,
        ).join(""),
      [selector, stream] as [string, string],
    );

  it("keeps an edit and a scratch cell across a reload; Revert and Reset (asked first) give the lecture's code back", async () => {
    const { page, log, close } = await open("01-derivatives");
    try {
      const original = await cellSource(page, 6);
      await editCell(page, 6, "let h = 0.001;\nlet x = 3.0;\npyFloat((f(x + h) - f(x)) / h)");
      await page.click('[data-cell="6"] [data-action="add-cell"]');
      const scratch = page.locator("[data-scratch] .cm-content");
      await scratch.click();
      await page.keyboard.type("console.log('mine', x * 2)");
      await page.reload();
      await ready(page);
      expect(await cellSource(page, 6)).toContain("let h = 0.001;");
      expect(await page.getAttribute('[data-cell="6"]', "data-edited")).toBe("");
      expect(await page.isVisible('[data-cell="6"] .mgts-edited')).toBe(true);
      expect(await page.getAttribute('[data-cell="4"]', "data-edited")).toBeNull();
      // The scratch cell is back, below cell 5, and runs after it.
      expect(await page.textContent("[data-scratch] .cm-content")).toBe("console.log('mine', x * 2)");
      const below = await page.evaluate(
        () => document.querySelector('[data-cell="6"]')?.nextElementSibling?.hasAttribute("data-scratch") ?? false,
      );
      expect(below).toBe(true);
      await run(page, '[data-action="run-all"]');
      const f = (v: number) => 3 * v ** 2 - 4 * v + 5; // cell 1's
      expect(await output(page, '[data-cell="6"]', "stdout")).toBe(`${pyFloat((f(3.001) - f(3.0)) / 0.001)}\n`);
      expect(await output(page, "[data-scratch]", "stdout")).toBe("mine 6\n"); // x = 3 there
      // Revert: the lecture's code, no longer marked.
      await page.click('[data-cell="6"] [data-action="revert"]');
      expect(await cellSource(page, 6)).toBe(original);
      expect(await page.getAttribute('[data-cell="6"]', "data-edited")).toBeNull();
      // Reset asks; dismissed, nothing is discarded.
      await editCell(page, 8, "x = 1;");
      // (openPage accepts every dialog: the learner's "Cancel" is played by confirm returning false.)
      await page.evaluate(() => {
        const w = window as unknown as { realConfirm: typeof confirm; asked: string[] };
        w.realConfirm = window.confirm;
        w.asked = [];
        window.confirm = (text) => {
          w.asked.push(String(text));
          return false;
        };
      });
      await page.click('[data-action="reset"]');
      expect(await page.evaluate(() => (window as unknown as { asked: string[] }).asked)).toHaveLength(1);
      expect(await page.textContent(".mgts-status")).toMatch(/^reset cancelled/);
      expect(await cellSource(page, 8)).toBe("x = 1;");
      expect(await page.locator("[data-scratch]").count()).toBe(1);
      // Accepted: every edit and scratch cell gone, also after a reload.
      await page.evaluate(() => {
        window.confirm = (window as unknown as { realConfirm: typeof confirm }).realConfirm;
      });
      await page.click('[data-action="reset"]');
      expect(log.dialogs.some((d) => /^confirm: Reset this page\?/.test(d))).toBe(true);
      await page.reload();
      await ready(page);
      expect(await cellSource(page, 8)).toBe("x = 2 / 3;\npyFloat((f(x + h) - f(x)) / h)");
      expect(await page.locator("[data-scratch]").count()).toBe(0);
      expect(log.pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("deletes a scratch cell, and it stays deleted", async () => {
    const { page, close } = await open("01-derivatives");
    try {
      await page.click('[data-cell="4"] [data-action="add-cell"]');
      await page.click('[data-cell="4"] [data-action="add-cell"]');
      expect(await page.locator("[data-scratch]").count()).toBe(2);
      await page.locator('[data-scratch] [data-action="delete-cell"]').first().click();
      await page.reload();
      await ready(page);
      expect(await page.locator("[data-scratch]").count()).toBe(1);
    } finally {
      await close();
    }
  });

  it("downloads NN-name.ipynb with the learner's code, which Jupyter runs with the project's kernel", async () => {
    const { page, log, close } = await open("01-derivatives");
    // Inside the project, as a learner would put it (next to notebooks/): tslab finds micrograd-ts from there.
    const dir = join(root, "build", "test-site-download");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      await editCell(
        page,
        10,
        "let a = 4.0;\nlet b = -3.0;\nlet c = 10.0;\nlet d = a * b + c;\nconsole.log(pyFloat(d));",
      );
      await page.click('[data-cell="10"] [data-action="add-cell"]');
      await page.locator("[data-scratch] .cm-content").click();
      await page.keyboard.type("console.log('scratch', a + b + c)");
      await run(page, '[data-action="run-all"]');
      const [file] = await Promise.all([page.waitForEvent("download"), page.click('[data-action="download"]')]);
      expect(file.suggestedFilename()).toBe("01-derivatives.ipynb");
      const saved = join(dir, "01-derivatives.ipynb");
      await file.saveAs(saved);
      const nb = JSON.parse(readFileSync(saved, "utf8"));
      const source = join(root, "notebooks", "01-derivatives.ipynb");
      const lecture = JSON.parse(readFileSync(source, "utf8"));
      expect(nb.nbformat).toBe(4);
      expect(nb.metadata.kernelspec).toEqual(lecture.metadata.kernelspec);
      expect(nb.metadata.kernelspec.name).toBe("tslab");
      expect(nb.cells).toHaveLength(lecture.cells.length + 1);
      const text = (c: { source: string[] }) => c.source.join("");
      expect(text(nb.cells[10])).toContain("let a = 4.0;");
      expect(text(nb.cells[11])).toBe("console.log('scratch', a + b + c)");
      expect(nb.cells[11].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["scratch 11\n"] }]);
      expect(nb.cells[10].outputs[0].text).toEqual(["-2.0\n"]);
      expect(nb.cells[12].cell_type).toBe("markdown");
      // Jupyter runs it as saved: the learner's code prints the same in the kernel.
      jupyter.ensureJupyter();
      const report = jupyter.runNotebook(saved, { out: join(dir, "executed.ipynb") });
      expect(report.ok).toBe(true);
      expect(report.cells.find((c) => c.index === 10)?.stdout).toBe("-2.0\n");
      expect(report.cells.find((c) => c.index === 11)?.stdout).toBe("scratch 11\n");
      expect(log.pageErrors).toEqual([]);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it("names an error by the cell's visible prompt and line, shows no bundle frames, and marks the line", async () => {
    const { page, close } = await open("02-backprop-by-hand");
    try {
      await editCell(
        page,
        1,
        'import { Value } from "micrograd-ts";\nconst a = new Value(2.0);\nconst b = a.mul(null as any);',
      );
      await run(page, '[data-cell="1"] [data-action="run"]');
      expect(await page.textContent('[data-cell="1"] .mgts-count')).toBe("[1]:");
      const stderr = await output(page, '[data-cell="1"]', "stderr");
      expect(stderr).toMatch(/^TypeError: .*mul/);
      expect(stderr).toContain("(cell [1], line 3)");
      expect(stderr).not.toMatch(/blob:|%20|mgts-run/);
      expect(
        stderr
          .split("\n")
          .filter((l) => l.startsWith("    at "))
          .every((l) => l.includes("cell [")),
      ).toBe(true);
      expect(await page.textContent('[data-cell="1"] [data-error-line]')).toBe("const b = a.mul(null as any);");
      expect(await page.textContent(".mgts-status")).toMatch(/^\[1\] failed, line 3/);
      // A function defined in one cell and failing when called from a later one names both cells.
      await editCell(page, 1, "function boom(): never {\n  throw new Error('here');\n}");
      await run(page, '[data-cell="1"] [data-action="run"]');
      expect(await page.locator('[data-cell="1"] [data-error-line]').count()).toBe(0);
      await page.click('[data-cell="1"] [data-action="add-cell"]');
      await page.locator("[data-scratch] .cm-content").click();
      await page.keyboard.type("const ok = 1;\nboom();");
      await run(page, '[data-scratch] [data-action="run"]');
      const trace = await output(page, "[data-scratch]", "stderr");
      expect(trace).toBe("Error: here\n    at boom (cell [2], line 2)\n    at (cell [3], line 2)\n");
      expect(await page.textContent(".mgts-status")).toMatch(/^\[3\] failed, line 2/);
      // A syntax error: the prompt, the line and the column within the cell.
      await editCell(page, 1, "const a = 1;\nconst b = ;");
      await run(page, '[data-cell="1"] [data-action="run"]');
      // Type-checked first, as tslab does, which reports it as tslab prints it.
      expect(await output(page, '[data-cell="1"]', "stderr")).toBe("2:11 - Expression expected.\n");
      expect(await page.textContent('[data-cell="1"] [data-error-line]')).toBe("const b = ;");
      await run(page, '[data-action="run-all"]');
      expect(await page.textContent(".mgts-status")).toMatch(/^\[5\] not run: line 2 does not compile/);
    } finally {
      await close();
    }
  });

  it("links every page to the next and the previous, from the index to the last page and back", async () => {
    const { context, page } = await openPage(browser, (url) => url.startsWith("file:"));
    const close = () => context.close();
    try {
      await page.goto(pathToFileURL(join(SITE, "index.html")).href);
      const seen: string[] = [];
      for (let i = 0; i < lectures.length; i++) {
        await page.click("a[rel=next]");
        seen.push(decodeURI(page.url().split("/").pop() as string));
      }
      expect(seen).toEqual(lectures.map((n) => `${n}.html`));
      expect(await page.locator("a[rel=next]").count()).toBe(0);
      for (let i = lectures.length - 2; i >= 0; i--) {
        await page.click("a[rel=prev] >> nth=0");
        expect(page.url().endsWith(`${lectures[i]}.html`)).toBe(true);
      }
    } finally {
      await close();
    }
  });

  it("has no broken link: each goes to a file of the site (and its anchor) or off the site", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of readdirSync(SITE).filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(join(SITE, page), "utf8");
      for (const [, href] of html.matchAll(/\bhref="([^"]*)"/g)) {
        checked++;
        const url = new URL(href as string, pathToFileURL(join(SITE, page)));
        if (url.protocol === "https:" || url.protocol === "mailto:") continue;
        if (url.protocol !== "file:") {
          broken.push(`${page}: ${href}`);
          continue;
        }
        const file = fileURLToPath(url);
        if (relative(SITE, file).startsWith("..") || !existsSync(file)) broken.push(`${page}: ${href}`);
        else if (url.hash !== "" && file.endsWith(".html")) {
          const target = readFileSync(file, "utf8");
          if (!target.includes(`id="${decodeURIComponent(url.hash.slice(1))}"`)) broken.push(`${page}: ${href}`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    // A notebook named in code marks ("Next: `03-engine-testing.ipynb`") links to its page.
    expect(readFileSync(join(SITE, "02-backprop-by-hand.html"), "utf8")).toContain(
      '<a href="03-engine-testing.html"><code>03-engine-testing.ipynb</code></a>',
    );
    // Notebook 6's link to docs/PERFORMANCE.md resolves (a copy in the site when no repository URL is known).
    const six = readFileSync(join(SITE, "06-going-faster.html"), "utf8");
    expect(six).not.toContain('href="../docs/PERFORMANCE.md"');
    expect(six).toMatch(/href="(repo\/docs\/PERFORMANCE\.md|https:\/\/github\.com\/[^"]+\/docs\/PERFORMANCE\.md)"/);
  });

  it("reads on a phone and in the dark: one-line toolbar, nothing wider than the screen, long outputs collapsed", async () => {
    const { context, page, log } = await openPage(browser, (url) => url.startsWith("file:"));
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(pathToFileURL(join(SITE, "02-backprop-by-hand.html")).href);
      await ready(page);
      const toolbar = await page.evaluate(() => {
        const bar = document.querySelector(".mgts-toolbar") as HTMLElement;
        const boxes = Array.from(bar.querySelectorAll("a, button"), (e) => e.getBoundingClientRect());
        const centers = boxes.map((b) => b.top + b.height / 2);
        // On one line: every centre within half a button's height of the others.
        const spread = Math.max(...centers) - Math.min(...centers);
        return {
          oneLine: spread < Math.min(...boxes.map((b) => b.height)) / 2,
          right: Math.max(...boxes.map((b) => b.right)),
          background: getComputedStyle(document.body).backgroundColor,
        };
      });
      expect(toolbar.oneLine, "the toolbar's links and buttons on one line").toBe(true);
      expect(toolbar.right, "and on the screen").toBeLessThanOrEqual(390);
      expect(toolbar.background).toBe("rgb(13, 17, 23)"); // the dark theme followed the system
      // A long line wraps in its editor; a graph wider than the screen scrolls inside its cell.
      await editCell(
        page,
        1,
        `import { drawDot, Value } from "micrograd-ts";\nconst long = "${"x".repeat(300)}";\nlet v = new Value(1, { label: "a" });\nfor (let i = 0; i < 12; i++) v = v.add(new Value(i, { label: \`n\${i}\` }));\ndrawDot(v, { rankdir: "LR" })`,
      );
      // 150 printed lines: the output collapses, and a button shows all of it.
      await editCell(page, 3, "for (let i = 0; i < 150; i++) console.log('line', i);");
      await run(page, '[data-cell="1"] [data-action="run"]');
      await run(page, '[data-cell="3"] [data-action="run"]');
      const widths = await page.evaluate(() => {
        const out = document.querySelector('[data-cell="1"] [data-output]') as HTMLElement;
        const img = out.querySelector(".mgts-display img") as HTMLElement;
        return {
          page: document.documentElement.scrollWidth,
          graphRight: img.getBoundingClientRect().right,
          cellRight: out.getBoundingClientRect().right,
          scrolls: getComputedStyle(out).overflowX,
          editor: (document.querySelector('[data-cell="1"] .cm-scroller') as HTMLElement).scrollWidth,
          editorBox: (document.querySelector('[data-cell="1"] .cm-scroller') as HTMLElement).clientWidth,
        };
      });
      expect(widths.page, "nothing makes the page wider than the screen").toBeLessThanOrEqual(390);
      expect(widths.graphRight, "the graph is not cut off").toBeLessThanOrEqual(widths.cellRight + 0.5);
      expect(widths.scrolls, "what is wider than the cell scrolls in it").toBe("auto");
      expect(widths.editor, "the 300-character line wraps in its editor").toBeLessThanOrEqual(widths.editorBox);
      const collapsed = '[data-cell="3"] [data-output][data-collapsed]';
      expect(await page.locator(collapsed).count()).toBe(1);
      expect(
        await page.evaluate((sel) => (document.querySelector(sel) as HTMLElement).clientHeight, collapsed),
      ).toBeLessThanOrEqual(400);
      await page.click('[data-cell="3"] [data-action="toggle-output"]');
      expect(await page.locator(collapsed).count()).toBe(0);
      expect(log.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("refuses a cell with a type error as tslab does; completes and describes the package's API", async () => {
    const tslab = tslabKernel();
    const { page, log, close } = await open("01-derivatives");
    try {
      const source = 'console.log("ran");\nconst n: number = "hello";\nn';
      const reference = await tslab.run(source);
      expect(reference).toEqual({ ok: false, printed: "2:7 - Type 'string' is not assignable to type 'number'.\n" });
      await editCell(page, 6, source);
      await run(page, '[data-cell="6"] [data-action="run"]');
      expect(await output(page, '[data-cell="6"]', "stderr")).toBe(reference.printed);
      expect(await output(page, '[data-cell="6"]', "stdout"), "the cell did not run").toBe("");
      expect(await page.textContent('[data-cell="6"] [data-error-line]')).toBe('const n: number = "hello";');
      expect(await page.textContent(".mgts-status")).toMatch(/^\[1\] not run: line 2 does not compile/);
      // Completion after "v." lists Value's methods; hovering over Value shows its declaration.
      await editCell(page, 6, 'import { Value } from "micrograd-ts";\nconst v = new Value(2);\n');
      await page.click('[data-cell="6"] .cm-content');
      await page.keyboard.press("Control+End");
      await page.keyboard.type("v.bac");
      await page.waitForSelector(".cm-tooltip-autocomplete", { timeout: 30_000 });
      expect(await page.textContent(".cm-tooltip-autocomplete")).toContain("backward");
      await page.keyboard.press("Escape");
      await page
        .locator('[data-cell="6"] .cm-line span', { hasText: /^Value$/ })
        .last()
        .hover();
      await page.waitForSelector(".mgts-hover", { timeout: 30_000 });
      expect(await page.textContent(".mgts-hover")).toMatch(/Value\(data: number/);
      expect(log.pageErrors).toEqual([]);
    } finally {
      tslab.close();
      await close();
    }
  }, 120_000);

  it("runs the cells tslab once ran differently and prints what tslab itself prints", async () => {
    const tslab = tslabKernel();
    const { page, log, close } = await open("01-derivatives");
    try {
      for (const [what, sources] of TSLAB_CASES) {
        for (const source of sources) {
          const reference = await tslab.run(source);
          await editCell(page, 6, source);
          await run(page, '[data-cell="6"] [data-action="run"]');
          const printed = await output(page, '[data-cell="6"]', "stdout");
          expect(await output(page, '[data-cell="6"]', "stderr"), `${what}: ${source}`).toBe("");
          expect(printed, `${what}: ${source}`).toBe(reference.printed);
        }
      }
      expect(log.pageErrors).toEqual([]);
    } finally {
      tslab.close();
      await close();
    }
  }, 120_000);

  describe("Type along, on a fixture notebook with marks", () => {
    beforeAll(async () => {
      const { buildAssets } = require("../../site/build-assets.cjs");
      const { buildPages } = require("../../site/build-pages.cjs");
      rmSync(FIXTURE_SITE, { recursive: true, force: true });
      mkdirSync(FIXTURE_SITE, { recursive: true });
      await buildAssets(FIXTURE_SITE);
      const file = resolve(__dirname, "..", "fixtures", "site-type-along.ipynb");
      buildPages([{ name: "01-type-along.ipynb", file, executed: null }], FIXTURE_SITE);
    }, 60_000);

    it("hides marked cells' code, and marks a correctly typed cell as matching, a wrong one as not", async () => {
      const { page, log, close } = await open("01-type-along", FIXTURE_SITE);
      try {
        expect(await page.locator("[data-type-along]").count()).toBe(3);
        await page.check('[data-action="type-along"]');
        for (const n of [1, 2, 3]) expect(await cellSource(page, n)).toBe("");
        expect(await cellSource(page, 4)).toContain("unmarked"); // not marked: its code stays
        expect(await page.textContent('[data-cell="1"] .cm-placeholder')).toBe(
          "// first half, cell 7: the Value class",
        );
        expect(await page.textContent(".mgts-type-along-score")).toBe("0 of 3 lecture cells match");
        await editCell(page, 1, 'import { Value } from "micrograd-ts";\nconst a = new Value(2.0);\na.mul(-4)');
        await editCell(page, 2, "const b = a.add(1);\nconsole.log(b.data)"); // prints 3, the lecture 3.5
        await editCell(page, 3, "const c = 1;");
        await run(page, '[data-action="run-all"]');
        expect(await page.getAttribute('[data-cell="1"]', "data-match")).toBe("yes");
        expect(await page.getAttribute('[data-cell="2"]', "data-match")).toBe("no");
        expect(await page.getAttribute('[data-cell="3"]', "data-match")).toBe("yes");
        expect(await page.textContent(".mgts-type-along-score")).toBe("2 of 3 lecture cells match");
        // The switch and the typed code survive a reload; off gives the lecture's code back to empty cells.
        await page.reload();
        await ready(page);
        expect(await page.isChecked('[data-action="type-along"]')).toBe(true);
        expect(await cellSource(page, 2)).toBe("const b = a.add(1);\nconsole.log(b.data)");
        await editCell(page, 3, "");
        await page.uncheck('[data-action="type-along"]');
        expect(await cellSource(page, 3)).toBe("const c = a.data;");
        expect(await page.textContent(".mgts-type-along-score")).toBe("");
        expect(log.pageErrors).toEqual([]);
      } finally {
        await close();
      }
    });
  });
});

declare global {
  interface Window {
    setCellSource(n: number, text: string): void;
    getCellSource(n: number): string;
  }
}
