/**
 * Checks of arguments that must be Values (internal/check.ts holds the rest, and the wording they share).
 * Apart from check.ts because they know the Value class, which engine.ts defines using check.ts.
 */
import { type Operand, Value } from "../engine";
import { checkArray, describe, notAValue } from "./check";

/** Whether x is a Value (of this copy of the package: another copy's is refused by name, see check.ts). */
export function isValue(x: unknown): x is Value {
  return x instanceof Value;
}

/** A Value. */
export function checkValue(x: unknown, fn: string, name: string): Value {
  if (!isValue(x)) throw notAValue(x, fn, name);
  return x;
}

/** An array of Values, e.g. `model.parameters()` (the call, not the method). */
export function checkValues(x: unknown, fn: string, name: string, nonEmpty = true): readonly Value[] {
  const what = "an array of Values";
  const xs = checkArray(x, fn, name, what, nonEmpty);
  for (let i = 0; i < xs.length; i++) {
    if (!isValue(xs[i]))
      throw new TypeError(`${fn} expects ${name} to be ${what}, got ${describe(xs[i])} at index ${i}`);
  }
  return xs as readonly Value[];
}

/** An array of Values or finite numbers (what the operations accept as operands). */
export function checkOperands(x: unknown, fn: string, name: string, nonEmpty = true): readonly Operand[] {
  const what = "an array of Values or finite numbers";
  const xs = checkArray(x, fn, name, what, nonEmpty);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (!(typeof v === "number" && Number.isFinite(v)) && !isValue(v)) {
      throw new TypeError(`${fn} expects ${name} to be ${what}, got ${describe(v)} at index ${i}`);
    }
  }
  return xs as readonly Operand[];
}
