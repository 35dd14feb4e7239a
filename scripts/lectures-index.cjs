// Writes <outDir>/index.html: the contents page of the executed lectures, one link each with a sentence
// on what it teaches, self-contained (inline CSS, relative links) so that it opens from disk offline and
// can be published as static pages. Lectures are found by glob, so a new notebooks/NN-*.ipynb joins.
const fs = require("node:fs");
const path = require("node:path");
const { root, lectureNames } = require("./jupyter-env.cjs");

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Markdown to plain text, enough for a heading and a sentence: links, emphasis and code marks dropped. */
const plain = (md) =>
  md
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();

/**
 * Title and summary of a lecture: the first markdown heading, and `metadata.micrograd_ts.summary` or
 * else the first sentence of the first paragraph after the heading.
 */
function describeLecture(file) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const source = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));
  const first = source(nb.cells.find((c) => c.cell_type === "markdown") ?? { source: "" });
  const heading = first.match(/^#+\s+(.+)$/m);
  const title = heading ? plain(heading[1]) : path.basename(file, ".ipynb");
  const paragraph = first
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith("#"));
  const summary =
    nb.metadata?.micrograd_ts?.summary ??
    (paragraph ? (plain(paragraph).match(/^.*?[.!?](\s|$)/)?.[0] ?? plain(paragraph)).trim() : "");
  return { title, summary };
}

/** Writes outDir/index.html for the lectures whose executed NN-name.html is in outDir; returns its path. */
function writeLecturesIndex(outDir) {
  const items = lectureNames()
    .map((name) => ({ name, html: name.replace(/\.ipynb$/, ".html") }))
    .filter(({ html }) => fs.existsSync(path.join(outDir, html)))
    .map(({ name, html }) => {
      const { title, summary } = describeLecture(path.join(root, "notebooks", name));
      return (
        `<li><a href="${encodeURI(html)}">${escapeHtml(title)}</a>` +
        `<p>${escapeHtml(summary)}</p>` +
        `<p class="files"><a href="${encodeURI(html)}">${escapeHtml(html)}</a> · executed notebook: ` +
        `<a href="${encodeURI(name)}">${escapeHtml(name)}</a></p></li>`
      );
    });
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>micrograd-ts: the lectures</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
ol { padding-left: 1.25rem; }
li { margin: 1.1rem 0; }
li > a { font-size: 1.15rem; font-weight: 600; }
li p { margin: .2rem 0; }
.files { font-size: .85rem; color: #666; }
.files a { color: #666; }
</style>
</head>
<body>
<h1>micrograd-ts: the lectures</h1>
<p>Andrej Karpathy's micrograd rebuilt in TypeScript, following his lecture <em>The spelled-out intro to
neural networks and backpropagation: building micrograd</em>. Each page below is a notebook as it ran,
with every output, graph and chart; the pages work offline, and the executed notebooks open in Jupyter
with the TypeScript kernel tslab. The exercises are shown as a learner finds them: every check says
WRONG! until it is solved, and each solution is a closed block under its exercise.</p>
<ol>
${items.join("\n")}
</ol>
</body>
</html>
`;
  const file = path.join(outDir, "index.html");
  fs.writeFileSync(file, page);
  return file;
}

module.exports = { writeLecturesIndex, describeLecture };
