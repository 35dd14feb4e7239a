/**
 * The page's side of the Web Worker that runs its cells. A page opened from disk may not start a worker
 * from a file, nor fetch one, so the worker's code comes as a string in a classic script
 * (assets/worker-source.js, one file for the whole site) and the worker starts from a Blob of it; so does
 * TensorFlow.js, loaded only when a cell imports it.
 */
import type { FromWorker, MimeBundle, ToWorker } from "../protocol";

/** Where a run's output goes. */
export interface RunSink {
  stream(name: "stdout" | "stderr", text: string): void;
  display(data: MimeBundle, displayId: string | null, update: boolean): void;
  note(text: string): void;
}

/** How a run ended: ok, or failed at `line` within the cell (null when not known, or stopped). */
export interface RunResult {
  ok: boolean;
  line: number | null;
}

type Sources = { MGTS_WORKER_SOURCE?: string; MGTS_MODULES?: Record<string, string> };

/** The site's script files with the code of modules loaded on demand (see build-assets.cjs). */
const MODULE_FILES: Record<string, string> = {
  "@tensorflow/tfjs": "tfjs-source.js",
  typescript: "typescript-source.js",
};

export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`${src} could not be loaded`));
    document.head.append(script);
  });
}

export class Kernel {
  private worker: Worker | null = null;
  private ready: Promise<string> | null = null;
  private readonly runs = new Map<number, { sink: RunSink; done: (result: RunResult) => void }>();
  private nextRun = 1;
  /** The run whose output the worker writes now (late output of a finished run goes to the last). */
  private lastSink: RunSink | null = null;

  constructor(private readonly assets: string) {}

  /** Starts the worker if needed; resolves with Graphviz's version once it can run cells. */
  start(): Promise<string> {
    this.ready ??= this.boot();
    return this.ready;
  }

  private async boot(): Promise<string> {
    const sources = window as unknown as Sources;
    if (sources.MGTS_WORKER_SOURCE === undefined) await loadScript(`${this.assets}worker-source.js`);
    const code = sources.MGTS_WORKER_SOURCE as string;
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    const worker = new Worker(url, { name: "micrograd-ts cells" });
    URL.revokeObjectURL(url);
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.addEventListener("error", (e) => reject(new Error(`the worker failed to start: ${e.message}`)));
      worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.type === "ready") resolve(m.graphviz);
        else if (m.type === "load-error") reject(new Error(m.message));
        else this.receive(worker, m);
      });
    });
  }

  private receive(worker: Worker, m: FromWorker): void {
    if (m.type === "need-module") {
      void this.sendModule(worker, m.name);
      return;
    }
    if (m.type === "ready" || m.type === "load-error") return;
    const run = this.runs.get(m.run);
    const sink = run?.sink ?? this.lastSink;
    if (m.type === "done") {
      this.runs.delete(m.run);
      run?.done({ ok: m.ok, line: m.line });
    } else if (sink === null) {
      return;
    } else if (m.type === "stream") sink.stream(m.name, m.text);
    else if (m.type === "display") sink.display(m.data, m.displayId, m.update);
    else if (m.type === "note") sink.note(m.text);
  }

  private async sendModule(worker: Worker, name: string): Promise<void> {
    const sources = window as unknown as Sources;
    const post = (message: ToWorker) => worker.postMessage(message);
    try {
      const file = MODULE_FILES[name];
      if (file === undefined) throw new Error(`${name} is not part of this site`);
      if (sources.MGTS_MODULES?.[name] === undefined) await loadScript(`${this.assets}${file}`);
      post({ type: "module", name, code: sources.MGTS_MODULES?.[name] as string });
    } catch (e) {
      post({ type: "module-error", name, message: (e as Error).message });
    }
  }

  /** Runs a cell's source (`name`: how errors name it, "cell [44]"); resolves with how it ended. */
  async run(source: string, name: string, sink: RunSink): Promise<RunResult> {
    await this.start();
    const run = this.nextRun++;
    this.lastSink = sink;
    return new Promise((resolve) => {
      this.runs.set(run, { sink, done: resolve });
      const message: ToWorker = { type: "run", run, name, source };
      this.worker?.postMessage(message);
    });
  }

  /**
   * Ends the worker at once (a running cell stops wherever it is) and everything it held: the next run
   * starts a fresh one, with no variables. Unfinished runs resolve as failed.
   */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    this.lastSink = null;
    for (const { done } of this.runs.values()) done({ ok: false, line: null });
    this.runs.clear();
  }
}
