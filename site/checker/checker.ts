/**
 * A TypeScript language service over an in-memory file system (@typescript/vfs): the cell being checked,
 * the context of the cells that ran (context.ts), TypeScript's lib files, @types/node and the package's
 * sources, with tslab's compiler options. Used by the checker worker, and by the tests in Node.
 */
import { createSystem, createVirtualTypeScriptEnvironment, type VirtualTypeScriptEnvironment } from "@typescript/vfs";
import type * as TS from "typescript";
import type { CellProblem } from "../protocol";
import { addCell, CELL_FILE, CONTEXT_FILE, type Context, cellText, contextText, problemsOf } from "./context";

/** tslab 1.0.22's options for Node (its converter.ts), as far as they matter for checking. */
function options(ts: typeof TS): TS.CompilerOptions {
  return {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    experimentalDecorators: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    strict: false, // tslab sets no strictness (@typescript/vfs would default to strict)
    // tslab finds these in node_modules/@types by listing it; the in-memory file system cannot list.
    types: ["node", "mgts-untyped"],
  };
}

export interface Completion {
  label: string;
  kind: string;
}

export class CellChecker {
  private readonly env: VirtualTypeScriptEnvironment;
  private readonly context: Context = new Map();
  private checked: string | null = null;

  constructor(
    private readonly ts: typeof TS,
    files: Record<string, string>,
  ) {
    const map = new Map(Object.entries(files));
    map.set(CELL_FILE, cellText(""));
    map.set(CONTEXT_FILE, "\n");
    this.env = createVirtualTypeScriptEnvironment(createSystem(map), [CELL_FILE, CONTEXT_FILE], ts, options(ts));
  }

  private load(source: string): void {
    if (this.checked === source) return;
    this.env.updateFile(CELL_FILE, cellText(source));
    this.checked = source;
  }

  /** The cell's syntax and type errors, as tslab reports them (an empty list: it may run). */
  check(source: string): CellProblem[] {
    this.load(source);
    const ls = this.env.languageService;
    return problemsOf(this.ts, [...ls.getSyntacticDiagnostics(CELL_FILE), ...ls.getSemanticDiagnostics(CELL_FILE)]);
  }

  /** The cell ran: its names join the context of the cells after it. */
  commit(source: string): void {
    this.load(source);
    const program = this.env.languageService.getProgram();
    if (program === undefined) return;
    addCell(this.ts, program, this.context);
    this.env.updateFile(CONTEXT_FILE, contextText(this.context));
  }

  /** The worker that ran the cells was ended: no names are defined any more. */
  reset(): void {
    this.context.clear();
    this.env.updateFile(CONTEXT_FILE, "\n");
  }

  complete(source: string, position: number): Completion[] {
    this.load(source);
    const info = this.env.languageService.getCompletionsAtPosition(CELL_FILE, position, {});
    return (info?.entries ?? []).slice(0, 400).map((e) => ({ label: e.name, kind: e.kind }));
  }

  /** What hovering at `position` shows: the symbol's type, and its documentation. */
  hover(source: string, position: number): string | null {
    this.load(source);
    const info = this.env.languageService.getQuickInfoAtPosition(CELL_FILE, position);
    if (info === undefined) return null;
    const signature = this.ts.displayPartsToString(info.displayParts);
    const docs = this.ts.displayPartsToString(info.documentation);
    return docs === "" ? signature : `${signature}\n\n${docs}`;
  }
}
