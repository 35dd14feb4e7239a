/**
 * Waiting for a live notebook's kernel, in JupyterLab 4 and Notebook 7. A tslab kernel is ready about 5 s
 * after it starts here (2 s of CPU), yet one loaded run saw a page with no idle kernel after 120 s while
 * the same notebook opened by hand was ready in 5 s. So the wait grows with the machine's load, a kernel
 * still not idle is restarted once (as Kernel → Restart Kernel does) before the test fails, and the
 * failure says what the page and the server each saw.
 */
import { availableParallelism, loadavg } from "node:os";
import type { Page } from "playwright-core";
import type { JupyterServer } from "./browser-server";

/** The wait for an idle kernel on an idle machine; it grows with the load, up to KERNEL_WAIT_MAX_MS. */
const KERNEL_WAIT_MS = 60_000;
/** The longest one wait for the kernel can be; kernelReady waits at most twice, plus a restart and a reload. */
export const KERNEL_WAIT_MAX_MS = 3 * KERNEL_WAIT_MS;

/** KERNEL_WAIT_MS times the runnable processes per core (the last minute's load average), when above 1. */
function kernelWait(): number {
  const [lastMinute = 0] = loadavg();
  const perCore = lastMinute / availableParallelism();
  return Math.round(Math.min(KERNEL_WAIT_MAX_MS, KERNEL_WAIT_MS * Math.max(1, perCore)));
}

// "idle" once the visible notebook shows cells, the project's kernel by name and an idle execution indicator;
// a dialog's text if one opened instead (a kernel picker, an error): either ends the wait.
const KERNEL_IDLE = `(() => {
  const dialog = document.querySelector(".jp-Dialog-content");
  if (dialog) return "a dialog: " + dialog.textContent.trim().slice(0, 400);
  const idle = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]');
  const toolbar = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar");
  const cells = document.querySelectorAll(".jp-Notebook .jp-Cell").length;
  return idle && cells > 0 && toolbar && /micrograd-ts/.test(toolbar.textContent) ? "idle" : false;
})()`;

// What the page shows of its kernel, for the error message.
const PAGE_KERNEL = `(() => {
  const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
  const indicator = panel && panel.querySelector(".jp-Notebook-ExecutionIndicator");
  const toolbar = panel && panel.querySelector(".jp-NotebookPanel-toolbar");
  return "the page: " + (panel ? "a notebook" : "no notebook") +
    ", " + document.querySelectorAll(".jp-Notebook .jp-Cell").length + " cells" +
    ", execution indicator " + (indicator ? JSON.stringify(indicator.getAttribute("data-status")) : "missing") +
    ", toolbar " + JSON.stringify(toolbar ? toolbar.textContent.replace(/\\s+/g, " ").trim().slice(0, 120) : null);
})()`;

interface Session {
  id: string;
  path: string;
  kernel: { id: string; execution_state: string; connections: number } | null;
}

/** The server's session for the notebook at `path` (relative to the served folder), if it has one. */
async function sessionOf(server: JupyterServer, path: string): Promise<Session | undefined> {
  const sessions = (await server.api("/api/sessions")) as Session[];
  return sessions.find((s) => s.path === path);
}

/** What the page and the server say of the notebook's kernel, in one line. */
async function observed(page: Page, server: JupyterServer, path: string, waited: number): Promise<string> {
  const seen = (await page.evaluate(PAGE_KERNEL).catch((e) => `the page did not answer (${e})`)) as string;
  const session = await sessionOf(server, path).catch((e) => `unknown (${e})`);
  const kernel =
    typeof session === "string"
      ? `the server's sessions: ${session}`
      : session?.kernel
        ? `the server: kernel ${session.kernel.execution_state}, ${session.kernel.connections} connection(s)`
        : "the server: no kernel for this notebook";
  return `no idle kernel after ${Math.round(waited / 1000)} s (${seen}; ${kernel})`;
}

/** Waits up to `ms` for KERNEL_IDLE: "idle", a dialog's text, or "" when the time ran out. */
function waitIdle(page: Page, ms: number): Promise<string> {
  return page
    .waitForFunction(KERNEL_IDLE, null, { timeout: ms, polling: 250 })
    .then((h) => h.jsonValue() as Promise<string>)
    .catch(() => "");
}

/**
 * Waits for the notebook at `path` to be shown with its kernel connected and idle. Throws at once with the
 * dialog's text if one opens instead. If the time runs out, restarts the notebook's kernel through the
 * server, reloads the page and waits once more. Returns "" or, after a restart, what was seen before it
 * (for the test's summary: a restart that helped is still reported).
 */
export async function kernelReady(page: Page, where: string, server: JupyterServer, path: string): Promise<string> {
  let waited = kernelWait();
  let state = await waitIdle(page, waited);
  if (state === "idle") return "";
  if (state) throw new Error(`${where}: the kernel did not start: ${state}`);
  const before = await observed(page, server, path, waited);
  console.warn(`[browser] ${where}: ${before}; restarting the kernel once and reloading the page`);
  const session = await sessionOf(server, path).catch(() => undefined);
  if (session?.kernel)
    await server.api(`/api/kernels/${session.kernel.id}/restart`, "POST").catch((e) => {
      throw new Error(`${where}: the kernel did not start: ${before}; restarting it failed: ${e}`);
    });
  await page.reload({ timeout: 60_000 });
  waited = kernelWait();
  state = await waitIdle(page, waited);
  if (state === "idle") return `kernel restarted once: ${before}`;
  if (state) throw new Error(`${where}: the kernel did not start: ${state} (after a restart; before it: ${before})`);
  const after = await observed(page, server, path, waited);
  throw new Error(`${where}: the kernel did not start: ${before}; after a restart and a reload, ${after}`);
}
