/**
 * Loss functions built from Value operations, so backward() differentiates them like any other graph.
 * Where micrograd's demo or the lecture has the formula, the operations come in the same order:
 * float results depend on it.
 */
import { type Operand, result, type Value } from "./engine";
import { checkArray, checkChoice, checkNumber, checkOptions, describe, errorOfKind } from "./internal/check";
import { checkOperands, checkValues, isValue } from "./internal/check-values";
import { Op } from "./ops";

/** Σ (predᵢ − targetᵢ)², the lecture's loss; `mean` multiplies by 1/n, as micrograd writes a mean. */
export function squaredError(
  predictions: readonly Value[],
  targets: readonly Operand[],
  opts: { reduction?: "sum" | "mean" } = {},
): Value {
  return squaredErrorOf(predictions, targets, opts, "squaredError");
}

/** Mean squared error: (1/n)·Σ (predᵢ − targetᵢ)². */
export function mse(predictions: readonly Value[], targets: readonly Operand[]): Value {
  return squaredErrorOf(predictions, targets, { reduction: "mean" }, "mse");
}

function squaredErrorOf(predictions: unknown, targets: unknown, opts: unknown, fn: string): Value {
  const o = checkOptions(opts, fn, ["reduction"]);
  const reduction = checkChoice(o.reduction, fn, "reduction", ["sum", "mean"] as const, "sum");
  const ps = checkValues(predictions, fn, "predictions");
  const ts = checkOperands(targets, fn, "targets");
  checkPairs(ps, ts, fn);
  const total = sum(ps.map((p, i) => p.sub(ts[i] as Operand).pow(2)));
  return reduction === "mean" ? total.mul(1 / ps.length) : total;
}

export interface MaxMarginOptions {
  /** Weight of the L2 penalty α·Σ p² (micrograd's demo: 1e-4). Default 0: no penalty. */
  alpha?: number;
  /** The parameters the L2 penalty covers: `model.parameters()` (called). Required when alpha > 0. */
  parameters?: readonly Value[];
}

/**
 * micrograd demo's SVM loss: mean of relu(1 − yᵢ·scoreᵢ) over labels yᵢ = ±1, plus α·Σ p·p.
 * Written as the demo writes it: (1 + (scoreᵢ·−yᵢ)).relu(), summed, times 1/n; then reg = (Σ p·p)·α.
 */
export function maxMargin(scores: readonly Value[], labels: readonly number[], opts: MaxMarginOptions = {}): Value {
  const fn = "maxMargin";
  const o = checkOptions(opts, fn, ["alpha", "parameters"]);
  const alpha = o.alpha === undefined ? 0 : checkNumber(o.alpha, fn, "alpha", { min: 0 });
  const parameters = o.parameters === undefined ? [] : checkValues(o.parameters, fn, "parameters", false);
  if (alpha > 0 && parameters.length === 0) {
    throw new RangeError(
      `${fn}: alpha = ${alpha} needs the parameters to penalize: pass { parameters: model.parameters() }`,
    );
  }
  const ss = checkValues(scores, fn, "scores");
  const ys = checkLabels(labels, fn);
  checkPairs(ss, ys, fn);
  const margins = ss.map((s, i) =>
    s
      .mul(-(ys[i] as number))
      .add(1)
      .relu(),
  );
  const dataLoss = sum(margins).mul(1.0 / margins.length);
  if (alpha === 0) return dataLoss;
  return dataLoss.add(sum(parameters.map((p) => p.mul(p))).mul(alpha));
}

/**
 * Fraction of samples where sign(score) agrees with the ±1 label (score > 0 means class +1). A score
 * may be a Value, a number, or a one-element array of either (what `model.forward(x)` returns).
 */
export function accuracy(scores: readonly (Operand | readonly Operand[])[], labels: readonly number[]): number {
  const fn = "accuracy";
  const ss = checkArray(scores, fn, "scores", "an array of scores (Values, numbers or one-element arrays)", true);
  const ys = checkLabels(labels, fn);
  checkPairs(ss, ys, fn);
  let hits = 0;
  for (let i = 0; i < ss.length; i++) {
    if ((ys[i] as number) > 0 === scoreOf(ss[i], i, fn) > 0) hits++;
  }
  return hits / ss.length;
}

function scoreOf(s: unknown, i: number, fn: string): number {
  const one = Array.isArray(s) && s.length === 1 ? s[0] : s;
  if (isValue(one)) return one.data;
  if (typeof one === "number" && Number.isFinite(one)) return one;
  throw new TypeError(
    `${fn} expects scores[${i}] to be a Value, a finite number or a one-element array of either, got ${describe(s)}`,
  );
}

/** softmax(logits)ᵢ = e^(lᵢ − m) / Σ e^(lⱼ − m), with m = max(l) so no exponent overflows. */
export function softmax(logits: readonly Value[]): Value[] {
  const ls = checkValues(logits, "softmax", "logits");
  const shift = negatedMax(ls);
  const exps = ls.map((l) => l.add(shift).exp());
  const total = sum(exps);
  return exps.map((e) => e.div(total));
}

/** −log softmax(logits)[target], computed as log Σ e^(lⱼ − m) − (l_target − m) for stability. */
export function crossEntropy(logits: readonly Value[], target: number): Value {
  const ls = checkValues(logits, "crossEntropy", "logits");
  checkNumber(target, "crossEntropy", "target (a class index)", { integer: true, min: 0, max: ls.length - 1 });
  const shift = negatedMax(ls);
  const logSumExp = sum(ls.map((l) => l.add(shift).exp())).log();
  return logSumExp.sub((ls[target] as Value).add(shift));
}

/** −max(logits): a chain of the table's Max, through which no gradient flows (src/ops.ts), negated. */
function negatedMax(ls: readonly Value[]): Value {
  let m = result(Op.Max, ls[0] as Value, (ls[1] ?? ls[0]) as Value);
  for (let i = 2; i < ls.length; i++) m = result(Op.Max, m, ls[i] as Value);
  return m.neg();
}

/** Left-to-right sum, as Python's sum() adds (its leading 0 changes no float, so it is left out). */
export function sum(values: readonly Value[]): Value {
  const vs = checkValues(values, "sum", "values");
  let total = vs[0] as Value;
  for (let i = 1; i < vs.length; i++) total = total.add(vs[i] as Value);
  return total;
}

/** Labels of ±1 (numbers: the string "1" is refused, not compared). */
function checkLabels(labels: unknown, fn: string): readonly number[] {
  const ys = checkArray(labels, fn, "labels", "an array of labels 1 or -1", true);
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y !== 1 && y !== -1) {
      throw new (errorOfKind(typeof y === "number"))(
        `${fn} expects labels of 1 or -1, got ${describe(y)} at index ${i}`,
      );
    }
  }
  return ys as readonly number[];
}

function checkPairs(a: readonly unknown[], b: readonly unknown[], fn: string): void {
  if (a.length !== b.length) {
    const [what, other] = fn === "maxMargin" || fn === "accuracy" ? ["scores", "labels"] : ["predictions", "targets"];
    throw new RangeError(`${fn} expects as many ${other} as ${what}, got ${a.length} ${what} and ${b.length} ${other}`);
  }
}
