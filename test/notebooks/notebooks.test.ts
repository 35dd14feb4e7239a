/**
 * Executes every notebook through a real Jupyter client (nbclient) with the project's tslab kernel, as a
 * learner would run it top to bottom, and checks what it shows: no error, nothing on stderr, the
 * lecture's numbers, graphs and charts present. A failure names the notebook and the cell.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Report, readReport } from "./reports";
import { LECTURES_DIR } from "./setup";

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  root: string;
  jupyterDir: string;
  lectureNames(): string[];
  describeFailure(report: Report): string;
};

const names = jupyter.lectureNames();

/** The report of the notebook's run (global setup), checked for a clean run of every cell. */
function run(name: string): Report {
  const report = readReport(name);
  if (!report.ok) throw new Error(jupyter.describeFailure(report));
  for (const cell of report.cells) {
    if (cell.cell_type !== "code") continue;
    if (cell.stderr) throw new Error(`${name}, cell ${cell.index} (id ${cell.id}) wrote to stderr:\n${cell.stderr}`);
  }
  return report;
}

const code = (r: Report) => r.cells.filter((c) => c.cell_type === "code");
const allStdout = (r: Report) =>
  code(r)
    .map((c) => c.stdout ?? "")
    .join("");
const displays = (r: Report) =>
  code(r).flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "display_data" && o.data));
const graphs = (r: Report) =>
  displays(r).filter(
    (o) => typeof o.data?.["image/svg+xml"] === "string" && /<svg[\s>]/.test(String(o.data?.["image/svg+xml"])),
  );
/** The ids of the cells that show an SVG only as an <img> in HTML (notebook 2's own showDot, among others). */
const imageCells = (r: Report) =>
  code(r)
    .filter((c) =>
      (c.outputs ?? []).some(
        (o) =>
          o.data?.["image/svg+xml"] === undefined &&
          /<img [^>]*src="data:image\/svg\+xml;base64,/.test(String(o.data?.["text/html"] ?? "")),
      ),
    )
    .map((c) => c.id);
const charts = (r: Report) => displays(r).filter((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined);
describe("the notebooks run top to bottom in Jupyter with the tslab kernel", { timeout: 300_000 }, () => {
  it("finds the six lectures and the exercises", () => {
    expect(names).toEqual([
      "01-derivatives.ipynb",
      "02-backprop-by-hand.ipynb",
      "03-engine-testing.ipynb",
      "04-mlp-training.ipynb",
      "05-moons-demo.ipynb",
      "06-going-faster.ipynb",
      "07-exercises.ipynb",
    ]);
  });

  // JupyterLab writes the kernel's language_info and kernelspec into a notebook as it opens: any
  // difference marks every lecture modified before the learner has done anything.
  it.each(names)("%s: committed metadata is what the kernel reports (opens unmodified)", (name) => {
    const report = JSON.parse(
      readFileSync(join(LECTURES_DIR, name.replace(/\.ipynb$/, ".report.json")), "utf8"),
    ) as Report;
    const committed = JSON.parse(readFileSync(join(jupyter.root, "notebooks", name), "utf8")) as {
      metadata: { kernelspec?: Record<string, unknown>; language_info?: Record<string, unknown> };
    };
    const spec = JSON.parse(readFileSync(join(jupyter.jupyterDir, "kernels", "tslab", "kernel.json"), "utf8")) as {
      display_name: string;
      language: string;
    };
    expect(report.language_info, "the runner got no kernel_info_reply").not.toBeNull();
    expect(committed.metadata.language_info).toEqual(report.language_info);
    expect(committed.metadata.kernelspec).toEqual({
      display_name: spec.display_name,
      language: spec.language,
      name: "tslab",
    });
  });

  it("each lecture also exports to a self-contained HTML file (nbconvert)", () => {
    for (const name of names)
      expect(existsSync(join(LECTURES_DIR, name.replace(/\.ipynb$/, ".html"))), name).toBe(true);
  });

  it("the contents page links every executed lecture, with its title and what it teaches", () => {
    const page = readFileSync(join(LECTURES_DIR, "index.html"), "utf8");
    const links = [...page.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a><p>([^<]+)<\/p>/g)];
    expect(links.map((m) => m[1])).toEqual(names.map((n) => n.replace(/\.ipynb$/, ".html")));
    for (const [, href, title, summary] of links) {
      expect(existsSync(join(LECTURES_DIR, href as string)), `${href} is linked but missing`).toBe(true);
      expect(title).toMatch(/^\d+ · \S/); // the notebook's own heading, e.g. "5 · The moons demo"
      expect((summary as string).length).toBeGreaterThan(40);
    }
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from the network: it opens offline
  });

  it("01-derivatives: f(3) = 20, the slopes, d = 4.0, d's three bumps, a plot", () => {
    const r = run("01-derivatives.ipynb");
    const out = code(r)
      .slice(1) // after the imports
      .map((c) => c.stdout ?? "");
    expect(out[0]).toBe("20.0\n");
    expect(out[2]).toBe("14.000003002223593\n");
    expect(out[3]).toBe("2.999378523327323e-06\n");
    expect(out[4]).toBe("4.0\n"); // the lecture's cell 5: print(d)
    expect(out[5]).toBe("d1 4.0\nd2 3.999699999999999\nslope -3.000000000010772\n");
    expect(out[6]).toBe("d1 4.0\nd2 4.0002\nslope 2.0000000000042206\n");
    expect(out[7]).toBe("d1 4.0\nd2 4.0001\nslope 0.9999999999976694\n");
    expect(charts(r)).toHaveLength(1);
  });

  it("02-backprop-by-hand: L = -8, its gradients, the neuron, accumulation, graphs", () => {
    const r = run("02-backprop-by-hand.ipynb");
    const text = allStdout(r);
    expect(text).toContain("Value(data=-8.0)\n"); // the lecture's first class prints no grad
    expect(text).toContain("-3.9999999999995595\n");
    expect(text).toContain("-7.286496\n");
    expect(text).toContain("0.7071067811865476\n");
    expect(text).toContain(
      "n 0.4999999999999999 x1 -1.4999999999999996 w1 0.9999999999999998 x2 0.4999999999999999 w2 0.0",
    );
    // the hand-built Value node by node and with backward(), then the package's backward(): the lecture's gradients
    expect(
      text.match(
        /^(by hand: +|backward\(\): +)?x1 -1\.4999999999999996 w1 0\.9999999999999998 x2 0\.4999999999999999 w2 0\.0$/gm,
      ),
    ).toHaveLength(3);
    expect(text).toContain("\na.grad 2.0\n"); // b = a + a: a.grad = 2
    expect(text).toContain("a -3.0 b -8.0\n");
    expect(graphs(r).length).toBeGreaterThanOrEqual(3); // the package's drawDot and animateBackward
    // the notebook's own draw_dot, through showDot: L, its grads, the neuron's, a / b, tanh from exp, o.backward(),
    // a + a, a used twice
    expect(imageCells(r)).toEqual(
      expect.arrayContaining(
        ["drawdot-02", "09", "17", "ops-09", "ops-cell11", "23", "27", "29"].map((id) => `backprop-${id}`),
      ),
    );
  });

  it("03-engine-testing: every check passes, test_engine's numbers, the gradcheck table", () => {
    const r = run("03-engine-testing.ipynb");
    const text = allStdout(r);
    expect(text).not.toContain("FAIL");
    expect((text.match(/^ok {3}/gm) ?? []).length).toBeGreaterThanOrEqual(30);
    expect(text).toContain("g = 24.7041, dg/da = 138.8338, dg/db = 645.5773");
    expect(text).toMatch(/worst relative error over every op: \S+ \(ok\)/);
    expect(graphs(r)).toHaveLength(4); // the tutorial's three, then a / b
  });

  it("04-mlp-training: 41 parameters, the loss falls, predictions reach the targets, live curve", () => {
    const r = run("04-mlp-training.ipynb");
    const text = allStdout(r);
    expect(text).toContain("parameters: 41");
    // the fixed loop (the second that prints `k loss`, k = 0 … 19; lecture-written.test.ts checks every line)
    const finalLoss = Number([...text.matchAll(/^19 (\S+)$/gm)][1]?.[1]);
    expect(finalLoss).toBeLessThan(0.05);
    const predictions = [...text.matchAll(/target +(-?1) +prediction (-?\d\.\d+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(predictions).toHaveLength(4);
    for (const [target, prediction] of predictions)
      expect(Math.abs((target as number) - (prediction as number))).toBeLessThan(0.2);
    expect(graphs(r)).toHaveLength(7); // the MLP, trace_graph's two examples in LR and TB, the clustered neuron, the live network
    expect(charts(r).length).toBeGreaterThanOrEqual(2); // the live curve and the final one
  });

  it.each(["solutions/05-moons-demo", "05-moons-demo"])(
    "%s (on the solved engine.ts and nn.ts): 337 parameters, demo.ipynb's losses, the package's, the boundary",
    (name) => {
      const r = run(`${name}.ipynb`);
      const text = allStdout(r);
      expect(text).toContain("number of parameters 337");
      expect(text).toContain("OK: your MLP and the package's start with the same 337 weights\n");
      expect(text).toContain("OK: your 100 losses against the package's: largest difference 0, 100 of 100 identical\n");
      expect(text).not.toContain("WRONG!");
      expect(text).toContain("step 0 loss 0.8958441028683222, accuracy 50.0%");
      expect(text).toContain("step 99 loss 0.010978370135492717, accuracy 100.0%");
      expect(text.match(/^step \d+ loss /gm)).toHaveLength(100);
      expect(charts(r).length).toBeGreaterThanOrEqual(3); // moons, live loss, decision boundary
      const boundary = charts(r).at(-1)?.data?.["application/vnd.plotly.v1+json"] as { data: { type: string }[] };
      expect(boundary.data.map((t) => t.type)).toContain("contour");
    },
  );

  it("05-moons-demo, the learner's (placeholders in notebooks/micrograd/): runs to the end, its loss checks say WRONG!", () => {
    const text = allStdout(run("learner/05-moons-demo.ipynb"));
    expect(text).toContain("OK: your MLP and the package's start with the same 337 weights\n"); // no placeholder there
    expect(text).toMatch(/^WRONG!: your 100 losses against the package's/m);
    expect(text).toContain("WRONG!: step 0 as demo.ipynb prints it");
    expect(text).toContain("WRONG!: step 99 as demo.ipynb prints it");
    expect(text.match(/^OK/gm)).toHaveLength(1);
  });
});
