/**
 * Where the numbers of Values live, in the order the Values were created.
 *
 * A JS object field holding a float points to a separate heap number, so a node with its own `data`
 * and `grad` fields would cost the garbage collector three objects. A Value instead keeps its identity
 * and its operands (which keep the graph below it alive), and its numbers sit in a chunk: typed arrays
 * holding the nodes created one after another, by default all those created between two backward()
 * calls (one training step's graph), up to MAX_CHUNK_NODES.
 *
 * A chunk also keeps each node's op code and its operands' positions as numbers. Creation order is a
 * topological order (an operand exists before its result), so backward() can walk the open chunk
 * newest first without searching the graph (src/internal/sweep.ts). Leaf operands created before the
 * chunk opened (parameters) are "external": their chunk is listed by the open chunk.
 *
 * Liveness: a chunk lives as long as one of its Values does, and a graph as long as one of its Values
 * is referenced. A chunk holds no Value, and other chunks only while it is open (the chunks of its
 * external leaves); closing it drops them, so that chunks never keep each other alive in a chain. A
 * node whose operand is not a leaf of an earlier chunk, or comes from a chunk the graph filled on the
 * way (a graph bigger than a chunk), makes the chunk unsweepable: backward() then searches from its
 * root (src/internal/tape.ts), which needs nothing but the Values, so nothing here holds the graph.
 */
import { Op } from "../ops";

/**
 * What the machinery needs of a Value (engine.ts's class has these fields): where its numbers are, and its
 * operands. The machinery is written against this shape, so that it never imports the engine.
 */
export interface Node {
  readonly _chunk: Chunk;
  readonly _slot: number;
  /** The operands (micrograd's `_prev`); they keep the graph below this node alive. */
  _a: Node | null;
  _b: Node | null;
  /** Operands not yet made Values (src/internal/neuron.ts): made when somebody looks. */
  _pending: PendingOperands | null;
}

/** Operands recorded in a chunk without Value objects yet (src/internal/neuron.ts). */
export interface PendingOperands {
  /** Makes the Values, once, and sets out._a/_b. */
  expand(out: Node): void;
  /** The Values the pending nodes use (for the tape's search, which records them without Values). */
  operands(): readonly Node[];
  /**
   * Records the pending nodes in creation order through `node(chunk, slot, a, b)` (a and b: operands'
   * tape positions, −1 for none; returns the node's position); `positionOf` gives a Value's position.
   * Returns the positions of the output's own operands.
   */
  record(
    positionOf: (v: Node) => number,
    node: (chunk: Chunk, slot: number, a: number, b: number) => number,
  ): [number, number];
}

/** A node already written in its chunk (a neuron's, src/internal/neuron.ts) that is getting its Value. */
export class WrittenNode {
  constructor(
    readonly chunk: Chunk,
    readonly slot: number,
  ) {}
}

/** Slots fit in 18 bits: a chunk never holds more nodes (a bigger graph spans chunks; backward() then searches). */
const SLOT_BITS = 18;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
export const MAX_CHUNK_NODES = 1 << SLOT_BITS;
/** The first chunk's size; later ones start at the size their predecessor reached. */
const MIN_CHUNK_NODES = 256;
/** An operand position in `first`/`second`: −1 for none, ≥ 0 in this chunk, below −1 external. */
export const NO_OPERAND = -1;
/** External leaf operands are encoded as −2 − (list position · 2^18 + slot), for up to 2^11 chunks. */
const MAX_EXTERNAL_CHUNKS = 1 << 11;

/** The number of the last chunk opened: chunks are numbered in creation order. */
const chunkCounter = { last: 0 };

/**
 * The last traversal mark handed out, and the epoch it belongs to. Marks are Int32 and grow by a few per
 * backward(): once `last` reaches MAX_TRAVERSAL_MARK the epoch advances and `last` starts again from 0,
 * and a chunk clears its marks the first time it is read in a new epoch (`Chunk.marks()`), so a mark of an
 * earlier epoch is never compared with a new one. Tests set `last` near the limit (the test seam:
 * test/traversal-marks.test.ts); nothing else writes it.
 */
export const traversal = { last: 0, epoch: 0 };

/** The largest traversal mark: the largest Int32. */
export const MAX_TRAVERSAL_MARK = 2 ** 31 - 1;

/**
 * `count` fresh traversal marks, consecutive and of one epoch (a traversal writes all of its marks in the
 * same epoch); returns the first. Each is larger than every mark a chunk holds in this epoch, so marks
 * never need clearing by hand.
 */
export function newTraversalMarks(count = 1): number {
  if (traversal.last > MAX_TRAVERSAL_MARK - count) {
    traversal.epoch++;
    traversal.last = 0;
  }
  const first = traversal.last + 1;
  traversal.last += count;
  return first;
}

/** The operand positions of the chunk closed last, for the next open chunk to write over (see Chunk.first). */
const operandPositions: { spare: Int32Array | null } = { spare: null };

export class Chunk {
  /** Chunks are numbered in the order they open: with the slot, a node's place in creation order. */
  readonly seq = ++chunkCounter.last;
  capacity = 0;
  used = 0;
  data = new Float64Array(0);
  grad = new Float64Array(0);
  /**
   * Traversal marks (src/internal/tape.ts and sweep.ts): read them through marks(), which knows their epoch
   * and allocates them with the first traversal that reaches this chunk (a training step's sweep needs none).
   */
  private mark: Int32Array | null = null;
  /** The traversal epoch the marks belong to (see newTraversalMarks). */
  private markEpoch = traversal.epoch;
  /**
   * Scratch: a position per node, for whoever lays out a graph (the tape's record, compile's capture), valid
   * only during that one layout. Allocated with the first one (see positions()).
   */
  scratch: Int32Array | null = null;
  /**
   * Operand positions (see NO_OPERAND), written for every operation (a leaf's are never read), and read by
   * the sweep alone, which walks only the open chunk: `close()` passes them on to the next open chunk (a
   * step's storage is fresh memory, whose first touch costs a page fault), which writes its own over them.
   */
  first = new Int32Array(0);
  second = new Int32Array(0);
  op = new Uint8Array(0);
  /** The constants of nodes that have one (pow's exponent), allocated with the first such node in this chunk. */
  constant: Float64Array | null = null;
  /** Labels, allocated with the first label in this chunk. */
  labels: string[] | null = null;
  /** While open: the chunks of external leaf operands. */
  external: Chunk[] = [];
  /**
   * False while every grad in the chunk is 0: no grad was set since the chunk opened (the grad setter and
   * compile's replay set this when they write a grad that is not 0; nothing else writes a grad before the
   * chunk closes). Then the sweep needs no marks and saves no grads (see Sweep.run).
   */
  gradsSet = false;
  /**
   * False once an operand could not be encoded (a non-leaf of an earlier chunk, a node of a chunk this
   * graph filled): backward() then searches instead.
   */
  sweepable = true;
  /** The first of the chunks filled since the last backward() (its seq; 0: none): this graph's own. */
  spilledFrom = 0;
  /** The open chunk that last listed this one as external (its seq), and at which position. */
  listedBy = 0;
  listedAt = 0;
  /** This chunk's position in the tape's list of chunks, valid during the backward() numbered `tapeRound`. */
  tapeIndex = 0;
  tapeRound = 0;

  constructor(capacity: number) {
    this.resize(capacity);
  }

  /**
   * Room for `capacity` nodes, the nodes so far copied over. One allocation viewed as three arrays (data,
   * grad, op: typed-array memory is cheap to use, costly to create), the operands' positions in another,
   * taken from the chunk closed last when it has room (see `first`).
   */
  resize(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * 17);
    const n = this.used;
    const view = <T extends Float64Array | Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old.subarray(0, n));
      return next;
    };
    this.data = view(this.data, new Float64Array(buffer, 0, capacity));
    this.grad = view(this.grad, new Float64Array(buffer, 8 * capacity, capacity));
    this.op = view(this.op, new Uint8Array(buffer, 16 * capacity, capacity));
    const spare = n === 0 ? operandPositions.spare : null;
    if (n === 0) operandPositions.spare = null; // taken, or dropped when it is not about this chunk's size
    if (spare !== null && spare.length >= 2 * capacity && spare.length <= 3 * capacity) {
      this.first = spare.subarray(0, capacity);
      this.second = spare.subarray(capacity, 2 * capacity);
    } else {
      const positions = new Int32Array(2 * capacity);
      this.first = view(this.first, positions.subarray(0, capacity));
      this.second = view(this.second, positions.subarray(capacity));
    }
    if (this.mark !== null) this.mark = view(this.mark, new Int32Array(capacity));
    if (this.scratch !== null) this.scratch = view(this.scratch, new Int32Array(capacity));
    if (this.constant !== null) this.constant = view(this.constant, new Float64Array(capacity));
    this.capacity = capacity;
  }

  /** The traversal marks, cleared first when they belong to an earlier epoch (see newTraversalMarks). */
  marks(): Int32Array {
    if (this.mark === null) {
      this.markEpoch = traversal.epoch;
      this.mark = new Int32Array(this.capacity);
    } else if (this.markEpoch !== traversal.epoch) {
      this.markEpoch = traversal.epoch;
      this.mark.fill(0);
      this.tapeRound = 0; // a mark too
    }
    return this.mark;
  }

  /** The scratch positions (see `scratch`). */
  positions(): Int32Array {
    this.scratch ??= new Int32Array(this.capacity);
    return this.scratch;
  }

  /** A slot for a new node holding `data`. */
  newSlot(data: number): number {
    this.data[this.used] = data;
    return this.used++;
  }

  /** Records the operation that made the node in `slot`: its op code, its operands' positions, its constant. */
  setOperation(slot: number, op: Op, a: Node, b: Node | null, k: number): void {
    this.op[slot] = op;
    this.first[slot] = this.codeOf(a);
    this.second[slot] = b === null ? NO_OPERAND : this.codeOf(b);
    if (k !== 0) {
      // (a constant of 0, or none, reads as 0 from the zeroed array: only others are written)
      this.constant ??= new Float64Array(this.capacity);
      this.constant[slot] = k;
    }
  }

  /** The constant of the node in `slot` (0 for a node without one). */
  constantAt(slot: number): number {
    return this.constant?.[slot] ?? 0;
  }

  /** Operand `v`'s position as this (open) chunk records it: its slot here, or the code of an external one. */
  codeOf(v: Node): number {
    const home = v._chunk;
    if (home === this) return v._slot;
    if (home.listedBy === this.seq && home.op[v._slot] === Op.Leaf) {
      return -2 - ((home.listedAt << SLOT_BITS) | v._slot);
    }
    return this.externalCode(v);
  }

  /**
   * The code of leaf `v` from another chunk, listing that chunk first. Any other operand from another
   * chunk makes this chunk unsweepable instead: holding it (a Value) would keep its graph alive after the
   * user dropped it, and holding a chunk this graph filled would keep its storage.
   */
  private externalCode(v: Node): number {
    const home = v._chunk;
    if (
      home.op[v._slot] !== Op.Leaf ||
      (this.spilledFrom !== 0 && home.seq >= this.spilledFrom) ||
      this.external.length === MAX_EXTERNAL_CHUNKS
    ) {
      this.sweepable = false;
      return NO_OPERAND;
    }
    if (home.listedBy !== this.seq) {
      home.listedBy = this.seq;
      home.listedAt = this.external.length;
      this.external.push(home);
    }
    return -2 - ((home.listedAt << SLOT_BITS) | v._slot);
  }

  /**
   * Drops this chunk's references to others: from now on only its Values keep it alive. Its operands'
   * positions go to the next open chunk (nothing reads them once closed).
   */
  close(): void {
    this.external = [];
    operandPositions.spare = new Int32Array(this.first.buffer as ArrayBuffer);
    this.first = new Int32Array(0);
    this.second = new Int32Array(0);
  }
}

/** Decodes an external leaf's code into its chunk's position in `external` and its slot. */
export const externalChunkPosition = (code: number): number => (-2 - code) >>> SLOT_BITS;
export const externalSlot = (code: number): number => (-2 - code) & SLOT_MASK;

/**
 * The chunks' state across calls: the open chunk, which new nodes go into, and how many nodes the chunks
 * closed so far held (the tape sizes itself for a big graph from the total).
 */
const chunks = { open: new Chunk(MIN_CHUNK_NODES), closedNodes: 0 };

/** How many nodes were ever created. */
export const nodesCreated = (): number => chunks.closedNodes + chunks.open.used;

/** The open chunk, with room for one more node: grown (copied) or replaced by a new one when full. */
export function chunkForNewNode(): Chunk {
  return chunkWithRoom(1);
}

/**
 * The open chunk with room for k more nodes (k < MAX_CHUNK_NODES): grown (copied, doubling; its Values
 * keep pointing at it), or replaced by a new chunk once full.
 */
export function chunkWithRoom(k: number): Chunk {
  const current = chunks.open;
  const needed = current.used + k;
  if (needed <= current.capacity) return current;
  if (needed <= MAX_CHUNK_NODES) {
    let capacity = current.capacity;
    while (capacity < needed) capacity *= 2;
    current.resize(Math.min(capacity, MAX_CHUNK_NODES));
    return current;
  }
  const spilledFrom = current.spilledFrom === 0 ? current.seq : current.spilledFrom;
  closeOpenChunk();
  chunks.open.spilledFrom = spilledFrom; // the graph being built goes on in the next chunk
  if (chunks.open.capacity < k) chunks.open.resize(k);
  return chunks.open;
}

/** Closes the open chunk (backward() does, after its sweep): the next node starts a new one, sized from this one. */
export function closeOpenChunk(): void {
  const current = chunks.open;
  if (current.used === 0) return;
  current.close();
  chunks.closedNodes += current.used;
  // As much as this chunk used and a little more: the next step's graph fits without growing (a copy).
  chunks.open = new Chunk(Math.min(MAX_CHUNK_NODES, Math.max(MIN_CHUNK_NODES, current.used + (current.used >> 5))));
}

/** The chunk new nodes go into (it may be full: chunkForNewNode makes room). */
export const openChunk = (): Chunk => chunks.open;

/** A node's place in creation order, comparable across chunks. */
export const creationKey = (chunk: Chunk, slot: number): number => chunk.seq * (SLOT_MASK + 1) + slot;

/**
 * `nodes` in creation order (a topological order: an operand exists before its result), the order whose
 * reverse backward() runs in.
 */
export function inCreationOrder<T extends Node>(nodes: readonly T[]): T[] {
  return nodes.slice().sort((p, q) => creationKey(p._chunk, p._slot) - creationKey(q._chunk, q._slot));
}
