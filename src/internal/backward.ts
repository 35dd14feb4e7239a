/**
 * backward()'s machinery, chosen per call: the sweep of the open chunk when the root was created since
 * the last backward() (a training step: no search at all), the tape's search otherwise, or both when the
 * walk reaches nodes created earlier. See docs/DEVELOPMENT.md ("How the engine is fast").
 */
import type { Value } from "../engine";
import { closeOpenChunk, openChunk } from "./chunk";
import { type GradientFailure, type LocalDerivativesFn, sweep, undoSweep } from "./sweep";
import { newTraversalMark, Tape } from "./tape";

/** The one tape, reused by every backward() that needs a search. */
const tape = new Tape();

/**
 * Sets root.grad to 1 and adds d(root)/d(node) into the grad of every node below it, newest first.
 * Returns null, or the node whose gradient is not finite (then no grad was changed). Either way the
 * open chunk is closed: the next operation starts the next chunk.
 */
export function backpropagate(root: Value, localDerivatives: LocalDerivativesFn): GradientFailure | null {
  const chunk = root._chunk;
  let failure: GradientFailure | null;
  if (chunk === openChunk() && chunk.sweepable) {
    const reached: Value[] = []; // nodes of earlier chunks the sweep passed grads to
    failure = sweep(chunk, root._slot, newTraversalMark(), localDerivatives, reached);
    if (failure === null && reached.length > 0) {
      failure = tape.run(reached, false, localDerivatives);
      if (failure !== null) undoSweep(chunk, root._slot);
    }
  } else {
    failure = tape.run([root], true, localDerivatives);
  }
  closeOpenChunk();
  return failure;
}
