/**
 * The type checker's Web Worker: TypeScript's compiler and the declarations it checks against arrive
 * from the page (which loads them after it is usable), then each cell is checked before it runs, as tslab
 * checks it, and completion and hover are answered from the same language service.
 */
import type * as TS from "typescript";
import type { FromChecker, ToChecker } from "../protocol";
import { runGlobalScript } from "../worker/global-script";
import { CellChecker } from "./checker";

const post = (message: FromChecker) => self.postMessage(message);
let checker: CellChecker | null = null;

function init(typescript: string, files: Record<string, string>): void {
  const ts = runGlobalScript<typeof TS>(typescript, "ts", "TypeScript");
  checker = new CellChecker(ts, files);
  checker.check(""); // builds the program once, before the first cell waits for it
}

self.addEventListener("message", (event: MessageEvent<ToChecker>) => {
  const m = event.data;
  try {
    if (m.type === "init") {
      init(m.typescript, m.files);
      post({ type: "ready" });
      return;
    }
    if (checker === null) return;
    if (m.type === "check") post({ type: "problems", id: m.id, problems: checker.check(m.source) });
    else if (m.type === "commit") checker.commit(m.source);
    else if (m.type === "reset") checker.reset();
    else if (m.type === "complete")
      post({ type: "completions", id: m.id, items: checker.complete(m.source, m.position) });
    else if (m.type === "hover") post({ type: "hover", id: m.id, text: checker.hover(m.source, m.position) });
  } catch (e) {
    if (m.type === "init") post({ type: "failed", message: (e as Error).message });
    else if (m.type === "check")
      post({ type: "problems", id: m.id, problems: [] }); // never block a run on the checker's own failure
    else if (m.type === "complete") post({ type: "completions", id: m.id, items: [] });
    else if (m.type === "hover") post({ type: "hover", id: m.id, text: null });
  }
});
