/**
 * compile()'s machinery: a captured graph as a program over typed arrays.
 *
 * Capture lays the graph out once, in the order backward() runs it (creation order), and keeps only
 * numbers: an op code and operand positions per node, and where each leaf's data and grad live (its chunk
 * and slot). Replaying it is then two tight loops over typed arrays, with no objects made, no traversal
 * and no garbage. The arithmetic is the table's (src/ops.ts), operation for operation and in the same
 * order as the object API, so results agree to the last bit. See docs/DEVELOPMENT.md ("Graph capture").
 */
import { result, Value } from "../engine";
import { ADD, dxOf, dyOf, forward, MUL, Op, RELU } from "../ops";
import {
  type Chunk,
  creationKey,
  externalChunkPosition,
  externalSlot,
  NO_OPERAND,
  newTraversalMarks,
  openChunk,
} from "./chunk";
import { Tape, visitTopological } from "./tape";

/**
 * The one instruction that is not an operation of the table: a neuron's weighted sum, `other + w₁·x₁ +
 * w₂·x₂ + …`, as one instruction. It is made of each Mul whose only user is the Add right after it, as
 * that Add's second operand, and each such Add whose only user is the next one, right after it; values in
 * between are neither kept nor written. The chain rule writes the same grads in the same order as the
 * separate nodes did (each fused node's grad is the last Add's grad, exactly), and the replay loops over
 * the products without dispatching on every node. Its code is outside the table's range (a const enum:
 * written as a number).
 *
 * `Sum` is the same computation made from another layout: sum() of products made beforehand (the L2
 * penalty's `sum(p·p for each p)`): K Muls in a row, each used once, then K Adds in a row, the t-th adding
 * the t-th product to the one before. Forward adds the same numbers in the same order; backward writes
 * the same grads in the same order as long as the first Add's other operand is none of the products'
 * factors (checked). Only the error rebuild tells it from a Dot: it makes the products first, as the
 * object API did, so that the first failing operation is the same.
 */
// biome-ignore lint/suspicious/noConstEnum: the number is inlined into the replay's loops
const enum Instruction {
  Sum = 254,
  Dot = 255,
}

/** Dot or Sum: a weighted sum, walked the same way by the replay. */
const isDot = (code: number): boolean => code >= Instruction.Sum;

/**
 * A captured graph, flat. Instruction i computes data[i] from data[a[i]] and data[b[i]] (or its constant,
 * for a unary operation); leaves come first. A Dot's products are terms b[i] to c[i] − 1:
 * data[factor1[k]] · data[factor2[k]].
 */
export interface Instructions {
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly c: Int32Array;
  readonly constant: Float64Array;
  readonly factor1: Int32Array;
  readonly factor2: Int32Array;
  readonly data: Float64Array;
  readonly grad: Float64Array;
  /** Where each leaf's data and grad live: its chunk and slot. */
  readonly leafChunk: readonly Chunk[];
  readonly leafSlot: Int32Array;
}

/** The graph below a root in creation order, as the tape records it (src/internal/tape.ts): what capture reads. */
interface Recorded {
  readonly op: Uint8Array;
  /** Operand positions in this record, −1 for none. */
  readonly firstOperand: Int32Array;
  readonly secondOperand: Int32Array;
  readonly data: Float64Array;
  /** Where each node lives: its chunk (a position in `chunks`) and slot. */
  readonly chunks: readonly Chunk[];
  readonly chunkIndex: Int32Array;
  readonly slot: Int32Array;
}

/**
 * Lays out the graph below `root` in creation order (backward()'s, reversed), with weighted sums fused. It
 * reads numbers only: the nodes come from the open chunk, walked as backward()'s sweep walks it, or else
 * from the tape's search (src/internal/tape.ts); neither makes a Value for a neuron's products and sums.
 * Only the leaves need their Values (the graph's `leaves`): one more walk, over the Values alone, finds
 * them, the first time they are asked for (a training loop never asks: the walk was a fifth of the capture).
 */
export function capture(root: Value): { instructions: Instructions; leaves: () => Value[] } {
  const chunk = root._chunk;
  let record: Recorded;
  let n: number;
  if (chunk === openChunk() && chunk.sweepable) {
    record = fromOpenChunk(chunk, root._slot);
    n = record.op.length;
  } else {
    const tape = new Tape();
    n = tape.record([root]);
    record = tape;
  }
  const { op: tapeOp, firstOperand: fa, secondOperand: fb, chunkIndex, slot, chunks } = record;
  const uses = new Int32Array(n);
  let leafCount = 0;
  for (let j = 0; j < n; j++) {
    if (tapeOp[j] === Op.Leaf) leafCount++;
    else {
      uses[fa[j] as number]++;
      if ((fb[j] as number) >= 0) uses[fb[j] as number]++;
    }
  }
  // The leaves first: they have no operands, so the order stays topological. Sized for the worst case.
  const position = new Int32Array(n).fill(-1);
  const op = new Uint8Array(n);
  const a = new Int32Array(n).fill(-1);
  const b = new Int32Array(n).fill(-1);
  const c = new Int32Array(n).fill(-1);
  const constant = new Float64Array(n);
  const factor1 = new Int32Array(n);
  const factor2 = new Int32Array(n);
  const leafChunk: Chunk[] = [];
  const leafSlot = new Int32Array(leafCount);
  for (let j = 0; j < n; j++) {
    if (tapeOp[j] !== Op.Leaf) continue;
    position[j] = leafChunk.length;
    leafSlot[leafChunk.length] = slot[j] as number;
    leafChunk.push(chunks[chunkIndex[j] as number] as Chunk);
  }
  const at = (j: number) => (j < 0 ? -1 : (position[j] as number));
  // The Sums (see Instruction): K at a Sum's first Add, −1 at its products.
  const sumLength = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const k = tapeOp[j] === Op.Add ? sumOfProductsAt(record, uses, j) : 0;
    if (k === 0) continue;
    sumLength.fill(-1, j - k, j);
    sumLength[j] = k;
    j += k - 1;
  }
  let size = leafCount; // instructions so far (op[i] = Op.Leaf = 0 for the leaves)
  let terms = 0;
  for (let j = 0; j < n; j++) {
    const vop = tapeOp[j] as Op;
    if (vop === Op.Leaf) continue;
    const k = sumLength[j] as number;
    if (k > 0) {
      // A Sum (see Instruction): the K Adds from j on are one instruction, the K Muls before it its terms.
      const products = fb[j] as number;
      op[size] = Instruction.Sum;
      a[size] = at(fa[j] as number);
      b[size] = terms;
      for (let t = 0; t < k; t++) {
        factor1[terms] = at(fa[products + t] as number);
        factor2[terms] = at(fb[products + t] as number);
        terms++;
        position[j + t] = size;
      }
      c[size] = terms;
      size++;
      j += k - 1;
      continue;
    }
    // A Mul used once, by the Add right after it as its second operand, becomes a term of that Add's Dot;
    // one of a Sum's products is skipped too (its Sum is made at its first Add, after it).
    if (vop === Op.Mul && uses[j] === 1 && j + 1 < n && tapeOp[j + 1] === Op.Add && fb[j + 1] === j) continue;
    if (k === -1) continue; // a Sum's product
    if (j > 0 && position[j - 1] === -1 && tapeOp[j - 1] === Op.Mul) {
      const other = fa[j] as number;
      const last = size - 1;
      // The Dot right before, used only here, grows by one term; otherwise a new Dot starts.
      if (at(other) === last && op[last] === Instruction.Dot && uses[other] === 1) {
        position[j] = last;
      } else {
        position[j] = size;
        op[size] = Instruction.Dot;
        a[size] = at(other);
        b[size] = terms;
        size++;
      }
      factor1[terms] = at(fa[j - 1] as number);
      factor2[terms] = at(fb[j - 1] as number);
      terms++;
      c[position[j] as number] = terms;
      continue;
    }
    position[j] = size;
    op[size] = vop;
    a[size] = at(fa[j] as number);
    b[size] = at(fb[j] as number);
    constant[size] = (chunks[chunkIndex[j] as number] as Chunk).constantAt(slot[j] as number);
    size++;
  }
  const data = new Float64Array(size);
  for (let j = 0; j < n; j++) {
    const i = position[j] as number;
    if (i >= 0) data[i] = record.data[j] as number; // a Dot ends up with its last Add's value
  }
  const instructions: Instructions = {
    op: op.slice(0, size),
    a: a.slice(0, size),
    b: b.slice(0, size),
    c: c.slice(0, size),
    constant: constant.slice(0, size),
    factor1: factor1.slice(0, terms),
    factor2: factor2.slice(0, terms),
    data,
    grad: new Float64Array(size),
    leafChunk,
    leafSlot,
  };
  let leaves: Value[] | null = null;
  let below: Value | null = root; // held only until the leaves are found
  const leavesOnce = () => {
    leaves ??= leafValues(below as Value, leafChunk, leafSlot);
    below = null;
    return leaves;
  };
  return { instructions, leaves: leavesOnce };
}

/**
 * K when the Add at j starts a Sum (see Instruction) of K ≥ 2 terms: the K nodes before j are Muls used
 * once, the t-th of the K nodes from j is an Add of the one before it (used only there, for t > 0) and
 * of the t-th product, and the first Add's other operand was made before the products and is none of
 * their factors. 0 otherwise.
 */
function sumOfProductsAt(record: Recorded, uses: Int32Array, j: number): number {
  const { op, firstOperand: fa, secondOperand: fb } = record;
  const products = fb[j] as number;
  const k = j - products;
  const other = fa[j] as number;
  if (k < 2 || other >= products || op[j - 1] !== Op.Mul) return 0;
  for (let t = 0; t < k; t++) {
    const m = products + t;
    const add = j + t;
    if (op[m] !== Op.Mul || uses[m] !== 1 || fa[m] === other || fb[m] === other) return 0;
    if (add >= op.length || op[add] !== Op.Add || fb[add] !== m) return 0;
    if (t > 0 && (fa[add] !== add - 1 || uses[add - 1] !== 1)) return 0;
  }
  return k;
}

/**
 * The nodes below `root` (a slot of the open chunk, which is sweepable: every operand from another chunk
 * is a leaf), in creation order: the chunk's own, found by walking it from the root down as the sweep
 * does (src/internal/sweep.ts), after the leaves from earlier chunks (parameters), which were created
 * before every node of the open chunk. Each node's record position goes in its chunk's scratch.
 */
function fromOpenChunk(chunk: Chunk, root: number): Recorded {
  const { op, first, second } = chunk;
  const reached = new Uint8Array(root + 1);
  reached[root] = 1;
  const round = newTraversalMarks();
  const externalKeys: number[] = [];
  const reach = (code: number): void => {
    if (code >= 0) reached[code] = 1;
    else if (code !== NO_OPERAND) {
      const home = chunk.external[externalChunkPosition(code)] as Chunk;
      const s = externalSlot(code);
      const mark = home.marks();
      if (mark[s] !== round) {
        mark[s] = round;
        externalKeys.push(creationKey(home, s));
      }
    }
  };
  let count = 0;
  for (let i = root; i >= 0; i--) {
    if (reached[i] === 0) continue;
    count++;
    if (op[i] === Op.Leaf) continue;
    reach(first[i] as number);
    reach(second[i] as number);
  }
  const keys = Float64Array.from(externalKeys).sort(); // creation order
  const homes = chunk.external.slice().sort((p, q) => p.seq - q.seq);
  const n = keys.length + count;
  const record = {
    op: new Uint8Array(n),
    firstOperand: new Int32Array(n).fill(-1),
    secondOperand: new Int32Array(n).fill(-1),
    data: new Float64Array(n),
    chunks: [...homes, chunk],
    chunkIndex: new Int32Array(n),
    slot: new Int32Array(n),
  };
  let h = 0;
  keys.forEach((key, j) => {
    while (creationKey(homes[h] as Chunk, 0) > key || creationKey(homes[h + 1] ?? chunk, 0) <= key) h++;
    const home = homes[h] as Chunk;
    const s = key - creationKey(home, 0);
    home.positions()[s] = j;
    record.data[j] = home.data[s] as number;
    record.chunkIndex[j] = h;
    record.slot[j] = s;
  });
  const position = chunk.positions();
  const at = (code: number): number => {
    if (code >= 0) return position[code] as number;
    if (code === NO_OPERAND) return -1;
    return (chunk.external[externalChunkPosition(code)] as Chunk).positions()[externalSlot(code)] as number;
  };
  let j = keys.length;
  for (let i = 0; i <= root; i++) {
    if (reached[i] === 0) continue;
    position[i] = j;
    record.op[j] = op[i] as number;
    if (op[i] !== Op.Leaf) {
      record.firstOperand[j] = at(first[i] as number);
      record.secondOperand[j] = at(second[i] as number);
    }
    record.data[j] = chunk.data[i] as number;
    record.chunkIndex[j] = homes.length;
    record.slot[j] = i;
    j++;
  }
  return record;
}

/**
 * The Values of the leaves at `leafChunk`/`leafSlot`, in that order. A walk over the Values alone finds
 * them, unless a neuron made a leaf for a number input (it has no Value yet): then the walk again, giving
 * every node its Value (src/internal/neuron.ts), as the same chunk and slot.
 */
function leafValues(root: Value, leafChunk: readonly Chunk[], leafSlot: Int32Array): Value[] {
  leafChunk.forEach((chunk, j) => {
    chunk.positions()[leafSlot[j] as number] = j; // the chunks' scratch positions, valid until the next layout
  });
  const leaves = new Array<Value>(leafChunk.length);
  let found = 0;
  const collect = (v: Value) => {
    if (v._op !== Op.Leaf) return;
    leaves[(v._chunk.scratch as Int32Array)[v._slot] as number] = v;
    found++;
  };
  visitTopological(root, collect, 0, false);
  if (found < leafChunk.length) {
    found = 0;
    visitTopological(root, collect);
  }
  return leaves;
}

export interface Replay {
  /** Re-evaluates the graph from the leaves' current data; returns the root's value. */
  forward(): number;
  /**
   * Adds d(root)/d(leaf) into every leaf's grad; a gradient that is not finite changes no grad, nor does a
   * leaf set since the last forward() (an Error: call forward() first).
   */
  backward(): void;
}

/**
 * How the replay's loops walk each Dot, derived from the program (which stays as capture made it). A Dot
 * whose terms are regular, factor1[k] = factor1[start] + (k − start)·step1[i] and the same for factor2,
 * is walked by base and step instead of through the two index arrays (every Dot of an MLP is regular: a
 * neuron's weights are consecutive leaves, its inputs consecutive leaves or every other instruction).
 */
interface DotPlan {
  /** 1 where instruction i is a Dot with regular terms. */
  readonly regular: Uint8Array;
  readonly step1: Int32Array;
  readonly step2: Int32Array;
  /** 1 where instruction i is a Dot and instruction i + 1 its ReLU: forward() computes both in one go. */
  readonly reluNext: Uint8Array;
  /**
   * 4 where instruction i starts four Dots that forward() sums side by side (see lanesAt); 0 elsewhere.
   * The sums of a Dot are a chain of dependent additions, so one at a time the processor waits on each;
   * four in flight keep it busy, each sum still added in its own order.
   */
  readonly lanes: Uint8Array;
  /**
   * For backward(): instructions skip[i] to i − 1 are read only by instructions skip[i] to i (a sample's
   * nodes below its loss term, say), so when instruction i's grad is 0 theirs are all 0 too and pass
   * nothing down: backward() goes on at skip[i] − 1, as the hand-written code skips a finished sample.
   */
  readonly skip: Int32Array;
}

function planDots(program: Instructions): DotPlan {
  const { op, a, b, c, factor1, factor2 } = program;
  const n = op.length;
  const regular = new Uint8Array(n);
  const step1 = new Int32Array(n);
  const step2 = new Int32Array(n);
  const reluNext = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!isDot(op[i] as number)) continue;
    if (i + 1 < n && op[i + 1] === Op.Relu && a[i + 1] === i) {
      reluNext[i] = 1;
    }
    const start = b[i] as number;
    const end = c[i] as number;
    const s1 = end - start > 1 ? (factor1[start + 1] as number) - (factor1[start] as number) : 0;
    const s2 = end - start > 1 ? (factor2[start + 1] as number) - (factor2[start] as number) : 0;
    let ok = true;
    for (let k = start; k < end && ok; k++) {
      ok =
        factor1[k] === (factor1[start] as number) + (k - start) * s1 &&
        factor2[k] === (factor2[start] as number) + (k - start) * s2;
    }
    regular[i] = ok ? 1 : 0;
    step1[i] = s1;
    step2[i] = s2;
  }
  const plan = { regular, step1, step2, reluNext, lanes: new Uint8Array(n), skip: skipRanges(program) };
  for (let i = 0; i < n; i++) {
    if (regular[i] === 1 && lanesAt(program, plan, i)) {
      plan.lanes[i] = 4;
      i += 4 * (1 + (reluNext[i] as number)) - 1;
    }
  }
  return plan;
}

/** DotPlan.skip: each instruction's range below it read only from within the range. */
function skipRanges(program: Instructions): Int32Array {
  const { op, a, b, c, factor1, factor2 } = program;
  const n = op.length;
  const leafCount = program.leafSlot.length;
  const lastReader = new Int32Array(n); // instructions read in ascending order: the last write is the latest reader
  for (let i = leafCount; i < n; i++) {
    lastReader[a[i] as number] = i;
    if (isDot(op[i] as number)) {
      for (let k = b[i] as number; k < (c[i] as number); k++) {
        lastReader[factor1[k] as number] = i;
        lastReader[factor2[k] as number] = i;
      }
    } else if ((b[i] as number) >= 0) lastReader[b[i] as number] = i;
  }
  const skip = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = i;
    // instruction s − 1 is read only up to i, and so is its own range (read only up to s − 1)
    while (s - 1 >= leafCount && (lastReader[s - 1] as number) <= i) s = skip[s - 1] as number;
    skip[i] = s;
  }
  return skip;
}

/**
 * Whether instructions i, i + d, i + 2d, i + 3d (d = 2 after a Dot with its ReLU next, else 1) are four
 * regular Dots alike (terms, steps, ReLU) that read nothing at i or after: none depends on another, so
 * they can be summed side by side.
 */
function lanesAt(program: Instructions, plan: DotPlan, i: number): boolean {
  const { op, a, b, c, factor1, factor2 } = program;
  const d = 1 + (plan.reluNext[i] as number);
  const count = (c[i] as number) - (b[i] as number);
  const before = (base: number, step: number) => Math.max(base, base + (count - 1) * step) < i && base >= 0;
  for (let m = i; m < i + 4 * d; m += d) {
    if (m >= op.length || op[m] !== Instruction.Dot || plan.regular[m] !== 1) return false;
    if (plan.reluNext[m] !== plan.reluNext[i] || (c[m] as number) - (b[m] as number) !== count) return false;
    if (plan.step1[m] !== plan.step1[i] || plan.step2[m] !== plan.step2[i]) return false;
    if ((a[m] as number) >= i) return false;
    const start = b[m] as number;
    if (!before(factor1[start] as number, plan.step1[i] as number)) return false;
    if (!before(factor2[start] as number, plan.step2[i] as number)) return false;
  }
  return true;
}

/** The replay: two loops over the program's arrays, closed over as constants. */
export function replay(program: Instructions, leaves: () => readonly Value[]): Replay {
  const { op, a, b, c, constant, factor1, factor2, data, grad, leafChunk, leafSlot } = program;
  const leafCount = leafSlot.length;
  const n = op.length;
  // The table's functions the loops call, as local constants: V8 then inlines them with one check hoisted
  // out of the loop (read from the records on every term, they cost the replay ~12%).
  const add = ADD.forward;
  const mul = MUL.forward;
  const addDx = ADD.dx;
  const mulDx = MUL.dx;
  const mulDy = MUL.dy;
  const relu = RELU.forward;
  const { regular, step1, step2, reluNext, lanes, skip } = planDots(program);
  /** Instruction i's result t, checked, and with the ReLU that follows a Dot (the ReLU of a finite number is finite). */
  const store = (i: number, t: number): void => {
    if (t - t !== 0) throw objectApiError(program, leafChunk, leafSlot); // the operation's own error
    data[i] = t;
    if (reluNext[i] === 1) data[i + 1] = relu(t, constant[i + 1] as number);
  };
  /**
   * Four Dots side by side from instruction i (DotPlan.lanes): the same operations as one by one, in each
   * sum's order. Returns the last instruction it computed. (This, `dot` and `dotBackward` are functions of
   * their own so that V8 optimizes them after a few hundred calls, within the first forward(): forward() as one
   * function waited ~20 replays for its optimized code, a sixth of compile's first 100 steps.)
   */
  const fourDots = (i: number): number => {
    const d = 1 + (reluNext[i] as number);
    const i1 = i + d;
    const i2 = i1 + d;
    const i3 = i2 + d;
    let t0 = data[a[i] as number] as number;
    let t1 = data[a[i1] as number] as number;
    let t2 = data[a[i2] as number] as number;
    let t3 = data[a[i3] as number] as number;
    const u0 = factor1[b[i] as number] as number;
    const u1 = factor1[b[i1] as number] as number;
    const u2 = factor1[b[i2] as number] as number;
    const u3 = factor1[b[i3] as number] as number;
    const v0 = factor2[b[i] as number] as number;
    const v1 = factor2[b[i1] as number] as number;
    const v2 = factor2[b[i2] as number] as number;
    const v3 = factor2[b[i3] as number] as number;
    const s1 = step1[i] as number;
    const s2 = step2[i] as number;
    const count = (c[i] as number) - (b[i] as number);
    if (v0 === v1 && v0 === v2 && v0 === v3) {
      // the same inputs (a layer's neurons): each read once
      for (let k = 0, o1 = 0, o2 = 0; k < count; k++, o1 += s1, o2 += s2) {
        const y = data[v0 + o2] as number;
        t0 = add(t0, mul(data[u0 + o1] as number, y));
        t1 = add(t1, mul(data[u1 + o1] as number, y));
        t2 = add(t2, mul(data[u2 + o1] as number, y));
        t3 = add(t3, mul(data[u3 + o1] as number, y));
      }
    } else {
      for (let k = 0, o1 = 0, o2 = 0; k < count; k++, o1 += s1, o2 += s2) {
        t0 = add(t0, mul(data[u0 + o1] as number, data[v0 + o2] as number));
        t1 = add(t1, mul(data[u1 + o1] as number, data[v1 + o2] as number));
        t2 = add(t2, mul(data[u2 + o1] as number, data[v2 + o2] as number));
        t3 = add(t3, mul(data[u3 + o1] as number, data[v3 + o2] as number));
      }
    }
    store(i, t0);
    store(i1, t1);
    store(i2, t2);
    store(i3, t3);
    return i3 + d - 1;
  };
  /** Dot or Sum instruction i from x, its first operand's value (a sum stays non-finite once it is: store checks it once). */
  const dot = (i: number, x: number): number => {
    let t = x;
    const start = b[i] as number;
    const end = c[i] as number;
    if (regular[i] === 1) {
      let p1 = factor1[start] as number;
      let p2 = factor2[start] as number;
      const s1 = step1[i] as number;
      const s2 = step2[i] as number;
      for (let k = start; k < end; k++) {
        t = add(t, mul(data[p1] as number, data[p2] as number));
        p1 += s1;
        p2 += s2;
      }
    } else {
      for (let k = start; k < end; k++) {
        t = add(t, mul(data[factor1[k] as number] as number, data[factor2[k] as number] as number));
      }
    }
    return t;
  };
  /** The chain rule through Dot or Sum instruction i (grad g, first operand ia), as `dot` for forward(). */
  const dotBackward = (i: number, ia: number, g: number): void => {
    // each Add passes g to its first operand and to its product, which passes it on; newest first
    const start = b[i] as number;
    for (let k = (c[i] as number) - 1; k >= start; k--) {
      if (k === start) grad[ia] += addDx(0, 0, 0) * g;
      const f1 = factor1[k] as number;
      const f2 = factor2[k] as number;
      const x = data[f1] as number;
      const y = data[f2] as number;
      grad[f1] += mulDx(0, x, y) * g;
      grad[f2] += mulDy(0, x, y) * g;
    }
  };
  return {
    forward(): number {
      for (let j = 0; j < leafCount; j++) {
        const x = (leafChunk[j] as Chunk).data[leafSlot[j] as number] as number;
        if (x - x !== 0) throw nonFiniteLeaf(leaves, j, x); // x − x is 0 exactly when x is finite
        data[j] = x;
      }
      for (let i = leafCount; i < n; i++) {
        if (lanes[i] === 4) {
          i = fourDots(i);
          continue;
        }
        const code = op[i] as number;
        const x = data[a[i] as number] as number;
        let t: number;
        if (isDot(code)) t = dot(i, x);
        else {
          const ib = b[i] as number;
          t = forward(code, x, ib < 0 ? (constant[i] as number) : (data[ib] as number));
        }
        store(i, t);
        i += reluNext[i] as number;
      }
      return data[n - 1] as number;
    },

    // The chain rule newest first, as the object API's backward() runs it; intermediate grads start at 0
    // and stay here, leaves start from their current grad. A non-finite grad reaches some leaf's grad (it
    // passes down as NaN or ±Infinity), so checking the leaves finds any; then nothing is written back.
    backward(): void {
      grad.fill(0, leafCount, n);
      for (let j = 0; j < leafCount; j++) {
        const chunk = leafChunk[j] as Chunk;
        const slot = leafSlot[j] as number;
        // the values below are the last forward()'s: a leaf set since then would get stale grads
        if (chunk.data[slot] !== data[j]) throw staleLeaf(leaves, j, data[j] as number, chunk.data[slot] as number);
        grad[j] = chunk.grad[slot] as number;
      }
      grad[n - 1] = 1;
      for (let i = n - 1; i >= leafCount; i--) {
        const g = grad[i] as number;
        if (g === 0) {
          i = skip[i] as number; // a zero grad passes nothing down, nor do the zero grads of its range
          continue;
        }
        const ia = a[i] as number;
        const code = op[i] as number;
        if (isDot(code)) dotBackward(i, ia, g);
        else {
          const ib = b[i] as number;
          const t = data[i] as number;
          const x = data[ia] as number;
          const y = ib < 0 ? (constant[i] as number) : (data[ib] as number);
          grad[ia] += dxOf(code, t, x, y) * g;
          if (ib >= 0) grad[ib] += dyOf(code, t, x, y) * g;
        }
      }
      let sum = 0;
      for (let j = 0; j < leafCount; j++) sum += (grad[j] as number) - (grad[j] as number); // 0, or NaN
      if (sum !== 0) throw objectApiError(program, leafChunk, leafSlot, true);
      for (let j = 0; j < leafCount; j++) {
        const chunk = leafChunk[j] as Chunk;
        const g = grad[j] as number;
        chunk.grad[leafSlot[j] as number] = g;
        if (g !== 0) chunk.gradsSet = true; // as the grad setter does (Chunk.gradsSet)
      }
    },
  };
}

function nonFiniteLeaf(leavesOnce: () => readonly Value[], j: number, x: number): RangeError {
  const leaves = leavesOnce();
  const leaf = leaves[j] as Value;
  const name = leaf.label === "" ? "" : ` (label ${JSON.stringify(leaf.label)})`;
  return new RangeError(
    `compile: forward() found leaf ${j} of ${leaves.length}${name} set to ${x}, not a finite number`,
  );
}

function staleLeaf(leavesOnce: () => readonly Value[], j: number, was: number, now: number): Error {
  const leaves = leavesOnce();
  const leaf = leaves[j] as Value;
  const name = leaf.label === "" ? "" : ` (label ${JSON.stringify(leaf.label)})`;
  return new Error(
    `compile: backward() found leaf ${j} of ${leaves.length}${name} changed from ${was} to ${now} since the last ` +
      "forward(); call forward() first, so that the gradients are those of the current values. No grad was changed.",
  );
}

/**
 * The error of a failed forward() or backward(), raised by the object API itself: the program is built
 * again as Values, instruction by instruction (a Dot as its Muls and Adds), from copies of the leaves as
 * the last forward() read them (with their current grads), then, for backward(), differentiated. The
 * same operations in the same order fail at the same node, through the same code, as the object API's.
 */
function objectApiError(
  program: Instructions,
  leafChunk: readonly Chunk[],
  leafSlot: Int32Array,
  backward = false,
): Error {
  const { op, a, b, c, constant, factor1, factor2, data } = program;
  try {
    const values = Array.from(leafSlot, (slot, j) => {
      const leaf = new Value(data[j] as number);
      leaf.grad = (leafChunk[j] as Chunk).grad[slot] as number;
      return leaf;
    });
    const at = (i: number) => values[i] as Value;
    for (let i = values.length; i < op.length; i++) {
      if (isDot(op[i] as number)) {
        const product = (k: number) => result(Op.Mul, at(factor1[k] as number), at(factor2[k] as number));
        const start = b[i] as number;
        const end = c[i] as number;
        // a Sum's products were made before its first addition, a Dot's one at a time
        const products =
          op[i] === Instruction.Sum ? Array.from({ length: end - start }, (_, t) => product(start + t)) : [];
        let sum = at(a[i] as number);
        for (let k = start; k < end; k++) sum = result(Op.Add, sum, products[k - start] ?? product(k));
        values.push(sum);
      } else {
        const ib = b[i] as number;
        values.push(result(op[i] as Op, at(a[i] as number), ib < 0 ? null : at(ib), constant[i] as number));
      }
    }
    if (backward) (values[values.length - 1] as Value).backward();
  } catch (e) {
    return e as Error;
  }
  return new RangeError(`compile: ${backward ? "backward" : "forward"}() met a number that is not finite`);
}
