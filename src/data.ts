/** Data sets: micrograd demo's exact 100 moons, the lecture's four samples, seeded moons and spirals. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkNumber, describe } from "./internal/check";
import { globalRandom, type Random } from "./random";

/** The most points makeMoons makes: far more than a scalar engine can train on (the demo uses 100). */
export const MAX_MOONS_POINTS = 1_000_000;
/** The most noise makeMoons adds: the moons span ~3 units, so this already buries them; more would overflow. */
export const MAX_MOONS_NOISE = 1e6;

/** Points with labels: X[i] is a point, y[i] its label. */
export interface Dataset {
  X: number[][];
  y: number[];
}

/**
 * The exact data set of micrograd's demo.ipynb: sklearn's make_moons(n_samples=100, noise=0.1) after
 * numpy's seed 1337, labels mapped to −1/+1. Stored as a file because numpy's generator is not ours.
 */
export function demoMoons(): Dataset {
  const file = join(__dirname, "..", "data", "demo-moons.json");
  const { X, y } = JSON.parse(readFileSync(file, "utf8")) as Dataset;
  return { X, y };
}

/** The lecture's tiny training set for MLP(3, [4, 4, 1]): four inputs and their targets. */
export function lectureData(): { xs: number[][]; ys: number[] } {
  return {
    xs: [
      [2.0, 3.0, -1.0],
      [3.0, -1.0, 0.5],
      [0.5, 1.0, 1.0],
      [1.0, 1.0, -1.0],
    ],
    ys: [1.0, -1.0, -1.0, 1.0],
  };
}

/**
 * Two interleaving half circles, as sklearn's make_moons: the first half of the points on the upper moon
 * (label −1), the rest on the lower one (label +1), shuffled, with Gaussian noise of std `noise`.
 */
export function makeMoons(n: number, noise = 0.1, rng: Random = globalRandom): Dataset {
  const fn = "makeMoons";
  checkNumber(n, fn, "n", { integer: true, min: 2, max: MAX_MOONS_POINTS });
  checkNumber(noise, fn, "noise", { min: 0, max: MAX_MOONS_NOISE });
  checkRng(rng, fn);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const angles = (k: number) => Array.from({ length: k }, (_, i) => (k === 1 ? 0 : (Math.PI * i) / (k - 1)));
  const points: { x: number[]; y: number }[] = [
    ...angles(nOuter).map((t) => ({ x: [Math.cos(t), Math.sin(t)], y: -1 })),
    ...angles(nInner).map((t) => ({ x: [1 - Math.cos(t), 1 - Math.sin(t) - 0.5], y: 1 })),
  ];
  rng.shuffle(points);
  return {
    X: points.map((p) => p.x.map((c) => c + noise * rng.gauss())),
    y: points.map((p) => p.y),
  };
}

/**
 * Interleaved spirals, one arm per class (the CS231n classic): class c has `perClass` points at radius
 * r = i/(perClass − 1) going out from the centre, angle 4c + 4r (in radians) plus Gaussian noise of std
 * `noise`, at (r·sin θ, r·cos θ). Labels 0, 1, …, classes − 1, in class order (shuffle for minibatches).
 */
export function makeSpirals(perClass: number, classes = 3, noise = 0.2, rng: Random = globalRandom): Dataset {
  const fn = "makeSpirals";
  checkNumber(perClass, fn, "perClass", { integer: true, min: 2, max: MAX_SPIRAL_POINTS });
  checkNumber(classes, fn, "classes", { integer: true, min: 2, max: MAX_SPIRAL_CLASSES });
  if (perClass * classes > MAX_SPIRAL_POINTS) {
    throw new RangeError(
      `${fn}: ${perClass} points × ${classes} classes is more than ${MAX_SPIRAL_POINTS.toLocaleString("en-US")} points`,
    );
  }
  checkNumber(noise, fn, "noise", { min: 0, max: MAX_MOONS_NOISE });
  checkRng(rng, fn);
  const X: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / (perClass - 1);
      const theta = 4 * c + 4 * r + noise * rng.gauss();
      X.push([r * Math.sin(theta), r * Math.cos(theta)]);
      y.push(c);
    }
  }
  return { X, y };
}

/** The most points (all classes together), and classes, makeSpirals makes: it allocates them all. */
export const MAX_SPIRAL_POINTS = 1_000_000;
export const MAX_SPIRAL_CLASSES = 100;

/** A generator with gauss() and shuffle(): a Random, also one from another copy of the package. */
function checkRng(rng: unknown, fn: string): void {
  const r = rng as Partial<Random> | null;
  if (typeof r !== "object" || r === null || typeof r.gauss !== "function" || typeof r.shuffle !== "function") {
    throw new TypeError(`${fn} expects rng to be a Random (e.g. new Random(42)), got ${describe(rng)}`);
  }
}
