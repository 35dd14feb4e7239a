/**
 * `npm test` as the first command in a fresh clone (no node_modules, no dist, no .venv): its pretest
 * step installs the npm packages (as `npm start` does) before `npm run build` needs tsc; the notebook
 * tests' setup installs Jupyter into .venv (scripts/jupyter-env.cjs). Before, it stopped at
 * `sh: 1: tsc: not found`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(__filename);
const { ensureNpmPackages } = require("../scripts/ensure-packages.cjs") as {
  ensureNpmPackages(say: (text: string) => void, dir: string, npm: (args: string[]) => { status: number }): boolean;
};
const root = join(__dirname, "..");

describe("npm test in a fresh clone", () => {
  it("runs the package installer first (npm's pretest and pretest:unit steps)", () => {
    const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.pretest).toBe("node scripts/ensure-packages.cjs");
    expect(scripts["pretest:unit"]).toBe("node scripts/ensure-packages.cjs");
    expect(scripts.test?.startsWith("npm run build")).toBe(true); // which needs tsc from node_modules
  });

  it("installs with npm ci when a needed package is missing, and only then", () => {
    const dir = mkdtempSync(join(tmpdir(), "mgts-fresh-"));
    try {
      const said: string[] = [];
      const calls: string[][] = [];
      const npm = (args: string[]) => {
        calls.push(args);
        return { status: 0 };
      };
      expect(ensureNpmPackages((t) => said.push(t), dir, npm)).toBe(true);
      expect(calls).toEqual([["ci"]]);
      expect(said).toEqual(["installing npm packages (npm ci: typescript, vitest, tslab missing)…"]);
      for (const name of ["typescript", "vitest", "tslab"]) {
        mkdirSync(join(dir, "node_modules", name), { recursive: true });
        writeFileSync(join(dir, "node_modules", name, "package.json"), "{}");
      }
      expect(ensureNpmPackages((t) => said.push(t), dir, npm)).toBe(true);
      expect(calls).toHaveLength(1); // installed: nothing to do
      expect(
        ensureNpmPackages(
          () => {},
          mkdtempSync(join(tmpdir(), "mgts-fresh-")),
          () => ({ status: 1 }),
        ),
      ).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
