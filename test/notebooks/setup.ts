/**
 * Global setup of the "notebooks" test project: executes every lecture once, through Jupyter, into
 * build/test-lectures/ (executed .ipynb, the runner's JSON report, the nbconvert .html, and the
 * contents page index.html). The notebook and browser tests then check those files, so each notebook
 * runs once per `npm test`.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  root: string;
  ensureJupyter(): string;
  lectureNames(only?: string[]): string[];
  executeLecture(name: string, outDir: string): { seconds: number; report: { ok: boolean } };
};

const index = require("../../scripts/lectures-index.cjs") as { writeLecturesIndex(outDir: string): string };

export const LECTURES_DIR = join(jupyter.root, "build", "test-lectures");

export default function setup(): void {
  jupyter.ensureJupyter(); // requirements-jupyter.txt with pip into .venv when no suitable Jupyter is found
  rmSync(LECTURES_DIR, { recursive: true, force: true });
  for (const name of jupyter.lectureNames()) {
    const run = jupyter.executeLecture(name, LECTURES_DIR);
    console.log(`executed ${name} in ${run.seconds.toFixed(1)} s (${run.report.ok ? "ok" : "FAILED"})`);
  }
  index.writeLecturesIndex(LECTURES_DIR); // the contents page, as npm run lectures writes it
}
