/**
 * Where the numbers of Values live.
 *
 * A JS object field holding a float points to a separate heap number, so a node with its own `data`
 * and `grad` fields costs the garbage collector three objects, and an update of `grad` may allocate.
 * A Value instead keeps its identity and its operands (which keep the graph below it alive), and its
 * numbers sit in a slab: typed arrays holding 1,024 nodes side by side, in creation order.
 *
 * Slabs hold no references to anything: a slab lives exactly as long as some Value in it does. (A slab
 * that pointed to the slabs of its nodes' operands would keep every earlier slab alive, since
 * consecutive computations share slabs; a WeakRef would pin its target until the end of the job.)
 */
export const SLAB_SIZE = 1024;
/** data and grad (8 bytes each), the traversal mark and tape position (4 each), the op code (1). */
const BYTES_PER_NODE = 25;

export class Slab {
  // One allocation per slab, viewed as five arrays: typed-array memory is cheap to use, costly to create.
  private readonly buffer = new ArrayBuffer(SLAB_SIZE * BYTES_PER_NODE);
  readonly data = new Float64Array(this.buffer, 0, SLAB_SIZE);
  readonly grad = new Float64Array(this.buffer, 8 * SLAB_SIZE, SLAB_SIZE);
  /** src/internal/tape.ts's traversal marks and tape positions: here, not in fields, a Value is smaller. */
  readonly mark = new Int32Array(this.buffer, 16 * SLAB_SIZE, SLAB_SIZE);
  readonly index = new Int32Array(this.buffer, 20 * SLAB_SIZE, SLAB_SIZE);
  readonly op = new Uint8Array(this.buffer, 24 * SLAB_SIZE, SLAB_SIZE);
  /** Exponents of Pow nodes, allocated with the first Pow in this slab. */
  exponent: Float64Array | null = null;
  /** Labels, allocated with the first label in this slab. */
  labels: string[] | null = null;
  used = 0;
  /** This slab's position in the tape's list of slabs, valid during the backward() numbered `tapeRound`. */
  tapeIndex = 0;
  tapeRound = 0;

  setExponent(slot: number, k: number): void {
    this.exponent ??= new Float64Array(SLAB_SIZE);
    this.exponent[slot] = k;
  }
}

let current = new Slab();
let fullSlabs = 0;

/** The slab a new node goes into (a fresh one when the current slab is full). */
export function slabForNewNode(): Slab {
  if (current.used === SLAB_SIZE) {
    current = new Slab();
    fullSlabs++;
  }
  return current;
}

/** How many Values were ever created: the tape sizes itself for a big graph from it. */
export function nodesCreated(): number {
  return fullSlabs * SLAB_SIZE + current.used;
}
