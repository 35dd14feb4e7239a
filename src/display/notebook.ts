/**
 * The one place that knows about Jupyter: sending outputs from the tslab kernel.
 *
 * tslab's public `display` sends one MIME type per message. A front end picks the richest type it can
 * render from a bundle of several, so this module sends whole bundles through the kernel's own
 * display writer, the function tslab itself uses for `display.html(…)`.
 */
import { randomBytes } from "node:crypto";

/** Outputs keyed by MIME type, e.g. { "text/html": "<b>hi</b>", "text/plain": "hi" }. */
export type MimeBundle = Record<string, unknown>;

export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

export type WriteDisplayData = (message: DisplayMessage, update: boolean) => void;

let writerOverride: WriteDisplayData | null = null;

/**
 * @internal Routes displays to `writer` instead of the kernel (null restores the kernel): lets tests
 * see the exact messages a notebook would receive.
 */
export function setDisplayWriter(writer: WriteDisplayData | null): void {
  writerOverride = writer;
}

/**
 * The kernel's display writer, or null outside a tslab kernel. The kernel's process was started from
 * tslab's own bin script, so resolving from `require.main` finds the very module instance that runs
 * the kernel, wherever tslab is installed.
 */
function kernelWriter(): WriteDisplayData | null {
  if (writerOverride !== null) return writerOverride;
  const main = require.main;
  if (!main || !/tslab/.test(main.filename)) return null;
  try {
    const jupyter = main.require("tslab/dist/jupyter") as { lastWriteDisplayData?: unknown };
    return typeof jupyter.lastWriteDisplayData === "function"
      ? (jupyter.lastWriteDisplayData as WriteDisplayData)
      : null;
  } catch {
    return null;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * @internal Blocks for `ms` milliseconds: for pacing live outputs, which tslab sends while a cell's
 * synchronous code runs. Sleeps in 50 ms slices, as graph-wasm.ts waits, so that the kernel's interrupt
 * button is not held up.
 */
export function sleep(ms: number): void {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) Atomics.wait(sleeper, 0, 0, Math.min(left, 50));
}

/** True when running inside a tslab (Jupyter) kernel that can show outputs. */
export function inNotebook(): boolean {
  return kernelWriter() !== null;
}

function write(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
  const writer = kernelWriter();
  if (writer === null) throw new Error("not running in a tslab Jupyter kernel: nothing can be displayed here");
  writer({ data: bundle, metadata: {}, transient: displayId === undefined ? {} : { display_id: displayId } }, update);
}

/** Shows a bundle as a new output of the running cell. */
export function display(bundle: MimeBundle): void {
  write(bundle, undefined, false);
}

/**
 * An output that can be replaced in place (Jupyter's update_display_data): for progress lines and live
 * charts, one output per display instead of one per update.
 */
export class LiveDisplay {
  readonly id = randomBytes(8).toString("hex");
  private shown = false;

  /** Shows the bundle the first time, then replaces what this display shows. */
  show(bundle: MimeBundle): void {
    write(bundle, this.id, this.shown);
    this.shown = true;
  }
}
