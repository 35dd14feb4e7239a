import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { pyFloat, Value } from "../src";

// Each right-hand side is what CPython 3 prints for repr(x) (generated with python3 -c "print(repr(x))").
const PYTHON_REPR: Array<[number, string]> = [
  [-8.0, "-8.0"],
  [0.0, "0.0"],
  [-0.0, "-0.0"],
  [20.0, "20.0"],
  [4.0, "4.0"],
  [0.5, "0.5"],
  [50.0, "50.0"],
  [100.0, "100.0"],
  [2.999378523327323e-6, "2.999378523327323e-06"],
  [1e-4, "0.0001"],
  [9.999999999999999e-5, "9.999999999999999e-05"],
  [0.0001234, "0.0001234"],
  [1e-5, "1e-05"],
  [-2.5e-5, "-2.5e-05"],
  [1e-6, "1e-06"],
  [1e-7, "1e-07"],
  [1.5e-300, "1.5e-300"],
  [5e-324, "5e-324"],
  [0.1, "0.1"],
  [0.1 + 0.2, "0.30000000000000004"],
  [1 / 3, "0.3333333333333333"],
  [Math.SQRT1_2, "0.7071067811865476"],
  [-1.4999999999999996, "-1.4999999999999996"],
  [-3.9999999999995595, "-3.9999999999995595"],
  [0.010978370135492717, "0.010978370135492717"],
  [123456.789, "123456.789"],
  [1e15, "1000000000000000.0"],
  [9999999999999998.0, "9999999999999998.0"],
  [2 ** 53, "9007199254740992.0"],
  [1e16, "1e+16"],
  [1.2345678901234568e17, "1.2345678901234568e+17"],
  [1e21, "1e+21"],
  [1.7976931348623157e308, "1.7976931348623157e+308"],
  [Number.NaN, "nan"],
  [Number.POSITIVE_INFINITY, "inf"],
  [Number.NEGATIVE_INFINITY, "-inf"],
];

describe("pyFloat: Python's repr of a float", () => {
  it.each(PYTHON_REPR)("%s prints as Python's %s", (x, text) => {
    expect(pyFloat(x)).toBe(text);
  });

  it("reads back as the same number wherever Python's text is a float literal JavaScript also reads", () => {
    for (const [x, text] of PYTHON_REPR) if (Number.isFinite(x)) expect(Object.is(Number(text), x)).toBe(true);
  });

  it("rejects what is not a number, naming itself and the value", () => {
    expect(() => pyFloat("1" as unknown as number)).toThrow(
      new TypeError('pyFloat expects a number, got the string "1"'),
    );
  });
});

describe("Value prints as micrograd's repr", () => {
  it("String and util.inspect give Value(data=-8.0, grad=0.0) before backward, as the tutorial prints", () => {
    const L = new Value(-2.0).mul(new Value(2.0).mul(-3.0).add(10.0));
    expect(String(L)).toBe("Value(data=-8.0, grad=0.0)");
    expect(inspect(L)).toBe("Value(data=-8.0, grad=0.0)");
    expect(inspect([L])).toBe("[ Value(data=-8.0, grad=0.0) ]");
  });

  it("uses Python's exponent form for small numbers", () => {
    const v = new Value(2.999378523327323e-6);
    v.grad = -1e-5;
    expect(String(v)).toBe("Value(data=2.999378523327323e-06, grad=-1e-05)");
  });
});
