/**
 * Optimizers: they read each parameter's grad after backward() and move its data. `step()` also counts
 * steps, so a learning rate can be a schedule: `new SGD(params, { lr: (k) => 1.0 - (0.9 * k) / 100 })`
 * is micrograd demo's decay, with k = 0 on the first step.
 *
 * A step is all or nothing: the learning rate and every new value are computed and checked first, then
 * written, so a bad gradient leaves every parameter (and Adam's moments) as they were.
 */
import type { Value } from "./engine";
import { checkNumber, checkOptions, describe } from "./internal/check";
import { checkValues } from "./internal/check-values";

/** A fixed learning rate, or one computed from the step number k (0, 1, 2, …). */
export type LearningRate = number | ((step: number) => number);

abstract class Optimizer {
  /** How many steps were taken: the k the next step's learning rate is computed for. */
  stepCount = 0;
  /** The parameters, as given (a copy of the array: adding to the original later changes nothing here). */
  readonly parameters: readonly Value[];
  private readonly lr: LearningRate;

  constructor(parameters: unknown, lr: unknown, fn: string) {
    this.parameters = checkValues(parameters, fn, "parameters").slice();
    if (typeof lr !== "function") checkRate(lr, `${fn}: lr`);
    this.lr = lr as LearningRate;
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

  /** Updates every parameter from its grad, then advances the step count; on an error, changes nothing. */
  step(): void {
    const lr = this.currentLr();
    const next = this.compute(lr);
    for (let i = 0; i < next.length; i++) {
      if (!Number.isFinite(next[i])) throw this.failure(i, lr, next[i] as number);
    }
    this.commit(next);
    this.stepCount++;
  }

  /** The new data of every parameter, without changing anything. */
  protected abstract compute(lr: number): Float64Array;

  /** Writes the new data (and any state computed with it). */
  protected commit(next: Float64Array): void {
    const { parameters } = this;
    for (let i = 0; i < parameters.length; i++) (parameters[i] as Value).data = next[i] as number;
  }

  private failure(i: number, lr: number, result: number): RangeError {
    const p = this.parameters[i] as Value;
    const name = `parameters[${i}]${p.label ? ` ("${p.label}")` : ""}`;
    return new RangeError(
      `${this.constructor.name}.step: ${name} would become ${result} (data ${p.data}, grad ${p.grad}, lr ${lr}); ` +
        "no parameter was changed",
    );
  }
}

/** Plain gradient descent: p.data −= lr · p.grad. */
export class SGD extends Optimizer {
  constructor(parameters: readonly Value[], opts: { lr: LearningRate }) {
    const o = checkOptions(opts, "SGD", ["lr"]);
    if (opts === undefined || o.lr === undefined) {
      throw new TypeError(`SGD expects options { lr }, got ${describe(opts)}: the learning rate has no default`);
    }
    super(parameters, o.lr, "SGD");
  }

  protected compute(lr: number): Float64Array {
    const { parameters } = this;
    const next = new Float64Array(parameters.length);
    for (let i = 0; i < parameters.length; i++) {
      const p = parameters[i] as Value;
      next[i] = p.data - lr * p.grad;
    }
    return next;
  }
}

export interface AdamOptions {
  lr?: LearningRate;
  beta1?: number;
  beta2?: number;
  /** Added to the denominator; must be > 0. */
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
  private nextM = new Float64Array(0);
  private nextV = new Float64Array(0);

  constructor(parameters: readonly Value[], opts: AdamOptions = {}) {
    const o = checkOptions(opts, "Adam", ["lr", "beta1", "beta2", "eps", "weightDecay"]);
    super(parameters, o.lr === undefined ? 0.001 : o.lr, "Adam");
    this.beta1 = checkNumber(o.beta1 === undefined ? 0.9 : o.beta1, "Adam", "beta1", { min: 0, below: 1 });
    this.beta2 = checkNumber(o.beta2 === undefined ? 0.999 : o.beta2, "Adam", "beta2", { min: 0, below: 1 });
    this.eps = checkNumber(o.eps === undefined ? 1e-8 : o.eps, "Adam", "eps", { above: 0 });
    this.weightDecay = checkNumber(o.weightDecay === undefined ? 0 : o.weightDecay, "Adam", "weightDecay", { min: 0 });
    this.m = new Float64Array(this.parameters.length);
    this.v = new Float64Array(this.parameters.length);
  }

  protected compute(lr: number): Float64Array {
    const n = this.parameters.length;
    const t = this.stepCount + 1;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    const next = new Float64Array(n);
    this.nextM = new Float64Array(n);
    this.nextV = new Float64Array(n);
    this.parameters.forEach((p, i) => {
      const g = p.grad;
      const m = this.beta1 * (this.m[i] as number) + (1 - this.beta1) * g;
      const v = this.beta2 * (this.v[i] as number) + (1 - this.beta2) * g * g;
      this.nextM[i] = m;
      this.nextV[i] = v;
      // AdamW (PyTorch's arithmetic): the decay is applied to the weight apart from the gradient
      const decayed = this.weightDecay === 0 ? p.data : p.data * (1 - lr * this.weightDecay);
      next[i] = decayed - (lr * (m / correction1)) / (Math.sqrt(v / correction2) + this.eps);
    });
    return next;
  }

  protected override commit(next: Float64Array): void {
    this.m.set(this.nextM);
    this.v.set(this.nextV);
    super.commit(next);
  }
}

function checkRate(x: unknown, name: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(`${name} must be a finite number >= 0, got ${describe(x)}`);
  }
  if (x < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${describe(x)}`);
  return x;
}
