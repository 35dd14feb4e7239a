/**
 * Neurons, layers and multi-layer perceptrons on top of Value, with micrograd's semantics: weights drawn
 * from uniform(−1, 1) on the global generator (or one you pass), parameters listed layer by layer,
 * neuron by neuron, weights then bias.
 */
import { inspect } from "node:util";
import { type Operand, Value } from "./engine";
import { checkArray, checkBoolean, checkChoice, checkNumber, checkOptions, describe } from "./internal/check";
import { checkOperands, checkValue, checkValues } from "./internal/check-values";
import { MAX_FUSED_INPUTS, NeuronInputs, neuronOutput, type WeightRun, weightRun } from "./internal/neuron";
import { globalRandom, type Random } from "./random";

/**
 * The default of `maxParameters`: a model with more parameters is refused before anything is allocated.
 * Each parameter is a Value (~100 bytes) and a forward pass builds several nodes per parameter, so far
 * smaller models already take seconds per step; `new Neuron(1e8)` would exhaust memory.
 */
export const DEFAULT_MAX_PARAMETERS = 1_000_000;

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
  /** The most parameters the model may have (default 1,000,000, DEFAULT_MAX_PARAMETERS). */
  maxParameters?: number;
}

const NEURON_OPTIONS = ["nonlin", "activation", "bias", "rng", "maxParameters"] as const;
const MLP_OPTIONS = ["activation", "bias", "rng", "nonlinOutput", "maxParameters"] as const;

export abstract class Module {
  /** Every trainable Value, in a fixed order. */
  abstract parameters(): Value[];

  /** Sets every parameter's grad to 0, before the next backward() (grads accumulate). */
  zeroGrad(): void {
    // (Neuron, Layer and MLP do the same without building the list: a training loop calls this every step.)
    if (isPlain(this)) zeroGrads(this);
    else for (const p of checkValues(this.parameters(), "zeroGrad", "parameters()", false)) p.grad = 0;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export class Neuron extends Module {
  /**
   * The weights the forward pass uses, in a plain array never changed in place: a write to `w` replaces
   * it with a copy, so a forward pass made before keeps the weights it was made with (its nodes refer to
   * them, src/internal/neuron.ts).
   */
  private weights: Value[];
  /** Where the weights keep their numbers, when together (src/internal/neuron.ts reads them there). */
  private weightsRun: WeightRun | null;
  /** What `w` shows: the same Values (`shownValues`), guarded by a Proxy that checks and applies each write. */
  private readonly shown: Value[];
  private readonly shownValues: Value[];
  private bias: Value;
  readonly activation: Activation;

  constructor(nin: number, opts: NeuronOptions = {}) {
    super();
    const o = checkNeuronOptions(opts, "Neuron", NEURON_OPTIONS);
    checkSize(nin, "Neuron", "nin");
    checkParameterCount(nin + 1, o.maxParameters, `Neuron(${nin})`);
    this.weights = Array.from({ length: nin }, () => new Value(o.rng.uniform(-1, 1)));
    this.weightsRun = weightRun(this.weights);
    this.shownValues = this.weights.slice();
    this.shown = new Proxy(this.shownValues, weightsGuard(this));
    this.bias = new Value(o.bias === "uniform" ? o.rng.uniform(-1, 1) : 0);
    this.activation = o.nonlin ? o.activation : "linear";
  }

  /**
   * The weights, as micrograd's list: `n.w[0] = v` and `n.w = [...]` replace weights, and forward() and
   * parameters() use the new ones. A weight must be a Value, and the count stays one per input.
   */
  get w(): Value[] {
    return this.shown;
  }
  set w(ws: readonly Value[]) {
    const checked = checkValues(ws, "Neuron.w", "the new weights");
    if (checked.length !== this.weights.length) {
      throw new RangeError(
        `Neuron.w expects ${this.weights.length} weights (one per input), got ${checked.length}; make a new Neuron for another size`,
      );
    }
    // One new array for the forward pass (a write through the guard per weight would copy it per weight).
    this.weights = checked.slice();
    this.weightsRun = weightRun(this.weights);
    checked.forEach((v, i) => {
      this.shownValues[i] = v;
    });
  }

  /** The bias; `n.b = v` replaces it, as in micrograd. */
  get b(): Value {
    return this.bias;
  }
  set b(v: Value) {
    checkValue(v, "Neuron.b", "the new bias");
    this.bias = v;
  }

  /** @internal The weight at `i` replaced (a checked write to `w[i]`): the forward pass's array is copied first. */
  _setWeight(i: number, v: Value): void {
    this.weights = this.weights.slice();
    this.weights[i] = v;
    this.weightsRun = weightRun(this.weights);
  }

  /** @internal zeroGrad() on the weights and bias, without a list. */
  _zeroGrads(): void {
    for (const w of this.weights) w.grad = 0;
    this.bias.grad = 0;
  }

  /** @internal The number of inputs. */
  get _nin(): number {
    return this.weights.length;
  }

  /** activation(b + w0·x0 + w1·x1 + …), summed in that order, as Python's sum(…, self.b). */
  forward(x: readonly Operand[]): Value {
    checkInput(x, this.weights.length, "Neuron.forward");
    return this._forward(new NeuronInputs(x.slice()));
  }

  /**
   * @internal forward() without the input check (Layer checks once for all its neurons), on inputs that
   * will not change. The nodes are the loop below's; src/internal/neuron.ts writes them without making a
   * Value for each product and partial sum (they get one when somebody looks), which is several times
   * faster. Neurons too big for that take the loop.
   */
  _forward(inputs: NeuronInputs): Value {
    if (this.weights.length <= MAX_FUSED_INPUTS) {
      return neuronOutput(this.weights, this.weightsRun, this.bias, inputs, this.activation);
    }
    const x = inputs.values;
    let act = this.bias;
    for (let i = 0; i < this.weights.length; i++) act = act.add((this.weights[i] as Value).mul(x[i] as Operand));
    if (this.activation === "relu") return act.relu();
    if (this.activation === "tanh") return act.tanh();
    return act;
  }

  parameters(): Value[] {
    const out = this.weights.slice();
    out.push(this.bias);
    return out;
  }

  override toString(): string {
    const name = { relu: "ReLU", tanh: "Tanh", linear: "Linear" }[this.activation];
    return `${name}Neuron(${this.weights.length})`;
  }
}

export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, opts: NeuronOptions = {}) {
    super();
    const o = checkNeuronOptions(opts, "Layer", NEURON_OPTIONS);
    checkSize(nin, "Layer", "nin");
    checkSize(nout, "Layer", "nout");
    checkParameterCount((nin + 1) * nout, o.maxParameters, `Layer(${nin}, ${nout})`);
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, opts));
  }

  /** One output per neuron, always an array (see MLP.output for a single Value). */
  forward(x: readonly Operand[]): Value[] {
    checkInput(x, checkNeurons(this.neurons, "Layer.forward"), "Layer.forward");
    return this._forward(x);
  }

  /** @internal forward() on checked inputs and neurons (MLP checks all its layers at once). */
  _forward(x: readonly Operand[]): Value[] {
    // The neurons' nodes refer to these inputs (a copy the caller cannot change), read once for them all.
    const inputs = new NeuronInputs(x.slice());
    return this.neurons.map((n) => n._forward(inputs));
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
    const o = checkNeuronOptions(opts, "MLP", MLP_OPTIONS);
    checkSize(nin, "MLP", "nin");
    checkArray(nouts, "MLP", "nouts", "a non-empty array of layer sizes", true);
    nouts.forEach((n, i) => checkSize(n, "MLP", `nouts[${i}]`));
    const sizes = [nin, ...nouts];
    const count = nouts.reduce((total, nout, i) => total + ((sizes[i] as number) + 1) * nout, 0);
    checkParameterCount(count, o.maxParameters, `MLP(${nin}, [${nouts.join(", ")}])`);
    const { nonlinOutput = false, ...neuronOpts } = opts;
    checkBoolean(nonlinOutput, "MLP", "nonlinOutput", false);
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
    if (rng !== undefined) checkRandom(rng, "MLP.lecture", "rng");
    return new MLP(nin, nouts, { activation: "tanh", bias: "uniform", nonlinOutput: true, ...(rng && { rng }) });
  }

  /** The last layer's outputs, always an array, even for one output neuron. */
  forward(x: readonly Operand[]): Value[] {
    checkInput(x, checkLayers(this.layers), "MLP.forward"); // and every layer takes what the one before gives
    let out: readonly Operand[] = x;
    for (const layer of this.layers) out = layer._forward(out);
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

/**
 * True when `m` is a Neuron, a Layer of them or an MLP of those, none of whose classes overrides
 * parameters(): its parameters are then its neurons' weights and biases, which zeroGrads reaches without
 * building parameters()'s list. Anything else takes that list. (An overridden zeroGrad() needs no check:
 * the list path never calls a part's zeroGrad() either, and an override that calls super.zeroGrad() gets
 * the same parameters either way.)
 */
function isPlain(m: Module): m is Neuron | Layer | MLP {
  if (m instanceof MLP) {
    if (!listsAs(m, MLP.prototype)) return false;
    for (const layer of m.layers) if (!(layer instanceof Layer) || !isPlain(layer)) return false;
    return true;
  }
  if (m instanceof Layer) {
    if (!listsAs(m, Layer.prototype)) return false;
    for (const n of m.neurons) if (!(n instanceof Neuron) || !listsAs(n, Neuron.prototype)) return false;
    return true;
  }
  return m instanceof Neuron && listsAs(m, Neuron.prototype);
}

/** Whether `m` lists its parameters with `proto`'s own parameters(). */
const listsAs = (m: Module, proto: Module): boolean => m.parameters === proto.parameters;

/** Every parameter's grad set to 0 in a module isPlain accepted. */
function zeroGrads(m: Neuron | Layer | MLP): void {
  if (m instanceof Neuron) m._zeroGrads();
  else if (m instanceof Layer) for (const n of m.neurons) n._zeroGrads();
  else for (const layer of m.layers) for (const n of layer.neurons) n._zeroGrads();
}

/** Array methods that change the array in place: `n.w` runs them on a copy, then applies the result whole. */
const MUTATORS = new Set(["copyWithin", "fill", "pop", "push", "reverse", "shift", "sort", "splice", "unshift"]);

/**
 * The Proxy handler of `Neuron.w`: a weight replaced at an index is checked (a Value) and applied to the
 * neuron; anything that would change the count of weights or add other properties is refused by name.
 * An in-place method (`sort`, `splice`, …) works on a copy, which replaces the weights only if it still
 * holds one Value per input: so it works as on a list, or is refused before anything changed. Other reads
 * go to the array itself, so printing, spreading and iterating `n.w` are those of an array.
 */
function weightsGuard(neuron: Neuron): ProxyHandler<Value[]> {
  const refuse = (what: string): never => {
    throw new TypeError(
      `Neuron.w: ${what}; a neuron has one weight per input (set n.w[i] to a Value, or n.w to as many Values)`,
    );
  };
  return {
    get(target, key, receiver) {
      if (typeof key !== "string" || !MUTATORS.has(key)) return Reflect.get(target, key, receiver);
      return (...args: unknown[]) => {
        const copy = target.slice();
        const out: unknown = Reflect.apply(Reflect.get(Array.prototype, key), copy, args);
        if (copy.length !== target.length) {
          throw new RangeError(
            `Neuron.w.${key}() would leave ${copy.length} weights, not ${target.length} (one per input); nothing was changed`,
          );
        }
        neuron.w = checkValues(copy, `Neuron.w.${key}()`, "the resulting weights") as Value[];
        return out === copy ? receiver : out; // sort, reverse, fill and copyWithin return the array itself
      };
    },
    set(target, key, value) {
      const i = typeof key === "string" && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
      if (key === "length" && value === target.length) return true;
      if (i >= target.length) refuse(`it has ${target.length} weights, so w[${i}] cannot be set`);
      if (i < 0) refuse(`cannot set ${JSON.stringify(String(key))}`);
      checkValue(value, `Neuron.w[${i}]`, "the new weight");
      target[i] = value as Value;
      neuron._setWeight(i, value as Value);
      return true;
    },
    deleteProperty: (_target, key) => refuse(`cannot delete ${JSON.stringify(String(key))}`),
    defineProperty: (_target, key) => refuse(`cannot define ${JSON.stringify(String(key))}`),
  };
}

/** The network's input count (its first neuron's), once every layer's neurons take the layer before's outputs. */
function checkLayers(layers: readonly Layer[]): number {
  if (layers.length === 0) throw new RangeError("MLP.forward: the network has no layers");
  let outputs = -1; // of the layer before
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    if (!(layer instanceof Layer))
      throw new TypeError(`MLP.forward expects layer ${i} to be a Layer, got ${describe(layer)}`);
    checkNeurons(layer.neurons, "MLP.forward", i, outputs);
    outputs = layer.neurons.length;
  }
  return ((layers[0] as Layer).neurons[0] as Neuron)._nin;
}

/**
 * The input count of a layer's neurons (layer i of an MLP, or −1 for a Layer): each must be a Neuron taking
 * `expected` inputs (the layer before's outputs; −1: as many as neuron 0), else an error naming the neuron
 * and both counts (a neuron pushed or set into `neurons` by hand), before any neuron runs.
 */
function checkNeurons(neurons: readonly Neuron[], fn: string, layer = -1, expected = -1): number {
  if (neurons.length === 0) throw new RangeError(`${fn}: ${layer < 0 ? "the layer" : `layer ${layer}`} has no neurons`);
  const nin = expected >= 0 ? expected : (neurons[0] as Neuron)?._nin;
  for (let i = 0; i < neurons.length; i++) {
    const n = neurons[i];
    if (!(n instanceof Neuron))
      throw new TypeError(`${fn} expects ${neuronName(layer, i)} to be a Neuron, got ${describe(n)}`);
    if (n._nin !== nin) {
      const why = expected >= 0 ? ` (layer ${layer - 1} has ${expected} outputs)` : " (as neuron 0)";
      throw new RangeError(
        `${fn}: ${neuronName(layer, i)} takes ${n._nin} inputs, expected ${nin}${why}; the neurons of a layer must all take the layer's inputs`,
      );
    }
  }
  return nin as number;
}

/** "neuron 2" of a Layer, "layer 1, neuron 2" of an MLP (layer −1: a Layer on its own). */
const neuronName = (layer: number, i: number): string => (layer < 0 ? `neuron ${i}` : `layer ${layer}, neuron ${i}`);

function checkSize(n: unknown, owner: string, name: string): void {
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new TypeError(`${owner} expects ${name} to be a positive integer, got ${describe(n)}`);
  }
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${owner} expects ${name} to be a positive integer, got ${describe(n)}`);
  }
}

/** Refuses a model above maxParameters before anything is allocated, saying how to raise the limit. */
function checkParameterCount(count: number, max: number, what: string): void {
  if (count <= max) return;
  throw new RangeError(
    `${what} would have ${count.toLocaleString("en-US")} parameters, more than maxParameters = ` +
      `${max.toLocaleString("en-US")}: each is a Value and every forward pass builds several nodes per ` +
      "parameter, so this would exhaust memory or take hours per step. If you mean it, raise the limit " +
      "with the option { maxParameters }.",
  );
}

function checkInput(x: unknown, expected: number, fn: string): asserts x is readonly Operand[] {
  const xs = checkOperands(x, fn, "x", false);
  if (xs.length !== expected) throw new RangeError(`${fn} expects ${expected} inputs, got ${xs.length}`);
}

function checkRandom(rng: unknown, fn: string, name: string): Random {
  const r = rng as Partial<Random> | null;
  if (typeof r !== "object" || r === null || typeof r.uniform !== "function") {
    throw new TypeError(`${fn} expects ${name} to be a Random (e.g. new Random(42)), got ${describe(rng)}`);
  }
  return rng as Random;
}

/** Options of Neuron, Layer and MLP, checked, with their defaults. */
function checkNeuronOptions(opts: unknown, fn: string, allowed: readonly string[]) {
  const o = checkOptions(opts, fn, allowed) as { [key: string]: unknown };
  return {
    nonlin: checkBoolean(o.nonlin, fn, "nonlin", true),
    activation: checkChoice(o.activation, fn, "activation", ["relu", "tanh"] as const, "relu"),
    bias: checkChoice(o.bias, fn, "bias", ["zero", "uniform"] as const, "zero"),
    rng: o.rng === undefined ? globalRandom : checkRandom(o.rng, fn, "rng"),
    maxParameters:
      o.maxParameters === undefined
        ? DEFAULT_MAX_PARAMETERS
        : checkNumber(o.maxParameters, fn, "maxParameters", { integer: true, min: 1 }),
  };
}
