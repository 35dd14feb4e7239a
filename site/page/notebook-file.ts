/**
 * The page as a notebook file (nbformat 4.5, the project's tslab kernelspec): its markdown cells, the
 * learner's current code (scratch cells included, where they sit) and the text of each cell's outputs
 * as shown, so that it opens and runs in JupyterLab with the project's kernel.
 */
import type { MimeBundle } from "../protocol";
import type { OutputElement } from "./outputs";
import type { CodeCell, PageData } from "./page-data";
import type { ScratchCell } from "./store";

export interface FileCell {
  type: "markdown" | "code" | "raw";
  id: string;
  source: string;
  metadata?: Record<string, unknown>;
  /** Code cells: the visible prompt number, or null. */
  count?: number | null;
  /** Code cells: printed text by stream, and displays (only their text/plain is kept). */
  outputs?: ({ stream: "stdout" | "stderr"; text: string } | { display: MimeBundle })[];
}

/** Jupyter stores text as lines, each but the last ending in "\n". */
const lines = (text: string): string[] => text.split(/(?<=\n)/).filter((l) => l !== "");

function outputsOf(cell: FileCell): object[] {
  return (cell.outputs ?? []).map((o) => {
    if ("stream" in o) return { output_type: "stream", name: o.stream, text: lines(o.text) };
    const plain = o.display["text/plain"];
    const text = Array.isArray(plain) ? plain.join("") : String(plain ?? "");
    return { output_type: "display_data", data: { "text/plain": lines(text) }, metadata: {} };
  });
}

function notebookFile(metadata: Record<string, unknown>, cells: readonly FileCell[]): string {
  const nb = {
    cells: cells.map((c) => {
      const base = { cell_type: c.type, id: c.id, metadata: c.metadata ?? {}, source: lines(c.source) };
      return c.type === "code" ? { ...base, execution_count: c.count ?? null, outputs: outputsOf(c) } : base;
    }),
    metadata,
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** Saves `text` as a file named `name` (a download, from memory: a page from disk has no server). */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Code cells' outputs as shown: printed text by stream, and displays. */
function shownOutputs(cell: CodeCell): NonNullable<FileCell["outputs"]> {
  const children = Array.from(cell.output.root.children as HTMLCollectionOf<OutputElement>);
  return children.flatMap((el): NonNullable<FileCell["outputs"]> => {
    if (el.dataset.stream !== undefined)
      return [{ stream: el.dataset.stream as "stdout" | "stderr", text: el.textContent ?? "" }];
    if (el.mgtsBundle !== undefined) return [{ display: el.mgtsBundle }];
    return []; // notes: the browser's, not the kernel's
  });
}

/** The page as a notebook file: its cells in order, scratch cells below the cell they were added under. */
export function pageAsNotebook(data: PageData, cells: readonly CodeCell[]): string {
  const files: FileCell[] = [];
  const codeCell = (cell: CodeCell, id: string, metadata: Record<string, unknown>): FileCell => ({
    type: "code",
    id,
    source: cell.editor.state.doc.toString(),
    metadata,
    count: cell.prompt,
    outputs: shownOutputs(cell),
  });
  for (const c of data.cells) {
    const cell = cells.find((x) => x.original === c);
    if (cell === undefined) files.push({ type: c.type, id: c.id, source: c.source });
    else {
      const metadata: Record<string, unknown> = {};
      if (c.tags !== undefined) metadata.tags = c.tags;
      if (c.typeAlong != null) metadata["micrograd-ts"] = { "type-along": c.typeAlong };
      files.push(codeCell(cell, c.id, metadata));
    }
    const after = cells.filter((x) => x.scratch !== null && x.scratch.after === c.index);
    for (const s of after) files.push(codeCell(s, (s.scratch as ScratchCell).id, {}));
  }
  return notebookFile(data.metadata, files);
}
