import { expect } from "vitest";

/** The project's tolerance for float64 identities. */
export const REL_TOL = 1e-12;

/** |actual − expected| ≤ rel·max(|expected|, tiny): a relative check that also works at 0. */
export function expectClose(actual: number, expected: number, rel = REL_TOL, abs = 1e-300): void {
  const bound = Math.max(rel * Math.abs(expected), abs);
  const error = Math.abs(actual - expected);
  if (!(error <= bound)) {
    throw new Error(`expected ${actual} to be within ${bound} of ${expected} (error ${error}, rel tol ${rel})`);
  }
  expect(error).toBeLessThanOrEqual(bound);
}
