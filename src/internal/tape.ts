/**
 * backward()'s machinery: the graph laid out flat, then the chain rule run over typed arrays.
 *
 * `record` visits the Values once, in topological order, copying each node's op, value, grad and its
 * operands' positions on the tape into reused typed arrays. `backpropagate` then applies the chain rule
 * over those arrays alone, newest node first, and writes each node's final grad back to its slab: the
 * Values, scattered through memory, are read once instead of on every step. See docs/DEVELOPMENT.md.
 */
import type { LocalDerivatives, Op, Value } from "../engine";
import type { Slab } from "./slab";

/** Op code 0 is a leaf (Op.Leaf): nothing to pass down. */
const LEAF = 0;

/**
 * The last traversal mark handed out, shared through `Symbol.for` by every copy of micrograd-ts loaded
 * in this process: a copy with its own counter could leave marks on a Value that make another copy's
 * traversal skip it (and backward() leave grads at 0).
 */
const MARKS_KEY = Symbol.for("micrograd-ts.traversalMarks");
const shared = globalThis as { [MARKS_KEY]?: { last: number } };
shared[MARKS_KEY] ??= { last: 0 };
const marks = shared[MARKS_KEY];

/** A fresh traversal mark: Values marked by earlier traversals never need clearing. */
function newTraversalMark(): number {
  return ++marks.last;
}

/**
 * Depth-first search from `root`, iterative (no stack limit: a chain of a million nodes is fine). Calls
 * `emit` on every node `root` depends on, itself included, each after all of its operands: a
 * topological order, as the lecture's build_topo.
 */
export function visitTopological(root: Value, emit: (v: Value) => void): void {
  const entered = newTraversalMark(); // operands pushed, not yet emitted
  const done = newTraversalMark();
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    if (v._mark === done) continue; // reached twice before it was expanded
    if (v._mark === entered) {
      // A node is re-pushed below its operands, so here they are all emitted.
      v._mark = done;
      emit(v);
      continue;
    }
    v._mark = entered;
    stack.push(v);
    if (v._b !== null && v._b._mark < entered) stack.push(v._b);
    if (v._a !== null && v._a._mark < entered) stack.push(v._a);
  }
}

/** Tapes up to this many entries (~45 bytes each) are kept for the next backward(). */
const MAX_KEPT_ENTRIES = 1 << 18;

export class Tape {
  size = 0;
  op = new Uint8Array(0);
  data = new Float64Array(0);
  grad = new Float64Array(0);
  exponent = new Float64Array(0);
  /** Operand positions on the tape (-1 for none), not operand values. */
  firstOperand = new Int32Array(0);
  secondOperand = new Int32Array(0);
  /** Where each entry's grad goes back to: its Value's slab and slot. */
  slot = new Int32Array(0);
  slab: (Slab | null)[] = [];
  private readonly local: LocalDerivatives = { dx: 0, dy: 0 };

  private readonly emit = (v: Value): void => {
    const i = this.size++;
    if (i === this.op.length) this.grow();
    const slab = v._slab;
    const slot = v._slot;
    v._index = i;
    this.op[i] = slab.op[slot] as number;
    this.data[i] = slab.data[slot] as number;
    this.grad[i] = slab.grad[slot] as number; // grads accumulate, intermediate nodes' too (as micrograd)
    this.exponent[i] = slab.exponent === null ? 0 : (slab.exponent[slot] as number);
    this.firstOperand[i] = v._a === null ? -1 : v._a._index;
    this.secondOperand[i] = v._b === null ? -1 : v._b._index;
    this.slab[i] = slab;
    this.slot[i] = slot;
  };

  /** Records the graph below `root`; returns its size (root is the last entry). */
  record(root: Value): number {
    this.size = 0;
    visitTopological(root, this.emit);
    return this.size;
  }

  /**
   * The chain rule over the first n entries, newest first: each operand's grad += local derivative ×
   * this node's grad; then every grad is written back to its Value. A node whose grad is 0 passes
   * nothing down, even where its local derivative is infinite (micrograd would compute 0 · ∞ = NaN
   * there; the contribution of a zero gradient is zero), so only a non-zero gradient through an
   * infinite or NaN derivative, or a sum that overflows, is an error: then this returns that node's
   * entry, before any grad is written back. Returns -1 when every grad is finite.
   */
  backpropagate(
    n: number,
    localDerivatives: (op: Op, t: number, x: number, y: number, k: number, d: LocalDerivatives) => void,
  ): number {
    const { op, data, grad, firstOperand, secondOperand, local } = this;
    let failed = -1;
    for (let i = n - 1; i >= 0; i--) {
      const g = grad[i] as number;
      if (g === 0 || op[i] === LEAF) continue;
      const ia = firstOperand[i] as number;
      const ib = secondOperand[i] as number;
      const y = ib < 0 ? 0 : (data[ib] as number);
      localDerivatives(op[i] as Op, data[i] as number, data[ia] as number, y, this.exponent[i] as number, local);
      const ga = (grad[ia] as number) + local.dx * g;
      grad[ia] = ga;
      let gb = 0;
      if (ib >= 0) {
        gb = (grad[ib] as number) + local.dy * g;
        grad[ib] = gb;
      }
      // x − x is 0 for every finite x, NaN for NaN and ±Infinity: one check for both operands.
      if (ga - ga + (gb - gb) !== 0) {
        failed = i;
        break;
      }
    }
    const { slab, slot } = this;
    for (let i = 0; i < n; i++) {
      if (failed < 0) (slab[i] as Slab).grad[slot[i] as number] = grad[i] as number;
      slab[i] = null; // hold no slab beyond this call
    }
    if (failed < 0 && this.op.length > MAX_KEPT_ENTRIES) this.release(); // on failure, the error reads it
    return failed;
  }

  private grow(): void {
    const capacity = Math.max(1024, 2 * this.op.length);
    const bigger = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.op = bigger(this.op, (n) => new Uint8Array(n));
    this.data = bigger(this.data, (n) => new Float64Array(n));
    this.grad = bigger(this.grad, (n) => new Float64Array(n));
    this.exponent = bigger(this.exponent, (n) => new Float64Array(n));
    this.firstOperand = bigger(this.firstOperand, (n) => new Int32Array(n));
    this.secondOperand = bigger(this.secondOperand, (n) => new Int32Array(n));
    this.slot = bigger(this.slot, (n) => new Int32Array(n));
  }

  /** Gives back the memory of an unusually large graph (a million-node chain) instead of keeping it. */
  private release(): void {
    this.op = new Uint8Array(0);
    this.data = new Float64Array(0);
    this.grad = new Float64Array(0);
    this.exponent = new Float64Array(0);
    this.firstOperand = new Int32Array(0);
    this.secondOperand = new Int32Array(0);
    this.slot = new Int32Array(0);
    this.slab = [];
  }
}
