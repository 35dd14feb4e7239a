/**
 * Loss functions built from Value operations, so backward() differentiates them like any other graph.
 * Where micrograd's demo or the lecture has the formula, the operations come in the same order:
 * float results depend on it.
 */
import type { Operand, Value } from "./engine";

/** Σ (predᵢ − targetᵢ)², the lecture's loss; `mean` multiplies by 1/n, as micrograd writes a mean. */
export function squaredError(
  predictions: readonly Value[],
  targets: readonly Operand[],
  opts: { reduction?: "sum" | "mean" } = {},
): Value {
  checkPairs(predictions, targets, "squaredError");
  const total = sum(predictions.map((p, i) => p.sub(targets[i] as Operand).pow(2)));
  return opts.reduction === "mean" ? total.mul(1 / predictions.length) : total;
}

/** Mean squared error: (1/n)·Σ (predᵢ − targetᵢ)². */
export function mse(predictions: readonly Value[], targets: readonly Operand[]): Value {
  return squaredError(predictions, targets, { reduction: "mean" });
}

export interface MaxMarginOptions {
  /** Weight of the L2 penalty α·Σ p² (micrograd's demo: 1e-4). Default 0: no penalty. */
  alpha?: number;
  /** The parameters the L2 penalty covers (usually `model.parameters()`). */
  parameters?: readonly Value[];
}

/**
 * micrograd demo's SVM loss: mean of relu(1 − yᵢ·scoreᵢ) over labels yᵢ = ±1, plus α·Σ p·p.
 * Written as the demo writes it: (1 + (scoreᵢ·−yᵢ)).relu(), summed, times 1/n; then reg = (Σ p·p)·α.
 */
export function maxMargin(scores: readonly Value[], labels: readonly number[], opts: MaxMarginOptions = {}): Value {
  checkPairs(scores, labels, "maxMargin");
  labels.forEach((y, i) => {
    if (y !== 1 && y !== -1) throw new RangeError(`maxMargin expects labels of 1 or -1, got ${y} at index ${i}`);
  });
  const margins = scores.map((s, i) =>
    s
      .mul(-(labels[i] as number))
      .add(1)
      .relu(),
  );
  const dataLoss = sum(margins).mul(1.0 / margins.length);
  const { alpha = 0, parameters = [] } = opts;
  if (alpha === 0 || parameters.length === 0) return dataLoss;
  return dataLoss.add(sum(parameters.map((p) => p.mul(p))).mul(alpha));
}

/** Fraction of samples where sign(score) agrees with the ±1 label (score > 0 means class +1). */
export function accuracy(scores: readonly Value[], labels: readonly number[]): number {
  checkPairs(scores, labels, "accuracy");
  let hits = 0;
  scores.forEach((s, i) => {
    if ((labels[i] as number) > 0 === s.data > 0) hits++;
  });
  return hits / scores.length;
}

/** softmax(logits)ᵢ = e^(lᵢ − m) / Σ e^(lⱼ − m), with m = max(l) so no exponent overflows. */
export function softmax(logits: readonly Value[]): Value[] {
  if (logits.length === 0) throw new RangeError("softmax expects at least one logit, got 0");
  const m = Math.max(...logits.map((l) => l.data));
  const exps = logits.map((l) => l.sub(m).exp());
  const total = sum(exps);
  return exps.map((e) => e.div(total));
}

/** −log softmax(logits)[target], computed as log Σ e^(lⱼ − m) − (l_target − m) for stability. */
export function crossEntropy(logits: readonly Value[], target: number): Value {
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    throw new RangeError(`crossEntropy expects a class index in [0, ${logits.length - 1}], got ${target}`);
  }
  const m = Math.max(...logits.map((l) => l.data));
  const logSumExp = sum(logits.map((l) => l.sub(m).exp())).log();
  return logSumExp.sub((logits[target] as Value).sub(m));
}

/** Left-to-right sum, as Python's sum() adds (its leading 0 changes no float, so it is left out). */
export function sum(values: readonly Value[]): Value {
  if (values.length === 0) throw new RangeError("sum expects at least one Value, got an empty list");
  let total = values[0] as Value;
  for (let i = 1; i < values.length; i++) total = total.add(values[i] as Value);
  return total;
}

function checkPairs(a: readonly unknown[], b: readonly unknown[], fn: string): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${fn} expects as many targets as predictions, got ${a.length} predictions and ${b.length} targets`,
    );
  }
  if (a.length === 0) throw new RangeError(`${fn} expects at least one prediction, got 0`);
}
