/** The forward math of tanh and sigmoid, shared by Value's operations and compile's replay (same bits). */

/**
 * The lecture's (e^2x − 1)/(e^2x + 1), made stable: expm1 avoids cancellation near 0, and beyond
 * |x| = 20 tanh rounds to ±1 (the plain formula gives ∞/∞ = NaN at 1000). Correctly rounded at the
 * lecture's neuron (0.7071067811865476), where Math.tanh is one unit in the last place off.
 */
export function tanh(x: number): number {
  const e = Math.expm1(2 * Math.abs(x));
  const t = Math.abs(x) > 20 ? 1 : e / (e + 2); // tanh(|x|); tanh is odd, so the sign goes on last
  return x < 0 ? -t : x > 0 ? t : x;
}

/** 1 / (1 + e^−x), written so that neither branch overflows. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** The smallest and largest of xs by a loop: Math.min(...xs) overflows the stack near 100,000 arguments. */
export function extent(xs: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}
