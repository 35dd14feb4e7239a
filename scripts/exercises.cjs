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
// The same regions in solutions/micrograd/*.ts (micrograd's engine.py and nn.py, which notebook 5 imports)
// give the learner's module files notebooks/micrograd/*.ts. A solved notebook imports the solved files
// next to it (./micrograd/engine from solutions/), the learner's notebook the learner's.
//
// The type-along edition, notebooks/type-along/NN-name.ipynb, comes from the same sources: a code cell
// marked with metadata "micrograd-ts": {"type-along": {cell, what, prints, check?}} (docs/DEVELOPMENT.md)
// is emptied to a comment naming the lecture's cell, and followed by a markdown cell with what it prints
// and, when it has a `check`, a code cell that checks the learner's names (OK / WRONG!) or says which cell
// to type first. --record-prints [DIR] fills `prints` from executed solved notebooks (default
// build/lectures/solutions/, written by npm run lectures -- --solved).
//
// A file that was edited since it was generated (a learner's answers) is not overwritten: the generator
// records a hash of what it wrote and refuses when it changed, unless --force. --check writes nothing and
// exits 1 when a file it writes differs from what its source gives.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const SOLUTIONS = path.join(root, "solutions");
const NOTEBOOKS = path.join(root, "notebooks");
const TYPE_ALONG = "type-along"; // notebooks/type-along/
const MODULES = "micrograd"; // solutions/micrograd/*.ts → notebooks/micrograd/*.ts
const EXECUTED = path.join(root, "build", "lectures", "solutions");

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

/** A cell's type-along mark ({ cell, what, prints, check? }), or undefined. */
const typeAlongMark = (cell) => cell.metadata?.["micrograd-ts"]?.["type-along"];

/**
 * What a cell prints, as the type-along marks record it: its stdout text and its execute_result's
 * text/plain, in the order they came, each line's trailing spaces trimmed and the whole trimmed at the end;
 * null when that is empty.
 */
function cellPrints(cell) {
  const texts = (cell.outputs ?? []).flatMap((o) => {
    const text = o.output_type === "stream" && o.name === "stdout" ? o.text : o.data?.["text/plain"];
    if (o.output_type !== "stream" && o.output_type !== "execute_result") return [];
    if (text === undefined) return [];
    const joined = Array.isArray(text) ? text.join("") : String(text);
    return [joined.endsWith("\n") ? joined : `${joined}\n`];
  });
  const normalized = texts
    .join("")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trimEnd();
  return normalized === "" ? null : normalized;
}

/** Lines shown of a long output in the type-along edition: the first ones and the last ones. */
const SHOWN_HEAD = 8;
const SHOWN_TAIL = 3;

/** The markdown under an emptied cell: what the lecture's cell prints (from `prints`). */
function printsMarkdown(mark) {
  if (mark.prints === null || mark.prints === undefined)
    return `**${mark.cell}** prints no text. Type it above and run it before going on.`;
  const lines = mark.prints.split("\n");
  const shown =
    lines.length <= SHOWN_HEAD + SHOWN_TAIL + 1
      ? lines
      : [...lines.slice(0, SHOWN_HEAD), `… (${lines.length} lines in all)`, ...lines.slice(-SHOWN_TAIL)];
  const fence = "`".repeat(Math.max(2, ...(mark.prints.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  return `**${mark.cell}**, typed right, prints:\n\n${fence}text\n${shown.join("\n")}\n${fence}`;
}

/** The type-along edition's own first cells: what it is, and the checks' helper. */
const TYPE_ALONG_INTRO = [
  "## Type along",
  "",
  "This is the type-along edition of this notebook: each cell the lecture writes is empty but for a comment naming the lecture's cell. Type it as you watch, run it, and compare with what it prints when typed right, shown under it: the lecture's output wherever that does not depend on the lecture's unseeded weights (notebook 4's numbers come from `seed(1337)`, and the notebook of the same name one folder up says why they differ from the video's). Where a later cell needs what you typed, a check follows: `OK` when your numbers are the lecture's, `WRONG!` when not, and a message naming the cell to type when it is still empty. Fill the cells in order: each may use what the ones before it declared. The notebook of the same name one folder up has every lecture cell written.",
].join("\n");

const TYPE_ALONG_HELPER = `/**
 * The type-along checks. Reads what the cell above declares: [name, value] for a name later cells need,
 * [what, yours, the lecture's] for a number, printed OK when yours is within 1e-12 of the lecture's
 * (relative), WRONG! when not. A name that does not exist yet means the cell above is not typed or not run:
 * then it says so and stops Run All here.
 */
function typeAlongCheck(cell: string, rows: () => ([string, unknown] | [string, unknown, number])[]): void {
  let read: ([string, unknown] | [string, unknown, number])[];
  try {
    read = rows();
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    throw \`\${cell} is not typed yet (\${e.message}): type it in the empty cell above, run it, then run this check.\`;
  }
  const declared = read.filter((row) => row.length === 2).map(([name]) => name);
  if (declared.length > 0) console.log(\`OK for \${declared.join(", ")}: declared, as the cells below need\`);
  for (const row of read) {
    if (row.length !== 3) continue;
    const [what, yours, lecture] = row;
    const ok = typeof yours === "number" && Math.abs(yours - lecture) <= 1e-12 * Math.max(1, Math.abs(lecture));
    console.log(\`\${ok ? "OK" : "WRONG!"} for \${what}: the lecture's \${lecture}, yours \${yours}\`);
  }
}`;

/** The names a cell declares at its top level: `const|let|var|function|class name`, `const { a, b } = …`. */
function declaredNames(source) {
  const names = [];
  const single = /^(?:export\s+)?(?:const|let|var|class|(?:async\s+)?function\*?)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of source.matchAll(single)) names.push(m[1]);
  for (const m of source.matchAll(/^(?:const|let|var)\s+[{[]([^}\]=]*)[}\]]\s*=/gm))
    for (const part of m[1].split(",")) {
      const name = part.split(":").pop().trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
    }
  return [...new Set(names)];
}

/** Whether `source` uses `name` as a name (not as a property: `.name`). */
const usesName = (source, name) => new RegExp(`(?<![\\w$.])${name.replaceAll("$", "\\$")}(?![\\w$])`).test(source);

/**
 * The check cell under an emptied cell, or null when no later cell needs it and its mark has no `check`:
 * each name it declares that a later code cell uses (unless its `check` reads it), then the rows of its
 * `check` (an array literal of [what, yours, lecture's]), read through typeAlongCheck.
 */
function checkSource(mark, source, later) {
  const checked = mark.check ?? "";
  if (checked !== "" && !/^\[[\s\S]*\]$/.test(checked.trim()))
    throw new Error(`the type-along check of ${mark.cell} is not an array literal: ${checked}`);
  const needed = declaredNames(source).filter(
    (name) => later.some((code) => usesName(code, name)) && !usesName(checked, name), // a number checks it too
  );
  const rows = needed.map((name) => `[${JSON.stringify(name)}, ${name}]`);
  if (checked !== "") rows.push(checked.trim().slice(1, -1));
  if (rows.length === 0) return null;
  return (
    "// @ts-ignore: TypeScript knows the names of the cell above once it has run\n" +
    `typeAlongCheck(${JSON.stringify(mark.cell)}, () => [${rows.join(", ")}]);`
  );
}

/**
 * The type-along edition of the solved notebook `nb` (from `sourceName`), or null when it has no marked
 * cell: the learner's version with each marked cell emptied to `// <cell>: <what>`, followed by a markdown
 * cell showing what it prints and, when a later cell needs its names or its mark has a `check`, a check cell.
 */
function typeAlongNotebook(nb, sourceName) {
  if (!nb.cells.some((c) => c.cell_type === "code" && typeAlongMark(c) !== undefined)) return null;
  // the edition's own cells are named <id>-prints and <id>-check, which the tests find by name
  const reserved = nb.cells.find((c) => /-(check|prints)$/.test(c.id ?? ""));
  if (reserved !== undefined)
    throw new Error(`${sourceName}, cell ${reserved.id}: ids ending in -check or -prints are the type-along edition's`);
  const learner = learnerNotebook(nb, sourceName);
  const code = learner.cells.map((c) => (c.cell_type === "code" ? sourceText(c) : ""));
  const cells = [];
  for (const [index, cell] of learner.cells.entries()) {
    const mark = cell.cell_type === "code" ? typeAlongMark(cell) : undefined;
    if (mark === undefined) {
      cells.push(cell);
      if (cells.length === 1 && cell.cell_type === "markdown") {
        cells.push({
          cell_type: "markdown",
          id: "type-along-intro",
          metadata: {},
          source: sourceLines(TYPE_ALONG_INTRO),
        });
        cells.push({ ...emptyCode("type-along-check"), source: sourceLines(TYPE_ALONG_HELPER) });
      }
      continue;
    }
    const where = `${sourceName}, cell ${cell.id}`;
    if (typeof mark.cell !== "string" || typeof mark.what !== "string")
      throw new Error(`${where}: its type-along mark needs "cell" and "what" (strings)`);
    if (splitSolutions(sourceText(cell), where).regions > 0)
      throw new Error(`${where}: a type-along cell cannot hold solution regions`);
    cells.push({ ...cell, source: sourceLines(`// ${mark.cell}: ${mark.what}`) });
    cells.push({
      cell_type: "markdown",
      id: `${cell.id}-prints`,
      metadata: {},
      source: sourceLines(printsMarkdown(mark)),
    });
    const check = checkSource(mark, sourceText(cell), code.slice(index + 1));
    if (check !== null) cells.push({ ...emptyCode(`${cell.id}-check`), source: sourceLines(check) });
  }
  const record = { source: sourceName, edition: TYPE_ALONG, sha256: cellsHash(cells) };
  const metadata = { ...nb.metadata, micrograd_ts: { ...nb.metadata?.micrograd_ts, generated: record } };
  return { ...nb, cells, metadata };
}

/** A code cell with no source or output yet. */
const emptyCode = (id) => ({ cell_type: "code", execution_count: null, id, metadata: {}, outputs: [], source: [] });

/**
 * The type-along notebook `typeAlong` with every emptied cell given back its source from the solved `nb`
 * (the learner's version of it): what a learner who typed every cell right has. The tests execute it.
 */
function refillTypeAlong(typeAlong, nb) {
  const solved = new Map(nb.cells.map((c) => [c.id, c]));
  const cells = typeAlong.cells.map((cell) => {
    const source = solved.get(cell.id);
    if (cell.cell_type !== "code" || source === undefined || typeAlongMark(cell) === undefined) return cell;
    return { ...cell, source: sourceLines(splitSolutions(sourceText(source), cell.id).learner) };
  });
  return { ...typeAlong, cells };
}

/**
 * Fills the `prints` of every type-along mark in solutions/ (`from`) from the executed solved notebooks in
 * `executed` (same names). Writes only notebooks whose marks changed; a notebook or cell not executed there
 * is left as it is. Returns [{ name, status: "unchanged" | "written" | "not executed", cells }].
 */
function recordPrints({ from = SOLUTIONS, executed = EXECUTED } = {}) {
  const names = fs
    .readdirSync(from)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  return names.flatMap((name) => {
    const file = path.join(from, name);
    const text = fs.readFileSync(file, "utf8");
    const nb = JSON.parse(text);
    const marked = nb.cells.filter((c) => c.cell_type === "code" && typeAlongMark(c) !== undefined);
    if (marked.length === 0) return [];
    const run = path.join(executed, name);
    if (!fs.existsSync(run)) return [{ name, status: "not executed", cells: 0 }];
    const outputs = new Map(JSON.parse(fs.readFileSync(run, "utf8")).cells.map((c) => [c.id, c]));
    let cells = 0;
    for (const cell of marked) {
      const ran = outputs.get(cell.id);
      if (ran === undefined) continue;
      typeAlongMark(cell).prints = cellPrints(ran);
      cells++;
    }
    const updated = notebookJson(nb);
    if (updated === text) return [{ name, status: "unchanged", cells }];
    fs.writeFileSync(file, updated);
    return [{ name, status: "written", cells }];
  });
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
 * Writes `text` to `target` unless it is there already. Returns { status, reason? }: "unchanged", "written",
 * "differs" (with `check`: would be written) or "refused" (`edited(target)` says why, unless `force`).
 */
function writeGenerated(target, text, { check, force, edited }) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
  if (current === text) return { status: "unchanged" };
  if (check) return { status: "differs", reason: current === null ? "missing" : "differs from its source" };
  const why = current === null ? null : edited(target);
  if (why !== null && !force) return { status: "refused", reason: why };
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  return { status: "written" };
}

/**
 * The link notebooks/type-along/micrograd → ../micrograd: tslab compiles only files under the notebook's
 * folder, so the type-along edition imports the learner's one copy of the module files through it, with
 * the same `./micrograd/engine` as the notebooks. Returns { status, reason? } as writeGenerated.
 */
function linkModules(dir, check) {
  const link = path.join(dir, MODULES);
  const target = `../${MODULES}`;
  let current = null;
  try {
    current = fs.readlinkSync(link);
  } catch {
    // missing, or not a link
  }
  if (current === target) return { status: "unchanged" };
  if (check) return { status: "differs", reason: `it is not a link to ${target}` };
  fs.rmSync(link, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(target, link);
  return { status: "written" };
}

/** The first line of a learner's module file: its source, and a hash of the rest to tell edits by. */
const moduleHeader = (sourceName, rest) =>
  `// Generated by npm run exercises from ${sourceName} (sha256 ${crypto.createHash("sha256").update(rest).digest("hex").slice(0, 16)}).\n`;

/** The learner's copy of a solved module file: its solution regions replaced as in a notebook cell. */
function learnerModule(text, sourceName) {
  const { learner } = splitSolutions(text, sourceName);
  return moduleHeader(sourceName, learner) + learner;
}

/** Why the module file at `file` must not be overwritten (edited since generated), or null. */
function moduleEdited(file) {
  const text = fs.readFileSync(file, "utf8");
  const newline = text.indexOf("\n");
  const source = /^\/\/ Generated by npm run exercises from (\S+) /.exec(text)?.[1];
  if (source === undefined) return "it was not generated from solutions/ (its first line does not say so)";
  return text.slice(0, newline + 1) === moduleHeader(source, text.slice(newline + 1))
    ? null
    : "it was edited since it was generated";
}

/**
 * Generates, from solutions/ (`from`), into notebooks/ (`to`): the learner's version of every NN-name.ipynb,
 * the learner's module files micrograd/*.ts, and the type-along edition type-along/NN-name.ipynb of every
 * notebook with type-along marks. Returns one entry per file: { name (relative to `to`), status, reason? },
 * status "unchanged" | "written" | "differs" (with `check`: would be written) | "refused" (edited since
 * generated; `force` overwrites anyway).
 */
function generateExercises({ from = SOLUTIONS, to = NOTEBOOKS, check = false, force = false } = {}) {
  if (!fs.existsSync(from)) return [];
  const options = { check, force, edited: editedSinceGenerated };
  const results = [];
  const names = fs
    .readdirSync(from)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  for (const name of names) {
    const sourceName = `${path.basename(from)}/${name}`; // "solutions/07-exercises.ipynb"
    const solved = JSON.parse(fs.readFileSync(path.join(from, name), "utf8"));
    const learner = notebookJson(learnerNotebook(solved, sourceName));
    results.push({ name, ...writeGenerated(path.join(to, name), learner, options) });
    const typeAlong = typeAlongNotebook(solved, sourceName);
    if (typeAlong === null) continue;
    const target = path.join(to, TYPE_ALONG, name);
    results.push({ name: `${TYPE_ALONG}/${name}`, ...writeGenerated(target, notebookJson(typeAlong), options) });
  }
  const modules = path.join(from, MODULES);
  const files = fs.existsSync(modules) ? fs.readdirSync(modules).filter((f) => f.endsWith(".ts")) : [];
  if (files.length > 0 && results.some((r) => r.name.startsWith(`${TYPE_ALONG}/`)))
    results.push({ name: `${TYPE_ALONG}/${MODULES}`, ...linkModules(path.join(to, TYPE_ALONG), check) });
  for (const file of files.sort()) {
    const sourceName = `${path.basename(from)}/${MODULES}/${file}`;
    const text = learnerModule(fs.readFileSync(path.join(modules, file), "utf8"), sourceName);
    const target = path.join(to, MODULES, file);
    results.push({ name: `${MODULES}/${file}`, ...writeGenerated(target, text, { ...options, edited: moduleEdited }) });
  }
  return results;
}

module.exports = {
  SOLUTIONS,
  NOTEBOOKS,
  TYPE_ALONG,
  cellPrints,
  typeAlongMark,
  typeAlongNotebook,
  refillTypeAlong,
  recordPrints,
  learnerModule,
  splitSolutions,
  solutionMarkdown,
  learnerNotebook,
  notebookJson,
  cellsHash,
  generateExercises,
};

/** `node scripts/exercises.cjs --record-prints [DIR]`: fills the type-along marks' `prints`, then exits. */
function recordPrintsCommand(args) {
  const executed = args[0] === undefined ? EXECUTED : path.resolve(args[0]);
  const results = recordPrints({ executed });
  for (const r of results) {
    const where = path.relative(root, path.join(executed, r.name));
    if (r.status === "not executed") console.error(`solutions/${r.name}: not executed (no ${where}), left as it is`);
    else console.log(`solutions/${r.name}: ${r.cells} marked cells from ${where}, ${r.status}`);
  }
  return results.some((r) => r.status === "not executed") ? 1 : 0;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === "--record-prints") process.exit(recordPrintsCommand(args.slice(1)));
  const check = args.includes("--check");
  const force = args.includes("--force");
  const unknown = args.filter((a) => a !== "--check" && a !== "--force");
  if (unknown.length > 0) {
    console.error(
      `exercises: unknown argument ${unknown.join(" ")} ` +
        "(usage: npm run exercises [-- --check | --force | --record-prints [DIR]])",
    );
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
    else if (r.status === "written") console.log(`${target}: written from solutions/`);
    else if (r.status === "differs") console.error(`${target}: ${r.reason} (run npm run exercises)`);
    else
      console.error(
        `${target}: not overwritten, ${r.reason}. Save your work under another name, or run npm run exercises -- --force`,
      );
  }
  process.exit(results.some((r) => r.status === "differs" || r.status === "refused") ? 1 : 0);
}
