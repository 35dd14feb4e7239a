import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradcheck, Random, Value } from "../src";
import { arbitraryExpr, arbitraryInputs, build, dualAlgebra, INPUTS, valueAlgebra } from "./expressions";
import { expectClose } from "./helpers";

/** Central differences with eps = 1e-6 are accurate to about 1e-8 on these smooth, O(1) functions. */
const FD_TOL = 1e-6;

const OPS: Record<string, { f: (xs: Value[]) => Value; domain: [number, number] }> = {
  add: { f: ([a, b]) => (a as Value).add(b as Value), domain: [-3, 3] },
  sub: { f: ([a, b]) => (a as Value).sub(b as Value), domain: [-3, 3] },
  mul: { f: ([a, b]) => (a as Value).mul(b as Value), domain: [-3, 3] },
  div: { f: ([a, b]) => (a as Value).div(b as Value), domain: [0.5, 3] },
  neg: { f: ([a]) => (a as Value).neg(), domain: [-3, 3] },
  rsub: { f: ([a, b]) => (a as Value).rsub(b as Value), domain: [-3, 3] },
  rdiv: { f: ([a, b]) => (a as Value).rdiv(b as Value), domain: [0.5, 3] },
  "pow 2": { f: ([a]) => (a as Value).pow(2), domain: [-3, 3] },
  "pow 3": { f: ([a]) => (a as Value).pow(3), domain: [-3, 3] },
  "pow -1": { f: ([a]) => (a as Value).pow(-1), domain: [0.5, 3] },
  "pow 0.5": { f: ([a]) => (a as Value).pow(0.5), domain: [0.5, 3] },
  exp: { f: ([a]) => (a as Value).exp(), domain: [-3, 3] },
  log: { f: ([a]) => (a as Value).log(), domain: [0.5, 3] },
  tanh: { f: ([a]) => (a as Value).tanh(), domain: [-3, 3] },
  relu: { f: ([a]) => (a as Value).relu(), domain: [-3, 3] },
  sigmoid: { f: ([a]) => (a as Value).sigmoid(), domain: [-3, 3] },
};

describe("gradcheck: every operation against central finite differences", () => {
  for (const [name, { f, domain }] of Object.entries(OPS)) {
    it(`${name}, 50 random points`, () => {
      const rng = new Random(name.length * 7919);
      for (let trial = 0; trial < 50; trial++) {
        let inputs = [rng.uniform(...domain), rng.uniform(...domain)];
        if (name === "relu" && Math.abs(inputs[0] as number) < 0.01) inputs = [0.5, 0];
        const result = gradcheck(f, inputs);
        expect(result.maxRelError, `${name} at ${inputs}`).toBeLessThan(FD_TOL);
        expect(result.inputs).toHaveLength(2);
      }
    });
  }

  it("reports analytic and numeric gradients and their errors per input", () => {
    const result = gradcheck(([x, y]) => (x as Value).mul(y as Value).add((x as Value).pow(2)), [3, -2]);
    expect(result.value).toBe(3);
    expect(result.inputs.map((e) => e.analytic)).toEqual([4, 3]); // d/dx = y + 2x, d/dy = x
    expectClose(result.inputs[0]?.numeric as number, 4, 1e-8);
    expect(result.maxAbsError).toBe(Math.max(...result.inputs.map((e) => e.absError)));
  });

  it("catches a wrong gradient", () => {
    // x * x.data reads x as a plain number on one side: backward sees only one path, finite differences both
    const wrong = gradcheck(([x]) => (x as Value).mul((x as Value).data), [3]);
    expect(wrong.inputs[0]?.analytic).toBe(3);
    expectClose(wrong.inputs[0]?.numeric as number, 6, 1e-8);
    expect(wrong.maxRelError).toBeGreaterThan(0.4);
  });

  it("rejects a bad eps", () => {
    expect(() => gradcheck(([x]) => x as Value, [1], { eps: 0 })).toThrow(
      /gradcheck expects eps to be a finite number > 0, got 0/,
    );
  });
});

describe("property: backward agrees with forward-mode dual numbers on random expression graphs", () => {
  it("for 300 random expressions and inputs", () => {
    let checked = 0;
    fc.assert(
      fc.property(arbitraryExpr(), arbitraryInputs, (expr, xs) => {
        const leaves = xs.map((x) => new Value(x));
        const out = build(expr, valueAlgebra(leaves));
        if (out === null) return; // a guard fired: point too close to a kink or a domain edge
        out.backward();
        for (let i = 0; i < INPUTS; i++) {
          const dual = build(expr, dualAlgebra(xs, i));
          if (dual === null) throw new Error("the dual build must take the same path");
          expectClose(out.data, dual.v, 1e-12, 1e-12);
          expectClose((leaves[i] as Value).grad, dual.d, 1e-9, 1e-9);
        }
        checked++;
      }),
      { numRuns: 300, seed: 20261126 },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it("and with central finite differences", () => {
    fc.assert(
      fc.property(arbitraryExpr(4), arbitraryInputs, (expr, xs) => {
        let guarded = false;
        const f = (vs: Value[]) => {
          const out = build(expr, valueAlgebra(vs));
          if (out === null) guarded = true;
          return out ?? new Value(0);
        };
        const result = gradcheck(f, xs, { eps: 1e-6 });
        if (guarded) return;
        for (const e of result.inputs) expect(e.absError).toBeLessThan(1e-4 * Math.max(1, Math.abs(e.analytic)));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
