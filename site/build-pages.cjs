// The site's pages: one per notebook (its markdown as HTML with anchored headings and a contents list,
// its code cells with the outputs of an executed copy when there is one), linked in order by
// previous/next links, and index.html, a contents page. Every page uses the shared files in assets/.
const fs = require("node:fs");
const path = require("node:path");
const MarkdownIt = require("markdown-it");
const markdownItAnchor = require("markdown-it-anchor");
const { describeLecture } = require("../scripts/lectures-index.cjs");

const root = path.resolve(__dirname, "..");
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sourceOf = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));

/** A heading's id: its words in lower case joined by hyphens (ASCII, so that a #link needs no escaping). */
const slugify = (text) =>
  text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "section";

/**
 * The notebooks' markdown is ours, and may hold HTML (e.g. <details> around an exercise's solution).
 * Each heading gets an id and a ¶ link to itself (markdown-it-anchor); `env.headings` collects them.
 */
const markdown = new MarkdownIt({ html: true }).use(markdownItAnchor, {
  slugify,
  permalink: markdownItAnchor.permalink.linkInsideHeader({ symbol: "¶", placement: "after", class: "mgts-anchor" }),
  callback: (token, { slug, title }) => {
    markdown.lastEnv?.headings.push({ level: Number(token.tag.slice(1)), slug, title });
  },
});

/**
 * Where a link to a repository file that is not a page goes: the file on GitHub when the repository is
 * known (package.json's "repository", or the Actions run's GITHUB_REPOSITORY), else a copy of the file
 * in the site (repo/<path>), so that it opens offline too.
 */
function repositoryBase() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const url = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  if (url) return `${url.replace(/^git\+/, "").replace(/\.git$/, "")}/blob/HEAD/`;
  if (process.env.GITHUB_REPOSITORY)
    return `${process.env.GITHUB_SERVER_URL ?? "https://github.com"}/${process.env.GITHUB_REPOSITORY}/blob/${process.env.GITHUB_SHA ?? "HEAD"}/`;
  return null;
}

/**
 * Links between notebooks go to their pages (`NN-name.ipynb`, also when only named in code marks);
 * relative links to other repository files go where repositoryBase says (copied into outDir/repo/ when
 * needed, recorded in `copied`). A link to a file that does not exist fails the build.
 */
function rewriteLinks(html, pages, outDir, copied) {
  const base = repositoryBase();
  const linked = html.replace(/href="([^"#?:]+)(#[^"]*)?"/g, (_whole, target, hash = "") => {
    const name = path.basename(target);
    if (target.endsWith(".ipynb") && pages.has(name)) return `href="${name.replace(/\.ipynb$/, ".html")}${hash}"`;
    const file = path.resolve(root, "notebooks", decodeURI(target));
    const relative = path.relative(root, file);
    if (relative.startsWith("..") || !fs.existsSync(file))
      throw new Error(`a notebook links to ${target}, which is not in the repository`);
    if (base !== null) return `href="${base}${relative.split(path.sep).join("/")}${hash}"`;
    const copy = path.join(outDir, "repo", relative);
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(file, copy);
    copied.add(path.relative(outDir, copy));
    return `href="repo/${relative.split(path.sep).join("/")}${hash}"`;
  });
  // `03-engine-testing.ipynb` named in code marks, outside a link, becomes a link to its page.
  return linked.replace(/(<a\b[^>]*>.*?<\/a>)|<code>(\d\d-[\w-]+)\.ipynb<\/code>/gs, (whole, link, name) =>
    link === undefined && pages.has(`${name}.ipynb`) ? `<a href="${name}.html"><code>${name}.ipynb</code></a>` : whole,
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

/** The type-along mark of a cell (TYPE-ALONG-CONTRACT.md), or null. */
const typeAlongOf = (cell) => cell.metadata?.["micrograd-ts"]?.["type-along"] ?? null;

/** Previous/next links (rel=prev, rel=next) and the contents page. */
function pagerHtml(prev, next) {
  const link = (page, rel, arrow) =>
    page === null
      ? `<span class="mgts-${rel}"></span>`
      : `<a rel="${rel}" class="mgts-${rel}" href="${encodeURI(page.html)}">${arrow} ${escapeHtml(page.title)}</a>`;
  return (
    `<nav class="mgts-pager" aria-label="Lectures in order">` +
    `${link(prev, "prev", "←")}<a href="index.html">All lectures</a>${link(next, "next", "→")}</nav>`
  );
}

function contentsHtml(headings) {
  const items = headings
    .filter((h) => h.level >= 2 && h.level <= 3)
    .map((h) => `<li class="mgts-toc-${h.level}"><a href="#${h.slug}">${escapeHtml(h.title)}</a></li>`);
  if (items.length === 0) return "";
  return `<details class="mgts-toc" open><summary>Contents</summary><ul>${items.join("")}</ul></details>`;
}

function lecturePage({ nb, executed, name, title, prev, next }, pages, plotlyHead, outDir, copied) {
  const stem = name.replace(/\.ipynb$/, "");
  const env = { headings: [] };
  const ran = executed?.cells ?? [];
  const data = {
    name: stem,
    metadata: { kernelspec: nb.metadata?.kernelspec, language_info: nb.metadata?.language_info },
    cells: [],
  };
  const parts = nb.cells.map((cell, index) => {
    const source = sourceOf(cell);
    const id = cell.id ?? `cell-${index}`;
    if (cell.cell_type === "markdown") {
      markdown.lastEnv = env;
      const html = rewriteLinks(markdown.render(source, env), pages, outDir, copied);
      data.cells.push({ index, type: "markdown", id, source });
      return `<section class="mgts-markdown" data-markdown-cell="${index}">${html}</section>`;
    }
    if (cell.cell_type !== "code") {
      data.cells.push({ index, type: "raw", id, source });
      return `<section class="mgts-raw"><pre>${escapeHtml(source)}</pre></section>`;
    }
    // The executed copy's outputs, when that cell's code is the notebook's (else they would be stale).
    const twin = ran[index];
    const same = twin !== undefined && twin.cell_type === "code" && sourceOf(twin) === source;
    const count = same ? (twin.execution_count ?? null) : null;
    const outputs = same ? pageOutputs(twin.outputs ?? [], plotlyHead) : [];
    const typeAlong = typeAlongOf(cell);
    data.cells.push({
      index,
      type: "code",
      id,
      source,
      outputs,
      executionCount: count,
      typeAlong,
      tags: cell.metadata?.tags,
    });
    return (
      `<section class="mgts-code" data-cell="${index}"${typeAlong ? " data-type-along" : ""}>` +
      `<div class="mgts-cell-head"><span class="mgts-count">[${count ?? " "}]:</span>` +
      `<button type="button" data-action="run" title="Run this cell (Shift+Enter in its editor)">Run</button></div>` +
      `<div class="mgts-editor"><pre class="mgts-source">${escapeHtml(source)}</pre></div>` +
      `<div class="mgts-output" data-output></div></section>`
    );
  });
  const pager = pagerHtml(prev, next);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · micrograd-ts</title>
<link rel="stylesheet" href="assets/site.css">
${prev ? `<link rel="prev" href="${encodeURI(prev.html)}">\n` : ""}${next ? `<link rel="next" href="${encodeURI(next.html)}">\n` : ""}<script src="assets/plotly.min.js" defer></script>
<script src="assets/page.js" defer></script>
</head>
<body data-state="loading">
<header class="mgts-toolbar">
<a class="mgts-home" href="index.html" title="All lectures">micrograd-ts</a>
<span class="mgts-title">${escapeHtml(stem)}</span>
<span class="mgts-buttons">
<button type="button" data-action="run-all" title="Run every code cell from the top">Run all</button>
<button type="button" data-action="stop" title="Stop the running cell (the cells' variables are lost)" disabled>Stop</button>
<button type="button" data-action="reset" title="Back to the notebook's own code and outputs (asks first)">Reset</button>
<button type="button" data-action="download" title="Save this page, with your code, as ${escapeHtml(name)}">Download</button>
</span>
<span class="mgts-status" aria-live="polite">This page runs its code in your browser: it needs JavaScript.</span>
</header>
<main>
${pager}
${contentsHtml(env.headings)}
${parts.join("\n")}
${pager}
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
  const first = lectures[0];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>micrograd-ts: the lectures, runnable in your browser</title>
<link rel="stylesheet" href="assets/site.css">
${first ? `<link rel="next" href="${encodeURI(first.html)}">\n` : ""}</head>
<body class="mgts-index">
<main>
<h1>micrograd-ts: the lectures, runnable in your browser</h1>
<p>Andrej Karpathy's micrograd rebuilt in TypeScript, following his lecture <em>The spelled-out intro to
neural networks and backpropagation: building micrograd</em>. Each page is a notebook you can work in:
edit any code cell and run it here, with nothing installed (the code runs in your browser, offline); your
edits are kept in this browser, and <strong>Download</strong> saves a page as a notebook for Jupyter.</p>
<ol>
${items.join("\n")}
</ol>
${first ? `<nav class="mgts-pager" aria-label="Lectures in order"><span class="mgts-prev"></span><a rel="next" class="mgts-next" href="${encodeURI(first.html)}">Start: ${escapeHtml(first.title)} →</a></nav>` : ""}
</main>
</body>
</html>
`;
}

/**
 * Writes outDir/NN-name.html for each notebook in `notebooks` ([{ name, file, executed }]: the source
 * notebook and its executed copy or null) and outDir/index.html; returns the files written with their
 * sizes in bytes.
 */
function buildPages(notebooks, outDir) {
  const plotlyPath = path.join(root, "node_modules", "plotly.js-dist-min", "plotly.min.js");
  const plotlyHead = fs.readFileSync(plotlyPath, "utf8").slice(0, 200); // recognises an embedded copy
  const pages = new Set(notebooks.map((n) => n.name));
  const read = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
  const lectures = notebooks.map(({ name, file, executed }) => ({
    name,
    html: name.replace(/\.ipynb$/, ".html"),
    nb: read(file),
    executed: executed === null ? null : read(executed),
    ...describeLecture(file),
  }));
  const sizes = {};
  const copied = new Set();
  for (const [i, lecture] of lectures.entries()) {
    const prev = lectures[i - 1] ?? null;
    const text = lecturePage({ ...lecture, prev, next: lectures[i + 1] ?? null }, pages, plotlyHead, outDir, copied);
    fs.writeFileSync(path.join(outDir, lecture.html), text);
    sizes[lecture.html] = Buffer.byteLength(text);
  }
  const index = indexPage(lectures);
  fs.writeFileSync(path.join(outDir, "index.html"), index);
  sizes["index.html"] = Buffer.byteLength(index);
  for (const file of copied) sizes[file] = fs.statSync(path.join(outDir, file)).size;
  return sizes;
}

module.exports = { buildPages, slugify };
