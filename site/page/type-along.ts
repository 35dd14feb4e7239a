/**
 * Type along (TYPE-ALONG-CONTRACT.md): a cell marked in the notebook's metadata starts with an empty
 * editor; after the learner runs it, its printed text is compared with what the lecture's cell prints.
 */

/** A cell's mark: which lecture cell it reproduces, what it writes, and what it prints (null: nothing). */
export interface TypeAlongMark {
  cell: string;
  what: string;
  prints: string | null;
}

/** Printed text as the contract compares it: each line's trailing spaces trimmed, then the whole trimmed. */
export function normalizePrinted(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

/** Whether a run matches the lecture's: it ran without error, and printed what the lecture prints. */
export function matches(mark: TypeAlongMark, ok: boolean, stdout: string): boolean {
  if (!ok) return false;
  return mark.prints === null || normalizePrinted(stdout) === normalizePrinted(mark.prints);
}

/** The editor's placeholder for a hidden cell: what to write there. */
export const placeholderOf = (mark: TypeAlongMark) => `// ${mark.cell}: ${mark.what}`;
