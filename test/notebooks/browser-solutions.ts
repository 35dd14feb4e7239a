/**
 * The exercises' solutions as a learner meets them in a browser: markdown cells holding
 * `<details class="solution"><summary>Solution</summary>…</details>` (scripts/exercises.cjs). They must show
 * closed, the code hidden, and open on a click on "Solution" with the code of the file; the same on the
 * nbconvert export, in JupyterLab 4 and in Notebook 7 (their sanitizer keeps <details> and <summary>), and on
 * the browser site's pages (npm run site: markdown-it keeps them too).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

const jupyter = require("../../scripts/jupyter-env.cjs") as { root: string };

export interface SeenSolution {
  /** The cell it is in, indexed like the .ipynb's cells. */
  cell: number;
  open: boolean;
  summary: string;
  /** The code block is on screen: rendered, with a height. */
  codeVisible: boolean;
  code: string;
}

/**
 * The pages a solution is looked for on: Jupyter's (JupyterLab, Notebook 7, and nbconvert's export, which
 * uses the same classes), where a cell's index is its place among the top-level .jp-Cell elements, or the
 * site's, where each markdown cell says its index (data-markdown-cell).
 */
export type SolutionPage = "jupyter" | "site";

const BLOCKS: Record<SolutionPage, string> = {
  jupyter: ".jp-MarkdownCell details.solution",
  site: "[data-markdown-cell] details.solution",
};

const solutionsScript = (kind: SolutionPage) => `(() => {
  const site = ${kind === "site"};
  const cells = Array.from(document.querySelectorAll(".jp-Cell")).filter((c) => !c.parentElement.closest(".jp-Cell"));
  const cellOf = (d) => site ? Number(d.closest("[data-markdown-cell]").dataset.markdownCell) : cells.indexOf(d.closest(".jp-Cell"));
  return Array.from(document.querySelectorAll(${JSON.stringify(BLOCKS[kind])})).map((d) => {
    const pre = d.querySelector("pre");
    const summary = d.querySelector(":scope > summary");
    return {
      cell: cellOf(d),
      open: d.open,
      summary: summary ? summary.textContent.trim() : "",
      codeVisible: !!pre && pre.checkVisibility({ checkVisibilityCSS: true }) && pre.getBoundingClientRect().height > 0,
      code: pre ? pre.textContent : "",
    };
  });
})()`;

/** The solution blocks on the page, in order. */
export function seenSolutions(page: Page, kind: SolutionPage = "jupyter"): Promise<SeenSolution[]> {
  return page.evaluate(solutionsScript(kind)) as Promise<SeenSolution[]>;
}

/** The solutions of notebooks/<name>.ipynb: cell index and the code in its fenced block. */
export function solutionsInFile(name: string): { cell: number; code: string }[] {
  const nb = JSON.parse(readFileSync(join(jupyter.root, "notebooks", `${name}.ipynb`), "utf8")) as {
    cells: { cell_type: string; source: string[] | string }[];
  };
  return nb.cells.flatMap((c, cell) => {
    const text = Array.isArray(c.source) ? c.source.join("") : c.source;
    if (c.cell_type !== "markdown" || !text.startsWith('<details class="solution">')) return [];
    const code = /\n(`{3,})typescript\n([\s\S]*)\n\1\n/.exec(text)?.[2];
    return code === undefined ? [] : [{ cell, code }];
  });
}

/**
 * What is wrong with the solutions of `name` on the page: each must be there, closed with its code hidden;
 * then the first is opened with a click on "Solution", as a learner does, and must show the file's code;
 * a second click closes it again. [] when all is well, and for a notebook without solutions.
 */
export async function solutionProblems(
  page: Page,
  where: string,
  name: string,
  kind: SolutionPage = "jupyter",
): Promise<string[]> {
  const expected = solutionsInFile(name);
  if (expected.length === 0) return [];
  const found: string[] = [];
  const seen = await seenSolutions(page, kind);
  const cells = (list: { cell: number }[]) => JSON.stringify(list.map((s) => s.cell));
  if (cells(seen) !== cells(expected))
    found.push(`${where}: solution blocks in cells ${cells(seen)}, the file has them in cells ${cells(expected)}`);
  for (const s of seen) {
    if (s.open || s.codeVisible) found.push(`${where}: the solution in cell ${s.cell} shows before it is clicked`);
    if (s.summary !== "Solution") found.push(`${where}: the solution in cell ${s.cell} is titled "${s.summary}"`);
  }
  const summary = page.locator(`${BLOCKS[kind]} > summary`).first();
  if (seen.length === 0) return found;
  await summary.scrollIntoViewIfNeeded();
  await summary.click();
  const opened = (await seenSolutions(page, kind))[0];
  if (!opened?.open || !opened.codeVisible) {
    found.push(`${where}: a click on "Solution" in cell ${seen[0]?.cell} did not show its code`);
  } else if (opened.code.trim() !== expected[0]?.code.trim()) {
    found.push(`${where}: the opened solution in cell ${opened.cell} shows other code than the file:\n${opened.code}`);
  }
  await summary.click();
  if ((await seenSolutions(page, kind))[0]?.open) found.push(`${where}: a second click did not close the solution`);
  return found;
}
