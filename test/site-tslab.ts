/**
 * tslab as the reference for the browser site's cells (test/site-cells.test.ts, browser-site-work.test.ts):
 * its own converter and executor, the code runner its Jupyter kernel uses, driven without Jupyter.
 */
import { join } from "node:path";
import { format } from "node:util";

/** Cells the site once ran differently from tslab (issue 27, item 7), each a list of cells run in order. */
export const TSLAB_CASES: [string, string[]][] = [
  ["var declared again", ["var total = 1;\nvar total = total + 1;\ntotal"]],
  ["var hoisted", ["count = 5; var count: number; count"]],
  ["a namespace", ["namespace Cfg { export const lr = 0.1 }", "Cfg.lr"]],
  ["await import()", ['const m = await import("micrograd-ts");\nString(new m.Value(2).mul(3))']],
  [
    "a closure over a let updated later",
    ["let best = 10, update = (v: number) => { if (v < best) best = v; };", "update(3); best"],
  ],
];

/**
 * tslab's own executor (its converter and the code runner its kernel uses), driven without Jupyter: what
 * each cell prints (console.log for a value, console.error for a type error) and whether it ran.
 */
export function tslabKernel() {
  const { createConverter } = require("tslab/dist/converter");
  const { createExecutor } = require("tslab/dist/executor");
  let printed = "";
  const sink = {
    log: (...args: unknown[]) => {
      printed += `${format(...args)}\n`;
    },
    error: (...args: unknown[]) => {
      printed += `${format(...args)}\n`;
    },
  };
  const converter = createConverter({ isJS: false, isBrowser: false });
  const executor = createExecutor(join(__dirname, ".."), { node: converter, browser: converter, close() {} }, sink);
  return {
    async run(source: string): Promise<{ ok: boolean; printed: string }> {
      printed = "";
      const ok = (await executor.execute(source)) as boolean;
      return { ok, printed };
    },
    close() {
      executor.close();
      converter.close();
    },
  };
}
