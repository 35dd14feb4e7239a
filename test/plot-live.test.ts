/**
 * liveTraining: in a notebook, one progress output and one chart output, each shown once and then
 * replaced (update_display_data, same display id) on a fixed cadence; outside, a terminal line.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { type Figure, liveTraining, type ScatterTrace } from "../src";
import { PLOTLY_MIME } from "../src/display/figure-html";
import type { DisplayMessage } from "../src/display/notebook";
import { resetPlotlyInjection } from "../src/display/plotly";
import { captureDisplays, type SentDisplay } from "./helpers";

type Sent = SentDisplay;
let sent: Sent[] = [];

/** A clock that advances 100 ms per reading after the start: deterministic elapsed and steps/s. */
function fakeClock(): () => number {
  let t = 0;
  return () => {
    const now = t;
    t += 100;
    return now;
  };
}

const isInjection = (m: DisplayMessage) => String(m.data["text/html"] ?? "").length > 4_000_000;
const idOf = (s: Sent) => s.message.transient.display_id;
const isChart = (s: Sent) => PLOTLY_MIME in s.message.data;
const chartSteps = (s: Sent) => ((s.message.data[PLOTLY_MIME] as Figure).data[0] as ScatterTrace).x;

describe("liveTraining in a notebook", () => {
  beforeEach(() => {
    resetPlotlyInjection();
    sent = captureDisplays();
  });

  it("shows one progress output and one chart, updated in place with the same display ids", () => {
    const live = liveTraining({ steps: 100, minInterval: 0 });
    expect(live.every).toBe(2); // ceil(100 / 50)
    for (let k = 0; k < 100; k++) live.update({ step: k, loss: 1 / (k + 1), accuracy: Math.min(1, 0.5 + k / 100) });
    expect(isInjection((sent[0] as Sent).message)).toBe(true);
    expect(sent.filter((s) => isInjection(s.message))).toHaveLength(1);
    const updates = sent.slice(1);
    const progress = updates.filter((s) => !isChart(s));
    const charts = updates.filter(isChart);
    // redraws at steps 0, 1, 3, 5, …, 99: 51, each one progress line and one chart
    expect(progress).toHaveLength(51);
    expect(charts).toHaveLength(51);
    expect(new Set(progress.map(idOf)).size).toBe(1);
    expect(new Set(charts.map(idOf)).size).toBe(1);
    expect(idOf(progress[0] as Sent)).toMatch(/^[0-9a-f]{16}$/);
    expect(idOf(progress[0] as Sent)).not.toBe(idOf(charts[0] as Sent));
    // display_data the first time, update_display_data after
    expect(progress.map((s) => s.update)).toEqual([false, ...Array(50).fill(true)]);
    expect(charts.map((s) => s.update)).toEqual([false, ...Array(50).fill(true)]);
    // each redraw's chart holds every step so far, on an x axis fixed to the whole run
    expect(charts.map((s) => chartSteps(s).length)).toEqual([1, ...Array.from({ length: 50 }, (_, i) => 2 * i + 2)]);
    const last = (charts[50] as Sent).message.data[PLOTLY_MIME] as Figure;
    expect(last.layout.xaxis?.range).toEqual([0, 99]);
    expect(last.layout.title).toEqual({ text: "training loss" });
    expect(last.data.map((t) => t.name)).toEqual(["loss", "accuracy"]);
    expect(String((progress[50] as Sent).message.data["text/plain"])).toMatch(
      /^step 100\/100 {2}loss 0\.01 {2}accuracy 100\.0% {2}(\d+ ms|\d+\.\d s) {2}[\d.]+ steps\/s$/,
    );
    expect(live.history).toHaveLength(100);
    expect(live.history[99]).toEqual({ step: 99, loss: 0.01, accuracy: 1 });
  });

  it("redraws at most once per minInterval: a fast loop sends a few updates (first and last always)", () => {
    let t = 0;
    const live = liveTraining({ steps: 10, every: 1, minInterval: 200, now: () => t, chart: false });
    const drawnAt: number[] = [];
    for (let k = 0; k < 10; k++) {
      t = 50 * k; // a step every 50 ms
      const before = sent.length;
      live.update({ step: k, loss: 1 });
      if (sent.length > before) drawnAt.push(k);
    }
    expect(drawnAt).toEqual([0, 4, 8, 9]);
    expect(() => liveTraining({ steps: 3, minInterval: -1 })).toThrow(
      "minInterval to be a number of milliseconds >= 0, got -1",
    );
  });

  it("redraws on the first step, every `every` steps and the last; progress text from the clock", () => {
    const live = liveTraining({ steps: 25, every: 10, minInterval: 0, now: fakeClock(), title: "moons" });
    for (let k = 0; k < 25; k++) live.update({ loss: 2 - k / 25, accuracy: 0.8 });
    const progress = sent.filter((s) => !isChart(s) && !isInjection(s.message));
    expect(progress).toHaveLength(4); // steps 0, 9, 19, 24
    expect(sent.filter(isChart).map((s) => chartSteps(s).at(-1))).toEqual([0, 9, 19, 24]);
    // the clock started at 0 and advances 100 ms per reading: at step 9 it reads 200 ms
    expect((progress[1] as Sent).message.data["text/plain"]).toBe(
      "step 10/25  loss 1.64  accuracy 80.0%  200 ms  50 steps/s",
    );
    expect(String((progress[1] as Sent).message.data["text/html"])).toContain("width:40.0%");
  });

  it("a second run in the same session does not send plotly.js again; chart: false keeps only the line", () => {
    const a = liveTraining({ steps: 3, minInterval: 0 });
    for (let k = 0; k < 3; k++) a.update({ loss: 1 });
    const b = liveTraining({ steps: 3, chart: false, minInterval: 0 });
    for (let k = 0; k < 3; k++) b.update({ loss: 1 });
    expect(sent.filter((s) => isInjection(s.message))).toHaveLength(1);
    const bIds = new Set(sent.slice(-3).map(idOf));
    expect(bIds.size).toBe(1);
    expect(sent.slice(-3).some(isChart)).toBe(false);
  });

  it("stops at a NaN loss with an error naming the step, after showing the run so far", () => {
    const live = liveTraining({ steps: 50, every: 10 });
    live.update({ step: 0, loss: 1 });
    live.update({ step: 1, loss: 0.9 });
    const before = sent.length;
    expect(() => live.update({ step: 2, loss: Number.NaN })).toThrow(
      "liveTraining.update: the loss at step 2 is NaN; training diverged or the loss is wrong",
    );
    const shown = sent.slice(before);
    expect(shown).toHaveLength(2); // the progress line (with the reason) and the chart up to step 1
    const line = shown.find((s) => !isChart(s)) as Sent;
    expect(line.update).toBe(true);
    expect(String(line.message.data["text/plain"])).toContain(
      "stopped: liveTraining.update: the loss at step 2 is NaN",
    );
    expect(chartSteps(shown.find(isChart) as Sent)).toEqual([0, 1]);
  });

  it("finish() shows the last step when stopping early, once", () => {
    const live = liveTraining({ steps: 100, every: 10 });
    for (let k = 0; k < 15; k++) live.update({ loss: 1 });
    const before = sent.length;
    live.finish();
    live.finish();
    expect(sent.length - before).toBe(2);
    expect(String((sent.at(-2) as Sent).message.data["text/plain"])).toMatch(/^step 15\/100/);
    expect(() => live.update({ loss: 1 })).toThrow("this run is finished");
  });

  it("names bad steps and accuracies", () => {
    const live = liveTraining({ steps: 10 });
    expect(() => live.update({ step: 10, loss: 1 })).toThrow("step 10 is outside 0…9 (steps: 10, counted from 0)");
    live.update({ step: 3, loss: 1, accuracy: 0.5 });
    expect(() => live.update({ step: 3, loss: 1, accuracy: 0.5 })).toThrow("step 3 comes after step 3");
    expect(() => live.update({ step: 4, loss: 1, accuracy: 75 })).toThrow(
      "the accuracy at step 4 is 75; pass a fraction",
    );
    expect(() => live.update({ step: 4, loss: 1 })).toThrow("step 4 lacks an accuracy, unlike step 3");
    expect(() => liveTraining({ steps: 0 })).toThrow("steps to be a positive integer, got 0");
    expect(() => liveTraining({ steps: 10, every: 1.5 })).toThrow("every to be a positive integer, got 1.5");
  });
});

describe("liveTraining outside a notebook", () => {
  it("rewrites one terminal line on a TTY and ends it with a newline", () => {
    const out: string[] = [];
    const live = liveTraining({
      steps: 6,
      every: 2,
      minInterval: 0,
      write: (t) => out.push(t),
      tty: true,
      now: fakeClock(),
    });
    for (let k = 0; k < 6; k++) live.update({ loss: 6 - k });
    expect(out).toEqual([
      "\rstep 1/6  loss 6  100 ms  10 steps/s",
      "\rstep 2/6  loss 5  200 ms  10 steps/s",
      "\rstep 4/6  loss 3  300 ms  13.3 steps/s",
      "\rstep 6/6  loss 1  400 ms  15 steps/s  ",
      "\n",
    ]);
  });

  it("prints a line about every tenth of the run to a log (not a TTY)", () => {
    const out: string[] = [];
    const live = liveTraining({ steps: 100, minInterval: 0, write: (t) => out.push(t), tty: false });
    for (let k = 0; k < 100; k++) live.update({ loss: 1, accuracy: 0.5 });
    expect(out).toHaveLength(11); // steps 1, 10, 20, …, 100
    expect(out.every((l) => l.endsWith("\n") && l.startsWith("step "))).toBe(true);
    expect(out[1]).toMatch(/^step 10\/100 {2}loss 1 {2}accuracy 50\.0%/);
  });

  it('reads elapsed time in ms below a second, in seconds and minutes above (a fast loop is not "0.0 s")', () => {
    const line = (ms: number) => {
      let reading = 0;
      const live = liveTraining({ steps: 2, write: () => {}, now: () => (reading++ === 0 ? 0 : ms) });
      live.update({ loss: 1 });
      return live.progressLine();
    };
    expect(line(17)).toBe("step 1/2  loss 1  17 ms  58.8 steps/s");
    expect(line(2_500)).toBe("step 1/2  loss 1  2.5 s  0.4 steps/s");
    expect(line(125_000)).toBe("step 1/2  loss 1  2 min 05 s  0.008 steps/s");
  });

  it("sends no display messages", () => {
    const live = liveTraining({ steps: 2, write: () => {} });
    live.update({ loss: 1 });
    live.update({ loss: 1 });
    expect(live.history).toEqual([
      { step: 0, loss: 1 },
      { step: 1, loss: 1 },
    ]);
  });
});

describe("liveTraining on long runs", () => {
  beforeEach(() => {
    resetPlotlyInjection();
    sent = captureDisplays();
  });

  it("keeps redraws small: at most ~50 of them, each chart at most 1000 points, the last step always in", () => {
    const live = liveTraining({ steps: 5000, minInterval: 0 });
    for (let k = 0; k < 5000; k++) live.update({ loss: 1 / (k + 1) });
    const charts = sent.filter(isChart);
    expect(charts).toHaveLength(51); // step 0 and every 100th
    const last = chartSteps(charts[50] as Sent);
    expect(last.length).toBeLessThanOrEqual(1001);
    expect(last.at(-1)).toBe(4999);
    expect(live.history).toHaveLength(5000); // the record itself is whole
  });
});
