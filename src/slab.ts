/**
 * Where the numbers of Values live, and how backward() walks them.
 *
 * A JS object field holding a float is a pointer to a separate heap number, and a graph of objects is
 * scattered through memory by the garbage collector. So a Value keeps only its identity and its operands
 * (which keep them alive); its data, grad, op and operand references sit in a slab: typed arrays holding
 * 1,024 nodes side by side, in the order they were created.
 *
 * Creation order is a topological order (a node is always made after its operands), so backward()
 * needs no sort: it walks the slabs from the newest node down, and each reachable node passes its grad
 * to its operands, which always lie further down.
 */
export const SLAB_SIZE = 1024;
/** data, grad (8 bytes each), operand references a, b and a mark (4 each), op code (1). */
const BYTES_PER_NODE = 29;

let slabsCreated = 0;
let lastEpoch = 0;

/** A fresh mark value for one traversal: marks from earlier traversals never need clearing. */
export function nextEpoch(): number {
  return ++lastEpoch;
}

export class Slab {
  /** Creation order of slabs: a higher serial holds newer nodes. */
  readonly serial = slabsCreated++;
  // One allocation per slab, viewed as six arrays: typed-array memory is cheap to use, costly to create.
  private readonly buffer = new ArrayBuffer(SLAB_SIZE * BYTES_PER_NODE);
  readonly data = new Float64Array(this.buffer, 0, SLAB_SIZE);
  readonly grad = new Float64Array(this.buffer, 8 * SLAB_SIZE, SLAB_SIZE);
  /** Operands as references: 0 for none, else 1 + operandSlabIndex·SLAB_SIZE + slot (index 0 = this slab). */
  readonly a = new Int32Array(this.buffer, 16 * SLAB_SIZE, SLAB_SIZE);
  readonly b = new Int32Array(this.buffer, 20 * SLAB_SIZE, SLAB_SIZE);
  /** Traversal marks (see nextEpoch). */
  readonly mark = new Int32Array(this.buffer, 24 * SLAB_SIZE, SLAB_SIZE);
  readonly op = new Uint8Array(this.buffer, 28 * SLAB_SIZE, SLAB_SIZE);
  /** Exponents of Pow nodes, allocated with the first Pow in this slab. */
  exponent: Float64Array | null = null;
  /** Labels, allocated with the first label in this slab. */
  labels: string[] | null = null;
  used = 0;

  // Other slabs holding operands of this slab's nodes. Held weakly: the operand Values are kept alive
  // by the Values that use them, and with them their slabs. A strong link from slab to slab would keep
  // every slab ever filled alive, since consecutive computations share slabs.
  private readonly others: WeakRef<Slab>[] = [];
  private readonly otherSerials: number[] = [];

  // Traversal state: the epoch this slab was queued in and its highest marked slot.
  queuedIn = 0;
  top = 0;

  /** The reference to slot `slot` of slab `owner`, as stored in `a` and `b` of this slab. */
  refTo(owner: Slab, slot: number): number {
    if (owner === this) return 1 + slot;
    let i = this.otherSerials.indexOf(owner.serial);
    if (i < 0) {
      i = this.others.push(new WeakRef(owner)) - 1;
      this.otherSerials.push(owner.serial);
    }
    return 1 + (i + 1) * SLAB_SIZE + slot;
  }

  /** This slab and the slabs its references point into, indexed as the references index them. */
  operandSlabs(): Slab[] {
    return [this, ...this.others.map((ref) => ref.deref() as Slab)];
  }
}

let current = new Slab();

/** The slab a new node goes into (a fresh one when the current slab is full). */
export function slabForNewNode(): Slab {
  if (current.used === SLAB_SIZE) current = new Slab();
  return current;
}

/**
 * Visits every node that the node at (root, rootSlot) depends on, itself first, each after every node
 * that depends on it: newest slab first, highest slot first. `visit` runs before the node's operands
 * are marked, so it may read their grads and add to them.
 */
export function sweep(root: Slab, rootSlot: number, visit: (slab: Slab, slot: number, operands: Slab[]) => void): void {
  const epoch = nextEpoch();
  const queue: Slab[] = []; // slabs with marked nodes, sorted by serial, newest last
  mark(root, rootSlot, epoch, queue);
  while (queue.length > 0) {
    const slab = queue.pop() as Slab;
    const operands = slab.operandSlabs();
    const { a, b, mark: marks } = slab;
    for (let i = slab.top; i >= 0; i--) {
      if (marks[i] !== epoch) continue;
      visit(slab, i, operands);
      const ra = (a[i] as number) - 1;
      if (ra >= 0) mark(operands[(ra / SLAB_SIZE) | 0] as Slab, ra % SLAB_SIZE, epoch, queue);
      const rb = (b[i] as number) - 1;
      if (rb >= 0) mark(operands[(rb / SLAB_SIZE) | 0] as Slab, rb % SLAB_SIZE, epoch, queue);
    }
  }
}

function mark(slab: Slab, slot: number, epoch: number, queue: Slab[]): void {
  if (slab.mark[slot] === epoch) return;
  slab.mark[slot] = epoch;
  if (slab.queuedIn === epoch) {
    if (slot > slab.top) slab.top = slot;
    return;
  }
  slab.queuedIn = epoch;
  slab.top = slot;
  let i = queue.length;
  while (i > 0 && (queue[i - 1] as Slab).serial > slab.serial) i--;
  queue.splice(i, 0, slab);
}
