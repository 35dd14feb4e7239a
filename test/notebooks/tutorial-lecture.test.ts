/**
 * The executed notebooks against the tutorial's EngineTesting.ipynb and the lecture's printed outputs,
 * string for string, and the texts on their graphs (issue 11). Cells are found by their id, so inserted
 * cells elsewhere do not move what is checked. Reads the reports the global setup wrote.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pyFloat } from "../../src";
import { type Report, readReport } from "./reports";

function report(name: string): Report {
  const r = readReport(name);
  if (!r.ok) throw new Error(`${name} failed to run (see notebooks.test.ts for the failing cell)`);
  return r;
}

/** One code cell of an executed notebook, by id: what it printed and what it displayed. */
function cell(name: string, id: string) {
  const c = report(name).cells.find((x) => x.id === id);
  if (c === undefined) throw new Error(`${name} has no cell ${id}`);
  expect(c.stderr ?? "", `${name} ${id} wrote to stderr`).toBe("");
  const displays = (c.outputs ?? []).filter((o) => o.output_type === "display_data" && o.data);
  const svgs = displays.map((o) => o.data?.["image/svg+xml"]).filter((s): s is string => typeof s === "string");
  // the SVGs a notebook's own code shows as <img> data URIs in HTML (notebook 2's showDot)
  const images = displays
    .filter((o) => o.data?.["image/svg+xml"] === undefined)
    .flatMap((o) => [
      ...String(o.data?.["text/html"] ?? "").matchAll(/src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/g),
    ])
    .map((m) => Buffer.from(m[1] as string, "base64").toString("utf8"));
  const charts = displays.map((o) => o.data?.["application/vnd.plotly.v1+json"]).filter((f) => f !== undefined) as {
    data: { x: number[]; y: number[] }[];
  }[];
  return { stdout: c.stdout ?? "", svgs, images, charts };
}

/** The texts drawn on a Graphviz SVG (Graphviz writes - as &#45;), blank fields (a leaf's empty op) left out. */
function graphTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((m) => (m[1] as string).replaceAll("&#45;", "-").replaceAll("&#160;", " ").trim())
    .filter((t) => t !== "");
}
const sorted = (xs: string[]) => [...xs].sort();

/** The tutorial's record boxes, as EngineTesting.md lists them: op (empty for a leaf) | data | grad. */
function tutorialBoxes(list: string): string[] {
  return list
    .split(" | ")
    .map((t) => t.trim())
    .filter((t) => t !== "(empty op: a leaf)");
}

describe("03-engine-testing opens with the tutorial's EngineTesting.ipynb", () => {
  const nb = "03-engine-testing";

  it("f·(a·b + c): print(L) shows Value(data=-8.0, grad=0.0), the graph has the tutorial's seven boxes", () => {
    const { stdout, svgs } = cell(nb, "engine-testing-t03");
    expect(stdout).toBe("Value(data=-8.0, grad=0.0)\n");
    expect(svgs).toHaveLength(1);
    const tutorial = tutorialBoxes(
      "(empty op: a leaf) | data 2.0000 | grad 0.0000 | * | data -6.0000 | grad 0.0000 | + | data 4.0000 | grad 0.0000 | * | data -8.0000 | grad 0.0000 | (empty op: a leaf) | data -2.0000 | grad 0.0000 | (empty op: a leaf) | data 10.0000 | grad 0.0000 | (empty op: a leaf) | data -3.0000 | grad 0.0000",
    );
    expect(sorted(graphTexts(svgs[0] as string))).toEqual(sorted(tutorial));
  });

  it("bug is fixed: f -6, d -5, e 1, a.grad 0, b.grad -2, drawn with the tutorial's nine boxes", () => {
    const { stdout, svgs } = cell(nb, "engine-testing-t05");
    expect(stdout).toBe("f -6.0  d -5.0  e 1.0\na.grad 0.0  b.grad -2.0\n");
    expect(svgs).toHaveLength(1);
    const tutorial = tutorialBoxes(
      "(empty op: a leaf) | data -1.0000 | grad 3.0000 | * | data -3.0000 | grad 1.0000 | + | data 1.0000 | grad -1.0000 | * | data -1.0000 | grad 1.0000 | (empty op: a leaf) | data -2.0000 | grad 0.0000 | + | data -5.0000 | grad 1.0000 | (empty op: a leaf) | data -1.0000 | grad 1.0000 | + | data -6.0000 | grad 1.0000 | (empty op: a leaf) | data 3.0000 | grad -2.0000",
    );
    expect(sorted(graphTexts(svgs[0] as string))).toEqual(sorted(tutorial));
  });

  it("one neuron with backward, drawn right after o.backward() with the tutorial's ten boxes", () => {
    const { svgs } = cell(nb, "engine-testing-t07");
    expect(svgs).toHaveLength(1);
    const tutorial = tutorialBoxes(
      "* | data 0.0000 | grad 0.5000 | + | data -6.0000 | grad 0.5000 | + | data 0.8814 | grad 0.5000 | tanh | data 0.7071 | grad 1.0000 | (empty op: a leaf) | data 2.0000 | grad -1.5000 | * | data -6.0000 | grad 0.5000 | (empty op: a leaf) | data 6.8814 | grad 0.5000 | (empty op: a leaf) | data -3.0000 | grad 1.0000 | (empty op: a leaf) | data 0.0000 | grad 0.5000 | (empty op: a leaf) | data 1.0000 | grad 0.0000",
    );
    expect(sorted(graphTexts(svgs[0] as string))).toEqual(sorted(tutorial));
  });

  it("the same neuron in a reference framework: the tutorial's PyTorch printout, character for character", () => {
    expect(cell(nb, "engine-testing-t09").stdout).toBe(
      "0.7071066904050358\n---\nx2 0.5000001283844369\nw2 0.0\nx1 -1.5000003851533106\nw1 1.0000002567688737\n",
    );
  });

  it("TensorFlow.js (float32) agrees with the engine within the stated 1e-6", () => {
    const { stdout } = cell(nb, "engine-testing-t11");
    const engine = [...stdout.matchAll(/^(\S+) +engine (\S+) +TF\.js (\S+) +\|diff\| (\S+)$/gm)];
    expect(engine.map((m) => [m[1], m[2]])).toEqual([
      ["o", "0.7071067811865476"],
      ["x1.grad", "-1.4999999999999996"],
      ["x2.grad", "0.4999999999999999"],
      ["w1.grad", "0.9999999999999998"],
      ["w2.grad", "0.0"],
    ]);
    for (const m of engine) expect(Math.abs(Number(m[2]) - Number(m[3]))).toBeLessThanOrEqual(1e-6);
    expect(Math.max(...engine.map((m) => Math.abs(Number(m[2]) - Number(m[3]))))).toBeGreaterThan(1e-8); // float32
    expect(stdout).toMatch(/^largest difference \S+: within the tolerance 1e-6$/m);
  });
});

describe("02-backprop-by-hand: the lecture's Value written in the notebook, its printed numbers", () => {
  const nb = "02-backprop-by-hand";
  const grads = "x1 -1.4999999999999996 w1 0.9999999999999998 x2 0.4999999999999999 w2 0.0";

  it("the class written in the notebook prints Values as the lecture's first class does, and its numbers", () => {
    expect(cell(nb, "backprop-value-02").stdout).toBe("Value(data=4.0)\n"); // a*b + c
    expect(cell(nb, "backprop-03").stdout).toBe("Value(data=-8.0)\n"); // the lecture's cell 7
    expect(cell(nb, "backprop-05").stdout).toBe(
      "L._op: *  L._prev: [ 'd', 'f' ]\nd._op: +  d._prev: [ Value(data=-6.0), Value(data=10.0) ]\n",
    );
    expect(cell(nb, "backprop-11").stdout).toBe("-3.9999999999995595\n");
    expect(cell(nb, "backprop-13").stdout).toBe("-7.286496\n");
    expect(cell(nb, "backprop-17").stdout).toBe(`n 0.4999999999999999 ${grads}\n`);
  });

  it("the tanh plot: np.tanh over arange(-5, 5, 0.2), 50 points", () => {
    const { charts } = cell(nb, "backprop-tanh-2");
    expect(charts).toHaveLength(1);
    const { x, y } = (charts[0] as { data: { x: number[]; y: number[] }[] }).data[0] as { x: number[]; y: number[] };
    expect(x).toHaveLength(50);
    expect(x[0]).toBe(-5);
    expect(Math.abs((x.at(-1) as number) - 4.8)).toBeLessThan(1e-12);
    y.forEach((yi, i) => expect(Math.abs(yi - Math.tanh(x[i] as number))).toBeLessThanOrEqual(1e-15));
  });

  it("the hand-built class: _backward node by node and backward() give the lecture's gradients", () => {
    expect(cell(nb, "backprop-byhand-03").stdout).toBe(`by hand:     ${grads}\n`);
    expect(cell(nb, "backprop-byhand-05").stdout).toBe(`backward():  ${grads}\n`);
  });

  it("b = a + a: 1.0 with = (the bug), 2.0 with +=", () => {
    expect(cell(nb, "backprop-byhand-07").stdout).toBe("first version: a.grad 1.0 (wrong: db/da = 2)\n");
    expect(cell(nb, "backprop-byhand-10").stdout).toBe("fixed: a.grad 2.0\n");
  });

  it("the hand-built class and the package agree on every number of the lecture's expressions", () => {
    const lines = cell(nb, "backprop-byhand-14").stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(14);
    for (const line of lines) {
      const m = /^(.+?) +by hand (\S+) +package (\S+) +(same|DIFFERENT)$/.exec(line);
      expect(m?.[2], line).toBe(m?.[3]);
      expect(m?.[4], line).toBe("same");
    }
    expect(lines[0]).toMatch(/^L +by hand -8\.0 /);
    expect(lines[5]).toMatch(/^o +by hand 0\.7071067811865476 /);
    expect(lines[10]).toMatch(/^\(a\+a\) a\.grad +by hand 2\.0 /);
  });

  it("build_topo's order (the lecture's cell 16): the lecture's ten values, x1 first where its Python set put b", () => {
    const printed = cell(nb, "backprop-topo").stdout;
    // the numbers as the lecture's cell 16 prints them, and as this notebook's order lists them
    const lecture = "6.881373587019543 2.0 -3.0 -6.0 0.0 1.0 0.0 -6.0 0.8813735870195432 0.7071067811865476".split(" ");
    const ours = "2.0 -3.0 -6.0 0.0 1.0 0.0 -6.0 6.881373587019543 0.8813735870195432 0.7071067811865476".split(" ");
    expect(printed).toBe(`[\n${ours.map((x) => `  Value(data=${x})`).join(",\n")}\n]\n`);
    expect([...ours].sort()).toEqual([...lecture].sort());
  });

  it("the neuron written in the notebook, drawn by its draw_dot right after o.backward()", () => {
    const { stdout, svgs, images } = cell(nb, "backprop-23");
    expect(stdout).toBe(`${grads}\n`);
    expect(svgs).toHaveLength(0);
    // too wide to read at the output's width: the picture, and the same at full size under a toggle
    expect(images).toHaveLength(2);
    expect(images[1]).toBe(images[0]);
    const texts = graphTexts(images[0] as string);
    for (const t of ["o", "data 0.7071", "grad 1.0000", "x1", "grad -1.5000", "w2", "tanh"]) expect(texts).toContain(t);
  });

  it("b = a + a drawn after backward: a.grad 2", () => {
    const { stdout, images } = cell(nb, "backprop-27");
    expect(stdout).toBe("a.grad 2.0\n");
    expect(sorted(graphTexts(images[0] as string))).toEqual(
      sorted(["a", "data 3.0000", "grad 2.0000", "+", "b", "data 6.0000", "grad 1.0000"]),
    );
  });

  it("a value used twice through d = a·b and e = a + b: a -3.0, b -8.0", () => {
    const { stdout, images } = cell(nb, "backprop-29");
    expect(stdout).toBe("a -3.0 b -8.0\n");
    expect(graphTexts(images[0] as string)).toEqual(expect.arrayContaining(["grad -3.0000", "grad -8.0000", "f"]));
  });
});

describe("01-derivatives prints the lecture's numbers as Python does", () => {
  it("20.0, 2.999378523327323e-06, d1 4.0 / d2 4.0001 / slope 0.9999999999976694", () => {
    expect(cell("01-derivatives", "derivatives-01").stdout).toBe("20.0\n");
    expect(cell("01-derivatives", "derivatives-07").stdout).toBe("2.999378523327323e-06\n");
    expect(cell("01-derivatives", "derivatives-13").stdout).toBe("d1 4.0\nd2 4.0001\nslope 0.9999999999976694\n");
  });
});

describe("04-mlp-training: the lecture's loop and micrograd's trace_graph.ipynb", () => {
  const nb = "04-mlp-training";

  it("prints `k loss` on each of the 20 steps, Python's number text, next to the live chart", () => {
    const { stdout, charts } = cell(nb, "mlp-training-13");
    expect(charts).toHaveLength(1);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(" ")[0])).toEqual(Array.from({ length: 20 }, (_, k) => String(k)));
    for (const line of lines) {
      const loss = line.split(" ")[1] as string;
      expect(pyFloat(Number(loss))).toBe(loss);
    }
    // step 0's loss is the loss printed before training, from the same seeded weights
    const before = /^Value\(data=(\S+)\)$/m.exec(cell(nb, "mlp-training-09").stdout)?.[1];
    expect(lines[0]).toBe(`0 ${before}`);
    expect(Number(lines[19]?.split(" ")[1])).toBeLessThan(0.05);
  });

  /** Width and height of a Graphviz SVG, in points. */
  const size = (svg: string) => {
    const m = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg);
    return { width: Number(m?.[1]), height: Number(m?.[2]) };
  };

  it("(x*2 + 1).relu() at x = 1: y 3.0, x.grad 2, drawn left to right and top to bottom", () => {
    const { stdout, svgs } = cell(nb, "mlp-training-trace-2");
    expect(stdout).toBe("Value(data=3.0, grad=1.0)\n");
    expect(svgs).toHaveLength(2);
    const [lr, tb] = svgs.map((s) => size(s)) as [{ width: number; height: number }, { width: number; height: number }];
    expect(lr.width).toBeGreaterThan(tb.width); // left to right: wider
    expect(tb.height).toBeGreaterThan(lr.height); // top to bottom: taller
    for (const svg of svgs)
      expect(graphTexts(svg)).toEqual(expect.arrayContaining(["ReLU", "data 3.0000", "grad 2.0000"]));
  });

  it("the seeded Neuron(2) on [1, -2]: Python's weights and output, drawn LR and TB", () => {
    const { stdout } = cell(nb, "mlp-training-trace-4");
    // LR and TB in two cells: both in one output area would be taller than a front end shows unscrolled
    const svgs = [...cell(nb, "mlp-training-trace-4").svgs, ...cell(nb, "mlp-training-trace-4-tb").svgs];
    // python3: random.seed(1337); [random.uniform(-1, 1) for _ in range(2)]; 0.0 + w0*1.0 + w1*-2.0
    expect(stdout).toBe("w 0.23550571390294128 0.06653114721000164  b 0.0\nValue(data=0.102443419482938, grad=1.0)\n");
    expect(svgs).toHaveLength(2);
    const [lr, tb] = svgs.map((s) => size(s)) as [{ width: number; height: number }, { width: number; height: number }];
    expect(lr.width).toBeGreaterThan(tb.width); // left to right: wider
    expect(tb.height).toBeGreaterThan(lr.height); // top to bottom: taller
    for (const svg of svgs) expect(graphTexts(svg)).toEqual(expect.arrayContaining(["data 0.1024", "grad 0.2355"]));
  });

  it("model clusters and markGrads: the dead ReLU's neuron boxed, its zero grads grey", () => {
    const { stdout, svgs } = cell(nb, "mlp-training-trace-6");
    expect(stdout).toBe("Value(data=0.0, grad=1.0)\nw grads 0.0 0.0\n");
    const svg = svgs[0] as string;
    expect(graphTexts(svg)).toEqual(expect.arrayContaining(["neuron (ReLU)", "w0", "w1", "b", "grad 0.0000"]));
    expect(svg).toContain('class="cluster"');
    expect(svg).toContain('fill="#eeeeee"');
  });
});

describe("05-moons-demo, solved, prints demo.ipynb's lines from your engine.ts and nn.ts", () => {
  it("each loss within 4e-16 of demo.ipynb's, the same accuracy, 20 of the 100 lines identical", () => {
    const printed = (
      JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "micrograd-demo-printed.json"), "utf8")) as {
        lines: string[];
      }
    ).lines;
    const lines = cell("solutions/05-moons-demo", "moons-demo-07")
      .stdout.split("\n")
      .filter((l) => l.startsWith("step "));
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe("step 0 loss 0.8958441028683222, accuracy 50.0%");
    const parse = (l: string) => /^step (\d+) loss (\S+), accuracy (\S+)%$/.exec(l)?.slice(1).map(Number) ?? [];
    lines.forEach((line, k) => {
      const [step, loss, acc] = parse(line);
      const [, demoLoss, demoAcc] = parse(printed[k] as string);
      expect([step, acc]).toEqual([k, demoAcc]);
      expect(Math.abs((loss as number) - (demoLoss as number)), line).toBeLessThanOrEqual(4e-16);
    });
    expect(lines.filter((l, k) => l === printed[k])).toHaveLength(20);
  });
});
