/**
 * Neurons, layers and multi-layer perceptrons on top of Value, with micrograd's semantics: weights drawn
 * from uniform(−1, 1) on the global generator (or one you pass), parameters listed layer by layer,
 * neuron by neuron, weights then bias.
 */
import { inspect } from "node:util";
import { type Operand, Value } from "./engine";
import { globalRandom, type Random } from "./random";

/** What a neuron applies to its weighted sum. */
export type Activation = "relu" | "tanh" | "linear";

export interface NeuronOptions {
  /** micrograd's switch: false makes the neuron linear. Default true. */
  nonlin?: boolean;
  /** The nonlinearity when `nonlin` is true: "relu" (micrograd, default) or "tanh" (the lecture). */
  activation?: Exclude<Activation, "linear">;
  /** "zero" (micrograd, default) or "uniform": drawn from uniform(−1, 1) after the weights (the lecture). */
  bias?: "zero" | "uniform";
  /** Where weights come from; default the global generator that `seed()` seeds. */
  rng?: Random;
}

export abstract class Module {
  /** Every trainable Value, in a fixed order. */
  abstract parameters(): Value[];

  /** Sets every parameter's grad to 0, before the next backward() (grads accumulate). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export class Neuron extends Module {
  readonly w: Value[];
  readonly b: Value;
  readonly activation: Activation;

  constructor(nin: number, opts: NeuronOptions = {}) {
    super();
    checkSize(nin, "Neuron", "nin");
    const rng = opts.rng ?? globalRandom;
    this.w = Array.from({ length: nin }, () => new Value(rng.uniform(-1, 1)));
    this.b = new Value(opts.bias === "uniform" ? rng.uniform(-1, 1) : 0);
    this.activation = opts.nonlin === false ? "linear" : (opts.activation ?? "relu");
  }

  /** activation(b + w0·x0 + w1·x1 + …), summed in that order, as Python's sum(…, self.b). */
  forward(x: readonly Operand[]): Value {
    checkInput(x, this.w.length, "Neuron");
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add((this.w[i] as Value).mul(x[i] as Operand));
    if (this.activation === "relu") return act.relu();
    if (this.activation === "tanh") return act.tanh();
    return act;
  }

  parameters(): Value[] {
    const out = this.w.slice();
    out.push(this.b);
    return out;
  }

  override toString(): string {
    const name = { relu: "ReLU", tanh: "Tanh", linear: "Linear" }[this.activation];
    return `${name}Neuron(${this.w.length})`;
  }
}

export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, opts: NeuronOptions = {}) {
    super();
    checkSize(nin, "Layer", "nin");
    checkSize(nout, "Layer", "nout");
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, opts));
  }

  /** One output per neuron, always an array (see MLP.output for a single Value). */
  forward(x: readonly Operand[]): Value[] {
    checkInput(x, (this.neurons[0] as Neuron).w.length, "Layer");
    return this.neurons.map((n) => n.forward(x));
  }

  parameters(): Value[] {
    return concatParameters(this.neurons);
  }

  override toString(): string {
    return `Layer of [${this.neurons.join(", ")}]`;
  }
}

export interface MLPOptions extends Omit<NeuronOptions, "nonlin"> {
  /** Apply the activation on the last layer too (the lecture) instead of leaving it linear (micrograd). */
  nonlinOutput?: boolean;
}

export class MLP extends Module {
  readonly layers: Layer[];

  /** micrograd's MLP: ReLU hidden layers, a linear last layer, zero biases. */
  constructor(nin: number, nouts: readonly number[], opts: MLPOptions = {}) {
    super();
    checkSize(nin, "MLP", "nin");
    if (!Array.isArray(nouts) || nouts.length === 0) {
      throw new RangeError(`MLP expects a non-empty array of layer sizes, got ${inspect(nouts)}`);
    }
    const sizes = [nin, ...nouts];
    const { nonlinOutput = false, ...neuronOpts } = opts;
    this.layers = nouts.map(
      (nout, i) =>
        new Layer(sizes[i] as number, nout, {
          ...neuronOpts,
          nonlin: nonlinOutput || i !== nouts.length - 1,
        }),
    );
  }

  /** The lecture's network: tanh on every layer, the output included, and biases from uniform(−1, 1). */
  static lecture(nin: number, nouts: readonly number[], rng?: Random): MLP {
    return new MLP(nin, nouts, { activation: "tanh", bias: "uniform", nonlinOutput: true, ...(rng && { rng }) });
  }

  /** The last layer's outputs, always an array, even for one output neuron. */
  forward(x: readonly Operand[]): Value[] {
    let out: readonly Operand[] = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out as Value[];
  }

  /** The single output of a network whose last layer has one neuron (micrograd's `model(x)`). */
  output(x: readonly Operand[]): Value {
    const outputs = (this.layers[this.layers.length - 1] as Layer).neurons.length;
    if (outputs !== 1) {
      throw new RangeError(`MLP.output needs a network with 1 output, this one has ${outputs}: use forward()`);
    }
    return this.forward(x)[0] as Value;
  }

  parameters(): Value[] {
    return concatParameters(this.layers);
  }

  override toString(): string {
    return `MLP of [${this.layers.join(", ")}]`;
  }
}

/** The parameters of each module, in order (a plain loop: flatMap is several times slower in V8). */
function concatParameters(modules: readonly Module[]): Value[] {
  const out: Value[] = [];
  for (const m of modules) for (const p of m.parameters()) out.push(p);
  return out;
}

function checkSize(n: unknown, owner: string, name: string): void {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${owner} expects ${name} to be a positive integer, got ${inspect(n)}`);
  }
}

function checkInput(x: readonly Operand[], expected: number, owner: string): void {
  if (!Array.isArray(x)) throw new TypeError(`${owner} expects an array of ${expected} inputs, got ${inspect(x)}`);
  if (x.length !== expected) {
    throw new RangeError(`${owner} expects ${expected} inputs, got ${x.length}`);
  }
}
