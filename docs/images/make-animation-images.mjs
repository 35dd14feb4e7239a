// Draws the README's backward-pass picture with the project's own animateBackward, from the built package:
//   npm run build && node docs/images/make-animation-images.mjs
// Captures the exact output a notebook gets from animateBackward(L, { view: "steps" }) (the lecture's
// L = (a·b + c)·f, every step side by side) and screenshots it in headless Chromium (/usr/bin/chromium, or
// CHROMIUM=path) to backward-steps.png; and live-graph.svg, the last picture of liveTraining's graph option
// in notebook 4 (the lecture's MLP(3, [4, 4, 1]) after 100 steps, the graph of its first sample).

import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { lectureL } from "./lecture.mjs";

const require = createRequire(import.meta.url);
const {
  MLP,
  animateBackward,
  lectureData,
  liveTraining,
  renderSvg,
  seed,
  squaredError,
} = require("../../dist/index.js");
const { setDisplayWriter } = require("../../dist/display/notebook.js");
const { chromium } = require("playwright-core");
const here = fileURLToPath(new URL(".", import.meta.url));

const lecture = lectureL;

const outputs = [];
setDisplayWriter((message) => outputs.push(message.data));
animateBackward(lecture(), { view: "steps" });
setDisplayWriter(null);
if (outputs.length !== 1) throw new Error(`expected one output, got ${outputs.length}`);
const html = outputs[0]["text/html"];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: 1.5 });
  await page.setContent(
    `<!doctype html><html><body style="margin:12px;background:white"><main>${html}</main></body></html>`,
  );
  await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
  await page.locator("main").screenshot({ path: join(here, "backward-steps.png") });
} finally {
  await browser.close();
}

// notebook 4's last section, outside a notebook: the same training, then the graph's DOT, rendered
seed(1337);
const model = MLP.lecture(3, [4, 4, 1]);
const { xs, ys } = lectureData();
const live = liveTraining({ steps: 100, write: () => {}, graph: { model, input: xs[0], target: ys[0] } });
for (let k = 0; k < 100; k++) {
  const loss = squaredError(
    xs.map((x) => model.output(x)),
    ys,
  );
  model.zeroGrad();
  loss.backward();
  for (const p of model.parameters()) p.data += -0.05 * p.grad;
  live.update({ step: k, loss: loss.data });
}
writeFileSync(join(here, "live-graph.svg"), `${renderSvg(live.graphDot())}\n`);
console.log("wrote backward-steps.png, live-graph.svg");
