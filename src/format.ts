/**
 * Numbers as Python prints them, so that what a notebook prints can be compared with the lecture's
 * outputs character for character.
 */
import { describe } from "./internal/check";

/**
 * `x` as Python's `repr(x)` / `print(x)` of a float: the shortest digits that read back as `x` (the same
 * digits as JavaScript's String), written Python's way: `20.0` and `-0.0` keep their `.0`, and the
 * exponent form starts below 1e-4 and at 1e16 (`2.999378523327323e-06`, `1e+16`), not at 1e-6 and 1e21.
 * NaN and ±Infinity print as `nan`, `inf` and `-inf`.
 */
export function pyFloat(x: number): string {
  if (typeof x !== "number") throw new TypeError(`pyFloat expects a number, got ${describe(x)}`);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  // toExponential() without an argument gives the shortest round-trip digits, e.g. "2.999378523327323e-6".
  const [mantissa = "0", exp = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const point = Number(exp) + 1; // where the decimal point goes, counted in digits from the left
  if (point <= -4 || point > 16) {
    const e = Number(exp);
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
