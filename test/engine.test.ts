import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { resetGrads, topologicalOrder, Value } from "../src";
import { backwardReference } from "../src/engine";
import { expectClose, lectureExpression } from "./helpers";

describe("micrograd's test_engine.py", () => {
  it("sanity check: y = -20, dy/dx = 46", () => {
    const x = new Value(-4.0);
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBe(-20);
    expect(x.grad).toBe(46);
  });

  it("more ops: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
    const a = new Value(-4.0);
    const b = new Value(2.0);
    // Python's `1 + c` is c.__radd__(1) = c + 1, and `3 * d` is d * 3: the same order here.
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(c.add(1).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2.0);
    g = g.add(f.rdiv(10.0));
    g.backward();
    expectClose(g.data, 24.70408163265306);
    expectClose(a.grad, 138.83381924198252);
    expectClose(b.grad, 645.5772594752186);
  });
});

describe("the lecture's numbers", () => {
  it("L = (a*b + c)*f = -8 with grads a 6, b -4, c -2, f 4", () => {
    const { a, b, c, d, e, f, L } = lectureExpression();
    L.backward();
    expect(L.data).toBe(-8);
    expect([a.grad, b.grad, c.grad, f.grad, e.grad, d.grad, L.grad]).toEqual([6, -4, -2, 4, -2, -2, 1]);
    expect(String(L)).toBe("Value(data=-8.0, grad=1.0)"); // Python's repr, as the lecture prints it
    expect(inspect(L)).toBe("Value(data=-8.0, grad=1.0)");
    expect([a.label, e.label, L.label]).toEqual(["a", "e", "L"]);
  });

  it("one step x += 0.01*grad on a, b, c, f gives L = -7.286496", () => {
    const [a, b, c, f] = [2.0, -3.0, 10.0, -2.0].map((x) => new Value(x));
    const forward = () =>
      (a as Value)
        .mul(b as Value)
        .add(c as Value)
        .mul(f as Value);
    forward().backward();
    for (const v of [a, b, c, f] as Value[]) v.data += 0.01 * v.grad;
    expectClose(forward().data, -7.286496);
  });

  it("the tanh neuron: o = 0.7071067811865476, grads x1 -1.5, w1 1, x2 0.5, w2 0", () => {
    const x1 = new Value(2.0);
    const x2 = new Value(0.0);
    const w1 = new Value(-3.0);
    const w2 = new Value(1.0);
    const b = new Value(6.8813735870195432);
    const n = x1.mul(w1).add(x2.mul(w2)).add(b);
    const o = n.tanh();
    o.backward();
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the number the lecture prints
    expectClose(o.data, 0.7071067811865476);
    expectClose(x1.grad, -1.5);
    expectClose(w1.grad, 1.0);
    expectClose(x2.grad, 0.5);
    expect(w2.grad).toBe(0);
    expectClose(n.grad, 0.5);
    // and to the last digit, the numbers the lecture's notebook prints
    expect([o.data, n.grad, x1.grad, w1.grad, x2.grad]).toEqual([
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: the number the lecture prints
      0.7071067811865476, 0.4999999999999999, -1.4999999999999996, 0.9999999999999998, 0.4999999999999999,
    ]);
  });

  it("tanh written with exp and division gives the same value and gradients", () => {
    const build = (viaExp: boolean) => {
      const [x1, x2, w1, w2, b] = [2.0, 0.0, -3.0, 1.0, 6.8813735870195432].map((x) => new Value(x)) as Value[];
      const n = (x1 as Value)
        .mul(w1 as Value)
        .add((x2 as Value).mul(w2 as Value))
        .add(b as Value);
      let o: Value;
      if (viaExp) {
        const e = n.mul(2).exp();
        o = e.sub(1).div(e.add(1));
      } else {
        o = n.tanh();
      }
      o.backward();
      return [o.data, x1, x2, w1, w2].map((v) => (typeof v === "number" ? v : (v as Value).grad));
    };
    const viaTanh = build(false);
    const viaExp = build(true);
    viaTanh.forEach((v, i) => expectClose(viaExp[i] as number, v, 1e-12, 1e-15));
  });

  it("b = a + a: the gradient accumulates to 2 (the lecture's bug, fixed with +=)", () => {
    const a = new Value(3.0, { label: "a" });
    const b = a.add(a);
    b.backward();
    expect(b.data).toBe(6);
    expect(a.grad).toBe(2);
    expect(b.children).toEqual([a, a]);
  });

  it("d = a*b, e = a+b, f = d*e: a node used twice gets both contributions", () => {
    const a = new Value(-2.0);
    const b = new Value(3.0);
    const d = a.mul(b);
    const e = a.add(b);
    const f = d.mul(e);
    f.backward();
    // df/da = b*e + d = 3*1 + (-6) = -3; df/db = a*e + d = -2 - 6 = -8
    expect(a.grad).toBe(-3);
    expect(b.grad).toBe(-8);
  });
});

describe("operations", () => {
  it("records op text and children in operand order", () => {
    const a = new Value(2);
    const b = new Value(3);
    expect(a.op).toBe("");
    expect(a.children).toEqual([]);
    const s = a.add(b);
    expect([s.op, s.data]).toEqual(["+", 5]);
    expect(s.children).toEqual([a, b]);
    expect(b.mul(a).children).toEqual([b, a]);
    expect(a.pow(2).op).toBe("**2");
    expect(a.pow(-1).op).toBe("**-1");
    expect(a.pow(0.5).op).toBe("**0.5");
    expect(a.pow(2).children).toEqual([a]);
    expect(a.exp().op).toBe("exp");
    expect(a.log().op).toBe("log");
    expect(a.tanh().op).toBe("tanh");
    expect(a.relu().op).toBe("ReLU");
    expect(a.sigmoid().op).toBe("sigmoid");
  });

  it("numbers as operands become leaf Values, as in micrograd", () => {
    const a = new Value(2);
    const s = a.mul(3);
    expect(s.data).toBe(6);
    const [left, right] = s.children as [Value, Value];
    expect(left).toBe(a);
    expect([right.data, right.op]).toEqual([3, ""]);
  });

  it("sub, div and neg are built from add, mul and pow as micrograd builds them", () => {
    const a = new Value(5);
    const b = new Value(2);
    const neg = a.neg(); // a * -1
    expect(neg.op).toBe("*");
    expect(neg.children.map((c) => c.data)).toEqual([5, -1]);

    const diff = a.sub(b); // a + (b * -1)
    expect(diff.op).toBe("+");
    expect(diff.children[0]).toBe(a);
    expect(diff.children[1]?.op).toBe("*");
    expect(diff.children[1]?.children[0]).toBe(b);
    expect(diff.data).toBe(3);

    const diffNumber = a.sub(1); // a + (-1): the number is negated as a number
    expect(diffNumber.op).toBe("+");
    expect(diffNumber.children[1]?.data).toBe(-1);

    const quotient = a.div(b); // a * b**-1
    expect(quotient.op).toBe("*");
    expect(quotient.children[1]?.op).toBe("**-1");
    expect(quotient.children[1]?.children[0]).toBe(b);
    expect(quotient.data).toBe(2.5);

    const quotientNumber = a.div(4); // a * 0.25
    expect(quotientNumber.children[1]?.data).toBe(0.25);
  });

  it("rsub and rdiv compute x - this and x / this with the right gradients", () => {
    const a = new Value(4);
    const r = a.rsub(10); // 10 - a = (-a) + 10
    expect(r.data).toBe(6);
    expect(r.op).toBe("+");
    r.backward();
    expect(a.grad).toBe(-1);

    const b = new Value(4);
    const q = b.rdiv(10); // 10 / b = b**-1 * 10
    expect(q.data).toBe(2.5);
    expect(q.children[0]?.op).toBe("**-1");
    q.backward();
    expectClose(b.grad, -10 / 16);
  });

  it("tanh is stable for large inputs where the exp formula overflows", () => {
    const big = new Value(1000);
    const t = big.tanh();
    expect(t.data).toBe(1);
    t.backward();
    expect(big.grad).toBe(0);
    expect(new Value(-1000).tanh().data).toBe(-1);
    expect(new Value(800).sigmoid().data).toBe(1);
    // e^−800 ≈ 3.7e−348 is below the smallest double (5e−324): sigmoid(−800) rounds to 0, its correct
    // rounding, with derivative t·(1 − t) = 0 (PyTorch's float64 gives the same 0).
    const low = new Value(-800);
    const s = low.sigmoid();
    expect(Object.is(s.data, 0)).toBe(true);
    s.backward();
    expect(Object.is(low.grad, 0)).toBe(true);
  });

  it("relu passes positive values, gives 0 below, and has gradient 0 at 0 (as PyTorch)", () => {
    for (const [x, y, dy] of [
      [3, 3, 1],
      [-2, 0, 0],
      [0, 0, 0],
    ] as const) {
      const v = new Value(x);
      const r = v.relu();
      r.backward();
      expect([r.data, v.grad]).toEqual([y, dy]);
    }
  });

  it("log, exp, pow and sigmoid have their textbook derivatives", () => {
    const x = new Value(0.7);
    const y = x.log().add(x.exp()).add(x.pow(3)).add(x.sigmoid());
    y.backward();
    const s = 1 / (1 + Math.exp(-0.7));
    expectClose(y.data, Math.log(0.7) + Math.exp(0.7) + 0.7 ** 3 + s);
    expectClose(x.grad, 1 / 0.7 + Math.exp(0.7) + 3 * 0.7 ** 2 + s * (1 - s));
  });
});

describe("pow with a Value exponent (micrograd issue #17)", () => {
  it("x ** y: d/dx = y·x^(y−1), d/dy = x^y·ln x", () => {
    const x = new Value(2, { label: "x" });
    const y = new Value(3, { label: "y" });
    const z = x.pow(y);
    expect([z.data, z.op, z.children]).toEqual([8, "**", [x, y]]);
    z.backward();
    expect(x.grad).toBe(12); // 3 · 2²
    expect(y.grad).toBe(8 * Math.log(2));
  });

  it("agrees with central finite differences where it is smooth", () => {
    for (const [x0, y0] of [
      [0.5, 2.5],
      [3, -1.5],
      [1.7, 0.3],
    ] as const) {
      const x = new Value(x0);
      const y = new Value(y0);
      x.pow(y).backward();
      const h = 1e-6;
      expectClose(x.grad, ((x0 + h) ** y0 - (x0 - h) ** y0) / (2 * h), 1e-6);
      expectClose(y.grad, (x0 ** (y0 + h) - x0 ** (y0 - h)) / (2 * h), 1e-6);
    }
  });

  it("a negative base is refused, naming the operation and what to do instead", () => {
    expect(() => new Value(-2).pow(new Value(2))).toThrow(
      new RangeError(
        "pow: -2 ** 2: a negative base with a Value exponent has no derivative in the exponent (x ** y · ln x " +
          "needs x >= 0); for a constant power of a negative number, pass the exponent as a number",
      ),
    );
    expect(new Value(-2).pow(2).data).toBe(4); // a number exponent: micrograd's pow, any base
  });

  it("at a base of 0: d/dy is 0 for y >= 0 (as PyTorch); 0 ** 0's d/dx is NaN, an error; 0 ** −1 is infinite", () => {
    const x = new Value(0);
    const y = new Value(2);
    const z = x.pow(y);
    z.backward();
    expect([z.data, x.grad, y.grad]).toEqual([0, 0, 0]);
    const zeroToZero = new Value(0).pow(new Value(0));
    expect(zeroToZero.data).toBe(1);
    expect(() => zeroToZero.backward()).toThrow(
      /backward: the gradient through pow: 0 \*\* 0 \(local derivative NaN and 0/,
    );
    expect(() => new Value(0).pow(new Value(-1))).toThrow(
      new RangeError("pow: 0 ** -1 is Infinity, not a finite number"),
    );
  });
});

describe("backward", () => {
  it("accumulates on repeated calls exactly as micrograd (intermediates too) and resetGrads clears every node", () => {
    const a = new Value(3);
    const b = new Value(4);
    const c = a.mul(b);
    const L = c.add(a);
    L.backward();
    expect([a.grad, b.grad, c.grad]).toEqual([5, 3, 1]);
    // L.grad is set back to 1, but c.grad is already 1 and becomes 2, so a and b get c's doubled grad:
    // micrograd prints 14 9 2 here, not 10 6 2. Reset before reusing a graph.
    L.backward();
    expect([a.grad, b.grad, c.grad]).toEqual([14, 9, 2]);
    resetGrads(L);
    expect([a.grad, b.grad, c.grad, L.grad]).toEqual([0, 0, 0, 0]);
    L.backward();
    expect([a.grad, b.grad, c.grad]).toEqual([5, 3, 1]);
  });

  it("handles a deep, shared graph (each node used twice) exactly", () => {
    // v_{i+1} = v_i + v_i doubles the gradient at each level: dv_n/dx = 2^n
    const x = new Value(1);
    let v = x;
    for (let i = 0; i < 60; i++) v = v.add(v);
    v.backward();
    expect(x.grad).toBe(2 ** 60);
    expect(topologicalOrder(v)).toHaveLength(61);
  });

  it("orders children before parents, the root last", () => {
    const a = new Value(1);
    const b = new Value(2);
    const c = a.mul(b);
    const d = c.add(a);
    const order = topologicalOrder(d);
    expect(order).toHaveLength(4);
    expect(order[order.length - 1]).toBe(d);
    expect(order.indexOf(c)).toBeGreaterThan(order.indexOf(a));
    expect(order.indexOf(c)).toBeGreaterThan(order.indexOf(b));
  });

  it("gives backwardReference's grads, bit for bit: the same sums in the same order", () => {
    // Each x is used four times, so the order in which its contributions are added shows in its last bits.
    const build = () => {
      const xs = Array.from({ length: 50 }, (_, i) => new Value(Math.sin(i + 1)));
      let acc = new Value(0);
      xs.forEach((x, i) => {
        acc = acc.add(x.mul(xs[(i * 7) % 50] as Value).tanh());
        acc = acc.add(x.mul(xs[(i * 13) % 50] as Value).tanh());
      });
      return { xs, acc };
    };
    const fast = build();
    fast.acc.backward();
    const slow = build();
    const reference = backwardReference(slow.acc);
    const expected = slow.xs.map((x) => reference.get(x) as number);
    fast.xs.forEach((x, i) => expect(Object.is(x.grad, expected[i])).toBe(true));
    // Added in another order, some x's contributions give another sum: the comparison above can fail.
    const nodes = topologicalOrder(slow.acc);
    const contributions = (x: Value) =>
      nodes.flatMap((u) => {
        const [a, b] = u.children as [Value, Value];
        const g = reference.get(u) as number;
        return u.op === "*" ? [a === x ? b.data * g : null, b === x ? a.data * g : null] : [];
      });
    const reordered = slow.xs.filter((x) => {
      const parts = contributions(x).filter((c): c is number => c !== null);
      return parts.reduce((p, c) => p + c, 0) !== parts.reverse().reduce((p, c) => p + c, 0);
    });
    expect(reordered.length).toBeGreaterThan(0);
  });
});

describe("bad input", () => {
  const a = new Value(1);
  it("rejects non-number and non-finite data", () => {
    expect(() => new Value("3" as unknown as number)).toThrow(TypeError);
    expect(() => new Value("3" as unknown as number)).toThrow(/got the string "3"/);
    expect(() => new Value(Number.NaN)).toThrow(/finite number as data, got NaN/);
    expect(() => new Value(Number.POSITIVE_INFINITY)).toThrow(/got Infinity/);
    expect(() => new Value(undefined as unknown as number)).toThrow(/got undefined/);
  });

  it("rejects bad operands, naming them", () => {
    expect(() => a.add(Number.NaN)).toThrow(TypeError);
    expect(() => a.add(Number.NaN)).toThrow(/add expects a finite number as operand.*got NaN/);
    expect(() => a.mul("2" as unknown as number)).toThrow(/mul .*got the string "2"/);
    expect(() => a.sub({} as unknown as number)).toThrow(/sub .*got Object/);
    expect(() => a.div(null as unknown as number)).toThrow(/div .*got null/);
    expect(() => a.rsub(Number.POSITIVE_INFINITY)).toThrow(/rsub .*got Infinity/);
    expect(() => a.rdiv([1] as unknown as number)).toThrow(/rdiv .*got Array/);
  });

  it("rejects an exponent that is neither a finite number nor a Value", () => {
    expect(() => a.pow("2" as unknown as number)).toThrow(
      new TypeError('pow expects a finite number as exponent (a Value or a finite number), got the string "2"'),
    );
    expect(() => a.pow(Number.NaN)).toThrow(
      new TypeError("pow expects a finite number as exponent (a Value or a finite number), got NaN"),
    );
    expect(() => a.pow(null as unknown as number)).toThrow(/exponent .*got null/);
  });

  it("refuses results that are not finite, naming the operation", () => {
    expect(() => new Value(0).log()).toThrow(RangeError);
    expect(() => new Value(0).log()).toThrow(/log: log\(0\) is -Infinity/);
    expect(() => new Value(-1).log()).toThrow(/log\(-1\) is NaN/);
    expect(() => new Value(1000).exp()).toThrow(/exp: exp\(1000\) is Infinity/);
    expect(() => new Value(0).pow(-1)).toThrow(/pow: 0 \*\* -1 is Infinity/);
    expect(() => new Value(-8).pow(1 / 3)).toThrow(/is NaN/);
    expect(() => new Value(1e308).add(1e308)).toThrow(/add: 1e\+308 \+ 1e\+308 is Infinity/);
    expect(() => new Value(3).div(0)).toThrow(/division by zero/);
    expect(() => new Value(3).div(new Value(0))).toThrow(/pow: 0 \*\* -1 is Infinity/);
  });

  it("rejects non-finite data, grad and non-string labels through the setters", () => {
    const v = new Value(1);
    expect(() => {
      v.data = Number.NaN;
    }).toThrow(/got NaN/);
    expect(() => {
      v.grad = Number.POSITIVE_INFINITY;
    }).toThrow(/grad, got Infinity/);
    expect(() => {
      v.label = 5 as unknown as string;
    }).toThrow(/label expects a string, got 5/);
  });
});
