// micrograd's engine.py, written by you: a scalar Value that records how it was computed, and backward(),
// which walks that record in reverse to fill in every grad. Notebook 2 grew the same class cell by cell
// (and wrote relu in its exercise); here it is whole, with engine.py's operations, for notebook 5 to train
// micrograd's demo with. Python's operators become methods: a + b is a.add(b), other - self is self.rsub(other).
//
// Where a method says "// YOUR CODE HERE", replace the line under it with the method's body, then run
// notebook 5 again (Kernel → Restart first: the kernel keeps the version it imported).

/** What an operation takes besides a Value: a plain number, which engine.py wraps in a Value. */
export type Operand = Value | number;

export class Value {
  data: number;
  grad = 0;
  // internal variables used for autograd graph construction
  _backward: () => void = () => {};
  _prev: Set<Value>;
  _op: string; // the op that produced this node, for graphviz / debugging / etc

  constructor(data: number, _children: Value[] = [], _op = "") {
    this.data = data;
    this._prev = new Set(_children);
    this._op = _op;
  }

  add(other: Operand): Value {
    // BEGIN SOLUTION (placeholder: return new Value(0); // todo: self + other, and its _backward)
    const that = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data + that.data, [this, that], "+");
    out._backward = () => {
      this.grad += out.grad;
      that.grad += out.grad;
    };
    return out;
    // END SOLUTION
  }

  mul(other: Operand): Value {
    // BEGIN SOLUTION (placeholder: return new Value(0); // todo: self * other, and its _backward)
    const that = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data * that.data, [this, that], "*");
    out._backward = () => {
      this.grad += that.data * out.grad;
      that.grad += this.data * out.grad;
    };
    return out;
    // END SOLUTION
  }

  pow(other: number): Value {
    if (typeof other !== "number") throw new TypeError(`Value.pow: only supporting number powers, got ${other}`);
    // BEGIN SOLUTION (placeholder: return new Value(0); // todo: self ** other, and its _backward)
    const out = new Value(this.data ** other, [this], `**${other}`);
    out._backward = () => {
      this.grad += other * this.data ** (other - 1) * out.grad;
    };
    return out;
    // END SOLUTION
  }

  relu(): Value {
    // BEGIN SOLUTION (placeholder: return new Value(this.data); // todo: 0 below zero, and its _backward)
    const out = new Value(this.data < 0 ? 0 : this.data, [this], "ReLU");
    out._backward = () => {
      this.grad += (out.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
    // END SOLUTION
  }

  backward(): void {
    // BEGIN SOLUTION (placeholder: return; // todo: build_topo, then each _backward in reverse order)
    // topological order all of the children in the graph
    const topo: Value[] = [];
    const visited = new Set<Value>();
    const buildTopo = (v: Value) => {
      if (!visited.has(v)) {
        visited.add(v);
        for (const child of v._prev) buildTopo(child);
        topo.push(v);
      }
    };
    buildTopo(this);

    // go one variable at a time and apply the chain rule to get its gradient
    this.grad = 1;
    for (const v of topo.reverse()) v._backward();
    // END SOLUTION
  }

  neg(): Value {
    // -self
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.mul(-1);
    // END SOLUTION
  }

  radd(other: number): Value {
    // other + self
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.add(other);
    // END SOLUTION
  }

  sub(other: Operand): Value {
    // self - other
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.add(other instanceof Value ? other.neg() : -other);
    // END SOLUTION
  }

  rsub(other: number): Value {
    // other - self
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.neg().add(other);
    // END SOLUTION
  }

  rmul(other: number): Value {
    // other * self
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.mul(other);
    // END SOLUTION
  }

  div(other: Operand): Value {
    // self / other (Python's __truediv__)
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.mul(other instanceof Value ? other.pow(-1) : other ** -1);
    // END SOLUTION
  }

  rdiv(other: number): Value {
    // other / self (Python's __rtruediv__)
    // BEGIN SOLUTION (placeholder: return new Value(0);)
    return this.pow(-1).mul(other);
    // END SOLUTION
  }

  toString(): string {
    // JavaScript's number text: Python's digits, except that a whole number shows no ".0"
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}
