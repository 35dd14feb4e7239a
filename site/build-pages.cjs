// The site's pages: one per executed notebook (its markdown as HTML, its code cells with the outputs the
// kernel produced) and index.html, a contents page. Every page uses the shared files in assets/.
const fs = require("node:fs");
const path = require("node:path");
const MarkdownIt = require("markdown-it");
const { describeLecture } = require("../scripts/lectures-index.cjs");

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sourceOf = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));

/** The notebooks' markdown is ours, and may hold HTML (e.g. <details> around an exercise's solution). */
const markdown = new MarkdownIt({ html: true });

/** A link to another lecture's .ipynb goes to its page instead. */
function renderMarkdown(text, pages) {
  const html = markdown.render(text);
  return html.replace(/href="([^"#?]+)\.ipynb(#[^"]*)?"/g, (whole, name, hash = "") =>
    pages.has(`${path.basename(name)}.ipynb`) ? `href="${path.basename(name)}.html${hash}"` : whole,
  );
}

/**
 * The outputs as the page shows them, lighter: each display keeps only what the page draws from it (a
 * chart's JSON, else the HTML, else the SVG) and its text/plain, and plotly.js itself (which loadPlotly
 * put into the notebook, ~4.8 MB per notebook) is dropped: the page loads the site's one copy.
 */
function pageOutputs(outputs, plotlyHead) {
  return outputs.map((o) => {
    if (o.output_type === "stream" || o.output_type === "error") return o;
    const data = o.data ?? {};
    const html = [].concat(data["text/html"] ?? []).join("");
    const kept = { "text/plain": data["text/plain"] ?? "" };
    if (data["application/vnd.plotly.v1+json"])
      kept["application/vnd.plotly.v1+json"] = data["application/vnd.plotly.v1+json"];
    else if (html.includes(plotlyHead)) kept["text/html"] = "";
    else if (html !== "") kept["text/html"] = html;
    else if (data["image/svg+xml"]) kept["image/svg+xml"] = data["image/svg+xml"];
    return { output_type: "display_data", data: kept };
  });
}

/** JSON inside <script type="application/json">: nothing in it can end the element. */
const scriptJson = (value) => JSON.stringify(value).replace(/</g, "\\u003c");

function lecturePage(nb, name, title, pages, plotlyHead) {
  const data = { name: name.replace(/\.ipynb$/, ""), cells: [] };
  const parts = nb.cells.map((cell, index) => {
    const source = sourceOf(cell);
    if (cell.cell_type === "markdown") {
      return `<section class="mgts-markdown" data-markdown-cell="${index}">${renderMarkdown(source, pages)}</section>`;
    }
    if (cell.cell_type !== "code") return `<section class="mgts-raw"><pre>${escapeHtml(source)}</pre></section>`;
    const count = cell.execution_count ?? null;
    data.cells.push({ index, source, outputs: pageOutputs(cell.outputs ?? [], plotlyHead), executionCount: count });
    return (
      `<section class="mgts-code" data-cell="${index}">` +
      `<div class="mgts-cell-head"><span class="mgts-count">[${count ?? " "}]:</span>` +
      `<button type="button" data-action="run" title="Run this cell (Shift+Enter in its editor)">Run</button></div>` +
      `<div class="mgts-editor"><pre class="mgts-source">${escapeHtml(source)}</pre></div>` +
      `<div class="mgts-output" data-output></div></section>`
    );
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · micrograd-ts</title>
<link rel="stylesheet" href="assets/site.css">
<script src="assets/plotly.min.js" defer></script>
<script src="assets/page.js" defer></script>
</head>
<body data-state="loading">
<header class="mgts-toolbar">
<a class="mgts-home" href="index.html">micrograd-ts</a>
<span class="mgts-title">${escapeHtml(name.replace(/\.ipynb$/, ""))}</span>
<button type="button" data-action="run-all" title="Run every code cell from the top">Run all</button>
<button type="button" data-action="stop" title="Stop the running cell (the cells' variables are lost)" disabled>Stop</button>
<button type="button" data-action="reset" title="Back to the notebook's own code and outputs">Reset</button>
<span class="mgts-status" aria-live="polite">This page runs its code in your browser: it needs JavaScript.</span>
</header>
<main>
${parts.join("\n")}
</main>
<script type="application/json" id="mgts-notebook">${scriptJson(data)}</script>
</body>
</html>
`;
}

function indexPage(lectures) {
  const items = lectures.map(
    ({ html, title, summary }) =>
      `<li><a href="${encodeURI(html)}">${escapeHtml(title)}</a><p>${escapeHtml(summary)}</p></li>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>micrograd-ts: the lectures, runnable in your browser</title>
<link rel="stylesheet" href="assets/site.css">
</head>
<body class="mgts-index">
<main>
<h1>micrograd-ts: the lectures, runnable in your browser</h1>
<p>Andrej Karpathy's micrograd rebuilt in TypeScript, following his lecture <em>The spelled-out intro to
neural networks and backpropagation: building micrograd</em>. Each page is a notebook with the outputs it
printed in Jupyter; edit any code cell and run it here, with nothing installed: the code runs in your
browser, offline.</p>
<ol>
${items.join("\n")}
</ol>
</main>
</body>
</html>
`;
}

/**
 * Writes outDir/NN-name.html for each executed notebook in `executed` ([{ name, file }]) and
 * outDir/index.html; returns the pages written with their sizes in bytes.
 */
function buildPages(executed, outDir) {
  const plotlyPath = path.join(__dirname, "..", "node_modules", "plotly.js-dist-min", "plotly.min.js");
  const plotlyHead = fs.readFileSync(plotlyPath, "utf8").slice(0, 200); // recognises an embedded copy
  const pages = new Set(executed.map((e) => e.name));
  const sizes = {};
  const lectures = [];
  for (const { name, file } of executed) {
    const nb = JSON.parse(fs.readFileSync(file, "utf8"));
    const html = name.replace(/\.ipynb$/, ".html");
    const { title, summary } = describeLecture(file);
    const text = lecturePage(nb, name, title, pages, plotlyHead);
    fs.writeFileSync(path.join(outDir, html), text);
    sizes[html] = Buffer.byteLength(text);
    lectures.push({ html, title, summary });
  }
  const index = indexPage(lectures);
  fs.writeFileSync(path.join(outDir, "index.html"), index);
  sizes["index.html"] = Buffer.byteLength(index);
  return sizes;
}

module.exports = { buildPages };
