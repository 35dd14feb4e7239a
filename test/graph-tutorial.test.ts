/**
 * drawDot's `style: "tutorial"`: the micrograd tutorial's draw_dot (DAG.py), one record box
 * `{ op | data %.4f | grad %.4f }` per value, no labels, no operation nodes, operand → result edges.
 * The expected boxes are those the tutorial's EngineTesting.ipynb draws (/work/shared/tutorial).
 */
import { describe, expect, it } from "vitest";
import { drawDot, toDot, Value } from "../src";

/** [op, data, grad] of every record box, sorted, and the edges as [from, to] node ids. */
function readDot(dot: string) {
  const boxes: string[][] = [];
  const edges: Array<[string, string]> = [];
  for (const line of dot.split("\n")) {
    const node = /^\s*(v\d+) \[shape=record, label="\{((?:[^"\\]|\\.)*)\}"/.exec(line);
    if (node) boxes.push((node[2] as string).split("|"));
    const edge = /^\s*(\S+) -> (\S+);$/.exec(line);
    if (edge) edges.push([edge[1] as string, edge[2] as string]);
  }
  return { boxes: boxes.sort(), edges };
}

/** The tutorial's "bug is fixed" cell: a = −2, b = 3, d = a − b, e = a + b, f = d − e, f.backward(). */
function bugIsFixed() {
  const a = new Value(-2.0, { label: "a" });
  const b = new Value(3.0, { label: "b" });
  const d = a.sub(b);
  const e = a.add(b);
  const f = d.sub(e);
  f.backward();
  return f;
}

describe('toDot(root, { style: "tutorial" })', () => {
  it("draws the tutorial's nine boxes for the bug-is-fixed graph, labels left out", () => {
    const dot = toDot(bugIsFixed(), { style: "tutorial" });
    // EngineTesting.ipynb, cell 4: the record boxes its draw_dot shows
    const tutorial = [
      ["", "data -1.0000", "grad 3.0000"],
      ["*", "data -3.0000", "grad 1.0000"],
      ["+", "data 1.0000", "grad -1.0000"],
      ["*", "data -1.0000", "grad 1.0000"],
      ["", "data -2.0000", "grad 0.0000"],
      ["+", "data -5.0000", "grad 1.0000"],
      ["", "data -1.0000", "grad 1.0000"],
      ["+", "data -6.0000", "grad 1.0000"],
      ["", "data 3.0000", "grad -2.0000"],
    ];
    expect(readDot(dot).boxes).toEqual(tutorial.sort());
    expect(dot).toContain("rankdir=LR");
    expect(dot).not.toMatch(/_op/); // no operation nodes
    expect(dot).not.toMatch(/label="\{[ab]\|/); // no labels
  });

  it("has one edge per operand → result, and one for a value used twice (the tutorial keeps a set)", () => {
    const a = new Value(3.0);
    const b = a.add(a);
    const { edges } = readDot(toDot(b, { style: "tutorial" }));
    expect(edges).toEqual([["v0", "v1"]]);
    const f = bugIsFixed();
    expect(readDot(toDot(f, { style: "tutorial" })).edges).toHaveLength(10); // five operations of two operands each
  });

  it("keeps the lecture's style as the default", () => {
    const f = bugIsFixed();
    expect(toDot(f)).toBe(toDot(f, { style: "lecture" }));
    expect(toDot(f)).toContain("_op");
  });

  it("renders the tutorial's neuron with Graphviz: ten boxes, no operation nodes", () => {
    const [x1, x2, w1, w2] = [2.0, 0.0, -3.0, 1.0].map((x) => new Value(x)) as [Value, Value, Value, Value];
    const o = x1.mul(w1).add(x2.mul(w2)).add(new Value(6.8813735870195432)).tanh();
    o.backward();
    const drawing = drawDot(o, { style: "tutorial", rankdir: "TB" });
    if (drawing === undefined) throw new Error("drawDot returned nothing outside a notebook");
    expect((drawing.svg.match(/<g id="node\d+" class="node">/g) ?? []).length).toBe(10);
    for (const text of ["tanh", "data 0.7071", "grad 1.0000", "grad -1.5000", "data 6.8814", "grad 0.5000"])
      expect(drawing.svg.replaceAll("&#45;", "-")).toContain(`>${text}</text>`); // Graphviz writes - as &#45;
    expect(drawing.dot).toContain("rankdir=TB");
  });

  it("rejects an unknown style, naming the function and the value", () => {
    const v = new Value(1);
    expect(() => toDot(v, { style: "Tutorial" } as never)).toThrow(
      new RangeError('toDot: style must be "lecture" or "tutorial", got the string "Tutorial"'),
    );
    expect(() => drawDot(v, { style: 1 } as never)).toThrow(
      new TypeError('drawDot: style must be "lecture" or "tutorial", got 1'), // a wrong kind
    );
  });
});
