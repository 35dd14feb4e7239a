/**
 * requirements-jupyter.txt bounds the Jupyter the lectures are tested with, from below and above, and the
 * check that picks a Python (scripts/jupyter-env.cjs) reads both bounds as pip does: a Python with a newer,
 * untested JupyterLab is passed over (npm test then installs the tested one into .venv).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

interface Requirement {
  name: string;
  minimum: string;
  below: string | null;
}
const jupyter = require("../scripts/jupyter-env.cjs") as {
  parseRequirements(text: string): Requirement[];
  unmetRequirements(requirements: Requirement[], have: Record<string, string | null>): string[];
};
const root = join(__dirname, "..");

describe("requirements-jupyter.txt", () => {
  const requirements = jupyter.parseRequirements(readFileSync(join(root, "requirements-jupyter.txt"), "utf8"));

  it("bounds every package from above, JupyterLab and Notebook below the next minor release", () => {
    expect(requirements.map((r) => `${r.name}>=${r.minimum},<${r.below}`)).toEqual([
      "jupyterlab>=4.0,<4.7",
      "notebook>=7.0,<7.7",
      "nbclient>=0.7,<1",
      "nbconvert>=7.0,<8",
      "nbformat>=5.7,<6",
    ]);
  });

  it("accepts the versions docs/COMPATIBILITY.md names as tested", () => {
    const tested = {
      jupyterlab: "4.6.4",
      notebook: "7.6.3",
      nbclient: "0.11.0",
      nbconvert: "7.17.1",
      nbformat: "5.10.4",
    };
    expect(jupyter.unmetRequirements(requirements, tested)).toEqual([]);
  });

  it("names what is missing, too old or at or above the bound", () => {
    const have = { jupyterlab: "4.7.0", notebook: "6.5.7", nbclient: "1.0.0rc1", nbconvert: null, nbformat: "5.7" };
    expect(jupyter.unmetRequirements(requirements, have)).toEqual([
      "jupyterlab 4.7.0 is not < 4.7",
      "notebook 6.5.7 < 7.0",
      "nbclient 1.0.0rc1 is not < 1",
      "nbconvert missing",
    ]);
  });

  it("refuses a line it cannot read instead of skipping it", () => {
    expect(() => jupyter.parseRequirements("jupyterlab~=4.6\n")).toThrow(
      'requirements-jupyter.txt: "jupyterlab~=4.6" is not name>=version or name>=version,<version',
    );
    expect(jupyter.parseRequirements("# a comment\n\nnotebook>=7.0 # no bound\n")).toEqual([
      { name: "notebook", minimum: "7.0", below: null },
    ]);
  });
});
