/**
 * The part of a Value that is storage: its numbers live in a chunk (src/internal/chunk.ts) at a slot, and
 * `data`, `grad` and `label` read and write them there. engine.ts's Value extends this class, so that
 * engine.ts keeps only what micrograd's Value does. (No constructor here: V8 does not inline a derived
 * class's call to a base constructor that does work, and every node of a graph is made through it.)
 */
import { inspect } from "node:util";
import type { Op } from "../ops";
import { checkFinite, describe, VALUE_BRAND, VALUE_LAYOUT } from "./check";
import type { Chunk } from "./chunk";

export abstract class StoredValue {
  /** @internal the chunk holding this node's numbers, and its slot there (engine.ts's Value sets them) */
  abstract readonly _chunk: Chunk;
  /** @internal */ abstract readonly _slot: number;

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

  /** The brand that tells a Value from any other object, also one made by another copy of the package. */
  get [VALUE_BRAND](): number {
    return VALUE_LAYOUT;
  }

  /** What Node.js's console and a notebook print: toString(). */
  [inspect.custom](): string {
    return this.toString();
  }
}
