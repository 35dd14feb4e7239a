/**
 * Optimizers: they read each parameter's grad after backward() and move its data. `step()` also counts
 * steps, so a learning rate can be a schedule: `new SGD(params, { lr: (k) => 1.0 - (0.9 * k) / 100 })`
 * is micrograd demo's decay, with k = 0 on the first step.
 */
import type { Value } from "./engine";

/** A fixed learning rate, or one computed from the step number k (0, 1, 2, …). */
export type LearningRate = number | ((step: number) => number);

abstract class Optimizer {
  /** How many steps were taken: the k the next step's learning rate is computed for. */
  stepCount = 0;

  constructor(
    readonly parameters: readonly Value[],
    private readonly lr: LearningRate,
  ) {
    if (typeof lr !== "function") checkRate(lr, "lr");
  }

  /** The learning rate the next step() uses. */
  currentLr(): number {
    if (typeof this.lr === "number") return this.lr;
    return checkRate(this.lr(this.stepCount), `lr(${this.stepCount})`);
  }

  /** Sets every parameter's grad to 0 (grads accumulate across backward() calls). */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad = 0;
  }

  /** Updates every parameter from its grad, then advances the step count. */
  step(): void {
    this.update(this.currentLr());
    this.stepCount++;
  }

  protected abstract update(lr: number): void;
}

/** Plain gradient descent: p.data −= lr · p.grad. */
export class SGD extends Optimizer {
  constructor(parameters: readonly Value[], opts: { lr: LearningRate }) {
    super(parameters, opts.lr);
  }

  protected update(lr: number): void {
    for (const p of this.parameters) p.data -= lr * p.grad;
  }
}

export interface AdamOptions {
  lr?: LearningRate;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /**
   * Decoupled weight decay, as PyTorch's AdamW: each step first shrinks every parameter by
   * lr · weightDecay · p, then takes the Adam step. Default 0 (plain Adam).
   */
  weightDecay?: number;
}

/** Adam (Kingma & Ba), with PyTorch's defaults and bias correction; AdamW with `weightDecay`. */
export class Adam extends Optimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;

  constructor(parameters: readonly Value[], opts: AdamOptions = {}) {
    super(parameters, opts.lr ?? 0.001);
    this.beta1 = checkUnit(opts.beta1 ?? 0.9, "beta1");
    this.beta2 = checkUnit(opts.beta2 ?? 0.999, "beta2");
    this.eps = checkRate(opts.eps ?? 1e-8, "eps");
    this.weightDecay = checkRate(opts.weightDecay ?? 0, "weightDecay");
    this.m = new Float64Array(parameters.length);
    this.v = new Float64Array(parameters.length);
  }

  protected update(lr: number): void {
    const t = this.stepCount + 1;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    this.parameters.forEach((p, i) => {
      if (this.weightDecay !== 0) p.data *= 1 - lr * this.weightDecay; // AdamW (PyTorch's arithmetic): apart from the gradient
      const m = this.beta1 * (this.m[i] as number) + (1 - this.beta1) * p.grad;
      const v = this.beta2 * (this.v[i] as number) + (1 - this.beta2) * p.grad * p.grad;
      this.m[i] = m;
      this.v[i] = v;
      p.data -= (lr * (m / correction1)) / (Math.sqrt(v / correction2) + this.eps);
    });
  }
}

function checkRate(x: unknown, name: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(x)}`);
  }
  return x;
}

function checkUnit(x: number, name: string): number {
  if (typeof x !== "number" || !(x >= 0 && x < 1)) throw new RangeError(`${name} must be in [0, 1), got ${String(x)}`);
  return x;
}
