/**
 * Global setup of the "notebooks" test project: executes every lecture once, through Jupyter, into
 * build/test-lectures/ (executed .ipynb, the runner's JSON report, the nbconvert .html, and the
 * contents page index.html), notebook 5 on the solved module files as the published lectures run it
 * (solutions/micrograd/*.ts); notebook 5 again on the learner's notebooks/micrograd/*.ts, placeholders
 * and all, into build/test-lectures/learner/; the solved sources of solutions/ into
 * build/test-lectures/solutions/; and each type-along edition twice: as generated (empty cells: it must stop at
 * its first check with a clear message) into build/test-lectures/type-along/, and with every empty cell
 * filled with its solved source into build/test-lectures/type-along-filled/. The notebook and browser
 * tests then check those files, so each notebook runs once per `npm test`.
 *
 * MGTS_NOTEBOOKS=01,05 executes only the notebooks starting with those prefixes (tests of the others then
 * fail for want of their reports: run those files only).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  root: string;
  ensureJupyter(): string;
  lectureNames(only?: string[], dir?: string): string[];
  executeLecture(
    name: string,
    outDir: string,
    from?: string,
    modules?: string,
  ): { seconds: number; report: { ok: boolean } };
};
const exercises = require("../../scripts/exercises.cjs") as {
  SOLUTIONS: string;
  NOTEBOOKS: string;
  TYPE_ALONG: string;
  refillTypeAlong(typeAlong: object, solved: object): object;
  notebookJson(nb: object): string;
};

const index = require("../../scripts/lectures-index.cjs") as { writeLecturesIndex(outDir: string): string };

export const LECTURES_DIR = join(jupyter.root, "build", "test-lectures");
/** Where the solved versions run: readReport("solutions/07-exercises") reads them. */
export const SOLVED_DIR = join(LECTURES_DIR, "solutions");
/** The type-along editions as generated: readReport("type-along/01-derivatives"). */
export const TYPE_ALONG_DIR = join(LECTURES_DIR, "type-along");
/** The type-along editions with every empty cell filled in: readReport("type-along-filled/01-derivatives"). */
export const FILLED_DIR = join(LECTURES_DIR, "type-along-filled");
/** Notebooks that import notebook 5's module files, run on the learner's copies: readReport("learner/05-moons-demo"). */
export const LEARNER_DIR = join(LECTURES_DIR, "learner");

/** The prefixes of MGTS_NOTEBOOKS ("01,05"), or [] for every notebook. */
export const ONLY = (process.env.MGTS_NOTEBOOKS ?? "").split(",").filter(Boolean);

/** `stops`: the notebook is meant to stop at an error (a type-along edition, at the check under its first empty cell). */
function run(name: string, outDir: string, from: string, label: string, modules?: string, stops = false): void {
  const result = jupyter.executeLecture(name, outDir, from, modules);
  const status = result.report.ok ? "ok" : stops ? "stopped at an error, as meant: the tests check where" : "FAILED";
  console.log(`executed ${label} ${name} in ${result.seconds.toFixed(1)} s (${status})`);
}

/**
 * Writes the filled type-along notebooks into `dir`, beside <dir>/micrograd/ with the solved module files,
 * so that they import those as the solved sources do. Returns their names.
 */
function writeFilled(dir: string): string[] {
  const typeAlong = join(exercises.NOTEBOOKS, exercises.TYPE_ALONG);
  const names = jupyter.lectureNames(ONLY, typeAlong);
  mkdirSync(join(dir, "micrograd"), { recursive: true });
  for (const file of readdirSync(join(exercises.SOLUTIONS, "micrograd")))
    copyFileSync(join(exercises.SOLUTIONS, "micrograd", file), join(dir, "micrograd", file));
  for (const name of names) {
    const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as object;
    const filled = exercises.refillTypeAlong(read(join(typeAlong, name)), read(join(exercises.SOLUTIONS, name)));
    writeFileSync(join(dir, name), exercises.notebookJson(filled));
  }
  return names;
}

/** Whether notebooks/<name> imports notebook 5's module files (./micrograd/engine …). */
const importsModules = (name: string) => readFileSync(join(exercises.NOTEBOOKS, name), "utf8").includes("./micrograd/");

export default function setup(): void {
  jupyter.ensureJupyter(); // requirements-jupyter.txt with pip into .venv when no suitable Jupyter is found
  rmSync(LECTURES_DIR, { recursive: true, force: true });
  for (const name of jupyter.lectureNames(ONLY)) run(name, LECTURES_DIR, exercises.NOTEBOOKS, "notebooks");
  const learnerModules = join(exercises.NOTEBOOKS, "micrograd");
  for (const name of jupyter.lectureNames(ONLY).filter(importsModules))
    run(name, LEARNER_DIR, exercises.NOTEBOOKS, "notebooks (on the learner's micrograd)", learnerModules);
  for (const name of jupyter.lectureNames(ONLY, exercises.SOLUTIONS))
    run(name, SOLVED_DIR, exercises.SOLUTIONS, "solutions");
  const typeAlong = join(exercises.NOTEBOOKS, exercises.TYPE_ALONG);
  if (existsSync(typeAlong)) {
    for (const name of jupyter.lectureNames(ONLY, typeAlong))
      run(name, TYPE_ALONG_DIR, typeAlong, "type-along", undefined, true);
    const filledSources = join(LECTURES_DIR, "type-along-sources");
    for (const name of writeFilled(filledSources)) run(name, FILLED_DIR, filledSources, "type-along filled");
  }
  index.writeLecturesIndex(LECTURES_DIR); // the contents page, as npm run lectures writes it
}
