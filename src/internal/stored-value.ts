/**
 * The part of a Value that is storage: its numbers live in a chunk (src/internal/chunk.ts) at a slot, and
 * `data`, `grad` and `label` read and write them there; its operands are two fields, or, for a neuron's
 * output, a recipe made into Values when somebody looks (src/internal/neuron.ts). engine.ts's Value
 * extends this class, so that engine.ts keeps only what micrograd's Value does. (No constructor here: V8
 * does not inline a derived class's call to a base constructor that does work, and every node of a graph
 * is made through it; Value's constructor calls `_store` instead, which V8 inlines.)
 */
import { inspect } from "node:util";
import type { Op } from "../ops";
import { checkFinite, describe, labelOption, registerCopy } from "./check";
import { type Chunk, chunkForNewNode, inCreationOrder, type PendingOperands, WrittenNode } from "./chunk";

export abstract class StoredValue {
  /** @internal the chunk holding this node's numbers, and its slot there */
  declare _chunk: Chunk;
  /** @internal */ declare _slot: number;
  /** @internal the operands (micrograd's `_prev`); they keep the graph below this node alive */
  declare _a: this | null;
  /** @internal */ declare _b: this | null;
  /** @internal a neuron's operands not yet made Values (src/internal/neuron.ts), made when somebody looks */
  declare _pending: PendingOperands | null;

  /**
   * @internal A new node's storage: `data` (finite) in a new slot of the open chunk, and its label. A
   * neuron's node already written in its chunk passes where it is (a WrittenNode) instead of options.
   */
  protected _store(data: number, opts: unknown): void {
    checkFinite(data, "Value", "data");
    const written = opts instanceof WrittenNode ? opts : null;
    const chunk = written === null ? chunkForNewNode() : written.chunk;
    this._chunk = chunk;
    this._slot = written === null ? chunk.newSlot(data) : written.slot;
    this._a = null;
    this._b = null;
    this._pending = null;
    if (opts !== undefined && written === null) this.label = labelOption(opts);
  }

  /** @internal Records the operation that made this node and its operands (micrograd's `_op` and `_prev`). */
  _madeFrom(op: Op, a: this, b: this | null, k: number): void {
    this._chunk.setOperation(this._slot, op, a, b, k); // the op code and the operands' positions, for backward()
    this._a = a;
    this._b = b;
  }

  /** @internal The operands, in operand order; a neuron's are made Values first. */
  _operands(): this[] {
    if (this._pending !== null) this._pending.expand(this);
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  /** The number this node holds. Writable: optimizers update parameters in place. */
  get data(): number {
    return this._chunk.data[this._slot] as number;
  }
  set data(x: number) {
    checkFinite(x, "Value", "data");
    this._chunk.data[this._slot] = x;
  }

  /** dL/d(this) after `L.backward()`; accumulates across calls until reset with `zeroGrad()`. */
  get grad(): number {
    return this._chunk.grad[this._slot] as number;
  }
  set grad(x: number) {
    checkFinite(x, "Value", "grad");
    if (x !== 0) this._chunk.gradsSet = true; // the sweep of this chunk then needs marks (Chunk.gradsSet)
    this._chunk.grad[this._slot] = x;
  }

  /** A name for drawings; empty by default. */
  get label(): string {
    return this._chunk.labels?.[this._slot] ?? "";
  }
  set label(text: string) {
    if (typeof text !== "string") throw new TypeError(`label expects a string, got ${describe(text)}`);
    this._chunk.labels ??= [];
    this._chunk.labels[this._slot] = text;
  }

  /** @internal the code of the operation that made this node (src/ops.ts), Op.Leaf for a leaf */
  get _op(): Op {
    return this._chunk.op[this._slot] as Op;
  }

  /** @internal the constant of a unary operation that has one (pow's exponent), else 0 */
  get _constant(): number {
    return this._chunk.constantAt(this._slot);
  }

  /** What Node.js's console and a notebook print: toString(). */
  [inspect.custom](): string {
    return this.toString();
  }
}

export { inCreationOrder };

registerCopy(StoredValue);
