/**
 * A neuron's forward pass with fewer objects: the same nodes as micrograd's
 *
 *   act = b;  for each i: act = act + w[i] * x[i];  out = relu(act)   (or tanh, or nothing)
 *
 * with the same values computed in the same order, but written straight into the open chunk
 * (src/internal/chunk.ts) without a Value object for each product and partial sum: only the output is a
 * Value. backward() needs no objects (it walks the chunk), and a forward pass then allocates one object
 * per neuron instead of two per weight, which is most of what the garbage collector had to do.
 *
 * The nodes get their Value objects when somebody looks (`children`, drawDot, topologicalOrder, the
 * tape's search): `expand` creates them once, linked exactly as the plain loop would have linked them.
 */
import { type Operand, Value, type ValueOptions } from "../engine";
import { ADD, MUL, Op, RELU, resultError, TANH } from "../ops";
import {
  type Chunk,
  chunkWithRoom,
  MAX_CHUNK_NODES,
  NO_OPERAND,
  type Node,
  type PendingOperands,
  WrittenNode,
} from "./chunk";

/** What a neuron applies to its weighted sum (nn.ts's Activation). */
export type NeuronActivation = "relu" | "tanh" | "linear";

/** Neurons with more inputs than this take the plain path (their nodes would not fit one chunk). */
export const MAX_FUSED_INPUTS = Math.floor(MAX_CHUNK_NODES / 8);

/** An input's position in NeuronInputs.code when it is a number (each neuron makes its own leaf for it). */
const NUMBER_INPUT = -1 >>> 1;

/**
 * A layer's inputs as its neurons read them: each input's data and its position in the open chunk, found
 * once for all the layer's neurons (again if the chunk changed on the way: a full one was replaced).
 * `values` must be checked already (Values or finite numbers) and must not change afterwards (Layer and
 * Neuron pass their own copy); no user code runs between the neurons of a layer, so no data changes.
 */
export class NeuronInputs {
  private chunk: Chunk | null = null;
  readonly data: number[] = [];
  readonly code: number[] = [];

  constructor(readonly values: readonly Operand[]) {}

  /** The inputs' data and positions as `chunk` records them. */
  in(chunk: Chunk): this {
    if (this.chunk === chunk) return this;
    this.chunk = chunk;
    const { values, data, code } = this;
    for (let i = 0; i < values.length; i++) {
      const xi = values[i] as Operand;
      data[i] = typeof xi === "number" ? xi : xi.data;
      code[i] = typeof xi === "number" ? NUMBER_INPUT : chunk.codeOf(xi);
    }
    return this;
  }
}

/**
 * Where a neuron's weights keep their numbers when they sit one after another as leaves of one chunk, in
 * order (a new model's do): the forward pass then reads them there, without touching each Value. A Value's
 * chunk and slot never change, so this holds for as long as the neuron keeps these weights.
 */
export interface WeightRun {
  readonly chunk: Chunk;
  readonly slot: number;
}

/** The run of `w` (see WeightRun), or null when its weights are not stored that way. */
export function weightRun(w: readonly Value[]): WeightRun | null {
  const first = w[0];
  if (first === undefined) return null;
  const { _chunk: chunk, _slot: slot } = first;
  for (let i = 0; i < w.length; i++) {
    const v = w[i] as Value;
    if (v._chunk !== chunk || v._slot !== slot + i || chunk.op[slot + i] !== Op.Leaf) return null;
  }
  return { chunk, slot };
}

/** Scratch for one neuronOutput call: its weights' positions in the open chunk, and their data when they have no run. */
const weightScratch = { code: new Int32Array(64), data: new Float64Array(64) };

/**
 * activation(b + w[0]·x[0] + w[1]·x[1] + …) as micrograd builds it; `inputs` as many as `w`, `run` the
 * weights' (weightRun(w)).
 */
export function neuronOutput(
  w: readonly Value[],
  run: WeightRun | null,
  b: Value,
  inputs: NeuronInputs,
  activation: NeuronActivation,
): Value {
  const n = w.length;
  const chunk = chunkWithRoom(3 * n + 1); // a leaf per number input, a product and a sum per weight, the output
  const { data: xs, code: xCodes } = inputs.in(chunk);
  // The weights' data (wData from wFrom on) and positions in this chunk, read before the loop
  if (weightScratch.code.length < n) weightScratch.code = new Int32Array(n);
  if (weightScratch.data.length < n) weightScratch.data = new Float64Array(n);
  const wCodes = weightScratch.code;
  let wData = weightScratch.data;
  let wFrom = 0;
  const runCode = run === null ? NO_OPERAND : chunk.codeOf(w[0] as Value);
  if (runCode === NO_OPERAND || run === null) {
    for (let i = 0; i < n; i++) {
      const wi = w[i] as Value;
      wData[i] = wi.data;
      wCodes[i] = chunk.codeOf(wi);
    }
  } else {
    wData = run.chunk.data;
    wFrom = run.slot;
    // consecutive slots: in this chunk, consecutive positions; in another, consecutive external codes downwards
    const step = run.chunk === chunk ? 1 : -1;
    for (let i = 0; i < n; i++) wCodes[i] = runCode + step * i;
  }
  const first = chunk.used;
  const { data, op } = chunk;
  const firstOperand = chunk.first;
  const secondOperand = chunk.second;
  const linear = activation === "linear";
  const mul = MUL.forward; // the table's functions as locals: read from the module on every product, they cost time
  const add = ADD.forward;
  let used = chunk.used; // (a local: written back before the output's Value takes the next slot)
  let sum = b.data;
  let sumCode = chunk.codeOf(b);
  let productSlot = 0;
  let next = sum;
  for (let i = 0; i < n; i++) {
    const xData = xs[i] as number;
    let xCode = xCodes[i] as number;
    if (xCode === NUMBER_INPUT) {
      xCode = used++; // a leaf, as micrograd's __mul__ makes Value(x) for a number
      data[xCode] = xData;
    }
    const weight = wData[wFrom + i] as number;
    const product = mul(weight, xData);
    if (!Number.isFinite(product)) throw resultError(Op.Mul, weight, xData, product);
    productSlot = used++;
    data[productSlot] = product;
    op[productSlot] = Op.Mul;
    firstOperand[productSlot] = wCodes[i] as number;
    secondOperand[productSlot] = xCode;
    next = add(sum, product);
    if (!Number.isFinite(next)) throw resultError(Op.Add, sum, product, next);
    if (linear && i === n - 1) break; // a linear neuron's last sum is its output, made below
    const sumSlot = used++;
    data[sumSlot] = next;
    op[sumSlot] = Op.Add;
    firstOperand[sumSlot] = sumCode;
    secondOperand[sumSlot] = productSlot;
    sum = next;
    sumCode = sumSlot;
  }
  chunk.used = used;
  const out = new Value(linear ? next : activation === "relu" ? RELU.forward(sum, 0) : TANH.forward(sum, 0));
  const slot = out._slot;
  op[slot] = linear ? Op.Add : activation === "relu" ? Op.Relu : Op.Tanh;
  firstOperand[slot] = sumCode;
  secondOperand[slot] = linear ? productSlot : NO_OPERAND;
  out._pending = new PendingNeuron(chunk, first, w, b, inputs.values, linear);
  return out;
}

/** The recipe of a neuron's nodes in its chunk, kept by its output until their Values are needed. */
class PendingNeuron implements PendingOperands {
  constructor(
    private readonly chunk: Chunk,
    private readonly first: number,
    private readonly w: readonly Value[],
    private readonly b: Value,
    private readonly x: readonly Operand[],
    private readonly linear: boolean,
  ) {}

  /** The bias, the weights and the inputs that are Values. */
  operands(): readonly Node[] {
    const values: Value[] = [this.b];
    for (let i = 0; i < this.w.length; i++) {
      values.push(this.w[i] as Value);
      const xi = this.x[i];
      if (typeof xi !== "number") values.push(xi as Value);
    }
    return values;
  }

  /** The tape's view of expand(): the same nodes, in the same order, as tape entries instead of Values. */
  record(
    positionOf: (v: Node) => number,
    node: (chunk: Chunk, slot: number, a: number, b: number) => number,
  ): [number, number] {
    const [sum, product] = this.walk(positionOf, (slot, a, b) => node(this.chunk, slot, a ?? -1, b ?? -1));
    return [sum, product ?? -1];
  }

  /** Gives every node of the neuron its Value, linked as the plain loop links them; `out` gets its operands. */
  expand(out: Node): void {
    const [sum, product] = this.walk(
      (v) => v,
      (slot, a, b) => valueAt(this.chunk, slot, a, b),
    );
    out._a = sum;
    out._b = product;
    out._pending = null;
  }

  /**
   * The neuron's nodes in creation order, as neuronOutput wrote them: `node(slot, a, b)` makes each from
   * its operands (`of` turns a Value operand into the same kind). Returns the output's operands: the last
   * sum and, for a linear neuron (whose output is sum + product), the last product.
   */
  private walk<T>(of: (v: Value) => T, node: (slot: number, a: T | null, b: T | null) => T): [T, T | null] {
    const { w, x } = this;
    let slot = this.first;
    let sum = of(this.b);
    for (let i = 0; i < w.length; i++) {
      const xi = x[i] as Operand;
      const operand = typeof xi === "number" ? node(slot++, null, null) : of(xi);
      const product = node(slot++, of(w[i] as Value), operand);
      if (this.linear && i === w.length - 1) return [sum, product];
      sum = node(slot++, sum, product);
    }
    return [sum, null];
  }
}

/** A Value for a node already written in its chunk, with its operands. */
function valueAt(chunk: Chunk, slot: number, a: Value | null, b: Value | null): Value {
  // (a WrittenNode in place of the options: storage for this node exists, src/internal/stored-value.ts)
  const v = new Value(chunk.data[slot] as number, new WrittenNode(chunk, slot) as ValueOptions);
  v._a = a;
  v._b = b;
  return v;
}
