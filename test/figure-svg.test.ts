/**
 * The static SVG picture that views without JavaScript show (GitHub, untrusted notebooks): what it
 * draws for each helper's figure. That it looks right was checked by eye in Chromium (see the README).
 */
import { describe, expect, it } from "vitest";
import { arange, decisionBoundary, demoMoons, linePlot, lossCurve, MLP, scatter2d, seed } from "../src";
import { figureSvg, figureSvgDataUri } from "../src/display/figure-svg";

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe("figureSvg", () => {
  it("draws a line plot: one path through every point, axes, ticks, titles; sized by the layout", () => {
    const svg = figureSvg(
      linePlot(arange(-5, 5, 0.25), (x) => 3 * x ** 2 - 4 * x + 5, { title: "f(x) <3", width: 500 }),
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="400"')).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
    expect(svg).not.toContain("<?xml");
    const line = svg.match(/<path d="(M[^"]*)" fill="none"/)?.[1] ?? "";
    expect(line.split(/[ML]/).filter(Boolean)).toHaveLength(40);
    expect(svg).toContain(">f(x) &#60;3</text>"); // text is escaped
    for (const label of [">x</text>", ">y</text>", ">−4</text>", ">0</text>", ">100</text>"])
      expect(svg).toContain(label);
  });

  it("draws the decision boundary: the contour's two colours, every point, a legend", () => {
    const { X, y } = demoMoons();
    seed(1337);
    const svg = figureSvg(decisionBoundary(new MLP(2, [16, 16, 1]), X, y));
    expect(count(svg, /<circle /g)).toBe(100 + 2); // the points and the two legend markers
    expect(svg).toContain('fill="#9e0142"');
    expect(svg).toContain('fill="#5e4fa2"');
    expect(svg).toContain(">y = -1</text>");
    expect(svg).toContain('clip-path="url(#plot-area)"');
  });

  it("fills exactly the cells where score > 0 for a hand-set boundary (x > 0.5 on a 3 × 2 grid)", () => {
    const fig = decisionBoundary(
      (x) => (x[0] as number) - 0.5,
      [
        [0, 0],
        [1, 0],
      ],
      [-1, 1],
      { h: 1, margin: 1 },
    );
    // grid x = [-1, 0, 1], y = [-1, 0]: z = 1 only at x = 1; the region z ≥ 0.5 starts half way from x = 0 to 1
    const svg = figureSvg(fig);
    const region = svg.match(/<path d="([^"]*)" fill="#5e4fa2"/)?.[1] ?? "";
    expect(region.match(/M/g)).toHaveLength(1); // one cell, between x = 0 and x = 1
  });

  it("draws a loss curve with accuracy against a second axis in %", () => {
    const svg = figureSvg(
      lossCurve([
        { loss: 1, accuracy: 0.5 },
        { loss: 0.5, accuracy: 0.75 },
        { loss: 0.25, accuracy: 1 },
      ]),
    );
    expect(count(svg, /fill="none"/g)).toBe(2);
    expect(svg).toContain('stroke-dasharray="2,3"');
    for (const label of [">0%</text>", ">50%</text>", ">100%</text>", ">accuracy</text>"]) expect(svg).toContain(label);
  });

  it("handles a log axis and a single point", () => {
    expect(figureSvg(lossCurve([100, 10, 1, 0.1], { logY: true }))).toContain(">10</text>");
    expect(count(figureSvg(lossCurve([0.5])), /<circle /g)).toBe(1);
    expect(count(figureSvg(scatter2d([[1, 1]], [1])), /<circle /g)).toBe(2);
  });

  it("comes as a base64 data URI for an <img>", () => {
    const uri = figureSvgDataUri(linePlot([0, 1], [0, 1]));
    expect(uri.startsWith("data:image/svg+xml;base64,")).toBe(true);
    expect(
      Buffer.from(uri.split(",")[1] as string, "base64")
        .toString("utf8")
        .startsWith("<svg"),
    ).toBe(true);
  });
});
