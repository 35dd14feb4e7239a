/**
 * The cells' `console`, printing as Node's does in the tslab kernel: the same text for the same values
 * (util.format and util.inspect from node-inspect-extracted, Node's own code), so that a cell prints in
 * the page what it prints in Jupyter: `Value(data=-8.0, grad=0.0)`, `[ 'd', 'f' ]`, console.table's box.
 * log, info, debug and table go to stdout; error, warn, trace and failed asserts to stderr.
 */
import { formatWithOptions, type InspectOptions, inspect } from "node-inspect-extracted";
import { consoleTable } from "./console-table";

export type StreamName = "stdout" | "stderr";

/** How a printed line leaves the worker (main.ts batches it into the current cell's output). */
export type Write = (name: StreamName, text: string) => void;

/** Node's console.log(…args) text, without the newline: what tslab prints for a cell's value too. */
export function formatLog(args: unknown[]): string {
  return formatWithOptions({}, ...args);
}

export function makeConsole(write: Write): Console {
  let indent = "";
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const print = (name: StreamName, text: string) => {
    const lines = indent === "" ? text : text.replace(/^/gm, indent);
    write(name, `${lines}\n`);
  };
  const out = (...args: unknown[]) => print("stdout", formatLog(args));
  const err = (...args: unknown[]) => print("stderr", formatLog(args));
  const elapsed = (label: string) => {
    const ms = performance.now() - (timers.get(label) ?? Number.NaN);
    return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
  };
  const methods = {
    log: out,
    info: out,
    debug: out,
    error: err,
    warn: err,
    trace: (...args: unknown[]) => {
      const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
      print("stderr", `Trace${args.length > 0 ? `: ${formatLog(args)}` : ""}\n${stack}`);
    },
    dir: (value: unknown, options?: InspectOptions) =>
      print("stdout", inspect(value, { customInspect: false, ...options })),
    dirxml: out,
    table: (data: unknown, properties?: readonly string[]) => print("stdout", consoleTable(data, properties)),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (condition) return;
      if (typeof args[0] === "string") args[0] = `Assertion failed: ${args[0]}`;
      else args.unshift("Assertion failed");
      err(...args);
    },
    group: (...args: unknown[]) => {
      if (args.length > 0) out(...args);
      indent += "  ";
    },
    groupCollapsed: (...args: unknown[]) => methods.group(...args),
    groupEnd: () => {
      indent = indent.slice(0, -2);
    },
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      out(`${label}: ${n}`);
    },
    countReset: (label = "default") => {
      counts.delete(label);
    },
    time: (label = "default") => {
      timers.set(label, performance.now());
    },
    timeLog: (label = "default", ...data: unknown[]) => out(`${label}: ${elapsed(label)}`, ...data),
    timeEnd: (label = "default") => {
      out(`${label}: ${elapsed(label)}`);
      timers.delete(label);
    },
  };
  return methods as unknown as Console;
}
