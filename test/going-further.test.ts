/** The pieces notebook 06 adds to the package: spirals, AdamW's weight decay, multi-class decision regions. */
import { describe, expect, it } from "vitest";
import { Adam, decisionRegions, makeSpirals, Random, Value } from "../src";
import { expectClose } from "./helpers";

describe("makeSpirals", () => {
  it("is seeded; class c's arm starts at the centre and ends on the unit circle at angle 4c + 4 (noise 0)", () => {
    const a = makeSpirals(50, 3, 0.2, new Random(7));
    expect(makeSpirals(50, 3, 0.2, new Random(7))).toEqual(a);
    expect(a.X).toHaveLength(150);
    expect(a.y.filter((c) => c === 2)).toHaveLength(50);
    const clean = makeSpirals(5, 3, 0, new Random(1));
    expect(clean.X[0]).toEqual([0, 0]);
    for (let c = 0; c < 3; c++) {
      const [x, y] = clean.X[5 * c + 4] as number[];
      expectClose(x as number, Math.sin(4 * c + 4));
      expectClose(y as number, Math.cos(4 * c + 4));
      expect(clean.y[5 * c + 4]).toBe(c);
    }
  });

  it("rejects bad arguments, naming them", () => {
    expect(() => makeSpirals(1)).toThrow(
      new RangeError("makeSpirals expects perClass to be an integer >= 2 and <= 1,000,000, got 1."),
    );
    expect(() => makeSpirals(10, 1)).toThrow(
      new RangeError("makeSpirals expects classes to be an integer >= 2 and <= 100, got 1."),
    );
    expect(() => makeSpirals(10, 3, Number.NaN)).toThrow(
      new TypeError("makeSpirals expects noise to be a finite number, got NaN"),
    );
    expect(() => makeSpirals(10, 3, -1)).toThrow(/got -1/);
    expect(() => makeSpirals(500_000, 3)).toThrow(
      new RangeError("makeSpirals: 500000 points × 3 classes is more than 1,000,000 points"),
    );
  });
});

describe("Adam with weightDecay (AdamW)", () => {
  it("shrinks the parameter by lr·weightDecay first, as PyTorch's AdamW: p·(1 − lr·wd) − lr·m̂/(√v̂ + eps)", () => {
    const p = new Value(2);
    const opt = new Adam([p], { lr: 0.1, weightDecay: 0.01 });
    p.grad = 0.5;
    opt.step();
    // first step: m̂ = g, v̂ = g², so the Adam step is lr·g/(|g| + eps)
    expect(p.data).toBe(2 * (1 - 0.1 * 0.01) - (0.1 * 0.5) / (Math.sqrt(0.25) + 1e-8));
    const plain = new Value(2);
    const adam = new Adam([plain], { lr: 0.1 });
    plain.grad = 0.5;
    adam.step();
    expect(plain.data).toBe(2 - (0.1 * 0.5) / (Math.sqrt(0.25) + 1e-8));
  });

  it("rejects a negative or non-finite weightDecay", () => {
    expect(() => new Adam([new Value(1)], { weightDecay: -0.1 })).toThrow(
      new RangeError("Adam expects weightDecay to be a finite number >= 0, got -0.1."),
    );
    expect(() => new Adam([new Value(1)], { weightDecay: Number.POSITIVE_INFINITY })).toThrow(
      new TypeError("Adam expects weightDecay to be a finite number, got Infinity"),
    );
  });
});

describe("decisionRegions", () => {
  it("fills each grid point with its class (numpy's arange grid) and draws one trace per class", () => {
    const X = [
      [0, 0],
      [1, 0],
      [0, 1],
    ];
    const classify = ([x, y]: number[]) => ((x as number) > 0.5 ? 1 : (y as number) > 0.5 ? 2 : 0);
    const figure = decisionRegions(classify, X, [0, 1, 2], { h: 0.5, margin: 0.5 });
    const contour = figure.data[0] as { type: string; x: number[]; y: number[]; z: number[][] };
    expect(contour.type).toBe("contour");
    expect(contour.x).toEqual([-0.5, 0, 0.5, 1]);
    expect(contour.y).toEqual([-0.5, 0, 0.5, 1]);
    expect(contour.z[3]).toEqual([2, 2, 2, 1]); // y = 1
    expect(contour.z[0]).toEqual([0, 0, 0, 1]); // y = −0.5
    expect(figure.data.slice(1).map((t) => t.name)).toEqual(["y = 0", "y = 1", "y = 2"]);
  });

  it("rejects a classifier that answers something other than a class index", () => {
    const X = [
      [0, 0],
      [1, 1],
    ];
    expect(() => decisionRegions(() => 5, X, [0, 1])).toThrow(/the class at \(-1, -1\) is 5, not one of 0 … 1/);
    expect(() => decisionRegions("no" as unknown as () => number, X, [0, 1])).toThrow(TypeError);
    expect(() => decisionRegions(() => 0, X, [0, 0.5])).toThrow(/labels\[1\] is 0.5/);
  });
});
