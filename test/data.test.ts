import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoMoons, lectureData, makeMoons, Random } from "../src";

describe("data sets", () => {
  it("demoMoons is the fixture of micrograd's demo: 100 points, labels ±1", () => {
    const { X, y } = demoMoons();
    const fixture = JSON.parse(readFileSync(join(__dirname, "..", "data", "demo-moons.json"), "utf8"));
    expect(X).toEqual(fixture.X);
    expect(y).toEqual(fixture.y);
    expect(X).toHaveLength(100);
    expect(X[0]).toEqual([1.1221146075409685, 0.08147717341718697]);
    expect(y.filter((v) => v === 1)).toHaveLength(50);
    expect(new Set(y)).toEqual(new Set([-1, 1]));
  });

  it("lectureData is the lecture's four samples", () => {
    expect(lectureData()).toEqual({
      xs: [
        [2, 3, -1],
        [3, -1, 0.5],
        [0.5, 1, 1],
        [1, 1, -1],
      ],
      ys: [1, -1, -1, 1],
    });
  });

  it("makeMoons is seeded, balanced and shaped like two moons", () => {
    const a = makeMoons(50, 0.1, new Random(3));
    const b = makeMoons(50, 0.1, new Random(3));
    expect(a).toEqual(b);
    expect(a.X).toHaveLength(50);
    expect(a.y.filter((v) => v === -1)).toHaveLength(25);
    const clean = makeMoons(9, 0, new Random(1));
    clean.X.forEach((p, i) => {
      const [x, yy] = p as [number, number];
      // upper moon: on the unit circle; lower moon: on the circle around (1, 0.5)
      const r = clean.y[i] === -1 ? Math.hypot(x, yy) : Math.hypot(x - 1, yy - 0.5);
      expect(Math.abs(r - 1)).toBeLessThan(1e-12);
    });
    expect(() => makeMoons(1)).toThrow(/makeMoons expects n to be an integer >= 2.*got 1/);
    expect(() => makeMoons(10, -1)).toThrow(/makeMoons expects noise to be a finite number >= 0.*got -1/);
  });
});
