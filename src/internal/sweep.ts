/**
 * backward() without a search: the open chunk walked newest first.
 *
 * Nodes are numbered as they are created, and an operand always exists before its result, so creation
 * order is a topological order. When the root was created since the last backward() (the open chunk,
 * src/internal/chunk.ts), the chain rule can walk that chunk from the root down, in place: a node is
 * reached when the root or a reached node uses it, and a reached node passes its grad to its operands.
 * The walk stops once every reached node of the chunk is done. Leaves from earlier chunks (parameters)
 * get their grads directly; a chunk with any other operand from an earlier chunk is not swept
 * (src/internal/chunk.ts: the tape searches from the root instead).
 *
 * If a gradient is not finite, every grad is put back as it was (micrograd would leave NaNs behind).
 * The arithmetic is the table's (src/ops.ts), in reverse creation order: engine.ts's backwardReference,
 * to the bit (test/reference.test.ts).
 */
import { dxOf, dyOf, Op } from "../ops";
import { type Chunk, externalChunkPosition, externalSlot, NO_OPERAND } from "./chunk";

/** The marks of a walk without marks (never read). */
const NO_MARKS = new Int32Array(0);

/** A gradient that is not finite: the node, its operands' data (y: the second operand's, or the constant) and the grad it received. */
export interface GradientFailure {
  op: Op;
  t: number;
  x: number;
  y: number;
  g: number;
}

/**
 * The sweep, with what it keeps from one call to the next: buffers reused by every sweep, and the record of
 * what the last sweep changed (so that a failure, its own or the tape's after it, can put it all back).
 */
export class Sweep {
  /** The open chunk's grads before the walk, from `savedFrom` up to the root. */
  private saved = new Float64Array(0);
  private savedFrom = 0;
  /** The grads it changed in earlier chunks: chunk, slot and old grad, in the order first changed. */
  private journalChunks: Chunk[] = [];
  private journalSlots: number[] = [];
  private journalGrads: number[] = [];
  /** Scratch: the chunk of the operand `reachExternal` resolved last (a second return value, without allocating). */
  private resolved: Chunk | null = null;

  /**
   * Runs the chain rule from `root` (a slot of the open chunk `chunk`, which is sweepable) down, as
   * backward(): the root's grad is set to 1 and grads accumulate. `round` is a fresh traversal mark.
   * Returns the failure, with every grad restored, or null.
   */
  run(chunk: Chunk, root: number, round: number): GradientFailure | null {
    const { op, data, grad, first, second } = chunk;
    // When no grad was set in this chunk (a training step: Chunk.gradsSet), an unreached node
    // holds a grad of 0 and so passes nothing, as if skipped: the walk needs no marks and goes down to slot 0.
    const marked = chunk.gradsSet;
    const mark = marked ? chunk.marks() : NO_MARKS;
    const dx = dxOf; // the table's derivatives as locals: read from the module, a property load per node
    const dy = dyOf;
    // saved[savedFrom..root] holds those grads as they were; lower ones are saved before a write. Without
    // marks every grad of the chunk is 0 (Chunk.gradsSet), so nothing is saved: undo writes zeros.
    if (marked) {
      if (this.saved.length <= root) this.saved = new Float64Array(chunk.capacity);
      this.saved[root] = grad[root] as number;
    }
    this.savedFrom = marked ? root : 0;
    this.forget();
    grad[root] = 1;
    mark[root] = round;
    let pending = 1; // reached nodes of this chunk not yet walked past (stays 1 without marks)
    for (let i = root; pending > 0 && i >= 0; i--) {
      if (marked) {
        if (mark[i] !== round) continue;
        pending--;
      } else if (grad[i] === 0) continue;
      const o = op[i] as Op;
      if (o === Op.Leaf) continue;
      // Each operand's chunk and slot. Operands are reached even through a zero grad: grads they
      // already hold still flow down (as micrograd's would).
      let a = first[i] as number;
      let chunkA = chunk;
      if (a >= 0) {
        if (marked && mark[a] !== round) {
          mark[a] = round;
          pending++;
        }
        if (a < this.savedFrom) this.save(grad, a);
      } else {
        a = this.reachExternal(chunk, a, round);
        chunkA = this.resolved as Chunk;
      }
      let b = second[i] as number;
      let chunkB = chunk;
      if (b >= 0) {
        if (marked && mark[b] !== round) {
          mark[b] = round;
          pending++;
        }
        if (b < this.savedFrom) this.save(grad, b);
      } else if (b !== NO_OPERAND) {
        b = this.reachExternal(chunk, b, round);
        chunkB = this.resolved as Chunk;
      }
      const g = grad[i] as number;
      if (g === 0) continue; // a zero grad passes nothing down, even through an infinite derivative
      const x = chunkA.data[a] as number;
      const y = b !== NO_OPERAND ? (chunkB.data[b] as number) : chunk.constantAt(i);
      const t = data[i] as number;
      const ga = (chunkA.grad[a] as number) + dx(o, t, x, y) * g;
      chunkA.grad[a] = ga;
      let gb = 0;
      if (b !== NO_OPERAND) {
        gb = (chunkB.grad[b] as number) + dy(o, t, x, y) * g;
        chunkB.grad[b] = gb;
      }
      // x − x is 0 for every finite x, NaN for NaN and ±Infinity: one check for both operands.
      if (ga - ga + (gb - gb) !== 0) {
        this.undo(chunk, root, marked);
        this.forget();
        return { op: o, t: data[i] as number, x, y, g };
      }
    }
    this.forget();
    return null;
  }

  /** Drops the references the sweep kept (chunks it reached), so that they do not outlive its backward(). */
  private forget(): void {
    this.journalChunks.length = 0;
    this.journalSlots.length = 0;
    this.journalGrads.length = 0;
    this.resolved = null;
  }

  /** Puts back every grad the sweep of `chunk` from `root` changed so far (all 0 before a walk without marks). */
  private undo(chunk: Chunk, root: number, marked: boolean): void {
    if (marked) chunk.grad.set(this.saved.subarray(this.savedFrom, root + 1), this.savedFrom);
    else chunk.grad.fill(0, 0, root + 1);
    for (let j = this.journalChunks.length - 1; j >= 0; j--) {
      (this.journalChunks[j] as Chunk).grad[this.journalSlots[j] as number] = this.journalGrads[j] as number;
    }
  }

  /** Saves the open chunk's grads from `from` (or a little lower: blocks, not one slot at a time) up to what is saved already. */
  private save(grad: Float64Array, from: number): void {
    const start = Math.max(0, Math.min(from, this.savedFrom - 4096));
    this.saved.set(grad.subarray(start, this.savedFrom), start);
    this.savedFrom = start;
  }

  /** Resolves an external leaf's code to its slot (and its chunk, in `resolved`); its grad is saved the first time. */
  private reachExternal(chunk: Chunk, code: number, round: number): number {
    const home = chunk.external[externalChunkPosition(code)] as Chunk;
    const slot = externalSlot(code);
    const mark = home.marks();
    if (mark[slot] !== round) {
      mark[slot] = round;
      this.journalChunks.push(home);
      this.journalSlots.push(slot);
      this.journalGrads.push(home.grad[slot] as number);
    }
    this.resolved = home;
    return slot;
  }
}
