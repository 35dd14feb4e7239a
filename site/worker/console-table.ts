/**
 * console.table as Node 20 prints it (lib/internal/console/constructor.js and lib/internal/cli_table.js,
 * MIT, ported): a box of the rows, an "(index)" column, each value written by util.inspect with the
 * options Node uses there, cells left-aligned. node-inspect-extracted brings util.inspect but not the table.
 */
import { inspect } from "node-inspect-extracted";

const INDEX = "(index)";
const ITERATION = "(iteration index)";
const KEY = "Key";
const VALUES = "Values";

/** Node's `_inspect` in console.table: one line, a nested object shown one level deep when it has > 2 keys. */
function cellText(v: unknown): string {
  const depth = v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
  return inspect(v, { depth, maxArrayLength: 3, breakLength: Number.POSITIVE_INFINITY });
}

/** The text console.table(data, properties) prints (without the newline). */
export function consoleTable(data: unknown, properties?: readonly string[]): string {
  if (data === null || typeof data !== "object") return inspectPrimitive(data);
  const indexArray = (n: number) => Array.from({ length: n }, (_, i) => cellText(i));
  if (data instanceof Map) {
    const entries = [...data.entries()];
    return table(
      [ITERATION, KEY, VALUES],
      [indexArray(entries.length), entries.map(([k]) => cellText(k)), entries.map(([, v]) => cellText(v))],
    );
  }
  if (data instanceof Set) {
    const values = [...data].map(cellText);
    return table([ITERATION, VALUES], [indexArray(values.length), values]);
  }
  const columns = new Map<string, string[]>();
  let hasPrimitives = false;
  const primitives: string[] = [];
  const indexKeys = Object.keys(data);
  const rows = data as Record<string, unknown>;
  indexKeys.forEach((indexKey, i) => {
    const item = rows[indexKey];
    const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      primitives[i] = cellText(item);
      return;
    }
    const keys = properties ?? Object.keys(item as object);
    for (const key of keys) {
      const column = columns.get(key) ?? [];
      columns.set(key, column);
      const own = !primitive && Object.hasOwn(item as object, key);
      column[i] = own ? cellText((item as Record<string, unknown>)[key]) : "";
    }
  });
  const head = [INDEX, ...columns.keys()];
  const values = [indexKeys, ...columns.values()];
  if (hasPrimitives) {
    head.push(VALUES);
    values.push(primitives);
  }
  return table(head, values);
}

function inspectPrimitive(value: unknown): string {
  return typeof value === "string" ? value : inspect(value);
}

/** Columns of monospace width: wide (East Asian) characters count two, combining marks none. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(ch)) continue;
    n += /\p{Extended_Pictographic}/u.test(ch) || (code >= 0x1100 && isWide(code)) ? 2 : 1;
  }
  return n;
}

function isWide(code: number): boolean {
  return (
    code <= 0x115f ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** cli_table.js: the box around `head` and the rows made of `columns` (missing cells are empty). */
function table(head: string[], columns: string[][]): string {
  const widths = head.map(width);
  const longest = columns.reduce((n, c) => Math.max(n, c.length), 0);
  const rows: string[][] = Array.from({ length: longest }, () => []);
  head.forEach((_, i) => {
    const column = columns[i] ?? [];
    for (let j = 0; j < longest; j++) {
      const value = Object.hasOwn(column, j) ? (column[j] as string) : "";
      (rows[j] as string[])[i] = value;
      widths[i] = Math.max(widths[i] ?? 0, width(value));
    }
  });
  const row = (cells: string[]) =>
    `│ ${cells.map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - width(cell))).join(" │ ")} │`;
  const divider = widths.map((w) => "─".repeat(w + 2));
  return [
    `┌${divider.join("┬")}┐`,
    row(head),
    `├${divider.join("┼")}┤`,
    ...rows.map(row),
    `└${divider.join("┴")}┘`,
  ].join("\n");
}
