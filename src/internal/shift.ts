/**
 * softmax's and crossEntropy's shift, −max(logits): a leaf of the graph (no gradient flows through it,
 * as in every softmax written for stability), whose number comes from the logits' data. The object API
 * computes it anew with every graph; compile's capture finds it here and recomputes it on every
 * forward() from the logits' current values, so a replay gives the object API's numbers bit for bit.
 */
import { Value } from "../engine";
import type { Node } from "./chunk";

/** The logits each shift was computed from (weak: a shift lives as long as its graph). */
const logitsOf = new WeakMap<Node, readonly Node[]>();

/** A new leaf holding −max(v.data for v of `values`), recorded as computed from them. */
export function negatedMax(values: readonly Value[]): Value {
  const shift = new Value(-maxData(values));
  logitsOf.set(shift, values.slice());
  return shift;
}

/** The Values a leaf made by negatedMax was computed from, or undefined for any other leaf. */
export const shiftOperands = (leaf: Node): readonly Node[] | undefined => logitsOf.get(leaf);

/** The largest data, by a loop (Math.max(...xs) overflows the stack for ~100,000 arguments); compile's replay runs the same loop. */
function maxData(values: readonly { readonly data: number }[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v.data > m) m = v.data;
  return m;
}
