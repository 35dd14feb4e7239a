import { expect, onTestFinished } from "vitest";
import { lectureData, MLP, seed, squaredError, Value } from "../src";
import { type DisplayMessage, setDisplayWriter } from "../src/display/notebook";

/** The project's tolerance for float64 identities. */
export const REL_TOL = 1e-12;

/** |actual − expected| ≤ rel·max(|expected|, tiny): a relative check that also works at 0. */
export function expectClose(actual: number, expected: number, rel = REL_TOL, abs = 1e-300): void {
  const bound = Math.max(rel * Math.abs(expected), abs);
  const error = Math.abs(actual - expected);
  if (!(error <= bound)) {
    throw new Error(`expected ${actual} to be within ${bound} of ${expected} (error ${error}, rel tol ${rel})`);
  }
  expect(error).toBeLessThanOrEqual(bound);
}

/** The lecture's L = (a·b + c)·f with its labels (e = a·b, d = e + c), before any backward(); a = 2 unless given. */
export function lectureExpression(aData = 2.0): Record<"a" | "b" | "c" | "d" | "e" | "f" | "L", Value> {
  const a = new Value(aData, { label: "a" });
  const b = new Value(-3.0, { label: "b" });
  const c = new Value(10.0, { label: "c" });
  const f = new Value(-2.0, { label: "f" });
  const e = a.mul(b);
  e.label = "e";
  const d = e.add(c);
  d.label = "d";
  const L = d.mul(f);
  L.label = "L";
  return { a, b, c, d, e, f, L };
}

export interface SentDisplay {
  message: DisplayMessage;
  update: boolean;
}

/**
 * Routes notebook displays into the returned array, as the kernel would receive them, for the current
 * test: restored after each test.
 */
export function captureDisplays(): SentDisplay[] {
  const sent: SentDisplay[] = [];
  setDisplayWriter((message, update) => sent.push({ message, update }));
  onTestFinished(() => setDisplayWriter(null));
  return sent;
}

/** What trainLecture calls at each step (for watching or disturbing a run). */
export interface TrainingHooks {
  /** After backward(), before the update: the grads are this step's. */
  afterBackward?(): void;
  /** After the update, with the step's loss (computed before it). */
  afterStep?(k: number, loss: number): void;
}

/** Notebook 4's network: the lecture's MLP(3, [4, 4, 1]), drawn from seed(1337). */
export function lectureMLP(): MLP {
  seed(1337);
  return MLP.lecture(3, [4, 4, 1]);
}

/** Notebook 4's loop: `steps` steps on the lecture's four samples (squared error, zeroGrad, backward, −lr·grad). */
export function trainLecture(model: MLP, steps: number, lr = 0.1, hooks: TrainingHooks = {}): MLP {
  const { xs, ys } = lectureData();
  for (let k = 0; k < steps; k++) {
    const loss = squaredError(
      xs.map((x) => model.output(x)),
      ys,
    );
    model.zeroGrad();
    loss.backward();
    hooks.afterBackward?.();
    for (const p of model.parameters()) p.data += -lr * p.grad;
    hooks.afterStep?.(k, loss.data);
  }
  return model;
}
