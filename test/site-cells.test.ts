/**
 * The browser site's cell semantics (site/worker), checked in Node: cells compiled by compileCell share
 * one scope as in tslab, may declare names again, await at top level, and end with their value; printed
 * text is Node's own (util.format, console.table) for the values notebooks print.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import { format } from "node:util";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileCell, usesNamespace } from "../site/worker/cell-compiler";
import { formatLog } from "../site/worker/console";
import { consoleTable } from "../site/worker/console-table";
import { CellSyntaxError } from "../site/worker/errors";
import { typescriptStripper } from "../site/worker/typescript-strip";
import * as micrograd from "../src/index";
import { Layer, MLP, Neuron, Value } from "../src/index";
import { TSLAB_CASES, tslabKernel } from "./site-tslab";

/** A fresh "worker": a global scope, the runtime cells receive, and what they imported. */
function kernel(modules: Record<string, object> = {}) {
  const context = vm.createContext({ Promise });
  const loaded: string[] = [];
  const runtime = {
    define(bindings: Record<string, unknown>) {
      for (const [name, value] of Object.entries(bindings)) {
        Object.defineProperty(context, name, { value, writable: true, configurable: true, enumerable: true });
      }
    },
    declare(names: string[]) {
      for (const name of names) if (!Object.hasOwn(context, name)) runtime.define({ [name]: undefined });
    },
    async load(name: string) {
      loaded.push(name);
      const m = modules[name];
      if (m === undefined) throw new Error(`Cannot find module '${name}'`);
      return m;
    },
    defaultOf: (m: Record<string, unknown>) => m.default ?? m,
  };
  let n = 0;
  /** Runs a cell; resolves to [its value], or to "(no value)". */
  const cell = async (source: string): Promise<[unknown] | "(no value)"> => {
    const name = `cell ${n++}`;
    const strip = usesNamespace(source) ? typescriptStripper(require("typescript")) : undefined;
    const code = compileCell(source, name, strip);
    const fn = vm.runInContext(code, context, { filename: name }) as (rt: object) => Promise<[unknown] | undefined>;
    return (await fn(runtime)) ?? "(no value)";
  };
  const run = async (source: string) => {
    const result = await cell(source);
    return result === "(no value)" ? result : result[0];
  };
  return { run, cell, context, loaded };
}

describe("compileCell: tslab's cell semantics", () => {
  it("shares top-level names across cells; later cells assign and redeclare them", async () => {
    const k = kernel();
    expect(await k.run("let h = 0.000001;\nlet x: number = 3.0;")).toBe("(no value)");
    expect(await k.run("x = 2 / 3;\nx")).toBe(2 / 3);
    expect(await k.run("h = 0.0001;\nconst f = (v: number) => 3 * v ** 2 - 4 * v + 5;\nf(x + h) - f(x)")).toBeCloseTo(
      0,
      3,
    );
    expect(await k.run("const x = 'again';\nx")).toBe("again"); // a const may be declared again, as in tslab
    expect(await k.run("var v = 1, w = v + 1;\n[v, w]")).toEqual([1, 2]);
  });

  it("binds every name of a destructuring declaration", async () => {
    const k = kernel();
    await k.run("const { a, b: [c, ...rest], d = 4 } = { a: 1, b: [2, 3, 5] };");
    expect(await k.run("[a, c, rest, d]")).toEqual([1, 2, [3, 5], 4]);
  });

  it("keeps functions and classes local to their cell, hoisted, and shares them with later cells", async () => {
    const k = kernel();
    expect(await k.run("twice(21);\nfunction twice(n: number): number { return 2 * n; }")).toBe("(no value)");
    expect(await k.run("twice(21)")).toBe(42);
    await k.run("class Box { constructor(public v: number) {} get double() { return twice(this.v); } }");
    expect(await k.run("new Box(4).double")).toBe(8);
    // Within its own cell a class keeps its own binding even when another cell redefines the name later.
    await k.run("class Box2 { static me() { return Box2; } }\nconst first = Box2;");
    await k.run("class Box2 {}");
    expect(await k.run("first.me() === first && Box2 !== first")).toBe(true);
  });

  it("imports into the shared scope, through the runtime", async () => {
    const k = kernel({ "micrograd-ts": { Value }, m: { default: 7, y: 8 }, ns: { z: 9 } });
    await k.run('import { Value as V } from "micrograd-ts";\nimport d, { y } from "m";\nimport * as n from "ns";');
    expect(await k.run("String(new V(2).mul(3))")).toBe("Value(data=6.0, grad=0.0)");
    expect(await k.run("[d, y, n.z]")).toEqual([7, 8, 9]);
    expect(k.loaded).toEqual(["micrograd-ts", "m", "ns"]);
    await expect(k.run('import { q } from "missing";')).rejects.toThrow("Cannot find module 'missing'");
  });

  it("awaits at top level; a cell's value is not awaited (tslab prints a pending Promise as one)", async () => {
    const k = kernel();
    expect(await k.run("const r = await Promise.resolve(3);\nr * 2")).toBe(6);
    const [value] = (await k.cell("Promise.resolve(1)")) as [unknown];
    expect(value).toBeInstanceOf(Promise);
  });

  it("takes the last statement's value only when it is an expression, as tslab", async () => {
    const k = kernel();
    expect(await k.run("1 + 1;\nconst z = 5;")).toBe("(no value)");
    expect(await k.run("const z2 = 5;\n(z2, z2 * 2)")).toBe(10);
    expect(await k.run('"text"')).toBe("text");
    expect(await k.run("interface P { x: number }\ntype Q = P;\nconst p: Q = { x: 1 };\np.x as number")).toBe(1);
  });

  it("throws a SyntaxError with the line and column in the cell; runtime errors keep the cell's line numbers", async () => {
    const k = kernel();
    const syntax = (() => {
      try {
        compileCell("const a = 1;\nconst b = ;", "mgts-run-3");
      } catch (e) {
        return e;
      }
    })();
    expect(syntax).toBeInstanceOf(CellSyntaxError);
    expect(syntax).toMatchObject({ name: "SyntaxError", message: "Unexpected token", line: 2, column: 11 });
    expect(() => compileCell("const a = 1;\n  export default a;", "t")).toThrow(
      expect.objectContaining({ message: "a notebook cell cannot export: export default a;", line: 2, column: 3 }),
    );
    await expect(k.run("const ok = 1;\n\nnotDefined + 1;")).rejects.toThrow("notDefined is not defined");
    const error = await k.run("const e1 = 1;\nthrow new Error('here');").catch((e: Error) => e);
    expect((error as Error).stack).toMatch(/at cell \d+:2:/);
  });
});

describe("cells as tslab runs them: the site prints what tslab 1.0.22 itself prints", () => {
  let tslab: ReturnType<typeof tslabKernel>;
  beforeAll(() => {
    tslab = tslabKernel();
  }, 60_000);
  afterAll(() => tslab?.close());

  it.each(TSLAB_CASES)(
    "%s",
    async (_, sources) => {
      const site = kernel({ "micrograd-ts": micrograd });
      let last = "";
      for (const source of sources) {
        const reference = await tslab.run(source);
        last = reference.printed;
        expect(reference.ok, `tslab ran ${source}`).toBe(true);
        const value = await site.cell(source);
        const printed = value === "(no value)" || value[0] == null ? "" : `${formatLog([value[0]])}\n`;
        expect(printed, source).toBe(reference.printed);
      }
      expect(last, "the last cell's value, as tslab printed it").toMatch(/\S/);
      if (sources.some((s) => s.includes("import("))) expect(site.loaded).toEqual(["micrograd-ts"]);
    },
    60_000,
  );
});

describe("the cells' console prints as Node's", () => {
  const values: unknown[][] = [
    ["20.0"],
    [new Value(-8.0)],
    ["op:", "*", " children:", ["d", "f"]],
    ["weights", [0.23550571390294128, 0.06653114721000164, -0.26830328150124894], "bias", 0.1715747078045431],
    [["Value(data=0.8897672900781874, grad=0.0)", "Value(data=-0.7786355856300148, grad=0.0)", "Value(a)", "V(b)"]],
    ["predictions", [-0.25463871589612375, -0.4891378220161315, -0.22154819859532024, -0.4060319862744376]],
    ["tanh from exp: o %s x1 %s", "0.7071067811865477", "-1.5"],
    [100, "points; labels", [-1, 1]],
    [new Neuron(3), new Layer(2, 2), new MLP(2, [3, 1])],
    [{ a: 1, nested: { deep: { deeper: { deepest: 1 } } }, s: new Set([1]), m: new Map([["k", 2]]) }],
    [null, undefined, true, -0, 1e21, 2n, Symbol("s"), () => 1, new Error("boom").message],
    [Array.from({ length: 120 }, (_, i) => i)],
  ];
  it.each(values.map((v, i) => [i, v] as const))("console.log case %i", (_, args) => {
    expect(formatLog(args)).toBe(format(...args));
  });

  it("console.table draws Node's box", () => {
    const rows = [
      { op: "add", "backward (1st input)": 1, "finite difference": 0.9999999999177334, "worst rel. error": 8.2e-11 },
      { op: "pow -1", "backward (1st input)": -0.591715976331361, "finite difference": -0.5917159763, x: [1, 2, 3, 4] },
    ];
    for (const data of [
      rows,
      [1, "two", { three: 3 }],
      { a: { x: 1 }, b: { y: 2 } },
      new Map([["k", 1]]),
      new Set(["v"]),
    ]) {
      expect(`${consoleTable(data)}\n`).toBe(nodeTable(data));
    }
    expect(`${consoleTable(rows, ["op"])}\n`).toBe(nodeTable(rows, ["op"]));
  });
});

/** What Node's own console.table prints (to a stream that is not a terminal, as the kernel's stdout). */
function nodeTable(data: unknown, properties?: string[]): string {
  let text = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  new Console({ stdout: sink, colorMode: false }).table(data, properties);
  return text;
}
