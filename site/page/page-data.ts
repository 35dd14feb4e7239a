/** The page's data and its code cells, shared by main.ts and the modules it uses. */
import type { EditorView } from "@codemirror/view";
import type { NotebookOutput, OutputArea } from "./outputs";
import type { ScratchCell } from "./store";
import type { TypeAlongMark } from "./type-along";

/** The page's notebook data (written by site/build-pages.cjs into #mgts-notebook). */
export interface PageCellData {
  index: number;
  type: "markdown" | "code" | "raw";
  id: string;
  source: string;
  outputs?: NotebookOutput[];
  executionCount?: number | null;
  typeAlong?: TypeAlongMark | null;
  tags?: string[];
}
export interface PageData {
  name: string;
  metadata: Record<string, unknown>;
  cells: PageCellData[];
}

export interface CodeCell {
  /** The notebook's cell, or null for a scratch cell. */
  original: PageCellData | null;
  scratch: ScratchCell | null;
  section: HTMLElement;
  editor: EditorView;
  output: OutputArea;
  count: HTMLElement;
  /** The visible prompt number, or null. */
  prompt: number | null;
}
