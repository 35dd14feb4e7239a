/** Argument checks shared by the whole package: one wording for every error message. */
import { inspect } from "node:util";

/** A short description of a bad argument for error messages: its value and, where unclear, its type. */
export function describe(x: unknown): string {
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "number") return String(x);
  if (x === null || x === undefined) return String(x);
  if (typeof x === "object") return `${x.constructor?.name ?? "object"} ${inspect(x, { depth: 0 })}`;
  return `${typeof x} ${String(x)}`;
}

/** Throws a TypeError naming `fn` and `name` unless `x` is a finite number. */
export function checkFinite(x: unknown, fn: string, name: string): asserts x is number {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(`${fn} expects a finite number as ${name}, got ${describe(x)}`);
  }
}
