/**
 * drawNetwork and liveTraining's `network` option: the picture shows the model's own numbers (weights,
 * grads, each neuron's output), escapes user text, refuses bad options by name, and is redrawn in place
 * with the loss curve's throttle without touching the training.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  demoMoons,
  drawNetwork,
  Layer,
  lectureData,
  liveTraining,
  MLP,
  NETWORK_MAX_LAYER_SIZE,
  Neuron,
  seed,
  squaredError,
} from "../src";
import { PLOTLY_MIME } from "../src/display/figure-html";
import { setDisplayWriter } from "../src/display/notebook";
import { resetPlotlyInjection } from "../src/display/plotly";
import { captureDisplays, lectureMLP, type SentDisplay, trainLecture } from "./helpers";

const svgOf = (drawing: ReturnType<typeof drawNetwork>) => (drawing as { svg: string }).svg;
/** The drawn edges, in drawing order (layer by layer, neuron by neuron, weight by weight). */
const edgesOf = (svg: string) =>
  [...svg.matchAll(/<path d="[^"]+" fill="none" stroke="(#[0-9a-f]{6})" stroke-width="([\d.]+)"/g)].map((m) => ({
    colour: m[1],
    width: Number(m[2]),
  }));
/** The texts on the picture, as shown (character references decoded). */
const textsOf = (svg: string) =>
  [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] as string).replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
  );
const BLUE = "#0877bd";
const ORANGE = "#f59322";

/** The lecture's MLP after `steps` steps of its training loop (notebook 4). */
const lectureModel = (steps: number) => trainLecture(lectureMLP(), steps);

describe("drawNetwork", () => {
  it("draws MLP(3, [4, 4, 1]) as circles in columns and one edge per weight, coloured by sign, wider when larger", () => {
    const model = lectureModel(5);
    const svg = svgOf(drawNetwork(model));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="node">/g)).toHaveLength(3 + 4 + 4 + 1);
    const weights = model.layers.flatMap((l) => l.neurons.flatMap((n) => n.w.map((w) => w.data)));
    const edges = edgesOf(svg);
    expect(edges).toHaveLength(3 * 4 + 4 * 4 + 4);
    edges.forEach((e, i) => expect(e.colour).toBe((weights[i] as number) < 0 ? ORANGE : BLUE));
    // width grows with |w| up to |w| = 2: the order of the widths is the order of the magnitudes
    const byWeight = weights.map((w, i) => [Math.min(2, Math.abs(w)), edges[i]?.width as number]);
    for (const [a, wa] of byWeight)
      for (const [b, wb] of byWeight) if ((a as number) < (b as number)) expect(wa).toBeLessThanOrEqual(wb as number);
    expect(textsOf(svg)).toEqual(
      expect.arrayContaining([
        "MLP(3, [4, 4, 1]): 41 parameters",
        "input (3)",
        "layer 1: 4 tanh",
        "layer 2: 4 tanh",
        "layer 3: 1 tanh",
        "x0",
        "x2",
      ]),
    );
  });

  it("with an input, writes each neuron's output as the network computes it", () => {
    const model = lectureModel(20);
    const x = [2.0, 3.0, -1.0];
    const svg = svgOf(drawNetwork(model, { input: x }));
    const texts = textsOf(svg);
    expect(texts).toEqual(expect.arrayContaining(["x0 = 2.00", "x1 = 3.00", "x2 = -1.00"]));
    const out = model.output(x).data;
    expect(texts).toContain(out.toFixed(2));
    // every hidden neuron's output, layer by layer
    let h: number[] = x;
    for (const layer of model.layers) {
      h = layer.forward(h).map((v) => v.data);
      for (const v of h) expect(texts).toContain(v.toFixed(2));
    }
    expect(texts).toContain(`circles: each neuron's output for x = [2.00, 3.00, -1.00], blue > 0, orange < 0, white 0`);
  });

  it('edges: "grads" draws each parameter\'s grad, the largest at full width', () => {
    const model = lectureModel(0);
    const { xs, ys } = lectureData();
    squaredError(
      xs.map((x) => model.output(x)),
      ys,
    ).backward();
    const grads = model.layers.flatMap((l) => l.neurons.flatMap((n) => n.w.map((w) => w.grad)));
    const largest = Math.max(...model.parameters().map((p) => Math.abs(p.grad)));
    const edges = edgesOf(svgOf(drawNetwork(model, { edges: "grads" })));
    edges.forEach((e, i) => expect(e.colour).toBe((grads[i] as number) < 0 ? ORANGE : BLUE));
    const widest = grads.findIndex((g) => Math.abs(g) === largest);
    if (widest >= 0) expect(edges[widest]?.width).toBe(4);
    // before any backward(), every grad is 0 and the legend says so
    const fresh = svgOf(drawNetwork(lectureModel(0), { edges: "grads" }));
    expect(fresh).toContain("grads, all 0 (no backward() yet, or after zeroGrad())");
  });

  it("draws micrograd's demo network, MLP(2, [16, 16, 1]), at most 64 neurons a layer, and a Layer or a Neuron", () => {
    seed(1337);
    const demo = new MLP(2, [16, 16, 1]);
    const svg = svgOf(drawNetwork(demo, { input: demoMoons().X[0] as number[] }));
    expect(svg.match(/<g class="node">/g)).toHaveLength(2 + 16 + 16 + 1);
    expect(edgesOf(svg)).toHaveLength(2 * 16 + 16 * 16 + 16);
    expect(textsOf(svg)).toEqual(expect.arrayContaining(["layer 1: 16 ReLU", "layer 3: 1 linear"]));
    // its natural size fits an output of ~830 px: readable without scaling down
    expect(Number(/viewBox="0 0 ([\d.]+)/.exec(svg)?.[1])).toBeLessThanOrEqual(830);
    expect(svgOf(drawNetwork(new Layer(3, 2)))).toContain("Layer(3, 2): 8 parameters");
    expect(svgOf(drawNetwork(new Neuron(2)))).toContain("Neuron(2): 3 parameters");
    expect(() => drawNetwork(new MLP(2, [NETWORK_MAX_LAYER_SIZE + 1, 1]))).toThrow(
      new RangeError(
        `drawNetwork: model has a layer of 65 (inputs or neurons), more than 64: its circles would be too small to see. Draw a smaller network, or its computation with drawDot.`,
      ),
    );
  });

  it("shows a title literally: markup is escaped and control characters cannot break the SVG", () => {
    const svg = svgOf(drawNetwork(new Neuron(2), { title: `<script>alert("x")</script> & \u0001 'q'` }));
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; \ufffd &#39;q&#39;");
    expect([...svg].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
  });

  it("refuses bad arguments by name, before drawing anything", () => {
    const model = new MLP(3, [2, 1]);
    const cases: Array<[() => unknown, ErrorConstructor, string]> = [
      [
        () => drawNetwork({} as never),
        TypeError,
        "drawNetwork expects model to be an MLP, Layer or Neuron, got Object {}",
      ],
      [
        () => drawNetwork(model, 5 as never),
        TypeError,
        "drawNetwork expects an options object { input, edges, title }, got 5",
      ],
      [
        () => drawNetwork(model, { inputs: [1, 2, 3] } as never),
        RangeError,
        'drawNetwork: unknown option "inputs" (options: input, edges, title)',
      ],
      [
        () => drawNetwork(model, { input: [1, Number.NaN, 3] }),
        TypeError,
        "drawNetwork expects input to be an array of finite numbers, got NaN at index 1",
      ],
      [
        () => drawNetwork(model, { input: [1, 2] }),
        RangeError,
        "drawNetwork expects input to have 3 numbers (the model's inputs), got 2",
      ],
      [
        () => drawNetwork(model, { edges: "grad" as never }),
        RangeError,
        'drawNetwork expects edges to be one of "weights", "grads", got the string "grad"',
      ],
      [() => drawNetwork(model, { title: 5 as never }), TypeError, "drawNetwork expects title to be a string, got 5"],
    ];
    for (const [call, kind, message] of cases) {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(kind);
      expect((thrown as Error).message).toBe(message);
    }
  });
});

const isNetwork = (s: SentDisplay) => String(s.message.data["text/plain"]).startsWith("MLP(");
const isChart = (s: SentDisplay) => PLOTLY_MIME in s.message.data;

/** Notebook 4's loop with liveTraining, with or without the network picture. */
function train(steps: number, network: boolean, now?: () => number) {
  const model = lectureMLP();
  const live = liveTraining({
    steps,
    minInterval: 200,
    write: () => {},
    ...(now && { now }),
    ...(network && { network: { model, input: [2, 3, -1] } }),
  });
  trainLecture(model, steps, 0.1, {
    afterBackward: () => live.networkSvg(), // a picture between backward and the update must not change anything
    afterStep: (k, loss) => live.update({ step: k, loss }),
  });
  return { live, model, params: model.parameters().map((p) => [p.data, p.grad]) };
}

describe("liveTraining({ network })", () => {
  beforeEach(() => resetPlotlyInjection());

  it("redraws one output in place, with the curve's throttle, ending with the trained network", () => {
    const sent = captureDisplays();
    let t = 0;
    const steps = 40;
    const { live, model } = train(steps, true, () => {
      t += 30; // every clock reading 30 ms later: a step takes ~60 ms
      return t;
    });
    const pictures = sent.filter(isNetwork);
    expect(pictures.length).toBe(sent.filter(isChart).length);
    expect(pictures.length).toBeGreaterThan(2);
    expect(pictures.length).toBeLessThan(steps / 2);
    expect(new Set(pictures.map((s) => s.message.transient.display_id)).size).toBe(1);
    expect(pictures.map((s) => s.update)).toEqual([false, ...Array(pictures.length - 1).fill(true)]);
    const svgs = pictures.map((s) => s.message.data["image/svg+xml"] as string);
    expect(new Set(svgs).size).toBe(svgs.length); // the weights change from picture to picture
    expect(pictures[0]?.message.data["text/plain"]).toBe("MLP(3, [4, 4, 1]): 41 parameters, after step 1/40");
    expect(svgs.at(-1)).toBe(live.networkSvg());
    expect(svgs.at(-1)).toContain("after step 40/40");
    setDisplayWriter(null); // drawNetwork returns its picture outside a notebook
    expect(svgs.at(-1)).toBe(
      svgOf(drawNetwork(model, { input: [2, 3, -1], title: "MLP(3, [4, 4, 1]): 41 parameters, after step 40/40" })),
    );
    // the HTML shows the same picture as an <img>, scaled to the output (drawDot's way: no script)
    const html = pictures.at(-1)?.message.data["text/html"] as string;
    const src = /<img src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)?.[1] as string;
    expect(Buffer.from(src, "base64").toString("utf8")).toBe(svgs.at(-1));
  });

  it("does not change the training: the same weights and grads to the last bit with and without it", () => {
    captureDisplays();
    const withPicture = train(30, true).params;
    setDisplayWriter(null);
    expect(train(30, false).params).toEqual(withPicture);
  });

  it("refuses bad network options at once, naming them", () => {
    seed(1);
    const model = MLP.lecture(3, [4, 4, 1]);
    const cases: Array<[unknown, ErrorConstructor, string]> = [
      [5, TypeError, "liveTraining: network expects an options object { model, input, edges }, got 5"],
      [
        { model, title: "x" },
        RangeError,
        'liveTraining: network: unknown option "title" (options: model, input, edges)',
      ],
      [
        { input: [1, 2, 3] },
        TypeError,
        "liveTraining expects network.model to be an MLP, Layer or Neuron, got undefined",
      ],
      [
        { model, input: [1, 2] },
        RangeError,
        "liveTraining expects network.input to have 3 numbers (the model's inputs), got 2",
      ],
      [
        { model, edges: "data" },
        RangeError,
        'liveTraining expects network.edges to be one of "weights", "grads", got the string "data"',
      ],
    ];
    for (const [network, kind, message] of cases) {
      expect(() => liveTraining({ steps: 3, write: () => {}, network: network as never })).toThrow(new kind(message));
    }
  });
});
