import { Expat } from "@hpcc-js/wasm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_NODES,
  type Drawing,
  demoMoons,
  drawDot,
  MLP,
  maxMargin,
  Neuron,
  renderSvg,
  seed,
  toDot,
  trace,
  Value,
} from "../src";
import { formatFixed4, recordText, visibleText } from "../src/display/dot";
import { GRAPH_FIT_WIDTH, GRAPH_MIN_SCALE, graphHtml, graphImgStyle } from "../src/display/graph-html";
import { _workerGeneration } from "../src/display/graph-wasm";
import { captureDisplays, lectureExpression, type SentDisplay } from "./helpers";

// ---- fixtures ----

/** The lecture's L = (a·b + c)·f after L.backward(). */
function lecture() {
  const expression = lectureExpression();
  expression.L.backward();
  return expression;
}

/** [label, data text, grad text] of each value of the lecture's graph. */
const LECTURE_BOXES = [
  ["a", "data 2.0000", "grad 6.0000"],
  ["b", "data -3.0000", "grad -4.0000"],
  ["c", "data 10.0000", "grad -2.0000"],
  ["e", "data -6.0000", "grad -2.0000"],
  ["d", "data 4.0000", "grad -2.0000"],
  ["f", "data -2.0000", "grad 4.0000"],
  ["L", "data -8.0000", "grad 1.0000"],
] as const;

// ---- reading DOT and SVG back ----

interface DotGraph {
  /** node id → label text as written in the DOT */
  labels: Map<string, string>;
  records: string[];
  ops: string[];
  edges: Array<[string, string]>;
}

function parseDot(dot: string): DotGraph {
  const labels = new Map<string, string>();
  const records: string[] = [];
  const ops: string[] = [];
  const edges: Array<[string, string]> = [];
  for (const line of dot.split("\n")) {
    const node = /^\s*(v\d+(?:_op)?) \[(shape=record, )?label="((?:[^"\\]|\\.)*)"/.exec(line);
    if (node) {
      labels.set(node[1] as string, node[3] as string);
      (node[2] ? records : ops).push(node[1] as string);
    }
    const edge = /^\s*(v\d+(?:_op)?) -> (v\d+(?:_op)?);$/.exec(line);
    if (edge) edges.push([edge[1] as string, edge[2] as string]);
  }
  return { labels, records, ops, edges };
}

interface ExpatParser {
  parse(
    xml: string,
    callback: {
      startElement(tag: string, attrs: Record<string, string>): void;
      endElement(tag: string): void;
      characterData(content: string): void;
    },
  ): boolean;
}

let expat: ExpatParser;
beforeAll(async () => {
  expat = (await Expat.load()) as unknown as ExpatParser;
});

/** Elements allowed in Graphviz's SVG for our graphs: anything else would be injected markup. */
const SVG_ELEMENTS = new Set(["svg", "g", "title", "text", "polygon", "polyline", "path", "ellipse"]);

/** Parses the SVG as XML (expat): throws unless well-formed and free of foreign elements or handlers. */
function parseSvg(svg: string): { texts: string[]; elements: string[] } {
  const texts: string[] = [];
  const elements: string[] = [];
  let current: string | null = null;
  const ok = expat.parse(svg, {
    startElement(tag, attrs) {
      elements.push(tag);
      for (const name of Object.keys(attrs)) {
        if (/^on/i.test(name) || /href/i.test(name)) throw new Error(`unexpected attribute ${name} on <${tag}>`);
      }
      if (tag === "text") current = "";
    },
    endElement(tag) {
      if (tag === "text") texts.push(current as string);
      current = null;
    },
    characterData(content) {
      if (current !== null) current += content;
    },
  });
  if (!ok) throw new Error("the SVG is not well-formed XML");
  const foreign = elements.filter((e) => !SVG_ELEMENTS.has(e));
  if (foreign.length > 0) throw new Error(`unexpected SVG elements: ${foreign.join(", ")}`);
  return { texts, elements };
}

/** Node ids of SVG groups of class "node" (one per drawn node), from their <title>. */
function svgNodeCount(svg: string): number {
  return (svg.match(/<g id="node\d+" class="node">/g) ?? []).length;
}

// ---- tests ----

describe("trace", () => {
  it("lists the lecture's 7 values children first and the 6 operand → result edges", () => {
    const { a, b, c, d, e, f, L } = lecture();
    const { nodes, edges } = trace(L);
    expect(nodes).toHaveLength(7);
    expect(new Set(nodes)).toEqual(new Set([a, b, c, d, e, f, L]));
    const pos = (v: Value) => nodes.indexOf(v);
    for (const [child, parent] of edges) expect(pos(child)).toBeLessThan(pos(parent));
    expect(edges).toEqual([
      [a, e],
      [b, e],
      [e, d],
      [c, d],
      [d, L],
      [f, L],
    ]);
  });

  it("gives one edge per operand: a + a has two", () => {
    const a = new Value(3, { label: "a" });
    const b = a.add(a);
    expect(trace(b).edges).toEqual([
      [a, b],
      [a, b],
    ]);
    expect(trace(b).nodes).toEqual([a, b]);
  });

  it("walks a 100,000-deep chain without recursion", () => {
    let v = new Value(0);
    for (let i = 0; i < 100_000; i++) v = v.add(1);
    const { nodes, edges } = trace(v);
    expect(nodes).toHaveLength(200_001); // each add(1) makes a leaf 1 and a sum
    expect(edges).toHaveLength(200_000);
  });
});

describe("toDot", () => {
  it("draws the lecture's L: 7 record boxes, 3 op nodes and the edges child → op → result", () => {
    const dot = toDot(lecture().L);
    const g = parseDot(dot);
    expect(dot).toMatch(/^digraph \{\n {2}graph \[rankdir=LR\];\n/);
    expect(g.records).toHaveLength(7);
    expect(g.ops).toHaveLength(3);
    const boxOf = (label: string) => g.records.find((id) => g.labels.get(id)?.startsWith(`{${label}|`)) as string;
    for (const [label, data, grad] of LECTURE_BOXES) {
      expect(g.labels.get(boxOf(label))).toBe(`{${label}|${data}|${grad}}`);
    }
    // op nodes carry the op text; edges in box labels: operand → op → result
    const named = g.edges.map(([from, to]) => {
      const name = (id: string): string =>
        id.endsWith("_op") ? `${g.labels.get(id)}→${name(id.slice(0, -3))}` : (g.labels.get(id) as string).charAt(1);
      return `${name(from)} -> ${name(to)}`;
    });
    expect(named.sort()).toEqual(
      [
        "*→e -> e",
        "a -> *→e",
        "b -> *→e",
        "+→d -> d",
        "e -> +→d",
        "c -> +→d",
        "*→L -> L",
        "d -> *→L",
        "f -> *→L",
      ].sort(),
    );
  });

  it("TB layout keeps the fields in a row (no braces); other directions are a RangeError naming the value", () => {
    const { L } = lecture();
    const dot = toDot(L, { rankdir: "TB" });
    expect(dot).toContain("graph [rankdir=TB];");
    expect(dot).toContain('label="L|data -8.0000|grad 1.0000"');
    expect(() => toDot(L, { rankdir: "RL" as "LR" })).toThrow(RangeError);
    expect(() => toDot(L, { rankdir: "RL" as "LR" })).toThrow('rankdir must be "LR" or "TB", got the string "RL"');
    expect(() => toDot(L, { rankdir: "lr" as "LR" })).toThrow(/"lr"/);
  });

  it("shows only data or only grad", () => {
    const { L } = lecture();
    expect(toDot(L, { show: "data" })).toContain('label="{L|data -8.0000}"');
    expect(toDot(L, { show: "grad" })).toContain('label="{L|grad 1.0000}"');
    expect(toDot(L, { show: "grad" })).not.toContain("data");
    expect(() => toDot(L, { show: "both" as "all" })).toThrow(
      /show must be "all", "data" or "grad", got the string "both"/,
    );
  });

  it("markGrads greys boxes whose grad is 0 and reddens non-finite grads, with a legend", () => {
    const x = new Value(1e-300, { label: "x" });
    const z = x.mul(1e300); // 1
    z.label = "z";
    const out = z.mul(1e300);
    out.label = "out";
    const dead = new Value(-1, { label: "dead" }).relu();
    const L = out.add(dead);
    L.label = "L";
    // backward() refuses x.grad = 1e300 · 1e300 = inf, so only internals can hold a non-finite grad now.
    expect(() => L.backward()).toThrow(/backward: the gradient through mul: 1e-300 \* 1e\+300/);
    L.grad = 1;
    z.grad = 1e300;
    x._chunk.grad[x._slot] = Number.POSITIVE_INFINITY;
    const dot = toDot(L, { markGrads: true });
    const line = (label: string) => dot.split("\n").find((l) => l.includes(`label="{${label}|`)) as string;
    expect(line("x")).toContain("grad inf}");
    expect(line("x")).toContain('fillcolor="#ffd6d6"');
    expect(line("dead")).toContain("grad 0.0000}");
    expect(line("dead")).toContain('fillcolor="#eeeeee"');
    expect(line("L")).not.toContain("fillcolor");
    expect(dot).toContain('label="grey: grad 0    red: grad not finite"');
    expect(toDot(L)).not.toContain("fillcolor");
  });

  it("checks its arguments: a Value, known options", () => {
    const { L } = lecture();
    expect(() => toDot(2 as unknown as Value)).toThrow("toDot expects a Value, got 2");
    expect(() => toDot(L, { rankDir: "TB" } as object)).toThrow(/unknown option "rankDir"/);
    expect(() => toDot(L, { markGrads: "yes" as unknown as boolean })).toThrow(TypeError);
    expect(() => toDot(L, { model: {} as MLP })).toThrow(/model must be a Neuron, Layer or MLP/);
  });
});

describe("formatFixed4 is Python's %.4f", () => {
  // expected strings printed by CPython 3.11: "%.4f" % x
  const cases: Array<[number, string]> = [
    [6, "6.0000"],
    [-4, "-4.0000"],
    [0.1 + 0.2, "0.3000"],
    [123456.78905, "123456.7891"],
    [0.03125, "0.0312"], // exact tie: half to even (toFixed gives 0.0313)
    [-0.03125, "-0.0312"],
    [0.09375, "0.0938"],
    [1.03125, "1.0312"],
    [385.78125, "385.7812"],
    [0.00005, "0.0001"],
    [0.99995, "1.0000"],
    [-0, "-0.0000"],
    [-0.00001, "-0.0000"],
    [5e-324, "0.0000"],
    [1e21, "1000000000000000000000.0000"], // toFixed switches to "1e+21"
    [-1e22, "-10000000000000000000000.0000"],
    [Number.NaN, "nan"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NEGATIVE_INFINITY, "-inf"],
  ];
  it.each(cases)("%s → %s", (x, expected) => {
    expect(formatFixed4(x)).toBe(expected);
  });

  it("writes all digits of the largest double", () => {
    expect(formatFixed4(Number.MAX_VALUE)).toBe(`${BigInt(Number.MAX_VALUE)}.0000`);
    expect(formatFixed4(Number.MAX_VALUE)).toMatch(
      /^17976931348623157081452742373170435679807056752584499659891747680315726078/,
    );
  });
});

describe("renderSvg", () => {
  it("returns SVG without XML declaration or DOCTYPE, showing every label, data and grad of the lecture's L", async () => {
    const svg = renderSvg(toDot(lecture().L));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toContain("<?xml");
    expect(svg).not.toContain("<!DOCTYPE");
    expect(svg.endsWith("</svg>")).toBe(true);
    const { texts } = parseSvg(svg);
    for (const [label, data, grad] of LECTURE_BOXES) {
      expect(texts).toContain(label);
      expect(texts).toContain(data);
      expect(texts).toContain(grad);
    }
    expect(texts.filter((t) => t === "*")).toHaveLength(2);
    expect(texts.filter((t) => t === "+")).toHaveLength(1);
    expect(texts).toHaveLength(7 * 3 + 3);
    expect(svgNodeCount(svg)).toBe(10);
  });

  it("rejects non-strings and bad timeouts", async () => {
    expect(() => renderSvg(42 as unknown as string)).toThrow("renderSvg expects DOT text (a string), got 42");
    expect(() => renderSvg("digraph{}", { timeout: 0 })).toThrow(RangeError);
  });
});

describe("labels are user text: shown literally, never breaking DOT nor injecting markup", () => {
  const nbsp = "\u00a0";
  // [label, the text lines the drawing must show]
  const cases: Array<[string, string[]]> = [
    ['say "hi"', ['say "hi"']],
    ["back\\slash \\ and \\\\", ["back\\slash \\ and \\\\"]],
    ["trailing\\", ["trailing\\"]],
    ['"\\', ['"\\']],
    ["{ record | syntax } <port>", ["{ record | syntax } <port>"]],
    ["<f0> a|<f1> b", ["<f0> a|<f1> b"]],
    ["A & B", ["A & B"]],
    ["&amp; &lt;b&gt; &#60; &", ["&amp; &lt;b&gt; &#60; &"]],
    ["line1\nline2\n\nline4", ["line1", "line2", "line4"]],
    ["<script>alert(1)</script>", ["<script>alert(1)</script>"]],
    ["<img src=x onerror=alert(1)>", ["<img src=x onerror=alert(1)>"]],
    ["]]> <!-- x --> <![CDATA[", ["]]> <!-- x --> <![CDATA["]],
    ["\\N \\G \\L \\n \\l \\r \\E \\T \\H", ["\\N \\G \\L \\n \\l \\r \\E \\T \\H"]],
    ["  two  spaces  ", [`${nbsp}${nbsp}two${nbsp}${nbsp}spaces${nbsp}${nbsp}`]],
    ["tab\tstop", ["tab stop"]],
    ["ctrl\u0001\u001b\u007f", ["ctrl\u2401\u241b\u2421"]],
    ["lone \ud800 surrogate \uffff", ["lone \ufffd surrogate \ufffd"]],
    ["é α 😀 ∂L/∂a", ["é α 😀 ∂L/∂a"]],
  ];

  it.each(cases)("%j", async (label, lines) => {
    const a = new Value(1.5, { label });
    const b = a.tanh();
    b.label = label;
    const dot = toDot(b);
    expect(parseDot(dot).records).toHaveLength(2);
    const svg = renderSvg(dot);
    const { texts } = parseSvg(svg); // well-formed, only Graphviz's own elements
    expect(svgNodeCount(svg)).toBe(3); // 2 boxes + 1 op: the label opened no node, port or field
    const shown = texts.filter((t) => !/^(data|grad) /.test(t) && t !== "tanh");
    expect(shown).toEqual([...lines, ...lines]);
    expect(texts.filter((t) => /^(data|grad) /.test(t))).toHaveLength(4); // still 3 fields per box
  });

  it("escapes in the DOT text itself", () => {
    expect(recordText('a "b" {c} | <d> & \\')).toBe('a \\"b\\" \\{c\\} \\| \\<d\\> &amp; \\\\');
    expect(recordText("x\ny")).toBe("x\\ny");
    expect(visibleText("a\r\nb\rc")).toBe("a\nb\nc");
  });
});

describe("drawDot", () => {
  it("outside a notebook returns the DOT text and the SVG", () => {
    const { L } = lecture();
    const drawing = drawDot(L) as Drawing;
    expect(drawing.dot).toBe(toDot(L));
    expect(drawing.svg.startsWith("<svg")).toBe(true);
    expect(parseSvg(drawing.svg).texts).toContain("grad 6.0000");
  });

  it("in a notebook shows one output: an <img> data URI in text/html, image/svg+xml and text/plain", () => {
    const messages = captureDisplays();
    const { L } = lecture();
    expect(drawDot(L)).toBeUndefined(); // nothing for tslab to print
    expect(messages).toHaveLength(1);
    const { message, update } = messages[0] as SentDisplay;
    expect(update).toBe(false);
    expect(message.transient).toEqual({});
    expect(Object.keys(message.data).sort()).toEqual(["image/svg+xml", "text/html", "text/plain"]);
    expect(message.data["text/plain"]).toBe("graph: 7 values, 3 operations");
    const svg = message.data["image/svg+xml"] as string;
    expect(svg.startsWith("<svg")).toBe(true);
    const html = message.data["text/html"] as string;
    const img =
      /^<div style="overflow:auto;max-height:75vh"><img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"<>]*)" title="([^"<>]*)" style="([^"<>]*)"><\/div>$/.exec(
        html,
      );
    expect(img).not.toBeNull();
    expect(Buffer.from(img?.[1] as string, "base64").toString("utf8")).toBe(svg);
    expect(img?.[2]).toBe("graph: 7 values, 3 operations");
    expect(img?.[4]).toBe(graphImgStyle((Number(/<svg\b[^>]*?\swidth="([\d.]+)pt"/.exec(svg)?.[1]) * 4) / 3));
    expect(parseSvg(svg).texts).toContain("data -8.0000");
  });

  it("sizes a graph to the output: natural size at most, half of it at least (then it scrolls)", () => {
    // Graphviz gives the size in pt; CSS draws 4/3 px per pt: 1154 pt = 1539 px.
    expect(graphImgStyle(1539)).toBe("display:block;width:100%;max-width:1539px;min-width:770px;height:auto");
    expect(GRAPH_MIN_SCALE).toBe(0.5);
    expect(graphImgStyle(Number.NaN)).toBe("display:block;max-width:100%;height:auto"); // no size: fit like any image
    // 806 × 625 pt (the seeded neuron drawn top to bottom): 833 px tall, shown 600 px tall at most
    expect(graphImgStyle((806 * 4) / 3, (625 * 4) / 3)).toBe(
      "display:block;width:100%;max-width:774px;min-width:537px;height:auto",
    );
    // very tall: never below half size (its box scrolls then)
    expect(graphImgStyle(400, 3000)).toBe("display:block;width:100%;max-width:200px;min-width:200px;height:auto");
    const small = graphHtml('<svg width="1154pt" height="156pt"></svg>', "g");
    expect(small).toMatch(
      /^<div style="overflow:auto;max-height:75vh"><img [^>]*style="[^"]*max-width:1539px;min-width:769px/,
    );
    expect(small).not.toContain("<details");
  });

  it(`shows a graph wider than ${GRAPH_FIT_WIDTH} px whole (scaled to fit) and at a readable size under a toggle`, () => {
    const html = graphHtml('<svg width="5812pt" height="980pt"></svg>', "graph: 126 values, 73 operations");
    const images = [...html.matchAll(/<img src="([^"]+)"[^>]*style="([^"]+)"/g)];
    expect(images).toHaveLength(2);
    expect(images[0]?.[1]).toBe(images[1]?.[1]); // one picture, twice
    expect(images[0]?.[2]).toBe("display:block;max-width:100%;height:auto"); // the overview: the output's width
    expect(html.indexOf("<details>")).toBeGreaterThan(html.indexOf("<img")); // overview first, always open
    expect(images[1]?.[2]).toBe(graphImgStyle((5812 * 4) / 3, (980 * 4) / 3)); // in the toggle, at half size at least
    expect(html).toMatch(/<summary[^>]*>the graph at a readable size \(7749 px wide: scrolls sideways\)<\/summary>/);
    expect(html).not.toMatch(/<script|on\w+=/i); // CSS only: untrusted notebooks keep it
  });

  it("keeps a <script> label out of the HTML: the SVG is base64 inside one <img>", () => {
    const sent = captureDisplays();
    drawDot(new Value(1, { label: '</script><script>alert("x")</script>' }));
    const html = sent[0]?.message.data["text/html"] as string;
    expect(html).not.toContain("script");
    expect(html.match(/</g)).toHaveLength(3); // <div>, <img>, </div>: nothing from the label
  });

  it(`refuses graphs above maxNodes (default ${DEFAULT_MAX_NODES}) at once, naming the count and the limit`, () => {
    // micrograd demo's loss: MLP(2, [16, 16, 1]) on 100 points
    seed(1337);
    const model = new MLP(2, [16, 16, 1]);
    const { X, y } = demoMoons();
    const loss = maxMargin(
      X.map((x) => model.output(x)),
      y,
      { alpha: 1e-4, parameters: model.parameters() },
    );
    const count = trace(loss).nodes.length;
    expect(count).toBeGreaterThan(60_000);
    const started = performance.now();
    expect(() => drawDot(loss)).toThrow(RangeError);
    expect(() => drawDot(loss)).toThrow(
      `drawDot: this graph has ${count.toLocaleString("en-US")} values, more than maxNodes = 2,000.`,
    );
    expect(performance.now() - started).toBeLessThan(2000);

    const { L } = lecture();
    expect(() => drawDot(L, { maxNodes: 6 })).toThrow("this graph has 7 values, more than maxNodes = 6");
    expect((drawDot(L, { maxNodes: 7 }) as Drawing).svg).toContain("<svg");
    expect(() => drawDot(L, { maxNodes: 0 })).toThrow(/maxNodes must be a positive number, got 0/);
    expect(() => drawDot(L, { timeout: -1 })).toThrow(/timeout must be a positive number of milliseconds, got -1/);
    expect(() => drawDot(L, { maxnodes: 5 } as object)).toThrow(/unknown option "maxnodes".*maxNodes, timeout/);
  });

  it("groups an MLP's graph into a cluster per layer and per neuron, naming parameters w0…, b", async () => {
    seed(1337);
    const model = new MLP(3, [4, 4, 1]);
    const out = model.output([2.0, 3.0, -1.0]);
    const loss = out.sub(1).pow(2);
    loss.backward();
    const dot = toDot(loss, { model });
    expect(dot.match(/subgraph cluster_l\d+ \{/g)).toHaveLength(3);
    expect(dot.match(/subgraph cluster_n\d+ \{/g)).toHaveLength(9);
    expect(dot).toContain('label="layer 2";');
    expect(dot).toContain('label="neuron 4 (ReLU)";');
    expect(dot).toContain('label="neuron 1 (linear)";');
    // each neuron cluster: its nin weights and bias, nin products and nin sums (+ a ReLU with its output)
    const clusters = dot
      .split(/subgraph cluster_n\d+ \{/)
      .slice(1)
      .map((chunk) => chunk.slice(0, chunk.indexOf("\n    }\n")));
    const boxes = (chunk: string) => (chunk.match(/shape=record/g) ?? []).length;
    expect(clusters.map(boxes)).toEqual([11, 11, 11, 11, 14, 14, 14, 14, 13]);
    expect(clusters[0]).toContain('label="{w2|');
    expect(clusters[0]).toContain('label="{b|');
    // the loss (out − 1)² is not the output neuron's: the last lines outside clusters hold it
    const outside = dot.slice(dot.lastIndexOf("}\n  }") + 4);
    expect(outside).toContain('[label="**2"]');
    expect(outside).toContain('[label="+"]');
    const svg = renderSvg(dot);
    expect(parseSvg(svg).texts).toContain("neuron 3 (ReLU)");

    const single = new Neuron(2);
    const y = single.forward([1, 2]);
    const one = toDot(y, { model: single });
    expect(one).not.toContain("cluster_l");
    expect(one.match(/subgraph cluster_n\d+ \{/g)).toHaveLength(1);
  });
});

describe("Graphviz failures", () => {
  it("bad DOT is a clear error, and the next call works with a fresh Graphviz", async () => {
    renderSvg("digraph { x }");
    const before = _workerGeneration();
    expect(() => renderSvg("digraph { a -> }")).toThrow(
      "Graphviz could not render the graph: syntax error in line 1 near '}' (Graphviz was reloaded for the next call)",
    );
    expect(_workerGeneration()).toBe(before + 1);
    const svg = renderSvg(toDot(lecture().L));
    expect(parseSvg(svg).texts).toContain("grad -4.0000");
  });

  it("a layout running past the timeout is stopped with an error, and the next call works", () => {
    // a chain whose every node also feeds one far below it: dot's layout time explodes (~1 min for 125)
    const vs = [new Value(0.001, { label: "v0" }), new Value(0.002, { label: "v1" })];
    for (let i = 2; i < 130; i++) vs.push((vs[i - 1] as Value).add(vs[Math.floor(i / 2)] as Value));
    const last = vs[vs.length - 1] as Value;
    const started = performance.now();
    expect(() => drawDot(last, { timeout: 300 })).toThrow(
      /^Graphviz did not finish the layout within the time limit \(0\.\d s, timeout 300 ms\) and was stopped/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
    const drawing = drawDot(lecture().L) as Drawing;
    expect(parseSvg(drawing.svg).texts).toContain("data 10.0000");
  });
});
