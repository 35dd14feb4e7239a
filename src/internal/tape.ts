/**
 * backward() through a search, for graphs the sweep (sweep.ts) cannot walk alone: a root created before
 * the last backward(), a graph bigger than a chunk, a graph that uses a non-leaf made before the last
 * backward().
 *
 * `record` visits the Values once, in topological order (depth-first, as the lecture's build_topo),
 * copying each node's op, value, grad and its operands' positions on the tape into reused typed arrays.
 * `backpropagate` then applies the chain rule over those arrays alone, newest node first, and writes each
 * node's final grad back to its chunk: the Values, scattered through memory, are read once instead of on
 * every step. The arithmetic is the table's (src/ops.ts), in reverse creation order, as the sweep's.
 * See docs/DEVELOPMENT.md ("How the engine is fast").
 */
import { dxOf, dyOf, Op } from "../ops";
import { type Chunk, creationKey, type Node, newTraversalMarks, nodesCreated } from "./chunk";
import type { GradientFailure } from "./sweep";

/**
 * Depth-first search from `root`, iterative (no stack limit: a chain of a million nodes is fine). Calls
 * `emit` on every node `root` depends on, itself included, each after all of its operands: a
 * topological order, as the lecture's build_topo. `expectedSize`, when large, sizes the stack once (a
 * 10-million-node chain's stack grown push by push leaves ~160 MB of copies behind). Returns the mark
 * the emitted nodes carry afterwards. Without `expand`, a Value whose operands are pending (a neuron's,
 * src/internal/neuron.ts) is emitted after the Values its pending nodes use, and its nodes stay Value-less.
 * `marks`: the first of two fresh traversal marks, when the caller took more of one epoch (the tape).
 */
export function visitTopological<T extends Node>(
  root: T | readonly T[],
  emit: (v: T) => void,
  expectedSize = 0,
  expand = true,
  marks = newTraversalMarks(2),
): number {
  const entered = marks; // operands pushed, not yet emitted
  const done = marks + 1;
  const stack: Node[] = expectedSize > 1 << 16 ? new Array(Math.min(expectedSize + 1, 1 << 24)) : [];
  for (const start of (Array.isArray(root) ? root : [root]) as readonly T[]) {
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const v = stack[--top] as T; // every node below a T is a T (a Value's operands are Values)
      const mark = v._chunk.marks(); // marks live in the chunks (src/internal/chunk.ts)
      if (mark[v._slot] === done) continue; // reached twice before it was expanded
      if (mark[v._slot] === entered) {
        // A node is re-pushed below its operands, so here they are all emitted.
        mark[v._slot] = done;
        emit(v);
        continue;
      }
      mark[v._slot] = entered;
      stack[top++] = v;
      if (v._pending !== null) {
        if (!expand) {
          // The tape records a neuron's nodes without making their Values: the Values they use come first.
          for (const o of v._pending.operands()) if ((o._chunk.marks()[o._slot] as number) < entered) stack[top++] = o;
          continue;
        }
        v._pending.expand(v); // a neuron's nodes get their Values (src/internal/neuron.ts)
      }
      const { _a: a, _b: b } = v;
      if (b !== null && (b._chunk.marks()[b._slot] as number) < entered) stack[top++] = b;
      if (a !== null && (a._chunk.marks()[a._slot] as number) < entered) stack[top++] = a;
    }
  }
  return done; // the mark every emitted node carries now
}

/** Tapes up to this many entries (33 bytes each) are kept for the next backward(). */
const MAX_KEPT_ENTRIES = 1 << 18;

export class Tape {
  size = 0;
  op = new Uint8Array(0);
  data = new Float64Array(0);
  grad = new Float64Array(0);
  /** Operand positions on the tape (-1 for none), not operand values. */
  firstOperand = new Int32Array(0);
  secondOperand = new Int32Array(0);
  /** Where each entry's grad goes back to: its Value's chunk (a position in `chunks`) and slot. */
  slot = new Int32Array(0);
  chunkIndex = new Int32Array(0);
  /**
   * The chunks of the recorded nodes, each once: numbers per entry rather than a pointer per entry keep a
   * 10-million-node backward() from growing a 10-million-slot array on the garbage-collected heap.
   */
  chunks: Chunk[] = [];
  private round = 0;
  /** Values created between the last two record() calls: most of a big graph, usually (see grow). */
  private createdAtLastRecord = 0;
  private createdSinceLastRecord = 0;

  /** Whether the entries so far are in creation order (see sortByCreation). */
  private inOrder = true;
  private lastKey = -1;

  private readonly emit = (v: Node): void => {
    if (v._pending !== null) {
      // A neuron's nodes without Values first, then its output, whose operands are two of them.
      const [a, b] = v._pending.record(this.positionOf, this.emitValueless);
      this.emitNode(v._chunk, v._slot, a, b);
      return;
    }
    const a = v._a === null ? -1 : this.positionOf(v._a);
    const b = v._b === null ? -1 : this.positionOf(v._b);
    this.emitNode(v._chunk, v._slot, a, b);
  };

  /** Where a Value recorded earlier in this record() is on the tape. */
  private readonly positionOf = (v: Node): number => (v._chunk.scratch as Int32Array)[v._slot] as number;

  /** Records the node in chunk/slot, with its operands' positions on the tape; returns its own position. */
  private readonly emitNode = (chunk: Chunk, slot: number, a: number, b: number): number => {
    const i = this.size++;
    if (i === this.op.length) this.grow();
    const key = creationKey(chunk, slot);
    if (key < this.lastKey) this.inOrder = false;
    this.lastKey = key;
    chunk.positions()[slot] = i;
    this.op[i] = chunk.op[slot] as number;
    this.data[i] = chunk.data[slot] as number;
    this.grad[i] = chunk.grad[slot] as number; // grads accumulate, intermediate nodes' too (as micrograd)
    this.firstOperand[i] = a;
    this.secondOperand[i] = b;
    if (chunk.tapeRound !== this.round) {
      chunk.tapeRound = this.round;
      chunk.tapeIndex = this.chunks.length;
      this.chunks.push(chunk);
    }
    this.chunkIndex[i] = chunk.tapeIndex;
    this.slot[i] = slot;
    return i;
  };

  /** emitNode for a node without a Value, marked (the search never visits it) for sortByCreation. */
  private readonly emitValueless = (chunk: Chunk, slot: number, a: number, b: number): number => {
    chunk.marks()[slot] = this.round;
    return this.emitNode(chunk, slot, a, b);
  };

  /**
   * backward() from `root`: records it and everything below, sets its grad to 1 (it is the last entry),
   * and backpropagates. Returns the failure or null.
   */
  run(root: Node): GradientFailure | null {
    const n = this.record([root]);
    this.grad[n - 1] = 1;
    const failed = this.backpropagate(n);
    return failed < 0 ? null : this.failureAt(failed);
  }

  /** Records the graph below `roots`; returns its size (a single root is the last entry). */
  record(roots: readonly Node[]): number {
    this.size = 0;
    this.chunks = [];
    this.createdSinceLastRecord = nodesCreated() - this.createdAtLastRecord;
    this.createdAtLastRecord += this.createdSinceLastRecord;
    const marks = newTraversalMarks(3); // one epoch for all three (src/internal/chunk.ts)
    this.round = marks; // unique, as the marks are
    this.inOrder = true;
    this.lastKey = -1;
    const done = visitTopological(roots, this.emit, this.createdSinceLastRecord, false, marks + 1);
    if (!this.inOrder) this.sortByCreation(done);
    return this.size;
  }

  /**
   * Puts the entries in creation order, the order the sweep (sweep.ts) uses, so that backward() adds a
   * node's contributions in the same order whichever way it runs. Creation order is topological too.
   * Usually by scanning the chunks met, in order, for the nodes recorded (marked `done`, or `round` for
   * a neuron's nodes without a Value); a comparison
   * sort when they are mostly other nodes.
   */
  private sortByCreation(done: number): void {
    const n = this.size;
    const order = new Int32Array(n); // order[new position] = old position
    const chunks = this.chunks.slice().sort((p, q) => p.seq - q.seq);
    const scanned = chunks.reduce((total, c) => total + c.used, 0);
    if (scanned <= 4 * n + 4096) {
      let k = 0;
      for (const c of chunks) {
        const mark = c.marks();
        const position = c.scratch as Int32Array;
        const round = this.round; // the mark of recorded nodes without a Value
        for (let s = 0; s < c.used; s++) if (mark[s] === done || mark[s] === round) order[k++] = position[s] as number;
      }
    } else {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++)
        keys[i] = creationKey(this.chunks[this.chunkIndex[i] as number] as Chunk, this.slot[i] as number);
      order.set(Array.from({ length: n }, (_, i) => i).sort((p, q) => (keys[p] as number) - (keys[q] as number)));
    }
    this.permute(order);
  }

  /** Moves entry order[k] to position k, operand positions following. */
  private permute(order: Int32Array): void {
    const n = this.size;
    const newPosition = new Int32Array(n);
    for (let k = 0; k < n; k++) newPosition[order[k] as number] = k;
    const floats = new Float64Array(n);
    for (const name of ["data", "grad"] as const) {
      const array = this[name];
      floats.set(array.subarray(0, n));
      for (let k = 0; k < n; k++) array[k] = floats[order[k] as number] as number;
    }
    const ints = new Int32Array(n);
    for (const name of ["slot", "chunkIndex", "firstOperand", "secondOperand"] as const) {
      const array = this[name];
      ints.set(array.subarray(0, n));
      const operand = name === "firstOperand" || name === "secondOperand";
      for (let k = 0; k < n; k++) {
        const x = ints[order[k] as number] as number;
        array[k] = operand && x >= 0 ? (newPosition[x] as number) : x;
      }
    }
    const ops = this.op.slice(0, n);
    for (let k = 0; k < n; k++) this.op[k] = ops[order[k] as number] as number;
  }

  /**
   * The chain rule over the first n entries, newest first: each operand's grad += local derivative ×
   * this node's grad; then every grad is written back to its Value. A node whose grad is 0 passes
   * nothing down, even where its local derivative is infinite (micrograd would compute 0 · ∞ = NaN
   * there; the contribution of a zero gradient is zero), so only a non-zero gradient through an
   * infinite or NaN derivative, or a sum that overflows, is an error: then this returns that node's
   * entry, before any grad is written back. Returns -1 when every grad is finite.
   */
  backpropagate(n: number): number {
    const { op, data, grad, firstOperand, secondOperand, chunks, chunkIndex, slot } = this;
    const dx = dxOf; // the table's derivatives as locals: read from the module, a property load per node
    const dy = dyOf;
    for (let i = n - 1; i >= 0; i--) {
      const g = grad[i] as number;
      const o = op[i] as Op;
      if (g === 0 || o === Op.Leaf) continue;
      const ia = firstOperand[i] as number;
      const ib = secondOperand[i] as number;
      const y = ib < 0 ? this.constantAt(i) : (data[ib] as number);
      const t = data[i] as number;
      const x = data[ia] as number;
      const ga = (grad[ia] as number) + dx(o, t, x, y) * g;
      grad[ia] = ga;
      let gb = 0;
      if (ib >= 0) {
        gb = (grad[ib] as number) + dy(o, t, x, y) * g;
        grad[ib] = gb;
      }
      // x − x is 0 for every finite x, NaN for NaN and ±Infinity: one check for both operands.
      if (ga - ga + (gb - gb) !== 0) return i; // no grad written back
    }
    for (let i = 0; i < n; i++) (chunks[chunkIndex[i] as number] as Chunk).grad[slot[i] as number] = grad[i] as number;
    this.chunks = []; // hold no chunk beyond this call
    if (this.op.length > MAX_KEPT_ENTRIES) this.release();
    return -1;
  }

  /** The constant of entry i (read from its chunk: pow's exponent), or 0. */
  private constantAt(i: number): number {
    return (this.chunks[this.chunkIndex[i] as number] as Chunk).constantAt(this.slot[i] as number);
  }

  /** What failed at entry i, for the error message. */
  private failureAt(i: number): GradientFailure {
    const ib = this.secondOperand[i] as number;
    const failure: GradientFailure = {
      op: this.op[i] as Op,
      t: this.data[i] as number,
      x: this.data[this.firstOperand[i] as number] as number,
      y: ib < 0 ? this.constantAt(i) : (this.data[ib] as number),
      g: this.grad[i] as number,
    };
    this.chunks = [];
    return failure;
  }

  /**
   * Room for more entries, in one allocation: V8 runs a full collection when typed-array memory grows
   * past a threshold, so few and large growths keep a 10-million-node backward() from paying for many
   * collections of its own graph. 8x at a time, or, for a big graph, room for every Value created since
   * the last backward() (the graph being laid out, usually): a 10M-node graph gets 10M entries, not 16M.
   */
  private grow(): void {
    const size = this.op.length;
    const expected = this.createdSinceLastRecord + 1;
    const capacity = Math.max(1024, expected > size && expected <= 8 * size ? expected : 8 * size);
    const buffer = new ArrayBuffer(capacity * 33); // 2 Float64, 4 Int32 and 1 Uint8 per entry
    let offset = 0;
    const bigger = <T extends Uint8Array | Int32Array | Float64Array>(
      old: T,
      make: (b: ArrayBuffer, at: number, n: number) => T,
    ): T => {
      const next = make(buffer, offset, capacity);
      offset += next.byteLength;
      next.set(old);
      return next;
    };
    const f64 = (b: ArrayBuffer, at: number, n: number) => new Float64Array(b, at, n);
    const i32 = (b: ArrayBuffer, at: number, n: number) => new Int32Array(b, at, n);
    this.data = bigger(this.data, f64);
    this.grad = bigger(this.grad, f64);
    this.firstOperand = bigger(this.firstOperand, i32);
    this.secondOperand = bigger(this.secondOperand, i32);
    this.slot = bigger(this.slot, i32);
    this.chunkIndex = bigger(this.chunkIndex, i32);
    this.op = bigger(this.op, (b, at, n) => new Uint8Array(b, at, n));
  }

  /** Gives back the memory of an unusually large graph (a million-node chain) instead of keeping it. */
  private release(): void {
    this.op = new Uint8Array(0);
    this.data = new Float64Array(0);
    this.grad = new Float64Array(0);
    this.firstOperand = new Int32Array(0);
    this.secondOperand = new Int32Array(0);
    this.slot = new Int32Array(0);
    this.chunkIndex = new Int32Array(0);
  }
}
