/**
 * Value, a scalar that remembers how it was computed: micrograd's engine.py in its order. Where micrograd
 * gives each result a `_backward` closure, a result records its operation's code: src/ops.ts holds every
 * operation's forward and local derivatives. `backwardReference` is micrograd's backward();
 * `Value.backward()` runs its sums in its order on typed arrays (src/internal/), faster.
 */
import { pyFloat } from "./format";
import { backpropagate } from "./internal/backward";
import { checkFinite, checkInverse, notAValue } from "./internal/check";
import { inCreationOrder, StoredValue } from "./internal/stored-value";
import { visitTopological } from "./internal/tape";
import { checkedForward, gradientError, Op, operation, opText } from "./ops";

/** Anything an operation accepts as its other operand: a Value or a plain finite number. */
export type Operand = Value | number;
/** `label`: a name shown in drawings, e.g. "a" or "L". */
export type ValueOptions = { label?: string };

/** micrograd's Value. `data`, `grad` and `label` are stored apart (src/internal/stored-value.ts). */
export class Value extends StoredValue {
  /** A leaf holding `data`, a finite number. */
  constructor(data: number, opts?: ValueOptions) {
    super();
    this._store(data, opts);
  }

  /** The operation that produced this value: '' for a leaf, then '+', '*', '**2', 'exp', 'tanh', 'ReLU', … */
  get op(): string {
    return opText(this._op, this._constant);
  }

  /** The operands (micrograd's `_prev`), in operand order: `a + a` lists `a` twice. */
  get children(): readonly Value[] {
    return this._operands();
  }

  // ---- operations: each computes its result with the table's forward and records its operands ----

  add(other: Operand): Value {
    return result(Op.Add, this, operand(other, "add"));
  }

  mul(other: Operand): Value {
    return result(Op.Mul, this, operand(other, "mul"));
  }

  /** this ** k: for a constant number k as micrograd; for a Value k, k gets a gradient too (base >= 0). */
  pow(k: Operand): Value {
    if (typeof k !== "number") return result(Op.PowValue, this, operand(k, "pow", "exponent"));
    checkFinite(k, "pow", "exponent (a Value or a finite number)");
    return result(Op.Pow, this, null, k);
  }

  relu(): Value {
    return result(Op.Relu, this, null);
  }

  exp(): Value {
    return result(Op.Exp, this, null);
  }

  log(): Value {
    return result(Op.Log, this, null);
  }

  tanh(): Value {
    return result(Op.Tanh, this, null);
  }

  sigmoid(): Value {
    return result(Op.Sigmoid, this, null);
  }

  /**
   * Backpropagation: this value's grad is set to 1, then every node it depends on, newest first, adds its
   * grad times its local derivatives into its operands' grads (they accumulate, as in micrograd). It is
   * backwardReference below; only faster.
   */
  backward(): void {
    backpropagate(this); // the fast path (src/internal/backward.ts): backwardReference's sums, in its order
  }

  // ---- operations built from the ones above, exactly as micrograd builds them ----

  /** −this = this · −1 */
  neg(): Value {
    return this.mul(-1);
  }

  /** this − other = this + (−other); a number operand is negated as a number (no extra node). */
  sub(other: Operand): Value {
    if (typeof other !== "number") return this.add(operand(other, "sub").neg());
    checkFinite(other, "sub", "operand (a Value or a finite number)");
    return this.add(-other);
  }

  /** other − this (Python's __rsub__) = (−this) + other */
  rsub(other: Operand): Value {
    return this.neg().add(operand(other, "rsub"));
  }

  /** this / other = this · other⁻¹; a number operand is inverted as a number (no extra node). */
  div(other: Operand): Value {
    if (typeof other !== "number") return this.mul(operand(other, "div").pow(-1));
    return this.mul(checkInverse(this.data, other)); // 1 / other, refused by name when 0 or overflowing
  }

  /** other / this (Python's __rtruediv__) = this⁻¹ · other */
  rdiv(other: Operand): Value {
    return this.pow(-1).mul(operand(other, "rdiv"));
  }

  /** Python's text, `Value(data=-8.0, grad=0.0)`: also what a notebook prints for a cell's last expression. */
  override toString(): string {
    return `Value(data=${pyFloat(this.data)}, grad=${pyFloat(this.grad)})`;
  }
}

/**
 * micrograd's backward(), which Value.backward() is tested equal to, bit for bit: the lecture's build_topo,
 * the root's grad set to 1, then each node in reverse adds its grad × its local derivatives (the table's)
 * to its operands' grads, kept in `grads` (every node's grad now, unless given): returned, not written. A
 * non-finite one throws. `step` sees each node in turn (animateBackward draws them).
 */
export function backwardReference(
  root: Value,
  grads = new Map(topologicalOrder(root).map((v) => [v, v.grad])),
  step?: (node: Value) => void,
): Map<Value, number> {
  // build_topo's nodes in the order they were made (a topological order too): backward()'s order
  const topo = inCreationOrder(topologicalOrder(root));
  grads.set(root, 1);
  for (const node of topo.reverse()) {
    const [x, y] = node.children;
    if (x === undefined) continue; // a leaf: nothing below it
    const g = grads.get(node) as number;
    if (g !== 0) {
      // node._backward(), as the table writes it; a zero grad passes nothing down
      const { dx, dy } = operation(node._op);
      const [t, yData] = [node.data, y === undefined ? node._constant : y.data];
      grads.set(x, (grads.get(x) as number) + dx(t, x.data, yData) * g);
      if (y !== undefined) grads.set(y, (grads.get(y) as number) + dy(t, x.data, yData) * g);
      if (!Number.isFinite(grads.get(x)) || (y !== undefined && !Number.isFinite(grads.get(y)))) {
        throw gradientError(node._op, t, x.data, yData, g);
      }
    }
    step?.(node);
  }
  return grads;
}

/** Every node `root` depends on (itself included), children before parents: the lecture's build_topo. */
export function topologicalOrder(root: Value): Value[] {
  if (!(root instanceof Value)) throw notAValue(root, "topologicalOrder", "root");
  const topo: Value[] = [];
  visitTopological(root, (v) => topo.push(v)); // depth-first, without recursion: a million-node chain fits
  return topo;
}

/** Sets grad = 0 on `root` and every node it depends on (intermediate nodes included). */
export function resetGrads(root: Value): void {
  if (!(root instanceof Value)) throw notAValue(root, "resetGrads", "root");
  for (const v of topologicalOrder(root)) v.grad = 0;
}

/** @internal micrograd's `Value(data, (self, other), op)`: the table's forward of the operands (k: pow's constant). */
export function result(op: Op, a: Value, b: Value | null, k = 0): Value {
  const out = new Value(checkedForward(op, a.data, b === null ? k : b.data));
  out._madeFrom(op, a, b, k);
  return out;
}

/** micrograd's `other if isinstance(other, Value) else Value(other)`; anything else is an error naming the operation. */
function operand(x: unknown, opName: string, name = "operand"): Value {
  if (x instanceof Value) return x;
  checkFinite(x, opName, `${name} (a Value or a finite number)`);
  return new Value(x);
}
