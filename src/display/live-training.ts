/**
 * Watching a training loop: one progress line and one loss curve that update in place.
 *
 *   const live = liveTraining({ steps: 100 });
 *   for (let k = 0; k < 100; k++) { …; live.update({ step: k, loss: loss.data, accuracy: acc }); }
 *
 * In a notebook both are outputs of the running cell, replaced through update_display_data (one output
 * each, however many steps). Outside a notebook a compact progress line goes to the terminal (rewritten
 * in place on a TTY, a line every tenth of the run otherwise).
 */
import {
  checkBoolean,
  checkFunction,
  checkNumber,
  checkOptions,
  checkString,
  describe,
  errorOfKind,
} from "../internal/check";
import type { Module } from "../nn";
import {
  type CheckedNetwork,
  checkNetworkOptions,
  describeModel,
  type NetworkOptions,
  networkSvg,
} from "./draw-network";
import { escapeHtml } from "./escape-html";
import { figureBundle } from "./figure-html";
import { lossCurve, type TrainingRecord } from "./figures";
import { svgBundle } from "./graph-html";
import { LiveGraph, type LiveGraphOptions } from "./live-graph";
import { inNotebook, LiveDisplay, type MimeBundle, sleep } from "./notebook";
import { ensurePlotly } from "./plotly";

export interface LiveTrainingOptions {
  /** How many steps the loop runs; steps are numbered 0 … steps − 1, as `for k in range(steps)`. */
  steps: number;
  /** Redraw after every this many steps (default ceil(steps / 50): at most ~50 redraws). */
  every?: number;
  /**
   * And at most once per this many milliseconds (default 200; the first and last steps always draw): a
   * fast loop sends a few updates, not fifty in a second, which front ends struggle to keep up with.
   */
  minInterval?: number;
  /** The loss chart's title (default "training loss"). */
  title?: string;
  /**
   * Milliseconds each step lasts at least (default 0): update() waits out the rest. For watching a run
   * that would otherwise be over in a blink (the lecture's MLP trains 100 steps in ~20 ms); at most 10 s.
   */
  pace?: number;
  /** A logarithmic loss axis. */
  logY?: boolean;
  /** Draw the loss curve in a notebook (default true); false keeps only the progress line. */
  chart?: boolean;
  /** Outside a notebook: where the progress text goes (default process.stdout). */
  write?: (text: string) => void;
  /** Outside a notebook: rewrite one line in place with "\r" (default: whether stdout is a TTY). */
  tty?: boolean;
  /** The clock in milliseconds (default performance.now); for tests. */
  now?: () => number;
  /**
   * Also redraw one data point's graph through the network, with the same throttle as the curve:
   * `graph: { model, input, target? }` (see LiveGraphOptions). Networks up to ~250 values per input.
   */
  graph?: LiveGraphOptions;
  /**
   * Also redraw a picture of the network (drawNetwork's), with the same throttle as the curve:
   * `network: { model, input?, edges? }`. Readable up to layers of 64 neurons, unlike `graph`.
   */
  network?: LiveNetworkOptions;
}

/** liveTraining's `network` option: the model being trained, and drawNetwork's options. */
export interface LiveNetworkOptions extends Omit<NetworkOptions, "title"> {
  /** The network being trained: an MLP, Layer or Neuron. */
  model: Module;
}

/** A step as recorded: the step number filled in. */
export interface StepRecord {
  step: number;
  loss: number;
  accuracy?: number;
}

export class LiveTraining {
  readonly steps: number;
  readonly every: number;
  readonly minInterval: number;
  readonly pace: number;
  private readonly records: StepRecord[] = [];
  private readonly opts: LiveTrainingOptions;
  private readonly now: () => number;
  private readonly started: number;
  private readonly notebook: boolean;
  private readonly progress: LiveDisplay | null;
  private readonly chart: LiveDisplay | null;
  private readonly graph: LiveGraph | null;
  private readonly graphDisplay: LiveDisplay | null;
  private readonly network: CheckedNetwork | null;
  private readonly networkDisplay: LiveDisplay | null;
  private shownStep = -1;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private terminalWidth = 0;
  private finished = false;

  constructor(opts: LiveTrainingOptions) {
    if (opts === null || typeof opts !== "object") {
      throw new TypeError(`liveTraining expects options { steps }, got ${describe(opts)}`);
    }
    const o = checkOptions(opts, "liveTraining", [
      "steps",
      "every",
      "minInterval",
      "title",
      "logY",
      "chart",
      "write",
      "tty",
      "now",
      "pace",
      "graph",
      "network",
    ]);
    checkString(o.title, "liveTraining", "title", true);
    for (const key of ["logY", "chart", "tty"] as const) checkBoolean(o[key], "liveTraining", key, false);
    for (const key of ["write", "now"] as const) if (o[key] !== undefined) checkFunction(o[key], "liveTraining", key);
    const { steps } = opts;
    if (typeof steps !== "number" || !Number.isInteger(steps) || steps < 1) {
      throw new (errorOfKind(typeof steps === "number"))(
        `liveTraining expects steps to be a positive integer, got ${describe(steps)}`,
      );
    }
    const every = opts.every === undefined ? Math.ceil(steps / 50) : opts.every;
    if (typeof every !== "number" || !Number.isInteger(every) || every < 1) {
      throw new (errorOfKind(typeof every === "number"))(
        `liveTraining expects every to be a positive integer, got ${describe(every)}`,
      );
    }
    const minInterval = opts.minInterval === undefined ? 200 : opts.minInterval;
    if (typeof minInterval !== "number" || !(minInterval >= 0)) {
      throw new (errorOfKind(typeof minInterval === "number"))(
        `liveTraining expects minInterval to be a number of milliseconds >= 0, got ${describe(minInterval)}`,
      );
    }
    const pace = checkNumber(opts.pace === undefined ? 0 : opts.pace, "liveTraining", "pace (milliseconds)", {
      min: 0,
      max: 10_000,
    });
    this.steps = steps;
    this.pace = pace;
    this.every = every;
    this.minInterval = minInterval;
    this.opts = opts;
    this.now = opts.now ?? (() => performance.now());
    this.started = this.now();
    this.notebook = inNotebook();
    this.progress = this.notebook ? new LiveDisplay() : null;
    this.chart = this.notebook && opts.chart !== false ? new LiveDisplay() : null;
    this.graph = opts.graph === undefined ? null : new LiveGraph(opts.graph, "liveTraining");
    this.graphDisplay = this.notebook && this.graph !== null ? new LiveDisplay() : null;
    this.network =
      opts.network === undefined
        ? null
        : checkNetworkOptions(undefined, opts.network, { fn: "liveTraining", option: "network" });
    this.networkDisplay = this.notebook && this.network !== null ? new LiveDisplay() : null;
  }

  /** The steps recorded so far (e.g. for `lossCurve(live.history)` after training). */
  get history(): readonly StepRecord[] {
    return this.records;
  }

  /**
   * Records one step. `step` defaults to the one after the last; the loss must be finite (a NaN or
   * infinite loss stops here with an error naming the step, after showing the run so far); `accuracy`
   * is a fraction in [0, 1]. Redraws on the first step, every `every` steps (if `minInterval` has passed)
   * and on the last step.
   */
  update(record: TrainingRecord): void {
    if (this.finished) throw new Error("liveTraining: this run is finished; start another with liveTraining()");
    if (record === null || typeof record !== "object") {
      throw new TypeError(`liveTraining.update expects { step, loss, accuracy }, got ${describe(record)}`);
    }
    checkOptions(record, "liveTraining.update", ["step", "loss", "accuracy"]);
    const last = this.records[this.records.length - 1];
    const step = record.step ?? (last ? last.step + 1 : 0);
    if (typeof step !== "number" || !Number.isInteger(step) || step < 0 || step >= this.steps) {
      throw new (errorOfKind(typeof step === "number"))(
        `liveTraining.update: step ${describe(step)} is outside 0…${this.steps - 1} (steps: ${this.steps}, counted from 0)`,
      );
    }
    if (last && step <= last.step) {
      throw new RangeError(`liveTraining.update: step ${step} comes after step ${last.step}; steps must increase`);
    }
    const { loss, accuracy } = record;
    if (typeof loss !== "number" || !Number.isFinite(loss)) {
      const message = `liveTraining.update: the loss at step ${step} is ${describe(loss)}; training diverged or the loss is wrong`;
      if (typeof loss !== "number") throw new TypeError(message); // a wrong kind; a NaN loss is training that diverged
      this.render(message);
      throw new RangeError(message);
    }
    if (accuracy !== undefined && (typeof accuracy !== "number" || !(accuracy >= 0 && accuracy <= 1))) {
      throw new (errorOfKind(typeof accuracy === "number"))(
        `liveTraining.update: the accuracy at step ${step} is ${describe(accuracy)}; pass a fraction in [0, 1]`,
      );
    }
    if (last && (accuracy === undefined) !== (last.accuracy === undefined)) {
      throw new RangeError(
        `liveTraining.update: step ${step} ${accuracy === undefined ? "lacks" : "has"} an accuracy, unlike step ${last.step}`,
      );
    }
    if (this.pace > 0) {
      sleep(this.lastUpdate + this.pace - performance.now()); // the previous step lasts at least `pace`
      this.lastUpdate = performance.now();
    }
    this.records.push(accuracy === undefined ? { step, loss } : { step, loss, accuracy });
    if (step === this.steps - 1) this.finish();
    else if (step === 0 || ((step + 1) % this.every === 0 && this.intervalPassed())) this.render();
  }

  /** Whether minInterval has passed since the last redraw (the clock is not read when it is 0). */
  private intervalPassed(): boolean {
    return this.minInterval === 0 || this.now() - this.lastDrawn >= this.minInterval;
  }

  /** Shows the final state (the last step does this by itself; call it when stopping early). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const last = this.records[this.records.length - 1];
    if (last && last.step !== this.shownStep) this.render();
    if (!this.notebook && this.tty() && this.records.length > 0) this.write("\n");
  }

  /** The DOT text of the `graph` option's data point with the current weights (null without that option). */
  graphDot(): string | null {
    return this.graph === null ? null : this.graph.dot(this.graphCaption());
  }

  /** The SVG of the `network` option's picture with the current weights (null without that option). */
  networkSvg(): string | null {
    return this.network === null ? null : networkSvg(this.network, this.networkCaption());
  }

  private networkCaption(): string {
    const last = this.records[this.records.length - 1];
    return `${describeModel(this.network as CheckedNetwork)}, after step ${last ? last.step + 1 : 0}/${this.steps}`;
  }

  private graphCaption(): string {
    const last = this.records[this.records.length - 1];
    return `after step ${last ? last.step + 1 : 0}/${this.steps}, ${(this.graph as LiveGraph).describe()}`;
  }

  /** The progress line, e.g. "step 37/100  loss 0.4213  accuracy 86.0%  1.9 s  19.5 steps/s". */
  progressLine(): string {
    const last = this.records[this.records.length - 1];
    if (!last) return `step 0/${this.steps}`;
    const done = last.step + 1;
    const seconds = (this.now() - this.started) / 1000;
    const parts = [`step ${done}/${this.steps}`, `loss ${formatNumber(last.loss)}`];
    if (last.accuracy !== undefined) parts.push(`accuracy ${(100 * last.accuracy).toFixed(1)}%`);
    parts.push(formatSeconds(seconds));
    if (seconds > 0) parts.push(`${formatNumber(done / seconds, 3)} steps/s`);
    return parts.join("  ");
  }

  private render(error?: string): void {
    const last = this.records[this.records.length - 1];
    this.shownStep = last ? last.step : -1;
    if (this.minInterval > 0) this.lastDrawn = this.now();
    const line = this.progressLine();
    if (!this.notebook) {
      this.terminal(error ? `${line}  stopped: ${error}` : line, error !== undefined);
      return;
    }
    if (this.chart && this.records.length > 0) ensurePlotly();
    (this.progress as LiveDisplay).show(this.progressBundle(line, error));
    if (this.chart && this.records.length > 0) {
      this.chart.show(
        figureBundle(
          lossCurve(thin(this.records, MAX_CHART_POINTS), {
            steps: this.steps,
            title: this.opts.title ?? "training loss",
            logY: !!this.opts.logY,
          }),
        ),
      );
    }
    if (this.networkDisplay && this.records.length > 0) {
      const caption = this.networkCaption();
      this.networkDisplay.show(svgBundle(networkSvg(this.network as CheckedNetwork, caption), caption));
    }
    if (this.graphDisplay && this.records.length > 0) {
      const bundle = (this.graph as LiveGraph).bundle(this.graphCaption());
      if (bundle !== null) this.graphDisplay.show(bundle);
    }
  }

  private progressBundle(line: string, error?: string): MimeBundle {
    const last = this.records[this.records.length - 1];
    const fraction = last ? (last.step + 1) / this.steps : 0;
    const stop = error ? `<span style="color:#c00"> stopped: ${escapeHtml(error)}</span>` : "";
    const html =
      `<div style="font:13px monospace;display:flex;align-items:center;gap:10px;flex-wrap:wrap">` +
      `<div style="width:160px;height:10px;background:#e6e6e6;border-radius:3px;overflow:hidden">` +
      `<div style="width:${(100 * fraction).toFixed(1)}%;height:100%;background:#1f77b4"></div></div>` +
      `<span style="white-space:pre">${escapeHtml(line)}</span>${stop}</div>`;
    return { "text/html": html, "text/plain": error ? `${line}  stopped: ${error}` : line };
  }

  private terminal(line: string, force: boolean): void {
    if (this.tty()) {
      const padded = line.padEnd(this.terminalWidth);
      this.terminalWidth = line.length;
      this.write(`\r${padded}`);
      if (force) this.write("\n");
      return;
    }
    // Not a TTY (a log file, CI): a line about every tenth of the run, the first and the last.
    const last = this.records[this.records.length - 1];
    const step = last ? last.step : 0;
    const logEvery = Math.max(this.every, Math.ceil(this.steps / 10));
    if (force || step === 0 || step === this.steps - 1 || (step + 1) % logEvery === 0 || this.finished) {
      this.write(`${line}\n`);
    }
  }

  private tty(): boolean {
    return this.opts.tty ?? (this.opts.write === undefined && process.stdout.isTTY === true);
  }

  private write(text: string): void {
    if (this.opts.write) this.opts.write(text);
    else process.stdout.write(text);
  }
}

/** Starts watching a training run of `steps` steps; call `update` once per step. */
export function liveTraining(opts: LiveTrainingOptions): LiveTraining {
  return new LiveTraining(opts);
}

/** The live chart draws at most this many points (every k-th step and the last): redraws stay small. */
const MAX_CHART_POINTS = 1000;

function thin(records: StepRecord[], max: number): StepRecord[] {
  if (records.length <= max) return records;
  const stride = Math.ceil(records.length / max);
  const out = records.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== records[records.length - 1]) out.push(records[records.length - 1] as StepRecord);
  return out;
}

function formatNumber(x: number, digits = 4): string {
  return String(Number(x.toPrecision(digits)));
}

function formatSeconds(s: number): string {
  // Below a second in milliseconds: a fast loop (notebook 4 trains in ~20 ms) would read "0.0 s".
  if (s < 1) return `${Math.round(1000 * s)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, "0")} s`;
}
