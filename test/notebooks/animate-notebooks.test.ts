/**
 * The closing section of notebook 02 (animateBackward), as executed through Jupyter by the global setup:
 * cells found by id, so other sections may grow around them. (Notebook 4's live picture: lecture-written.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { renderSvg, toDot } from "../../src";
import { lectureExpression } from "../helpers";
import { type Cell, cellById } from "./reports";

function cell(notebook: string, id: string): Cell {
  const found = cellById(notebook, id);
  expect(found.status).toBe("ok");
  expect(found.stderr ?? "").toBe("");
  return found;
}

const displays = (c: Cell) => (c.outputs ?? []).filter((o) => o.output_type === "display_data" && o.data);
const imagesIn = (html: string) =>
  [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/g)].map((m) =>
    Buffer.from(m[1] as string, "base64").toString("utf8"),
  );

const lecture = () => lectureExpression().L;

describe("notebook sections of issue 14", { timeout: 300_000 }, () => {
  it("02: animateBackward(L) leaves one output, drawDot's picture after backward(), and the lecture's grads", () => {
    const c = cell("02-backprop-by-hand.ipynb", "backprop-watch-01");
    const outputs = displays(c);
    expect(outputs).toHaveLength(1); // one output, updated in place: not one per frame
    const data = outputs[0]?.data as Record<string, string>;
    expect(data["text/plain"]).toBe("graph: 7 values, 3 operations");
    const L = lecture();
    L.backward();
    expect(data["image/svg+xml"]).toBe(renderSvg(toDot(L)));
    expect(imagesIn(data["text/html"] as string)).toEqual([data["image/svg+xml"]]);
    expect(c.stdout).toBe("after animateBackward: a 6 b -4 c -2 f 4\n");
  });

  it("02: the tanh neuron, stepped through, ends with the lecture's grads", () => {
    const c = cell("02-backprop-by-hand.ipynb", "backprop-watch-03");
    const outputs = displays(c);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.data?.["text/plain"]).toBe("graph: 10 values, 5 operations");
    expect(c.stdout).toBe(
      "after animateBackward: x1 -1.4999999999999996 w1 0.9999999999999998 x2 0.4999999999999999 w2 0\n",
    );
  });

  it('02: view: "steps" shows the five frames side by side in one output', () => {
    const c = cell("02-backprop-by-hand.ipynb", "backprop-watch-05");
    const outputs = displays(c);
    expect(outputs).toHaveLength(1);
    const data = outputs[0]?.data as Record<string, string>;
    const svgs = imagesIn(data["text/html"] as string);
    expect(svgs).toHaveLength(5);
    expect(svgs[3]).toContain("* : a.grad += b.data · e.grad = −3 · −2 = 6");
    const L = lecture();
    L.backward();
    expect(svgs[4]).toBe(renderSvg(toDot(L)));
    expect((data["text/plain"] as string).split("\n")[0]).toBe(
      "1/5  L.grad = 1: backward() starts at the output (dL/dL = 1)",
    );
  });
});
