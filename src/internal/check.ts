/**
 * Argument checks shared by the whole package: one wording for every error message.
 *
 * The rule (README, "Errors and limits"): an argument of the wrong kind (not a finite number, not a
 * Value, not an array, not an options object, NaN and ±Infinity included) is a TypeError; the right
 * kind with a value out of range is a RangeError. Every message names the function, the argument and
 * what it received (strings quoted), and every check runs before anything is changed.
 */
import { inspect } from "node:util";

/**
 * The copies of micrograd-ts loaded in this process, each with its folder and the class of its Values,
 * in one `globalThis` entry: a Value of another copy is then refused by name, with the fix. Node loads a
 * package once per real path (the notebooks' `file:.` symlink included), so two copies mean two installs.
 */
interface LoadedCopy {
  readonly path: string;
  readonly valueClass: abstract new (...args: never[]) => object;
}
const LOADED_KEY = Symbol.for("micrograd-ts.loaded");
const registry = globalThis as { [LOADED_KEY]?: LoadedCopy[] };
registry[LOADED_KEY] ??= [];
const loadedCopies = registry[LOADED_KEY];
/** This copy's folder (src/ or dist/; a bundle has none). */
const thisPath = typeof __dirname === "string" ? __dirname.replace(/[\\/]internal$/, "") : "a bundle";

/** Records this copy's Value class (internal/stored-value.ts does, once). */
export function registerCopy(valueClass: LoadedCopy["valueClass"]): void {
  ownValueClass = valueClass;
  loadedCopies.push({ path: thisPath, valueClass });
}
let ownValueClass: LoadedCopy["valueClass"] | null = null;

/** The folder of the other loaded copy that made `x`, when x is a Value of another copy. */
function otherCopyOf(x: object): string | undefined {
  if (ownValueClass !== null && x instanceof ownValueClass) return undefined;
  return loadedCopies.find((c) => x instanceof c.valueClass)?.path;
}

/** Whether x is a Value of any loaded copy (an options object must not be one). */
const isAnyValue = (x: object): boolean => loadedCopies.some((c) => x instanceof c.valueClass);

const INSPECT = { depth: 0, maxArrayLength: 10, maxStringLength: 80, breakLength: Number.POSITIVE_INFINITY };

/** A short description of a bad argument for error messages: its value and, where unclear, its type. */
export function describe(x: unknown): string {
  switch (typeof x) {
    case "string":
      return `the string ${JSON.stringify(x.length > 80 ? `${x.slice(0, 80)}…` : x)}`;
    case "number":
    case "boolean":
    case "undefined":
      return String(x);
    case "bigint":
      return `the BigInt ${x}n`;
    case "symbol":
      return x.toString();
    case "function":
      return `the function ${x.name || "(anonymous)"} (not called)`;
  }
  if (x === null) return "null";
  try {
    const other = otherCopyOf(x as object);
    if (other !== undefined) {
      return `${String(x)}, a Value of another copy: micrograd-ts is loaded twice, from ${other} and from ${thisPath}: import it from one place`;
    }
    if (isAnyValue(x as object)) return String(x);
    if (Array.isArray(x)) return `Array(${x.length}) ${inspect(x, INSPECT)}`;
    return `${(x as object).constructor?.name ?? "object"} ${inspect(x, INSPECT)}`;
  } catch {
    return "an object that cannot be inspected";
  }
}

/** The TypeError for an argument that should be a Value (a Value of another loaded copy is named as such). */
export const notAValue = (x: unknown, fn: string, name: string): TypeError =>
  new TypeError(`${fn} expects ${name} to be a Value, got ${describe(x)}`);

/** Throws a TypeError naming `fn` and `name` unless `x` is a finite number. */
export function checkFinite(x: unknown, fn: string, name: string): asserts x is number {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(`${fn} expects a finite number as ${name}, got ${describe(x)}`);
  }
}

/** 1 / divisor for `div`: a TypeError unless a finite number, a RangeError when 0 or when 1 / divisor overflows. */
export function checkInverse(dividend: number, divisor: unknown): number {
  checkFinite(divisor, "div", "divisor");
  if (divisor === 0) throw new RangeError(`div: division by zero (${dividend} / 0)`);
  const inverse = divisor ** -1; // 1/5e-324 overflows: say so here, not as a bad operand of mul
  if (!Number.isFinite(inverse))
    throw new RangeError(`div: ${dividend} / ${divisor} needs 1 / ${divisor} = ${inverse}`);
  return inverse;
}

/** The allowed range of a number: bounds inclusive unless `above`/`below` (exclusive) are used. */
export interface NumberRange {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  integer?: boolean;
  /** Appended to a RangeError for `max`: why the limit exists and how to raise it. */
  limitHint?: string;
}

/** A finite number within `range`: TypeError for another kind (or NaN/±Infinity), RangeError outside. */
export function checkNumber(x: unknown, fn: string, name: string, range: NumberRange = {}): number {
  const kind = range.integer ? "an integer" : "a finite number";
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(`${fn} expects ${name} to be ${kind}, got ${describe(x)}`);
  }
  const { min, max, above, below } = range;
  const bad =
    (range.integer === true && !Number.isInteger(x)) ||
    (min !== undefined && x < min) ||
    (max !== undefined && x > max) ||
    (above !== undefined && !(x > above)) ||
    (below !== undefined && !(x < below));
  if (bad) {
    const bounds = [
      min !== undefined && `>= ${min}`,
      above !== undefined && `> ${above}`,
      below !== undefined && `< ${below}`,
      max !== undefined && `<= ${max.toLocaleString("en-US")}`,
    ].filter(Boolean);
    const hint = max !== undefined && x > max && range.limitHint ? ` ${range.limitHint}` : "";
    throw new RangeError(`${fn} expects ${name} to be ${kind} ${bounds.join(" and ")}, got ${describe(x)}.${hint}`);
  }
  return x;
}

/**
 * An options object (undefined means none): TypeError for another kind, RangeError for a key not in
 * `allowed` (a misspelt option would otherwise be ignored), listing the valid ones.
 */
export function checkOptions<K extends string>(
  opts: unknown,
  fn: string,
  allowed: readonly K[],
): { readonly [key in K]?: unknown } {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== "object" || Array.isArray(opts) || isAnyValue(opts)) {
    throw new TypeError(`${fn} expects an options object { ${allowed.join(", ")} }, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new RangeError(`${fn}: unknown option ${JSON.stringify(key)} (options: ${allowed.join(", ")})`);
    }
  }
  return opts as { readonly [key in K]?: unknown };
}

/** One of a few strings (or `fallback` when undefined): RangeError listing them otherwise. */
export function checkChoice<T extends string>(
  x: unknown,
  fn: string,
  name: string,
  choices: readonly T[],
  fallback: T,
): T;
export function checkChoice<T extends string>(
  x: unknown,
  fn: string,
  name: string,
  choices: readonly T[],
): T | undefined;
export function checkChoice<T extends string>(
  x: unknown,
  fn: string,
  name: string,
  choices: readonly T[],
  fallback?: T,
): T | undefined {
  if (x === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(x)) {
    const list = choices.map((c) => JSON.stringify(c)).join(", ");
    throw new (errorOfKind(typeof x === "string"))(`${fn} expects ${name} to be one of ${list}, got ${describe(x)}`);
  }
  return x as T;
}

/** The error for a bad option or argument: a RangeError when it is of the right kind (a wrong value), else a TypeError. */
export const errorOfKind = (rightKind: boolean): typeof RangeError => (rightKind ? RangeError : TypeError);

/** true or false (or `fallback` when undefined). */
export function checkBoolean(x: unknown, fn: string, name: string, fallback: boolean): boolean {
  if (x === undefined) return fallback;
  if (typeof x !== "boolean") throw new TypeError(`${fn} expects ${name} to be true or false, got ${describe(x)}`);
  return x;
}

/** A string, or undefined when `optional`. */
export function checkString(x: unknown, fn: string, name: string): string;
export function checkString(x: unknown, fn: string, name: string, optional: true): string | undefined;
export function checkString(x: unknown, fn: string, name: string, optional = false): string | undefined {
  if (x === undefined && optional) return undefined;
  if (typeof x !== "string") throw new TypeError(`${fn} expects ${name} to be a string, got ${describe(x)}`);
  return x;
}

/** A function. */
export function checkFunction<F extends (...args: never[]) => unknown>(x: unknown, fn: string, name: string): F {
  if (typeof x !== "function") throw new TypeError(`${fn} expects ${name} to be a function, got ${describe(x)}`);
  return x as F;
}

/** An array (of anything; the caller checks the elements), optionally non-empty. */
export function checkArray(x: unknown, fn: string, name: string, what: string, nonEmpty = false): readonly unknown[] {
  if (!Array.isArray(x)) {
    const hint = typeof x === "function" ? `; call it: ${x.name || name}()` : "";
    throw new TypeError(`${fn} expects ${name} to be ${what}, got ${describe(x)}${hint}`);
  }
  if (nonEmpty && x.length === 0) throw new RangeError(`${fn} expects ${name} to be ${what}, got an empty array`);
  return x;
}

/** An array of finite numbers. */
export function checkNumbers(x: unknown, fn: string, name: string, nonEmpty = true): readonly number[] {
  const what = "an array of finite numbers";
  const xs = checkArray(x, fn, name, what, nonEmpty);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new TypeError(`${fn} expects ${name} to be ${what}, got ${describe(v)} at index ${i}`);
    }
  }
  return xs as readonly number[];
}

/** The label of Value's options `{ label }` ("" when none). */
export function labelOption(opts: unknown): string {
  return checkString(checkOptions(opts, "Value", ["label"]).label, "Value", "label", true) ?? "";
}
