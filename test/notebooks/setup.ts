/**
 * Global setup of the "notebooks" test project: executes every lecture once, through Jupyter, into
 * build/test-lectures/ (executed .ipynb, the runner's JSON report, the nbconvert .html, and the
 * contents page index.html), and the solved exercise notebooks of solutions/ into
 * build/test-lectures/solutions/. The notebook and browser tests then check those files, so each notebook
 * runs once per `npm test`. MGTS_NOTEBOOKS=02,04 executes only the notebooks whose names start so, for a
 * quicker run while working on them: the other notebooks' tests then fail, finding no report.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  root: string;
  ensureJupyter(): string;
  lectureNames(only?: string[]): string[];
  executeLecture(name: string, outDir: string, from?: string): { seconds: number; report: { ok: boolean } };
};
const { SOLUTIONS } = require("../../scripts/exercises.cjs") as { SOLUTIONS: string };

const index = require("../../scripts/lectures-index.cjs") as { writeLecturesIndex(outDir: string): string };

export const LECTURES_DIR = join(jupyter.root, "build", "test-lectures");
/** Where the solved versions run: readReport("solutions/07-exercises") reads them. */
export const SOLVED_DIR = join(LECTURES_DIR, "solutions");

export default function setup(): void {
  const only = (process.env.MGTS_NOTEBOOKS ?? "").split(",").filter((prefix) => prefix !== "");
  jupyter.ensureJupyter(); // requirements-jupyter.txt with pip into .venv when no suitable Jupyter is found
  rmSync(LECTURES_DIR, { recursive: true, force: true });
  for (const name of jupyter.lectureNames(only)) {
    const run = jupyter.executeLecture(name, LECTURES_DIR);
    console.log(`executed ${name} in ${run.seconds.toFixed(1)} s (${run.report.ok ? "ok" : "FAILED"})`);
  }
  const solved = readdirSync(SOLUTIONS).filter((f) => f.endsWith(".ipynb"));
  for (const name of solved.filter((f) => only.length === 0 || only.some((prefix) => f.startsWith(prefix)))) {
    const run = jupyter.executeLecture(name, SOLVED_DIR, SOLUTIONS);
    console.log(`executed solutions/${name} in ${run.seconds.toFixed(1)} s (${run.report.ok ? "ok" : "FAILED"})`);
  }
  index.writeLecturesIndex(LECTURES_DIR); // the contents page, as npm run lectures writes it
}
