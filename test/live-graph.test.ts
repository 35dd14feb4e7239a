/**
 * liveTraining's `graph` option: one data point's graph through the network, redrawn in place with the
 * loss curve's throttle, without touching the training.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LIVE_GRAPH_MAX_NODES, lectureData, liveTraining, MLP, renderSvg, seed, toDot, trace } from "../src";
import { withCaption } from "../src/display/dot";
import { PLOTLY_MIME } from "../src/display/figure-html";
import { type DisplayMessage, setDisplayWriter } from "../src/display/notebook";
import { resetPlotlyInjection } from "../src/display/plotly";
import { lectureMLP, trainLecture } from "./helpers";

interface Sent {
  message: DisplayMessage;
  update: boolean;
}

const isGraph = (s: Sent) => "image/svg+xml" in s.message.data;
const isChart = (s: Sent) => PLOTLY_MIME in s.message.data;

/** The lecture's training loop (notebook 4) on a fresh MLP(3, [4, 4, 1]); returns the final parameters. */
function train(
  steps: number,
  graph: boolean,
  minInterval = 0,
  now?: () => number,
): { params: number[]; dot: string | null } {
  const model = lectureMLP();
  const { xs, ys } = lectureData();
  const live = liveTraining({
    steps,
    minInterval,
    write: () => {}, // no progress lines in the test log
    ...(now && { now }),
    ...(graph && { graph: { model, input: xs[0] as number[], target: ys[0] as number } }),
  });
  trainLecture(model, steps, 0.1, {
    // a redraw between backward and the update must not change the grads
    afterBackward: () => graph && live.graphDot(),
    afterStep: (k, loss) => live.update({ step: k, loss }),
  });
  return { params: model.parameters().map((p) => p.data), dot: live.graphDot() };
}

describe("liveTraining({ graph })", () => {
  let sent: Sent[] = [];
  beforeEach(() => {
    sent = [];
    resetPlotlyInjection();
  });
  afterEach(() => setDisplayWriter(null));

  it("outside a notebook gives the point's graph: forward pass with the trained weights, its loss's grads, clustered", () => {
    const { dot } = train(20, true);
    // the same graph built by hand from an identically trained network
    const model = trainLecture(lectureMLP(), 20);
    const { xs, ys } = lectureData();
    model.zeroGrad();
    const out = model.output(xs[0] as number[]);
    out.label = "out";
    const loss = out.sub(ys[0] as number).pow(2);
    loss.label = "loss";
    loss.backward();
    const caption = "after step 20/20, x = [2, 3, -1], target 1: its squared error and d(loss)/d(·)";
    expect(dot).toBe(withCaption(toDot(loss, { model }), caption));
    expect(dot?.match(/subgraph cluster_l\d+ \{/g)).toHaveLength(3);
    expect(dot?.match(/subgraph cluster_n\d+ \{/g)).toHaveLength(9);
    expect(trace(loss).nodes).toHaveLength(129); // 126 values through the network, 3 for the loss
  });

  it("does not change the training: the same weights to the last bit with and without the graph", () => {
    setDisplayWriter((message, update) => sent.push({ message, update }));
    const withGraph = train(30, true).params;
    setDisplayWriter(null);
    const without = train(30, false).params;
    expect(withGraph).toEqual(without);
  });

  it("in a notebook redraws one graph output in place, with the curve's throttle: never one per step", () => {
    setDisplayWriter((message, update) => sent.push({ message, update }));
    let t = 0;
    const steps = 40;
    const { dot } = train(steps, true, 200, () => {
      t += 30; // every clock reading 30 ms later: a step takes ~60 ms
      return t;
    });
    const graphs = sent.filter(isGraph);
    const charts = sent.filter(isChart);
    expect(graphs.length).toBe(charts.length);
    expect(graphs.length).toBeGreaterThan(2);
    expect(graphs.length).toBeLessThan(steps / 2);
    expect(new Set(graphs.map((s) => s.message.transient.display_id)).size).toBe(1);
    expect(graphs.map((s) => s.update)).toEqual([false, ...Array(graphs.length - 1).fill(true)]);
    const svgs = graphs.map((s) => s.message.data["image/svg+xml"] as string);
    expect(new Set(svgs).size).toBe(svgs.length); // the numbers change from redraw to redraw
    expect(svgs[0]).toContain("after step 1/40");
    // the last redraw is the graph after the last step
    expect(svgs.at(-1)).toBe(renderSvg(dot as string));
    expect(svgs.at(-1)).toContain("after step 40/40");
  });

  it(`refuses networks above ${LIVE_GRAPH_MAX_NODES} values per input with drawDot's size message`, () => {
    setDisplayWriter((message, update) => sent.push({ message, update }));
    seed(1);
    const small = new MLP(2, [4, 4, 1]);
    expect(() => liveTraining({ steps: 2, graph: { model: small, input: [1, 2] } })).not.toThrow();
    const big = new MLP(2, [16, 16, 1]);
    const count = trace(big.output([1, 2])).nodes.length;
    expect(count).toBe(1009);
    expect(() => liveTraining({ steps: 2, graph: { model: big, input: [1, 2] } })).toThrow(
      `liveTraining: this graph has 1,009 values, more than maxNodes = 250. A drawing that big takes minutes and is unreadable`,
    );
    expect(() => liveTraining({ steps: 2, graph: { model: big, input: [1, 2], maxNodes: 1009 } })).not.toThrow();
    expect(sent).toHaveLength(0);
  });

  it("refuses bad graph options at once, naming them", () => {
    seed(1);
    const model = MLP.lecture(3, [4, 4, 1]);
    const cases: Array<[unknown, RegExp]> = [
      [5, /^liveTraining: graph expects \{ model, input \}, got 5$/],
      [{ model, input: [1, 2, 3], label: "x" }, /^liveTraining: unknown graph option "label" \(options: model, input,/],
      [{ model: {}, input: [1, 2, 3] }, /^liveTraining: graph.model must be an MLP, Layer or Neuron, got Object/],
      [
        { model, input: [1, Number.NaN, 3] },
        /^liveTraining: graph.input must be an array of finite numbers, got Array/,
      ],
      [
        { model, input: [1, 2] },
        /^liveTraining: graph.input does not fit graph.model: MLP.forward expects 3 inputs, got 2$/,
      ],
      [
        { model, input: [1, 2, 3], target: "1" },
        /^liveTraining: graph.target must be a finite number, got the string "1"$/,
      ],
      [{ model, input: [1, 2, 3], timeout: 0 }, /^liveTraining: timeout must be a positive number of milliseconds/],
      [{ model, input: [1, 2, 3], maxNodes: -1 }, /^liveTraining: maxNodes must be a positive number, got -1$/],
    ];
    for (const [graph, message] of cases) {
      expect(() => liveTraining({ steps: 3, graph: graph as never })).toThrow(message);
    }
  });

  it("keeps training when a redraw fails: the message replaces the graph, which is not redrawn again", () => {
    setDisplayWriter((message, update) => sent.push({ message, update }));
    seed(1337);
    const model = MLP.lecture(3, [4, 4, 1]);
    const live = liveTraining({ steps: 5, minInterval: 0, every: 1, graph: { model, input: [2, 3, -1], timeout: 1 } });
    for (let k = 0; k < 5; k++) live.update({ step: k, loss: 1 / (k + 1) });
    const graphOutputs = sent.filter((s) => String(s.message.data["text/plain"]).startsWith("live graph not drawn"));
    expect(graphOutputs).toHaveLength(1);
    expect(String(graphOutputs[0]?.message.data["text/plain"])).toMatch(
      /^live graph not drawn: Graphviz did not finish the layout within the time limit \(\d+\.\d s, timeout 1 ms\)/,
    );
    expect(sent.filter(isChart)).toHaveLength(5);
    expect(live.history).toHaveLength(5);
  });

  it("pace makes every step last at least that long, so that a fast run can be watched", () => {
    const live = liveTraining({ steps: 6, pace: 20, minInterval: 0, write: () => {} });
    const started = performance.now();
    for (let k = 0; k < 6; k++) live.update({ step: k, loss: 1 });
    // a lower bound, which a blocking wait guarantees: five waits of 20 ms between six steps
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(live.pace).toBe(20);
    for (const pace of [-1, 10_001]) {
      expect(() => liveTraining({ steps: 3, pace })).toThrow(
        new RangeError(
          `liveTraining expects pace (milliseconds) to be a finite number >= 0 and <= 10,000, got ${pace}.`,
        ),
      );
    }
    expect(() => liveTraining({ steps: 3, pace: Number.NaN })).toThrow(
      new TypeError("liveTraining expects pace (milliseconds) to be a finite number, got NaN"),
    );
    expect(() => liveTraining({ steps: 3, pace: "fast" as unknown as number })).toThrow(
      new TypeError('liveTraining expects pace (milliseconds) to be a finite number, got the string "fast"'),
    );
  });
});
