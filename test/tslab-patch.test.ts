/**
 * tslab 1.0.22 starts its receive loops before its sockets' bind() promises settle: a kernel_info_request
 * arriving during a bind made the next receive() throw EBUSY and the kernel never answered (once in ~300
 * starts). patches/tslab+1.0.22.patch moves the binds first; patch-package applies it at `prepare`, so
 * after every `npm ci` or `npm install`. These tests fail if the kernel the notebooks run is unpatched.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const installed = readFileSync(join(root, "node_modules", "tslab", "dist", "jupyter.js"), "utf8");

describe("tslab's start-up race, patched", () => {
  it("is installed at the version the patch was made for, and npm's prepare step applies the patch", () => {
    const tslab = JSON.parse(readFileSync(join(root, "node_modules", "tslab", "package.json"), "utf8")) as {
      version: string;
    };
    expect(tslab.version).toBe("1.0.22");
    const patch = readFileSync(join(root, "patches", "tslab+1.0.22.patch"), "utf8");
    expect(patch).toContain("+++ b/node_modules/tslab/dist/jupyter.js");
    const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prepare).toMatch(/^patch-package --error-on-fail --error-on-warn && /);
  });

  it("binds all five sockets before the first receive loop starts, once", () => {
    const binds = [
      ...installed.matchAll(/await Promise\.all\(\[\n(?: +this\.bindSocket\(this\.(\w+), cinfo\.\w+\),\n){5}/g),
    ];
    expect(binds).toHaveLength(1);
    const sockets = binds[0]?.[0]
      .match(/this\.bindSocket\(this\.(\w+)/g)
      ?.map((s) => s.slice("this.bindSocket(this.".length));
    expect(sockets).toEqual(["iopub", "shell", "control", "stdin", "hb"]);
    const firstLoop = installed.indexOf("__asyncValues(this.shell)");
    expect(firstLoop).toBeGreaterThan(0);
    expect(binds[0]?.index).toBeLessThan(firstLoop);
  });
});
