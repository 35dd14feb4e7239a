#!/usr/bin/env node
// npm run exercises: writes the learner's version of every solved notebook in solutions/ to notebooks/, under
// the same name. In a solved notebook, a code cell marks its solution regions nbgrader's way, each on lines
// of their own:
//
//   // BEGIN SOLUTION (placeholder: return [0, 0, 0];)
//   …the solution…
//   // END SOLUTION
//
// The learner's cell has "// YOUR CODE HERE" and the placeholder line in place of each region (a value of
// the right type, so that Run All reaches the end and the checks print WRONG!), and the solved cell follows it
// as a markdown cell, closed until clicked: <details class="solution"><summary>Solution</summary>…</details>.
// Markdown is never executed, so running the learner's notebook cannot fill in an answer. A notebook in
// notebooks/ without a source in solutions/ is left alone.
//
// A notebook that was edited since it was generated (a learner's answers) is not overwritten: the generator
// records a hash of the cells it wrote and refuses when they changed, unless --force. --check writes
// nothing and exits 1 when a notebook in notebooks/ differs from what its source gives.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const SOLUTIONS = path.join(root, "solutions");
const NOTEBOOKS = path.join(root, "notebooks");

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION(?: \(placeholder: (.*)\))?\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const ANY_MARKER = /\b(BEGIN|END) SOLUTION\b/;
const PLACEHOLDER_COMMENT = "// YOUR CODE HERE";

/** A cell's source as one string (nbformat allows a string or a list of lines). */
const sourceText = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));

/** nbformat's list of lines, as Jupyter writes it: every line but the last keeps its "\n". */
const sourceLines = (text) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * Splits a code cell's source at its solution regions. Returns `learner` (each region replaced by
 * "// YOUR CODE HERE" and its placeholder, at the BEGIN line's indentation), `solved` (the code with the
 * marker lines removed) and the number of regions. Throws, naming `where` and the line, on a marker out of place.
 */
function splitSolutions(source, where) {
  const learner = [];
  const solved = [];
  let openedAt = 0; // the line of the BEGIN marker of the region we are in, or 0
  let regions = 0;
  source.split("\n").forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (openedAt)
        throw new Error(`${where}, line ${i + 1}: BEGIN SOLUTION inside the region opened on line ${openedAt}`);
      openedAt = i + 1;
      regions++;
      const [, indent, placeholder] = begin;
      learner.push(`${indent}${PLACEHOLDER_COMMENT}`);
      if (placeholder?.trim()) learner.push(`${indent}${placeholder.trim()}`);
    } else if (END.test(line)) {
      if (!openedAt) throw new Error(`${where}, line ${i + 1}: END SOLUTION without a BEGIN SOLUTION before it`);
      openedAt = 0;
    } else if (ANY_MARKER.test(line)) {
      throw new Error(
        `${where}, line ${i + 1}: a marker is a line of its own, "// BEGIN SOLUTION" (optionally followed by ` +
          `" (placeholder: code)") or "// END SOLUTION"; got: ${line.trim()}`,
      );
    } else {
      solved.push(line);
      if (!openedAt) learner.push(line);
    }
  });
  if (openedAt) throw new Error(`${where}, line ${openedAt}: BEGIN SOLUTION is never closed by END SOLUTION`);
  return { learner: learner.join("\n"), solved: solved.join("\n"), regions };
}

/** The markdown of a solution: the solved code in a fenced block, inside a <details> that starts closed. */
function solutionMarkdown(code) {
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1); // longer than any run of backticks in the code
  return `<details class="solution"><summary>Solution</summary>\n\n${fence}typescript\n${code.trimEnd()}\n${fence}\n\n</details>`;
}

/** A hash of what a learner writes in: each cell's type, id and source (not outputs, metadata or JSON layout). */
function cellsHash(cells) {
  const content = cells.map((c) => [c.cell_type, c.id ?? null, sourceText(c)]);
  return crypto.createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/**
 * The learner's version of the solved notebook `nb` (parsed JSON) read from `sourceName` (e.g.
 * "solutions/07-exercises.ipynb", for messages and the record in the metadata). Cells keep their ids and
 * key order; code cells are cleared of outputs; each cell with solution regions is followed by its
 * solution, a markdown cell with the id "<id>-solution".
 */
function learnerNotebook(nb, sourceName) {
  const cells = [];
  nb.cells.forEach((cell, index) => {
    const where = `${sourceName}, cell ${index} (id ${cell.id ?? "none"})`;
    const text = sourceText(cell);
    if (cell.cell_type !== "code") {
      if (ANY_MARKER.test(text))
        throw new Error(`${where}: solution regions belong in code cells, not ${cell.cell_type} cells`);
      cells.push(cell);
      return;
    }
    const { learner, solved, regions } = splitSolutions(text, where);
    cells.push({ ...cell, source: sourceLines(learner), execution_count: null, outputs: [] });
    if (regions === 0) return;
    if (typeof cell.id !== "string")
      throw new Error(`${where}: a cell with solution regions needs an id (nbformat 4.5)`);
    const id = `${cell.id}-solution`;
    if (id.length > 64) throw new Error(`${where}: its id is too long for "${id}" (nbformat allows 64 characters)`);
    cells.push({ cell_type: "markdown", id, metadata: {}, source: sourceLines(solutionMarkdown(solved)) });
  });
  const ids = cells.map((c) => c.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new Error(`${sourceName}: the cell id ${twice} occurs twice in the learner's version`);
  const record = { source: sourceName, sha256: cellsHash(cells) };
  const metadata = { ...nb.metadata, micrograd_ts: { ...nb.metadata?.micrograd_ts, generated: record } };
  return { ...nb, cells, metadata };
}

/** A notebook as Jupyter writes it: JSON indented by one space, keys in their order, a final newline. */
const notebookJson = (nb) => `${JSON.stringify(nb, null, 1)}\n`;

/**
 * Why the notebook at `file` must not be overwritten, or null: it holds edits (a learner's answers) made
 * since the generator wrote it, or it was not written by the generator at all.
 */
function editedSinceGenerated(file) {
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return `it is not a readable notebook (${e.message})`;
  }
  const recorded = nb.metadata?.micrograd_ts?.generated?.sha256;
  if (recorded === undefined) return "it was not generated from solutions/ (no record of it in its metadata)";
  if (recorded !== cellsHash(nb.cells ?? [])) return "its cells were edited since it was generated";
  return null;
}

/**
 * Generates the learner's version of every solutions/*.ipynb into notebooks/ (`from` and `to` for tests).
 * Returns one entry per source: { name, status, reason? }, status "unchanged" | "written" | "differs"
 * (with `check`: would be written) | "refused" (edited since generated; `force` overwrites anyway).
 */
function generateExercises({ from = SOLUTIONS, to = NOTEBOOKS, check = false, force = false } = {}) {
  if (!fs.existsSync(from)) return [];
  const names = fs
    .readdirSync(from)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  return names.map((name) => {
    const sourceName = `${path.basename(from)}/${name}`; // "solutions/07-exercises.ipynb"
    const learner = notebookJson(
      learnerNotebook(JSON.parse(fs.readFileSync(path.join(from, name), "utf8")), sourceName),
    );
    const target = path.join(to, name);
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
    if (current === learner) return { name, status: "unchanged" };
    if (check) return { name, status: "differs", reason: current === null ? "missing" : "differs from its source" };
    const edited = current === null ? null : editedSinceGenerated(target);
    if (edited !== null && !force) return { name, status: "refused", reason: edited };
    fs.mkdirSync(to, { recursive: true });
    fs.writeFileSync(target, learner);
    return { name, status: "written" };
  });
}

module.exports = {
  SOLUTIONS,
  NOTEBOOKS,
  splitSolutions,
  solutionMarkdown,
  learnerNotebook,
  notebookJson,
  cellsHash,
  generateExercises,
};

if (require.main === module) {
  const check = process.argv.includes("--check");
  const force = process.argv.includes("--force");
  const unknown = process.argv.slice(2).filter((a) => a !== "--check" && a !== "--force");
  if (unknown.length > 0) {
    console.error(`exercises: unknown argument ${unknown.join(" ")} (usage: npm run exercises [-- --check | --force])`);
    process.exit(2);
  }
  let results;
  try {
    results = generateExercises({ check, force });
  } catch (e) {
    console.error(`exercises: ${e.message}`);
    process.exit(1);
  }
  for (const r of results) {
    const target = `notebooks/${r.name}`;
    if (r.status === "unchanged") console.log(`${target}: up to date`);
    else if (r.status === "written") console.log(`${target}: written from solutions/${r.name}`);
    else if (r.status === "differs") console.error(`${target}: ${r.reason} (run npm run exercises)`);
    else
      console.error(
        `${target}: not overwritten, ${r.reason}. Save your work under another name, or run npm run exercises -- --force`,
      );
  }
  process.exit(results.some((r) => r.status === "differs" || r.status === "refused") ? 1 : 0);
}
