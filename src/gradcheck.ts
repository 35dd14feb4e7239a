/** Checks backward() against central finite differences, the way one tests any autograd engine. */
import { Value } from "./engine";
import { checkFunction, checkNumber, checkNumbers, checkOptions, describe } from "./internal/check";
import { isValue } from "./internal/check-values";

export interface GradcheckEntry {
  /** The grad backward() computed for this input. */
  analytic: number;
  /** (f(x + eps) − f(x − eps)) / (2·eps). */
  numeric: number;
  absError: number;
  /** absError / max(|analytic|, |numeric|), or 0 when both are 0. */
  relError: number;
}

export interface GradcheckResult {
  /** f at the given inputs. */
  value: number;
  /** One entry per input, in input order. */
  inputs: GradcheckEntry[];
  maxAbsError: number;
  maxRelError: number;
}

/**
 * Runs f on fresh leaf Values made from `inputs`, calls backward(), and compares each input's grad with
 * a central finite difference. f must build its result from the Values it is given.
 */
export function gradcheck(
  f: (inputs: Value[]) => Value,
  inputs: readonly number[],
  opts: { eps?: number } = {},
): GradcheckResult {
  const fn = "gradcheck";
  checkFunction(f, fn, "f");
  checkNumbers(inputs, fn, "inputs");
  const o = checkOptions(opts, fn, ["eps"]);
  const eps = o.eps === undefined ? 1e-6 : checkNumber(o.eps, fn, "eps", { above: 0 });
  const run = (leaves: Value[]): Value => {
    const out = f(leaves);
    if (!isValue(out)) throw new TypeError(`${fn} expects f to return a Value, got ${describe(out)}`);
    return out;
  };
  const evaluate = (xs: readonly number[]) => run(xs.map((x) => new Value(x))).data;

  const leaves = inputs.map((x) => new Value(x));
  const out = run(leaves);
  out.backward();

  const entries = inputs.map((x, i) => {
    const shifted = (delta: number) => inputs.map((v, j) => (j === i ? x + delta : v));
    const numeric = (evaluate(shifted(eps)) - evaluate(shifted(-eps))) / (2 * eps);
    const analytic = (leaves[i] as Value).grad;
    const absError = Math.abs(analytic - numeric);
    const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    return { analytic, numeric, absError, relError: scale === 0 ? 0 : absError / scale };
  });
  return {
    value: out.data,
    inputs: entries,
    maxAbsError: entries.reduce((m, e) => Math.max(m, e.absError), 0),
    maxRelError: entries.reduce((m, e) => Math.max(m, e.relError), 0),
  };
}
