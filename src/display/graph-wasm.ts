/**
 * Graphviz (compiled to WASM by @hpcc-js/wasm) running in a worker thread, called synchronously.
 *
 * Why a worker: a Graphviz layout cannot be interrupted, and its time depends on the graph's shape more
 * than on its size (a 125-value chain with long back edges takes a minute; a 1,000-value MLP graph two
 * seconds). In a worker it can be stopped after a time limit, and a crashed or stopped Graphviz is
 * replaced by a fresh one (the WASM unloaded and loaded again) without touching the kernel.
 * Why synchronous: tslab prints a cell's last expression without awaiting it, so `drawDot(L)` must show
 * its picture before it returns. The main thread sleeps in Atomics.wait until the worker answers and then
 * takes the answer with receiveMessageOnPort; the first call also waits for the WASM to load (~0.5 s).
 * It sleeps in 50 ms slices, so the kernel's interrupt button stops a long wait at once (the abandoned
 * worker is then replaced on the next call).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/** How long the first call may wait for the WASM to compile and load. */
const LOAD_TIMEOUT_MS = 60_000;

/** The worker's code (plain JS, run with eval: no separate file to locate from src/ or dist/). */
const WORKER_CODE = `
const { workerData } = require("node:worker_threads");
const { port, flag, modulePath } = workerData;
const answer = (message) => { port.postMessage(message); Atomics.add(flag, 0, 1); Atomics.notify(flag, 0); };
const text = (e) => String((e && e.message) || e).trim();
require(modulePath).Graphviz.load().then(
  (gv) => {
    answer({ ready: gv.version() });
    port.on("message", (request) => {
      try {
        answer({ svg: gv.layout(request.dot, "svg", "dot") });
      } catch (e) {
        answer({ error: text(e), kind: e && e.constructor && e.constructor.name });
      }
    });
  },
  (e) => answer({ loadError: text(e) }),
);
`;

interface Reply {
  ready?: string;
  loadError?: string;
  svg?: string;
  error?: string;
  kind?: string;
}

class GraphvizWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  /** The Graphviz version once loaded. */
  version: string | null = null;
  /**
   * A layout was sent and its answer not taken: the wait was interrupted (e.g. the kernel's interrupt
   * button throws between two 50 ms sleeps). Its late answer must not be taken for the next one.
   */
  busy = false;

  constructor() {
    graphviz.generation++;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: { port: port2, flag: this.flag, modulePath: require.resolve("@hpcc-js/wasm") },
      transferList: [port2],
    });
    this.worker.unref(); // an idle Graphviz must not keep a script alive
    this.worker.on("error", () => {}); // a dying worker shows up as a missing answer (a timeout)
  }

  /** The worker's next answer, or null after `ms` milliseconds. Blocks the calling thread meanwhile. */
  private next(ms: number): Reply | null {
    const deadline = performance.now() + ms;
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      const got = receiveMessageOnPort(this.port);
      if (got !== undefined) return got.message as Reply;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      // A bounded sleep: even a missed notification costs at most 50 ms.
      Atomics.wait(this.flag, 0, seen, Math.min(left, 50));
    }
  }

  /** Waits for the WASM to load (only the first time). */
  ready(): void {
    if (this.version !== null) return;
    const reply = this.next(LOAD_TIMEOUT_MS);
    if (reply === null) throw new Error(`Graphviz (WASM) did not load within ${LOAD_TIMEOUT_MS / 1000} s`);
    if (reply.loadError !== undefined) throw new Error(`Graphviz (WASM) could not be loaded: ${reply.loadError}`);
    this.version = reply.ready ?? "?";
  }

  /** The SVG for `dot`, or a reply carrying the error; null when the time ran out. */
  layout(dot: string, timeoutMs: number): Reply | null {
    this.busy = true;
    this.port.postMessage({ dot });
    const reply = this.next(timeoutMs);
    this.busy = false;
    return reply;
  }

  stop(): void {
    void this.worker.terminate();
    this.port.close();
  }
}

/** Graphviz across calls: the worker (replaced after a crash or a timeout), and how many were started. */
const graphviz = { worker: null as GraphvizWorker | null, generation: 0 };

/** @internal How many Graphviz workers were started so far (tests check that a failure replaces it). */
export function _workerGeneration(): number {
  return graphviz.generation;
}

/** Replaces the worker by a fresh one that starts loading now, while the caller reads its error. */
function restart(): void {
  graphviz.worker?.stop();
  graphviz.worker = new GraphvizWorker();
}

/** Loads Graphviz if needed (blocking, ~0.5 s the first time); returns its version, e.g. "16.1.0". */
export function loadGraphviz(): string {
  if (graphviz.worker?.busy) restart(); // still working on an abandoned layout
  graphviz.worker ??= new GraphvizWorker();
  try {
    graphviz.worker.ready();
  } catch (e) {
    graphviz.worker.stop();
    graphviz.worker = null; // the next call tries again
    throw e;
  }
  return graphviz.worker.version as string;
}

/**
 * Runs `dot` through Graphviz's dot layout and returns the SVG as Graphviz writes it. Throws a clear
 * Error on bad DOT, on a Graphviz crash and when `timeoutMs` passes; each time Graphviz is replaced by a
 * fresh instance, so the next call works.
 */
export function layoutSvg(dot: string, timeoutMs: number): string {
  loadGraphviz();
  const worker = graphviz.worker as GraphvizWorker;
  const started = performance.now();
  const reply = worker.layout(dot, timeoutMs);
  if (reply?.svg !== undefined) return reply.svg;
  restart();
  if (reply === null) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    throw new Error(
      `Graphviz did not finish the layout within the time limit (${seconds} s, timeout ${timeoutMs} ms) and was ` +
        "stopped; the next call starts a fresh Graphviz. Layout time grows fast with crossing edges: draw a " +
        "smaller part of the graph, or allow more time with the timeout option.",
    );
  }
  const kind = reply.kind && reply.kind !== "Error" ? `${reply.kind}: ` : "";
  throw new Error(
    `Graphviz could not render the graph: ${kind}${reply.error} (Graphviz was reloaded for the next call)`,
  );
}

/** @internal Stops the worker (tests; a later call starts a new one). */
export function unloadGraphviz(): void {
  graphviz.worker?.stop();
  graphviz.worker = null;
}
