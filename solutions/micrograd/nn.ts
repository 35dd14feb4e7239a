// micrograd's nn.py, written by you: a neuron, a layer of neurons and a multi-layer perceptron on your
// Value (./engine.ts), as notebook 4 wrote them for the lecture, with nn.py's two changes for the demo:
// ReLU instead of tanh (none on the output layer: `nonlin`), and biases that start at 0.
//
// Where a method says "// YOUR CODE HERE", replace the line under it with the method's body, then run
// notebook 5 again (Kernel → Restart first: the kernel keeps the version it imported).
import { globalRandom as random } from "micrograd-ts"; // Python's random module, as the package reproduces it
import { type Operand, Value } from "./engine";

export class Module {
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  parameters(): Value[] {
    return [];
  }
}

export class Neuron extends Module {
  w: Value[];
  b: Value;
  nonlin: boolean;

  constructor(nin: number, nonlin = true) {
    super();
    this.w = Array.from({ length: nin }, () => new Value(random.uniform(-1, 1)));
    this.b = new Value(0);
    this.nonlin = nonlin;
  }

  forward(x: Operand[]): Value {
    if (x.length !== this.w.length)
      throw new RangeError(`Neuron.forward: expected ${this.w.length} inputs, got ${x.length}`);
    // BEGIN SOLUTION (placeholder: return new Value(0); // todo: w · x + b, then ReLU unless the neuron is linear)
    const act = this.w.reduce((sum, wi, i) => sum.add(wi.mul(x[i]!)), this.b);
    return this.nonlin ? act.relu() : act;
    // END SOLUTION
  }

  override parameters(): Value[] {
    return [...this.w, this.b];
  }

  override toString(): string {
    return `${this.nonlin ? "ReLU" : "Linear"}Neuron(${this.w.length})`;
  }
}

export class Layer extends Module {
  neurons: Neuron[];

  constructor(nin: number, nout: number, nonlin = true) {
    super();
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, nonlin));
  }

  forward(x: Operand[]): Value | Value[] {
    // BEGIN SOLUTION (placeholder: return new Value(0); // todo: every neuron on x; one Value when there is one neuron)
    const out = this.neurons.map((n) => n.forward(x));
    return out.length === 1 ? out[0]! : out;
    // END SOLUTION
  }

  override parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  override toString(): string {
    return `Layer of [${this.neurons.map(String).join(", ")}]`;
  }
}

export class MLP extends Module {
  layers: Layer[];

  constructor(nin: number, nouts: number[]) {
    super();
    const sz = [nin, ...nouts];
    this.layers = nouts.map((nout, i) => new Layer(sz[i]!, nout, i !== nouts.length - 1));
  }

  forward(x: Operand[]): Value | Value[] {
    // BEGIN SOLUTION (placeholder: return new Value(0); // todo: each layer on the previous layer's output)
    let out: Value | Operand[] = x;
    for (const layer of this.layers) out = layer.forward(Array.isArray(out) ? out : [out]);
    return out as Value | Value[]; // the last layer's output
    // END SOLUTION
  }

  override parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  override toString(): string {
    return `MLP of [${this.layers.map(String).join(", ")}]`;
  }
}
