// Draws the README's graph pictures with the project's own drawDot (Graphviz WASM), from the built package:
//   npm run build && node docs/images/make-graph-images.mjs
// Writes graph-lecture.svg (the lecture's L = (a·b + c)·f after backward) and graph-mlp.svg (MLP(3, [4, 4, 1])
// on one input, clustered by neuron, grads marked); and graph-lecture.png and network-moons.png (drawNetwork
// of micrograd's demo network after its 100 steps, as notebook 5 ends) when Chromium is installed
// (/usr/bin/chromium, or CHROMIUM=path), by screenshotting the SVG at its natural size.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { lectureL } from "./lecture.mjs";

const require = createRequire(import.meta.url);
const { MLP, Value, demoMoons, drawDot, drawNetwork, maxMargin, seed } = require("../../dist/index.js");
const here = fileURLToPath(new URL(".", import.meta.url));

function lecture() {
  const L = lectureL();
  L.backward();
  return L;
}

function mlp() {
  seed(1337);
  const model = new MLP(3, [4, 4, 1]);
  const out = model.output([2.0, 3.0, -1.0]);
  out.label = "out";
  out.backward();
  return drawDot(out, { model, markGrads: true });
}

/** micrograd's demo network after its 100 steps (notebook 5's loop), drawn on the first point. */
function network() {
  seed(1337);
  const model = new MLP(2, [16, 16, 1]);
  const { X, y } = demoMoons();
  for (let k = 0; k < 100; k++) {
    const scores = X.map((row) => model.output(row.map((v) => new Value(v))));
    const loss = maxMargin(scores, y, { alpha: 1e-4, parameters: model.parameters() });
    model.zeroGrad();
    loss.backward();
    for (const p of model.parameters()) p.data -= (1.0 - (0.9 * k) / 100) * p.grad;
  }
  const title = "MLP(2, [16, 16, 1]): 337 parameters, after step 100/100";
  return drawNetwork(model, { input: X[0], title }).svg;
}

/** PNG of an SVG at its natural size (pt → px at 96 dpi), through headless Chromium. */
function png(svg, file) {
  const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) return false;
  const [, wPt, hPt] = /width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg) ?? [];
  const width = Math.ceil((Number(wPt) * 96) / 72);
  const height = Math.ceil((Number(hPt) * 96) / 72);
  const dir = mkdtempSync(join(tmpdir(), "graph-png-"));
  try {
    const page = join(dir, "page.html");
    const sized = svg.replace(/width="[\d.]+pt" height="[\d.]+pt"/, `width="${width}px" height="${height}px"`);
    writeFileSync(page, `<!doctype html><html><body style="margin:0;background:white">${sized}</body></html>`);
    execFileSync(
      chromium,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        `--user-data-dir=${join(dir, "profile")}`,
        `--window-size=${width},${height}`,
        `--screenshot=${file}`,
        `file://${page}`,
      ],
      { stdio: "ignore", timeout: 60_000 },
    );
    return existsSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { svg } = drawDot(lecture());
writeFileSync(join(here, "graph-lecture.svg"), `${svg}\n`);
writeFileSync(join(here, "graph-mlp.svg"), `${mlp().svg}\n`);
const madePng = png(svg, join(here, "graph-lecture.png")) && png(network(), join(here, "network-moons.png"));
console.log(
  `wrote graph-lecture.svg, graph-mlp.svg${madePng ? ", graph-lecture.png, network-moons.png" : " (no Chromium: no PNG)"}`,
);
