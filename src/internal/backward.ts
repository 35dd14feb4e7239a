/**
 * backward()'s fast path, chosen per call: the sweep of the open chunk when the root was created since the
 * last backward() and its chunk uses no earlier node but leaves (a training step: no search at all), the
 * tape's search otherwise. It adds the same contributions in the same order as engine.ts's
 * backwardReference, so the grads are the same to the bit (test/reference.test.ts). See
 * docs/DEVELOPMENT.md ("How the engine is fast").
 */
import { gradientError } from "../ops";
import { closeOpenChunk, type Node, newTraversalMarks, openChunk } from "./chunk";
import { Sweep } from "./sweep";
import { Tape } from "./tape";

/** What the fast path keeps across calls: one sweep and one tape, their buffers reused by every backward(). */
const fastPath = { sweep: new Sweep(), tape: new Tape() };

/**
 * Sets root.grad to 1 and adds d(root)/d(node) into the grad of every node below it, newest first. A
 * gradient that is not finite is a RangeError naming the operation, and then no grad was changed. Either
 * way the open chunk is closed: the next operation starts the next chunk.
 */
export function backpropagate(root: Node): void {
  const { sweep, tape } = fastPath;
  const chunk = root._chunk;
  const failure =
    chunk === openChunk() && chunk.sweepable ? sweep.run(chunk, root._slot, newTraversalMarks()) : tape.run(root);
  closeOpenChunk();
  if (failure !== null) throw gradientError(failure.op, failure.t, failure.x, failure.y, failure.g);
}
