/**
 * A lecture page: the notebook's cells with their executed outputs, each code cell editable and
 * runnable in the browser (site/worker runs them in a Web Worker, as tslab would).
 *
 * Hooks for tests and anyone checking the page (README, "Run in your browser"):
 * - each code cell is `[data-cell="N"]` (N: its index in the notebook, from 0, markdown cells counted),
 *   holding its editor and `[data-output]`; its Run button is `[data-action="run"]`;
 * - `[data-action="run-all"]`, `[data-action="stop"]`, `[data-action="reset"]` are the page's buttons;
 * - `document.body.dataset.state` is "loading" until the page is set up, "running" while cells run or
 *   wait to, "idle" otherwise;
 * - `window.setCellSource(N, text)` replaces cell N's code, `window.getCellSource(N)` reads it.
 */
import type { EditorView } from "@codemirror/view";
import { createEditor, setText } from "./editor";
import { Kernel } from "./kernel";
import { type NotebookOutput, OutputArea } from "./outputs";

/** The page's notebook data (written by site/build-pages.cjs into #mgts-notebook). */
interface PageData {
  name: string;
  cells: { index: number; source: string; outputs: NotebookOutput[]; executionCount: number | null }[];
}

interface CodeCell {
  index: number;
  original: PageData["cells"][number];
  section: HTMLElement;
  editor: EditorView;
  output: OutputArea;
  count: HTMLElement;
}

const assets = new URL(".", (document.currentScript as HTMLScriptElement).src).href;
const data = JSON.parse((document.getElementById("mgts-notebook") as HTMLElement).textContent as string) as PageData;
const kernel = new Kernel(assets);
const status = document.querySelector(".mgts-status") as HTMLElement;
const button = (action: string) => document.querySelector(`[data-action="${action}"]`) as HTMLButtonElement;

const cells: CodeCell[] = [];
const queue: CodeCell[] = [];
let running: CodeCell | null = null;
let counter = 0;
let stopped = false;

function setState(state: "loading" | "running" | "idle"): void {
  document.body.dataset.state = state;
  button("stop").disabled = state !== "running";
}

function say(text: string): void {
  status.textContent = text;
}

function showCount(cell: CodeCell, count: number | string | null): void {
  cell.count.textContent = `[${count ?? " "}]:`;
}

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
  say(`running cell ${cell.index}${queue.length > 0 ? ` (${queue.length} more waiting)` : ""}…`);
  cell.output.clear();
  const ok = await kernel.run(cell.editor.state.doc.toString(), `${data.name} cell ${cell.index}`, cell.output);
  running = null;
  if (stopped) {
    showCount(cell, null);
  } else {
    showCount(cell, ++counter);
    if (!ok) {
      for (const waiting of queue.splice(0)) showCount(waiting, null); // Jupyter stops at an error
      say(`cell ${cell.index} failed: its error is printed under it; the cells after it were not run`);
    } else if (queue.length === 0) say(`done: cell ${cell.index} ran last`);
  }
  void pump();
}

function stop(): void {
  if (running === null) return;
  stopped = true;
  const cell = running;
  for (const waiting of queue.splice(0)) showCount(waiting, null);
  kernel.stop();
  counter = 0;
  cell.output.note(
    "Stopped. The worker that ran this page's code was ended, and with it every variable, function and " +
      "import of the cells that ran: run the cells again from the top (Run all) before running one alone.",
  );
  say("stopped: the cells' variables are gone (Run all starts again)");
  void kernel.start().catch(() => {}); // a fresh worker, ready for the next run
}

function reset(): void {
  if (running !== null) stop();
  kernel.stop();
  counter = 0;
  for (const cell of cells) {
    setText(cell.editor, cell.original.source);
    cell.output.restore(cell.original.outputs);
    showCount(cell, cell.original.executionCount);
  }
  say("reset: the notebook's code and outputs as Jupyter ran it; no variables defined yet");
  void kernel.start().catch(() => {});
  setState("idle");
}

function setUp(): void {
  const byIndex = new Map(data.cells.map((c) => [c.index, c]));
  for (const section of document.querySelectorAll<HTMLElement>("[data-cell]")) {
    const index = Number(section.dataset.cell);
    const original = byIndex.get(index);
    if (original === undefined) continue;
    const holder = section.querySelector(".mgts-editor") as HTMLElement;
    holder.replaceChildren();
    const cell: CodeCell = {
      index,
      original,
      section,
      output: new OutputArea(section.querySelector("[data-output]") as HTMLElement),
      count: section.querySelector(".mgts-count") as HTMLElement,
      editor: undefined as unknown as EditorView,
    };
    cell.editor = createEditor(
      holder,
      original.source,
      {
        run: () => enqueue([cell]),
        runAndAdvance: () => {
          enqueue([cell]);
          cells[cells.indexOf(cell) + 1]?.editor.focus();
        },
      },
      `cell ${index}`,
    );
    cell.output.restore(original.outputs);
    (section.querySelector('[data-action="run"]') as HTMLButtonElement).addEventListener("click", () =>
      enqueue([cell]),
    );
    cells.push(cell);
  }
  button("run-all").addEventListener("click", () => enqueue(cells));
  button("stop").addEventListener("click", stop);
  button("reset").addEventListener("click", reset);
  const cellAt = (n: number) => {
    const cell = cells.find((c) => c.index === n);
    if (cell === undefined)
      throw new RangeError(`no code cell ${n} on this page (code cells: ${cells.map((c) => c.index).join(", ")})`);
    return cell;
  };
  Object.assign(window, {
    setCellSource: (n: number, text: string) => setText(cellAt(n).editor, text),
    getCellSource: (n: number) => cellAt(n).editor.state.doc.toString(),
  });
  setState("idle");
  say("loading the code runner…");
  kernel.start().then(
    () => {
      if (running === null && queue.length === 0) say("ready: edit any cell, then Run (Shift+Enter) or Run all");
    },
    (e: Error) => say(`the code runner could not start: ${e.message}`),
  );
}

setUp();
