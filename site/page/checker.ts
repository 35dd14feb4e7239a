/**
 * The page's side of the type checker (site/checker): started after the page is usable (its compiler and
 * declarations, ~7 MB, load then), it checks each cell before it runs, and feeds the editors' completion
 * and hover. Where it cannot load, cells run unchecked, as before.
 */
import type { CellProblem, FromChecker, ToChecker } from "../protocol";
import { loadScript } from "./kernel";

type Sources = {
  MGTS_CHECKER_SOURCE?: string;
  MGTS_TYPES?: Record<string, string>;
  MGTS_MODULES?: Record<string, string>;
};

export class Checker {
  private worker: Worker | null = null;
  private ready: Promise<boolean> | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (m: FromChecker) => void>();

  constructor(private readonly assets: string) {}

  /** Loads the checker once; resolves with whether it can check. */
  start(): Promise<boolean> {
    this.ready ??= this.boot().catch(() => false);
    return this.ready;
  }

  private async boot(): Promise<boolean> {
    const sources = window as unknown as Sources;
    if (sources.MGTS_MODULES?.typescript === undefined) await loadScript(`${this.assets}typescript-source.js`);
    if (sources.MGTS_TYPES === undefined) await loadScript(`${this.assets}types-source.js`);
    if (sources.MGTS_CHECKER_SOURCE === undefined) await loadScript(`${this.assets}checker-source.js`);
    const url = URL.createObjectURL(new Blob([sources.MGTS_CHECKER_SOURCE as string], { type: "text/javascript" }));
    const worker = new Worker(url, { name: "micrograd-ts type checker" });
    URL.revokeObjectURL(url);
    this.worker = worker;
    return new Promise((resolve) => {
      worker.addEventListener("error", () => resolve(false));
      worker.addEventListener("message", (event: MessageEvent<FromChecker>) => {
        const m = event.data;
        if (m.type === "ready") resolve(true);
        else if (m.type === "failed") resolve(false);
        else {
          this.waiting.get(m.id)?.(m);
          this.waiting.delete(m.id);
        }
      });
      this.post({
        type: "init",
        typescript: sources.MGTS_MODULES?.typescript as string,
        files: sources.MGTS_TYPES as Record<string, string>,
      });
    });
  }

  private post(message: ToChecker): void {
    this.worker?.postMessage(message);
  }

  private async ask(make: (id: number) => ToChecker): Promise<FromChecker | null> {
    if (!(await this.start())) return null;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.post(make(id));
    });
  }

  /** The cell's type errors (empty: it may run), or null where the checker is not available. */
  async check(source: string): Promise<CellProblem[] | null> {
    const m = await this.ask((id) => ({ type: "check", id, source }));
    return m?.type === "problems" ? m.problems : null;
  }

  commit(source: string): void {
    if (this.ready !== null) this.post({ type: "commit", source });
  }

  reset(): void {
    if (this.ready !== null) this.post({ type: "reset" });
  }

  /** Completions at `position`; empty until the checker has loaded (it is not waited for). */
  async complete(source: string, position: number): Promise<{ label: string; kind: string }[]> {
    if (this.ready === null) return [];
    const m = await this.ask((id) => ({ type: "complete", id, source, position }));
    return m?.type === "completions" ? m.items : [];
  }

  async hover(source: string, position: number): Promise<string | null> {
    if (this.ready === null) return null;
    const m = await this.ask((id) => ({ type: "hover", id, source, position }));
    return m?.type === "hover" ? m.text : null;
  }
}
