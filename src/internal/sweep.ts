/**
 * backward() without a search: the open chunk walked newest first.
 *
 * Nodes are numbered as they are created, and an operand always exists before its result, so creation
 * order is a topological order. When the root was created since the last backward() (the open chunk,
 * src/internal/chunk.ts), the chain rule can walk that chunk from the root down, in place: a node is
 * reached when the root or a reached node uses it, and a reached node passes its grad to its operands.
 * The walk stops once every reached node of the chunk is done. Leaves from earlier chunks (parameters)
 * get their grads directly; earlier non-leaf nodes are handed back to be finished by the tape (tape.ts).
 *
 * If a gradient is not finite, every grad is put back as it was (micrograd would leave NaNs behind).
 */
import type { LocalDerivatives, Op, Value } from "../engine";
import { type Chunk, externalChunkPosition, externalSlot, externalValuePosition, NO_OPERAND } from "./chunk";

/** Op code 0 is a leaf (Op.Leaf), 3 is Op.Pow, the one op with a constant (its exponent). */
const LEAF = 0;
const POW = 3;

/** A gradient that is not finite: the node, its operands' data and the grad it received from above. */
export interface GradientFailure {
  op: Op;
  t: number;
  x: number;
  y: number | null;
  k: number;
  g: number;
}

export type LocalDerivativesFn = (op: Op, t: number, x: number, y: number, k: number, d: LocalDerivatives) => void;

/** The open chunk's grads before the walk (from savedFrom up), and the grads it changed elsewhere (chunk, slot, old grad). */
let saved = new Float64Array(0);
let savedFrom = 0;
let journalChunks: Chunk[] = [];
let journalSlots: number[] = [];
let journalGrads: number[] = [];
const local: LocalDerivatives = { dx: 0, dy: 0 };

/**
 * Runs the chain rule from `root` (a slot of the open chunk `chunk`) down, as backward(): the root's grad
 * is set to 1 and grads accumulate. `round` is a fresh traversal mark. Non-leaf nodes of earlier chunks
 * that were reached are pushed to `reached` (their grads received, not yet passed down). Returns the
 * failure, with every grad restored, or null.
 */
export function sweep(
  chunk: Chunk,
  root: number,
  round: number,
  localDerivatives: LocalDerivativesFn,
  reached: Value[],
): GradientFailure | null {
  const { op, data, grad, first, second, mark } = chunk;
  if (saved.length <= root) saved = new Float64Array(chunk.capacity);
  saved[root] = grad[root] as number;
  savedFrom = root; // saved[savedFrom..root] holds those grads as they were; lower ones are saved before a write
  journalChunks = [];
  journalSlots = [];
  journalGrads = [];
  grad[root] = 1;
  mark[root] = round;
  let pending = 1; // reached nodes of this chunk not yet walked past
  for (let i = root; pending > 0; i--) {
    if (mark[i] !== round) continue;
    pending--;
    const o = op[i] as number;
    if (o === LEAF) continue;
    // Each operand's chunk and slot. Operands are reached even through a zero grad: grads they
    // already hold still flow down (as micrograd's would).
    let a = first[i] as number;
    let chunkA = chunk;
    if (a >= 0) {
      if (mark[a] !== round) {
        mark[a] = round;
        pending++;
        if (a < savedFrom) save(grad, a);
      }
    } else {
      a = reachExternal(chunk, a, round, reached);
      chunkA = resolved;
    }
    let b = second[i] as number;
    let chunkB = chunk;
    if (b >= 0) {
      if (mark[b] !== round) {
        mark[b] = round;
        pending++;
        if (b < savedFrom) save(grad, b);
      }
    } else if (b !== NO_OPERAND) {
      b = reachExternal(chunk, b, round, reached);
      chunkB = resolved;
    }
    const g = grad[i] as number;
    if (g === 0) continue; // a zero grad passes nothing down, even through an infinite derivative (tape.ts)
    const x = chunkA.data[a] as number;
    const y = b === NO_OPERAND ? 0 : (chunkB.data[b] as number);
    const k = o === POW ? ((chunk.exponent as Float64Array)[i] as number) : 0;
    localDerivatives(o, data[i] as number, x, y, k, local);
    const ga = (chunkA.grad[a] as number) + local.dx * g;
    chunkA.grad[a] = ga;
    let gb = 0;
    if (b !== NO_OPERAND) {
      gb = (chunkB.grad[b] as number) + local.dy * g;
      chunkB.grad[b] = gb;
    }
    // x − x is 0 for every finite x, NaN for NaN and ±Infinity: one check for both operands.
    if (ga - ga + (gb - gb) !== 0) {
      undoSweep(chunk, root);
      return { op: o as Op, t: data[i] as number, x, y: b === NO_OPERAND ? null : y, k, g };
    }
  }
  return null;
}

/** Saves the open chunk's grads from `from` (or a little lower: blocks, not one slot at a time) up to what is saved already. */
function save(grad: Float64Array, from: number): void {
  const start = Math.max(0, Math.min(from, savedFrom - 4096));
  saved.set(grad.subarray(start, savedFrom), start);
  savedFrom = start;
}

/** Puts back every grad the last sweep of `chunk` from `root` changed. */
export function undoSweep(chunk: Chunk, root: number): void {
  chunk.grad.set(saved.subarray(savedFrom, root + 1), savedFrom);
  for (let j = journalChunks.length - 1; j >= 0; j--) {
    (journalChunks[j] as Chunk).grad[journalSlots[j] as number] = journalGrads[j] as number;
  }
}

/** The chunk of the operand `reachExternal` resolved last (a second return value, without allocating). */
let resolved: Chunk = undefined as unknown as Chunk;

/**
 * Resolves an external operand's code to its slot (and its chunk, in `resolved`). The first time it is
 * reached, its grad is saved, and a non-leaf one is kept for the tape.
 */
function reachExternal(chunk: Chunk, code: number, round: number, reached: Value[]): number {
  const p = externalValuePosition(code);
  const v = p >= 0 ? (chunk.externalValues[p] as Value) : null;
  const home = v === null ? (chunk.external[externalChunkPosition(code)] as Chunk) : v._chunk;
  const slot = v === null ? externalSlot(code) : v._slot;
  if (home.mark[slot] !== round) {
    home.mark[slot] = round;
    journalChunks.push(home);
    journalSlots.push(slot);
    journalGrads.push(home.grad[slot] as number);
    if (v !== null) reached.push(v);
  }
  resolved = home;
  return slot;
}
