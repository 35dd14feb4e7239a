/**
 * A lecture page: the notebook's cells, each code cell editable and runnable in the browser (site/worker
 * runs them in a Web Worker, as tslab would). Edits and scratch cells are kept in the browser
 * (store.ts) and the page downloads as a notebook (notebook-file.ts).
 *
 * Hooks for tests and anyone checking the page (docs/SITE.md):
 * - each notebook code cell is `[data-cell="N"]` (N: its index in the notebook, from 0, markdown cells
 *   counted), holding its editor and `[data-output]`, `data-edited` when its code is not the lecture's;
 *   a scratch cell is `[data-scratch="ID"]`; a cell's buttons are `[data-action="run"]`, `"revert"`,
 *   `"add-cell"` (a scratch cell below) and, on scratch cells, `"delete-cell"`;
 * - `[data-action="run-all"]`, `"stop"`, `"reset"`, `"download"` and the `"type-along"` switch are the page's;
 * - `document.body.dataset.state` is "loading" until the page is set up, "running" while cells run or
 *   wait to, "idle" otherwise;
 * - `window.setCellSource(N, text)` replaces cell N's code, `window.getCellSource(N)` reads it.
 */
import type { EditorView } from "@codemirror/view";
import type { CellProblem } from "../protocol";
import { Checker } from "./checker";
import { createEditor, destroyEditor, markErrorLine, placeholderText, setText } from "./editor";
import { Kernel } from "./kernel";
import { languageFeatures } from "./language";
import { download, pageAsNotebook } from "./notebook-file";
import { collapseWhenLong, OutputArea } from "./outputs";
import type { CodeCell, PageCellData, PageData } from "./page-data";
import { PageStore, type ScratchCell } from "./store";
import { matches, placeholderOf } from "./type-along";

const assets = new URL(".", (document.currentScript as HTMLScriptElement).src).href;
const data = JSON.parse((document.getElementById("mgts-notebook") as HTMLElement).textContent as string) as PageData;
const kernel = new Kernel(assets);
const checker = new Checker(assets);
const language = languageFeatures(checker);
const store = new PageStore(data.name);
const status = document.querySelector(".mgts-status") as HTMLElement;
const button = (action: string) => document.querySelector(`[data-action="${action}"]`) as HTMLButtonElement;

const cells: CodeCell[] = [];
const queue: CodeCell[] = [];
let running: CodeCell | null = null;
let counter = 0;
let stopped = false;
let typeAlong = false;

function setState(state: "loading" | "running" | "idle"): void {
  document.body.dataset.state = state;
  button("stop").disabled = state !== "running";
}

function say(text: string): void {
  status.textContent = text;
}

function showCount(cell: CodeCell, count: number | string | null): void {
  cell.count.textContent = `[${count ?? " "}]:`;
  if (typeof count !== "string") cell.prompt = count;
}

const sourceOf = (cell: CodeCell) => cell.editor.state.doc.toString();

function enqueue(list: CodeCell[]): void {
  for (const cell of list) {
    if (cell === running || queue.includes(cell)) continue;
    queue.push(cell);
    showCount(cell, "*");
  }
  void pump();
}

async function pump(): Promise<void> {
  if (running !== null) return;
  const cell = queue.shift();
  if (cell === undefined) {
    setState("idle");
    return;
  }
  setState("running");
  running = cell;
  stopped = false;
  const prompt = ++counter;
  say(`running [${prompt}]${queue.length > 0 ? ` (${queue.length} more waiting)` : ""}…`);
  cell.output.clear();
  markErrorLine(cell.editor, null);
  const source = sourceOf(cell);
  // Checked first, as tslab does: a cell with a type error does not run.
  const problems = await checker.check(source);
  if (stopped) {
    running = null;
    showCount(cell, null);
    void pump();
    return;
  }
  if (problems !== null && problems.length > 0) {
    running = null;
    refuse(cell, prompt, problems);
    void pump();
    return;
  }
  if (problems !== null) checker.commit(source);
  const result = await kernel.run(source, `cell [${prompt}]`, cell.output);
  running = null;
  if (stopped) {
    showCount(cell, null);
  } else {
    showCount(cell, prompt);
    checkTypeAlong(cell, result.ok);
    if (!result.ok) {
      markErrorLine(cell.editor, result.line);
      for (const waiting of queue.splice(0)) showCount(waiting, null); // Jupyter stops at an error
      const where = result.line === null ? "" : `, line ${result.line}`;
      say(`[${prompt}] failed${where}: its error is printed under it; the cells after it were not run`);
    } else if (queue.length === 0) say(`done: [${prompt}] ran last`);
  }
  void pump();
}

/** A cell with type or syntax errors: printed as tslab prints them (`line:column - message`), not run. */
function refuse(cell: CodeCell, prompt: number, problems: CellProblem[]): void {
  showCount(cell, prompt);
  cell.output.stream("stderr", problems.map((p) => `${p.line}:${p.column} - ${p.message}\n`).join(""));
  const line = (problems[0] as CellProblem).line;
  markErrorLine(cell.editor, line);
  checkTypeAlong(cell, false);
  for (const waiting of queue.splice(0)) showCount(waiting, null);
  say(`[${prompt}] not run: line ${line} does not compile (tslab refuses it too); the cells after it were not run`);
}

function stop(): void {
  if (running === null) return;
  stopped = true;
  const cell = running;
  for (const waiting of queue.splice(0)) showCount(waiting, null);
  kernel.stop();
  checker.reset();
  counter = 0;
  cell.output.note(
    "Stopped. The worker that ran this page's code was ended, and with it every variable, function and " +
      "import of the cells that ran: run the cells again from the top (Run all) before running one alone.",
  );
  say("stopped: the cells' variables are gone (Run all starts again)");
  void kernel.start().catch(() => {}); // a fresh worker, ready for the next run
}

/** Saves a cell's code as it changes, and shows whether it is the lecture's. */
function changed(cell: CodeCell, text: string): void {
  if (cell.scratch !== null) {
    cell.scratch.source = text;
    saveScratch();
    return;
  }
  const original = cell.original as PageCellData;
  const edited = text !== original.source;
  cell.section.toggleAttribute("data-edited", edited);
  store.setEdit(original.index, edited ? text : null);
}

function revert(cell: CodeCell): void {
  const original = cell.original as PageCellData;
  setText(cell.editor, original.source);
  cell.output.restore(original.outputs ?? []);
  showCount(cell, original.executionCount ?? null);
}

function reset(): void {
  const ok = window.confirm(
    "Reset this page? Your edits and scratch cells on this page are discarded, and every cell gets the " +
      "lecture's code and outputs back. (Download saves your version first.)",
  );
  if (!ok) {
    say("reset cancelled: nothing was discarded");
    return;
  }
  if (running !== null) stop();
  kernel.stop();
  checker.reset();
  counter = 0;
  for (const cell of [...cells]) {
    if (cell.scratch !== null) removeScratch(cell);
    else revert(cell);
  }
  setTypeAlong(false);
  store.clear();
  say("reset: the lecture's code and outputs; no variables defined yet");
  void kernel.start().catch(() => {});
  setState("idle");
}

function cellHead(section: HTMLElement, cell: CodeCell): void {
  const head = section.querySelector(".mgts-cell-head") as HTMLElement;
  const add = (action: string, label: string, title: string, run: () => void) => {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.action = action;
    b.textContent = label;
    b.title = title;
    b.addEventListener("click", run);
    head.append(b);
  };
  if (cell.original !== null) {
    const badge = document.createElement("span");
    badge.className = "mgts-edited";
    badge.textContent = "edited";
    head.append(badge);
    add("revert", "Revert", "Back to the lecture's code for this cell", () => revert(cell));
  } else add("delete-cell", "Delete", "Delete this scratch cell", () => removeScratch(cell));
  add("add-cell", "+ Cell", "Add a scratch cell below this one", () => addScratch(cell));
}

function setUpCell(section: HTMLElement, original: PageCellData | null, scratch: ScratchCell | null): CodeCell {
  const holder = section.querySelector(".mgts-editor") as HTMLElement;
  holder.replaceChildren();
  const cell: CodeCell = {
    original,
    scratch,
    section,
    output: new OutputArea(section.querySelector("[data-output]") as HTMLElement),
    count: section.querySelector(".mgts-count") as HTMLElement,
    editor: undefined as unknown as EditorView,
    prompt: original?.executionCount ?? null,
  };
  const saved = original === null ? (scratch as ScratchCell).source : store.saved.edits[original.index];
  const mark = original?.typeAlong ?? null;
  cell.editor = createEditor(
    holder,
    saved ?? (original as PageCellData).source,
    {
      run: () => enqueue([cell]),
      runAndAdvance: () => {
        enqueue([cell]);
        cells[cells.indexOf(cell) + 1]?.editor.focus();
      },
      changed: (text) => changed(cell, text),
    },
    original === null ? "scratch cell" : `cell ${original.index}`,
    mark === null ? language : [language, placeholderText(placeholderOf(mark))],
  );
  // An edited cell's saved outputs are the lecture code's, not the learner's: not shown.
  if (original !== null && saved === undefined) cell.output.restore(original.outputs ?? []);
  section.toggleAttribute("data-edited", original !== null && saved !== undefined && saved !== original.source);
  (section.querySelector('[data-action="run"]') as HTMLButtonElement).addEventListener("click", () => enqueue([cell]));
  cellHead(section, cell);
  collapseWhenLong(cell.output.root);
  return cell;
}

/** A scratch cell's section, as build-pages.cjs writes a code cell's. */
function scratchSection(id: string): HTMLElement {
  const section = document.createElement("section");
  section.className = "mgts-code mgts-scratch";
  section.dataset.scratch = id;
  section.innerHTML =
    '<div class="mgts-cell-head"><span class="mgts-count">[ ]:</span>' +
    '<button type="button" data-action="run" title="Run this cell (Shift+Enter in its editor)">Run</button>' +
    '<span class="mgts-edited">scratch</span></div>' +
    '<div class="mgts-editor"></div><div class="mgts-output" data-output></div>';
  return section;
}

function saveScratch(): void {
  store.setScratch(cells.flatMap((c) => (c.scratch === null ? [] : [c.scratch])));
}

/** The notebook cell index a cell sits below (a scratch cell: the one it was added below). */
const anchorOf = (cell: CodeCell) => cell.original?.index ?? (cell.scratch as ScratchCell).after;

function addScratch(below: CodeCell, scratch?: ScratchCell): CodeCell {
  const made = scratch ?? { id: `s${Date.now().toString(36)}${cells.length}`, after: anchorOf(below), source: "" };
  const section = scratchSection(made.id);
  below.section.after(section);
  const cell = setUpCell(section, null, made);
  cells.splice(cells.indexOf(below) + 1, 0, cell);
  if (scratch === undefined) {
    saveScratch();
    cell.editor.focus();
  }
  return cell;
}

function removeScratch(cell: CodeCell): void {
  if (cell === running) stop();
  const waiting = queue.indexOf(cell);
  if (waiting >= 0) queue.splice(waiting, 1);
  cell.output.clear();
  destroyEditor(cell.editor);
  cell.section.remove();
  cells.splice(cells.indexOf(cell), 1);
  saveScratch();
}

/** Type along: marked cells' code hidden (an empty editor to type into), or given back. */
function setTypeAlong(on: boolean): void {
  typeAlong = on;
  const toggle = document.querySelector<HTMLInputElement>('[data-action="type-along"]');
  if (toggle !== null) toggle.checked = on;
  for (const cell of cells) {
    const original = cell.original;
    if (original?.typeAlong == null) continue;
    delete cell.section.dataset.match;
    if (on && sourceOf(cell) === original.source) {
      setText(cell.editor, "");
      cell.output.clear();
      showCount(cell, null);
    } else if (!on && sourceOf(cell) === "") revert(cell);
  }
  store.setTypeAlong(on);
  showScore();
}

function checkTypeAlong(cell: CodeCell, ok: boolean): void {
  const mark = cell.original?.typeAlong;
  if (!typeAlong || mark == null) return;
  const stdout = Array.from(cell.output.root.querySelectorAll('[data-stream="stdout"]'), (e) => e.textContent).join("");
  cell.section.dataset.match = matches(mark, ok, stdout) ? "yes" : "no";
  showScore();
}

function showScore(): void {
  const score = document.querySelector<HTMLElement>(".mgts-type-along-score");
  if (score === null) return;
  const marked = cells.filter((c) => c.original?.typeAlong != null);
  const matching = marked.filter((c) => c.section.dataset.match === "yes").length;
  score.textContent = typeAlong ? `${matching} of ${marked.length} lecture cells match` : "";
}

function typeAlongSwitch(): void {
  if (!data.cells.some((c) => c.typeAlong != null)) return;
  const label = document.createElement("label");
  label.className = "mgts-type-along";
  label.title =
    "Hide the code of the lecture's cells: type it yourself, run it, and see whether it prints what the lecture's does";
  label.innerHTML = '<input type="checkbox" data-action="type-along"> Type along';
  const score = document.createElement("span");
  score.className = "mgts-type-along-score";
  (document.querySelector(".mgts-buttons") as HTMLElement).append(label, score);
  (label.querySelector("input") as HTMLInputElement).addEventListener("change", (e) =>
    setTypeAlong((e.target as HTMLInputElement).checked),
  );
}

function setUp(): void {
  const byIndex = new Map(data.cells.map((c) => [c.index, c]));
  for (const section of document.querySelectorAll<HTMLElement>("[data-cell]")) {
    const original = byIndex.get(Number(section.dataset.cell));
    if (original !== undefined) cells.push(setUpCell(section, original, null));
  }
  for (const scratch of store.saved.scratch) {
    const all = cells.filter((c) => anchorOf(c) === scratch.after);
    const below = all[all.length - 1];
    if (below !== undefined) addScratch(below, scratch);
  }
  typeAlongSwitch();
  button("run-all").addEventListener("click", () => enqueue(cells));
  button("stop").addEventListener("click", stop);
  button("reset").addEventListener("click", reset);
  button("download").addEventListener("click", () => {
    download(`${data.name}.ipynb`, pageAsNotebook(data, cells));
    say(`downloaded ${data.name}.ipynb: open it in Jupyter with the TypeScript (micrograd-ts) kernel`);
  });
  if (store.saved.typeAlong) setTypeAlong(true);
  const cellAt = (n: number) => {
    const cell = cells.find((c) => c.original?.index === n);
    if (cell === undefined)
      throw new RangeError(
        `no code cell ${n} on this page (code cells: ${data.cells
          .filter((c) => c.type === "code")
          .map((c) => c.index)
          .join(", ")})`,
      );
    return cell;
  };
  Object.assign(window, {
    setCellSource: (n: number, text: string) => setText(cellAt(n).editor, text),
    getCellSource: (n: number) => sourceOf(cellAt(n)),
  });
  setState("idle");
  const edited = Object.keys(store.saved.edits).length + store.saved.scratch.length;
  const kept = edited > 0 ? ` (your ${edited} edited or added cells are back; Reset discards them)` : "";
  say(`loading the code runner…${kept}`);
  kernel.start().then(
    () => {
      if (running === null && queue.length === 0) say(`ready: edit any cell, then Run (Shift+Enter) or Run all${kept}`);
    },
    (e: Error) => say(`the code runner could not start: ${e.message}`),
  );
}

setUp();
