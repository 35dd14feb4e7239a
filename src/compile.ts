/**
 * Graph capture, as torch.jit.trace does it: run the computation once with Values, record the graph,
 * then replay it on numbers. `forward()` re-reads every leaf's current `.data` (parameters an optimizer
 * moved, inputs you set) and `backward()` adds d(root)/d(leaf) into every leaf's `.grad`, with the
 * object API's arithmetic in the object API's order: the same numbers, to the last bit, far faster.
 *
 * What is recorded is the graph this one call built. Control flow that depends on values
 * (`if (x.data > 0) …`, a loop until a loss is small) is not traced again: the branch taken at capture
 * is replayed every time. Operations inside the graph (relu, tanh, …) are fine: their branches are part
 * of the operation. New leaves made after capture are not seen; capture again for a new graph.
 */
import type { Value } from "./engine";
import { describe } from "./internal/check";
import { isValue } from "./internal/check-values";
import { capture, replay } from "./internal/compile";

export interface CompiledGraph {
  /** Re-evaluates the graph from the leaves' current data; returns the root's value. */
  forward(): number;
  /**
   * Adds d(root)/d(leaf) into every leaf's grad (zero them first, as before `backward()`), at the values
   * of the last `forward()` (or of the capture, before any). A gradient that is not finite is the object
   * API's RangeError, and no grad is changed. A leaf whose `.data` changed since that forward() is refused
   * with an Error saying to call `forward()` first (the gradients would belong to the old values), and
   * no grad is changed.
   */
  backward(): void;
  /**
   * The leaves the graph reads (parameters, inputs, constants), in the order they were recorded. softmax's
   * and crossEntropy's shift (−max of the logits) is not among them: it is computed from the logits by
   * the table's Max on every forward(), as the object API computes it with every graph.
   */
  readonly leaves: readonly Value[];
  /** Instructions in the replay (leaves included): a multiply feeding an add counts once. */
  readonly size: number;
}

/** Calls `fn` once and captures the graph below the Value it returns. */
export function compile(fn: () => Value): CompiledGraph {
  if (typeof fn !== "function")
    throw new TypeError(`compile expects a function returning a Value, got ${describe(fn)}`);
  const root: unknown = fn();
  if (!isValue(root)) {
    throw new TypeError(`compile: fn() must return a Value, got ${describe(root)}`);
  }
  const { instructions, leaves } = capture(root);
  const { forward, backward } = replay(instructions, leaves);
  return {
    forward,
    backward,
    get leaves() {
      return leaves();
    },
    size: instructions.op.length,
  };
}
