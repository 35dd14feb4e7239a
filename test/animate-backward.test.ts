import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Animation,
  animateBackward,
  type Drawing,
  drawDot,
  MAX_FRAMES,
  MAX_STEPS_VIEW_FRAMES,
  MLP,
  renderSvg,
  resetGrads,
  seed,
  toDot,
  topologicalOrder,
  Value,
} from "../src";
import { _workerGeneration } from "../src/display/graph-wasm";
import { type DisplayMessage, setDisplayWriter } from "../src/display/notebook";
import { lectureExpression } from "./helpers";

/** The lecture's L = (a·b + c)·f, before backward(). */
const lecture = lectureExpression;

/** The lecture's tanh neuron, o = tanh(x1·w1 + x2·w2 + b). */
function neuron() {
  const x1 = new Value(2.0, { label: "x1" });
  const x2 = new Value(0.0, { label: "x2" });
  const w1 = new Value(-3.0, { label: "w1" });
  const w2 = new Value(1.0, { label: "w2" });
  const b = new Value(6.8813735870195432, { label: "b" });
  const x1w1 = x1.mul(w1);
  x1w1.label = "x1*w1";
  const x2w2 = x2.mul(w2);
  x2w2.label = "x2*w2";
  const sum = x1w1.add(x2w2);
  sum.label = "x1*w1 + x2*w2";
  const n = sum.add(b);
  n.label = "n";
  const o = n.tanh();
  o.label = "o";
  return { x1, x2, w1, w2, b, n, o };
}

/** label → "grad …" text of every box in a DOT frame. */
function gradTexts(dot: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of dot.matchAll(/label="\{([^|]*)\|data [^|]*\|(grad [^}]*)\}"/g))
    out.set(m[1] as string, m[2] as string);
  return out;
}

/** The DOT id of the operation node drawn highlighted (being processed) in a frame, if any. */
function activeOp(dot: string): string | null {
  return /(v\d+)_op \[[^\n]*fillcolor="#ffe08a"/.exec(dot)?.[1] ?? null;
}

const stripCaption = (dot: string) => dot.replace(/\n {2}graph \[labelloc=t[^\n]*/, "");

describe("animateBackward outside a notebook: { frames }", () => {
  it("steps through the lecture's L: a frame before any step, one per operation, then the finished graph", () => {
    const { a, b, c, d, e, f, L } = lecture();
    const { frames, captions } = animateBackward(L) as Animation;
    expect(frames).toHaveLength(5);
    // before any step only the root's grad is there
    expect([...gradTexts(frames[0] as string)]).toEqual([
      ["a", "grad 0.0000"],
      ["b", "grad 0.0000"],
      ["e", "grad 0.0000"],
      ["c", "grad 0.0000"],
      ["d", "grad 0.0000"],
      ["f", "grad 0.0000"],
      ["L", "grad 1.0000"],
    ]);
    expect(captions[0]).toBe("L.grad = 1: backward() starts at the output (dL/dL = 1)");
    // one operation per step, grads filling in: the lecture's by-hand order
    expect(captions.slice(1, 4)).toEqual([
      "L = d * f\n* : d.grad += f.data · L.grad = −2 · 1 = −2\n* : f.grad += d.data · L.grad = 4 · 1 = 4",
      "d = e + c\n+ : e.grad += 1 · d.grad = 1 · −2 = −2\n+ : c.grad += 1 · d.grad = 1 · −2 = −2",
      "e = a * b\n* : a.grad += b.data · e.grad = −3 · −2 = 6\n* : b.grad += a.data · e.grad = 2 · −2 = −4",
    ]);
    expect(gradTexts(frames[1] as string).get("d")).toBe("grad -2.0000");
    expect(gradTexts(frames[1] as string).get("e")).toBe("grad 0.0000");
    expect(gradTexts(frames[2] as string).get("c")).toBe("grad -2.0000");
    expect(gradTexts(frames[2] as string).get("a")).toBe("grad 0.0000");
    expect(gradTexts(frames[3] as string).get("a")).toBe("grad 6.0000");
    // the caption is drawn on the frame, the node being processed highlighted
    expect(frames[3]).toContain('label="e = a * b\\l* : a.grad += b.data · e.grad = −3 · −2 = 6\\l');
    expect(frames.slice(1, 4).map(activeOp)).toEqual(["v6", "v4", "v2"]);
    // the grads are really computed, as backward() computes them
    expect([a, b, c, d, e, f, L].map((v) => v.grad)).toEqual([6, -4, -2, -2, -2, 4, 1]);
    // the last frame is drawDot's picture after backward(), of an independent copy of the graph
    const copy = lecture().L;
    copy.backward();
    expect(frames[4]).toBe(toDot(copy));
    expect(frames[4]).toBe((drawDot(L) as Drawing).dot);
    // and the last step's frame, caption and highlight aside, shows the same grads
    expect(gradTexts(frames[3] as string)).toEqual(gradTexts(frames[4] as string));
    // every frame is valid DOT that Graphviz draws
    for (const dot of frames) expect(renderSvg(dot)).toMatch(/^<svg/);
  });

  it("follows backward()'s order, reverse topological, and ends with backward()'s grads (the tanh neuron)", () => {
    const { x1, x2, w1, w2, b, n, o } = neuron();
    const { frames, captions } = animateBackward(o) as Animation;
    const order = topologicalOrder(o);
    const ops = order
      .map((v, i) => [v, i] as const)
      .filter(([v]) => v.op !== "")
      .reverse();
    expect(frames.slice(1, -1).map(activeOp)).toEqual(ops.map(([, i]) => `v${i}`));
    expect(captions[1]).toBe("o = tanh(n)\ntanh : n.grad += (1 − o.data²) · o.grad = 0.5 · 1 = 0.5");
    expect(captions.at(-2)).toBe(
      "x1*w1 = x1 * w1\n* : x1.grad += w1.data · x1*w1.grad = −3 · 0.5 = −1.5\n* : w1.grad += x1.data · x1*w1.grad = 2 · 0.5 = 1",
    );
    const fresh = neuron();
    fresh.o.backward();
    expect([x1, x2, w1, w2, b, n].map((v) => v.grad)).toEqual(
      [fresh.x1, fresh.x2, fresh.w1, fresh.w2, fresh.b, fresh.n].map((v) => v.grad),
    );
    expect(x1.grad).toBe(-1.4999999999999996); // the lecture's digits
    expect(frames.at(-1)).toBe(toDot(fresh.o));
  });

  it("writes out every primitive's local rule with the engine's numbers", () => {
    const x = 0.5;
    const rule = (make: (v: Value) => Value) => {
      const v = new Value(x, { label: "x" });
      const y = make(v);
      y.label = "y";
      return ((animateBackward(y) as Animation).captions[1] as string).split("\n")[1];
    };
    // the numbers, from the textbook derivatives at x = 0.5
    expect(Math.exp(0.5).toFixed(4)).toBe("1.6487");
    expect((1 - Math.tanh(0.5) ** 2).toFixed(4)).toBe("0.7864");
    const s = 1 / (1 + Math.exp(-0.5));
    expect((s * (1 - s)).toFixed(4)).toBe("0.2350");
    expect(rule((v) => v.exp())).toBe("exp : x.grad += y.data · y.grad = 1.6487 · 1 = 1.6487");
    expect(rule((v) => v.log())).toBe("log : x.grad += (1 / x.data) · y.grad = 2 · 1 = 2");
    expect(rule((v) => v.tanh())).toBe("tanh : x.grad += (1 − y.data²) · y.grad = 0.7864 · 1 = 0.7864");
    expect(rule((v) => v.relu())).toBe("ReLU : x.grad += (y.data > 0 ? 1 : 0) · y.grad = 1 · 1 = 1");
    expect(rule((v) => v.sigmoid())).toBe("sigmoid : x.grad += y.data · (1 − y.data) · y.grad = 0.235 · 1 = 0.235");
    expect(rule((v) => v.pow(2))).toBe("**2 : x.grad += (2 · x.data) · y.grad = 1 · 1 = 1");
    expect(rule((v) => v.pow(3))).toBe("**3 : x.grad += (3 · x.data^2) · y.grad = 0.75 · 1 = 0.75");
    expect(rule((v) => v.pow(-1))).toBe("**-1 : x.grad += (−1 · x.data^−2) · y.grad = −4 · 1 = −4");
  });

  it("writes out pow with a Value exponent: both local rules", () => {
    const x = new Value(2, { label: "x" });
    const k = new Value(3, { label: "k" });
    const y = x.pow(k);
    y.label = "y";
    expect(((animateBackward(y) as Animation).captions[1] as string).split("\n")).toEqual([
      "y = x ** k",
      "** : x.grad += (k.data · x.data^(k.data − 1)) · y.grad = 12 · 1 = 12",
      "** : k.grad += (y.data · ln x.data) · y.grad = 5.5452 · 1 = 5.5452",
    ]);
    expect([x.grad, k.grad]).toEqual([12, 8 * Math.log(2)]);
  });

  it("a gradient that is not finite: backward()'s error, and every grad left as it was", () => {
    const x = new Value(0, { label: "x" });
    x.grad = 7;
    const y = x.pow(0.5);
    y.grad = 3;
    expect(() => animateBackward(y)).toThrow(
      new RangeError(
        "backward: the gradient through pow: 0 ** 0.5 (local derivative Infinity, gradient from above 1) is not finite; no grad was changed",
      ),
    );
    expect([x.grad, y.grad]).toEqual([7, 3]);
  });

  it("shows gradients accumulating when a value is used twice (b = a + a)", () => {
    const a = new Value(3, { label: "a" });
    const b = a.add(a);
    b.label = "b";
    const { captions } = animateBackward(b) as Animation;
    expect(captions[1]).toBe(
      "b = a + a\n+ : a.grad += 1 · b.grad = 1 · 1 = 1\n+ : a.grad += 1 · b.grad = 1 · 1 = 1, so a.grad = 1 + 1 = 2",
    );
    expect(a.grad).toBe(2);
  });

  it("says so when a node's grad is 0 (behind a ReLU at 0), passing nothing down, as backward() skips it", () => {
    const x = new Value(-1, { label: "x" });
    const w = new Value(2, { label: "w" });
    const h = x.mul(w);
    h.label = "h";
    const r = h.relu();
    r.label = "r";
    const { captions, frames } = animateBackward(r) as Animation;
    expect(captions[1]).toBe("r = ReLU(h)\nReLU : h.grad += (r.data > 0 ? 1 : 0) · r.grad = 0 · 1 = 0");
    expect(captions[2]).toBe("h = x * w\nh.grad = 0: nothing to pass down");
    expect(gradTexts(frames.at(-1) as string).get("x")).toBe("grad 0.0000");
  });

  it("starts from zero grads: existing grads are reset, so a second call gives the same frames", () => {
    const { a, f, L } = lecture();
    L.backward();
    L.backward(); // accumulated twice, intermediate grads compounding: a.grad = 24
    expect(a.grad).toBe(24);
    a.grad = 100;
    const once = animateBackward(L) as Animation;
    expect(a.grad).toBe(6);
    expect(f.grad).toBe(4);
    const twice = animateBackward(L) as Animation;
    expect(twice.frames).toEqual(once.frames);
    expect(a.grad).toBe(6);
  });

  it('grads: "all" shows every final grad from the first frame on', () => {
    const { L } = lecture();
    const { frames } = animateBackward(L, { grads: "all" }) as Animation;
    const final = gradTexts(frames.at(-1) as string);
    for (const dot of frames) expect(gradTexts(dot)).toEqual(final);
    expect(frames[0]).not.toContain("#9a9a9a"); // nothing greyed as "not reached yet"
    expect(frames.slice(1, 4).map(activeOp)).toEqual(["v6", "v4", "v2"]);
  });

  it("from/to show a range of steps; the grads are still all computed", () => {
    const { x1, w1, n, o } = neuron();
    const all = animateBackward(o) as Animation;
    const fromN = animateBackward(o, { from: n }) as Animation;
    // from n: the state just before n's step (o's step done), then n's step and the rest
    expect(fromN.frames).toHaveLength(all.frames.length - 1);
    expect(fromN.captions[0]).toBe("before n passes its grad down");
    expect(gradTexts(fromN.frames[0] as string)).toEqual(gradTexts(all.frames[1] as string));
    expect(fromN.frames.slice(1)).toEqual(all.frames.slice(2));
    const range = animateBackward(o, { from: n, to: n }) as Animation;
    expect(range.frames).toHaveLength(2); // the state before, and n's step: no finished graph
    expect(range.frames[1]).toBe(all.frames[2]);
    expect(x1.grad).toBe(-1.4999999999999996);
    expect(w1.grad).toBe(0.9999999999999998);
  });

  it("draws an MLP's graph clustered by neuron with the model option", () => {
    seed(1337);
    const model = MLP.lecture(3, [4, 4, 1]);
    const out = model.output([2.0, 3.0, -1.0]);
    const { frames } = animateBackward(out, { model }) as Animation;
    expect(frames).toHaveLength(73 + 2); // 73 operations
    expect(frames.at(-1)).toBe(toDot(out, { model }));
    expect(stripCaption(frames[1] as string).match(/subgraph cluster_n\d+ \{/g)).toHaveLength(9);
  });

  it("escapes labels in the captions", () => {
    const a = new Value(1, { label: 'a"\\' });
    const y = a.exp();
    y.label = "</svg><script>";
    const { frames } = animateBackward(y) as Animation;
    const svg = renderSvg(frames[1] as string);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;/svg&gt;&lt;script&gt;.grad");
  });
});

describe("animateBackward refuses bad input before changing anything", () => {
  it("names the function, the option and the value", () => {
    const { a, e, L } = lecture();
    a.grad = 5;
    const other = new Value(1);
    const cases: Array<[unknown, unknown, RegExp]> = [
      [2, {}, /^animateBackward expects a Value, got 2$/],
      [L, { dealy: 5 }, /^animateBackward: unknown option "dealy" \(options: rankdir, show, model, delay,/],
      [L, { markGrads: true }, /unknown option "markGrads"/],
      [L, { delay: -1 }, /^animateBackward expects delay \(milliseconds\) to be a finite number >= 0, got -1\.$/],
      [
        L,
        { delay: "fast" },
        /^animateBackward expects delay \(milliseconds\) to be a finite number, got the string "fast"$/,
      ],
      [L, { delay: Number.POSITIVE_INFINITY }, /delay \(milliseconds\) to be a finite number, got Infinity/],
      [L, { grads: "some" }, /^animateBackward: grads must be "computed" or "all", got the string "some"$/],
      [L, { view: "grid" }, /^animateBackward: view must be "animation" or "steps", got the string "grid"$/],
      [L, { from: other }, /^animateBackward: from must be a Value in the root's graph, got Value/],
      [L, { to: a }, /^animateBackward: to must be an operation node \(a leaf such as a passes nothing down\)/],
      [L, { from: e, to: L }, /^animateBackward: to \(L\) is processed before from \(e\); backward\(\) goes/],
      [L, { maxNodes: 0 }, /^animateBackward: maxNodes must be a positive number, got 0$/],
      [L, { timeout: 0 }, /^animateBackward: timeout must be a positive number of milliseconds, got 0$/],
      [L, { rankdir: "RL" }, /^animateBackward: rankdir must be "LR" or "TB", got the string "RL"$/],
      [L, null, /^animateBackward expects an options object, got null$/],
    ];
    for (const [root, opts, message] of cases) {
      expect(() => animateBackward(root as Value, opts as object)).toThrow(message);
    }
    expect(a.grad).toBe(5);
    expect(L.grad).toBe(0);
  });

  it("has drawDot's size limit and message", () => {
    const { a, L } = lecture();
    a.grad = 5;
    let drawError = "";
    try {
      drawDot(L, { maxNodes: 6 });
    } catch (err) {
      drawError = (err as Error).message;
    }
    expect(drawError).toMatch(/^drawDot: this graph has 7 values, more than maxNodes = 6\./);
    expect(() => animateBackward(L, { maxNodes: 6 })).toThrow(drawError.replace("drawDot", "animateBackward"));
    expect(a.grad).toBe(5);
  });

  it(`refuses more than ${MAX_FRAMES} frames, and lets from/to pick a part`, () => {
    const x = new Value(0.1, { label: "x" });
    let y = x;
    const mids: Value[] = [];
    for (let i = 0; i < 250; i++) {
      y = y.mul(1.001);
      mids.push(y);
    }
    expect(() => animateBackward(y)).toThrow(
      "animateBackward: this graph has 250 operations to step through, 252 frames, more than 200. Choose a part with { from, to }",
    );
    expect(y.grad).toBe(0);
    const part = animateBackward(y, { from: mids[249], to: mids[200] }) as Animation;
    expect(part.frames).toHaveLength(51); // the state before, and 50 steps
    const copy = new Value(0.1);
    let z = copy;
    for (let i = 0; i < 250; i++) z = z.mul(1.001);
    z.backward();
    expect(x.grad).toBe(copy.grad);
  });

  it("steps through a lone value: the root's grad and the finished graph", () => {
    const v = new Value(3, { label: "v" });
    const { frames, captions } = animateBackward(v) as Animation;
    expect(frames).toHaveLength(2);
    expect(captions[0]).toBe("v.grad = 1: backward() starts at the output (dv/dv = 1)");
    expect(frames[1]).toBe(toDot(v));
    expect(v.grad).toBe(1);
  });

  it(`limits the side-by-side view to ${MAX_STEPS_VIEW_FRAMES} frames`, () => {
    const x = new Value(0.1, { label: "x" });
    let y = x;
    for (let i = 0; i < 39; i++) y = y.mul(1.01);
    expect(() => animateBackward(y, { view: "steps" })).toThrow(
      /^animateBackward: view "steps" shows at most 40 frames side by side; this range has 41\. Choose fewer/,
    );
    expect(y.grad).toBe(0);
  });
});

describe("animateBackward in a notebook", () => {
  let sent: Array<{ message: DisplayMessage; update: boolean }> = [];
  beforeEach(() => {
    sent = [];
    setDisplayWriter((message, update) => sent.push({ message, update }));
  });
  afterEach(() => setDisplayWriter(null));

  it("shows one output, updated in place once per frame; the last frame is drawDot's output", () => {
    const { L } = lecture();
    expect(animateBackward(L, { delay: 0 })).toBeUndefined();
    expect(sent).toHaveLength(5);
    const ids = new Set(sent.map((s) => s.message.transient.display_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{16}$/);
    expect(sent.map((s) => s.update)).toEqual([false, true, true, true, true]);
    const htmls = sent.map((s) => s.message.data["text/html"] as string);
    expect(new Set(htmls).size).toBe(5); // every frame differs
    for (const s of sent)
      expect(Object.keys(s.message.data).sort()).toEqual(["image/svg+xml", "text/html", "text/plain"]);
    expect(sent[3]?.message.data["text/plain"]).toBe(
      "e = a * b; * : a.grad += b.data · e.grad = −3 · −2 = 6; * : b.grad += a.data · e.grad = 2 · −2 = −4",
    );
    expect(sent[3]?.message.data["image/svg+xml"]).toContain("a.grad += b.data · e.grad = −3 · −2 = 6");
    const finalFrame = sent[4]?.message.data;
    sent = [];
    const copy = lecture().L;
    copy.backward();
    drawDot(copy);
    expect(sent).toHaveLength(1);
    expect(finalFrame).toEqual(sent[0]?.message.data);
  });

  it('view: "steps" shows every frame side by side in one output, no JavaScript', () => {
    const { L } = lecture();
    animateBackward(L, { view: "steps" });
    expect(sent).toHaveLength(1);
    const { message, update } = sent[0] as { message: DisplayMessage; update: boolean };
    expect(update).toBe(false);
    expect(message.transient).toEqual({});
    const html = message.data["text/html"] as string;
    const images = [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/g)];
    expect(images).toHaveLength(5);
    const svgs = images.map((m) => Buffer.from(m[1] as string, "base64").toString("utf8"));
    expect(svgs[4]).toBe(renderSvg(toDot(L)));
    expect(svgs[1]).toContain("d.grad += f.data · L.grad = −2 · 1 = −2");
    expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
    expect(String(message.data["text/plain"]).split("\n")).toHaveLength(5);
  });

  it("recovers from a Graphviz timeout: a clear error, the grads computed, the next call works", () => {
    const vs = [new Value(0.001, { label: "v0" }), new Value(0.002, { label: "v1" })];
    for (let i = 2; i < 130; i++) vs.push((vs[i - 1] as Value).add(vs[Math.floor(i / 2)] as Value));
    const last = vs[vs.length - 1] as Value;
    const before = _workerGeneration();
    expect(() => animateBackward(last, { timeout: 300, delay: 0 })).toThrow(
      /^Graphviz did not finish the layout within the time limit \(\d\.\d s, timeout 300 ms\) and was stopped/,
    );
    expect(_workerGeneration()).toBe(before + 1);
    expect(sent).toHaveLength(0);
    // the grads are backward()'s even though no frame could be drawn
    const animated = vs.map((v) => v.grad);
    expect(animated[1]).toBeGreaterThan(0);
    resetGrads(last);
    last.backward();
    expect(vs.map((v) => v.grad)).toEqual(animated);
    const { L } = lecture();
    animateBackward(L, { delay: 0 });
    expect(sent).toHaveLength(5);
  });
});
