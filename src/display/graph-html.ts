/**
 * How a graph's SVG is shown in a notebook: the MIME bundle, and HTML that fits it to the output's width
 * (CSS only: untrusted notebooks and exports run no script).
 */
import { escapeHtml } from "./escape-html";

/**
 * @internal The MIME bundle a notebook gets: `text/html` with the SVG as an <img> data URI (shown by JupyterLab
 * even in untrusted notebooks, by classic Notebook, VS Code and nbconvert's HTML, whose cleaner would
 * empty an inline SVG), the raw `image/svg+xml` for front ends that prefer it, and a short `text/plain`.
 */
export function svgBundle(svg: string, description: string): Record<string, string> {
  return { "text/html": graphHtml(svg, description), "image/svg+xml": svg, "text/plain": description };
}

/** Half the natural size at the smallest: Graphviz's 14 pt labels stay ~9 px tall, still readable. */
export const GRAPH_MIN_SCALE = 0.5;

/**
 * Natural widths (CSS px) up to this fit an output of half of it (JupyterLab's beside its file browser
 * in a 1280 px window is ~830 px) at GRAPH_MIN_SCALE or more; wider graphs get an overview as well.
 */
export const GRAPH_FIT_WIDTH = 1600;

/** The tallest a graph is shown (CSS px) while it can shrink: taller outputs get folded into scroll boxes. */
export const GRAPH_MAX_HEIGHT = 600;

/**
 * @internal The graph as HTML, CSS only (untrusted notebooks and exports run no script). Up to
 * GRAPH_FIT_WIDTH: one picture scaled to fit the output, down to GRAPH_MIN_SCALE, in a scroll box for
 * narrower outputs. Wider: the whole graph scaled to fit (an overview, seen without scrolling) and,
 * under a <details> toggle, the same picture at a readable scale in a scroll box no taller than most of
 * the window, so that its horizontal scrollbar is in view with its top.
 */
export function graphHtml(svg: string, description: string): string {
  const src = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
  const alt = escapeHtml(description);
  const { width, height } = naturalSize(svg);
  const readable =
    `<div style="overflow:auto;max-height:75vh"><img src="${src}" alt="${alt}" title="${alt}" ` +
    `style="${graphImgStyle(width, height)}"></div>`;
  if (!(width > GRAPH_FIT_WIDTH)) return readable;
  return (
    `<img src="${src}" alt="${alt}" title="${alt}" style="display:block;max-width:100%;height:auto">` +
    `<details><summary style="cursor:pointer;font:13px sans-serif;color:#555">the graph at a readable ` +
    `size (${Math.round(width)} px wide: scrolls sideways)</summary>${readable}</details>`
  );
}

/** The SVG's width and height in CSS px (Graphviz gives pt; CSS draws 4/3 px per pt), NaN where absent. */
function naturalSize(svg: string): { width: number; height: number } {
  const tag = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const px = (name: string) => {
    const m = new RegExp(`\\s${name}="([\\d.]+)pt"`).exec(tag);
    return m ? (Number(m[1]) * 4) / 3 : Number.NaN;
  };
  return { width: px("width"), height: px("height") };
}

/**
 * @internal The readable picture's CSS: as wide as the output, never wider than its natural size (nor
 * than makes it GRAPH_MAX_HEIGHT tall), never narrower than GRAPH_MIN_SCALE of it (then its box scrolls).
 */
export function graphImgStyle(naturalPx: number, naturalHeightPx = Number.NaN): string {
  if (!(naturalPx > 0)) return "display:block;max-width:100%;height:auto";
  const px = (x: number) => `${Math.round(x)}px`;
  // A tall (top-to-bottom) graph is shown at most GRAPH_MAX_HEIGHT tall, down to GRAPH_MIN_SCALE:
  // Notebook 7 and nbconvert's export fold taller outputs into a scroll box.
  const scale = naturalHeightPx > GRAPH_MAX_HEIGHT ? Math.max(GRAPH_MIN_SCALE, GRAPH_MAX_HEIGHT / naturalHeightPx) : 1;
  const widest = scale * naturalPx;
  return `display:block;width:100%;max-width:${px(widest)};min-width:${px(GRAPH_MIN_SCALE * naturalPx)};height:auto`;
}
