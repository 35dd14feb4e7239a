/**
 * A static SVG drawing of a figure, for the views that run no JavaScript (GitHub's notebook view, an
 * untrusted notebook, an HTML export with scripts off): it sits under the interactive chart's caption
 * and plotly.js replaces it when it runs. It draws what this project's helpers build, scatter lines
 * and markers and filled contours, with axes, ticks, titles and a legend; other trace types are left
 * out (the caption names them). Not a Plotly clone: a faithful sketch of the same data.
 */
import { extent } from "../internal/math";
import { escapeHtml } from "./escape-html";
import type { Axis, ContourTrace, Figure, ScatterTrace } from "./figure-types";

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
const FONT = "font-family:'Open Sans',Arial,sans-serif";

interface Scale {
  lo: number;
  hi: number;
  log: boolean;
  /** value → pixel */
  at(v: number): number;
}

/** The figure as an SVG document (no XML declaration), `layout.width` (default 700) × `layout.height` (400). */
export function figureSvg(figure: Figure): string {
  const layout = figure.layout ?? {};
  const width = layout.width ?? 700;
  const height = layout.height ?? 400;
  const scatters = figure.data.filter((t): t is ScatterTrace => t.type === "scatter");
  const contours = figure.data.filter((t): t is ContourTrace => t.type === "contour");
  const legend = layout.showlegend !== false ? scatters.filter((t) => t.name !== undefined) : [];
  const showLegend = legend.length > 1 || (legend.length === 1 && layout.showlegend === true);
  const m = { l: 60, r: 30, t: 50, b: 50, ...(layout.margin ?? {}) };
  const legendWidth = showLegend && layout.yaxis2 === undefined ? 110 : 0;
  const box = { x0: m.l, x1: width - m.r - legendWidth, y0: m.t, y1: height - m.b };

  const onY2 = (t: ScatterTrace) => t.yaxis === "y2";
  const padded = scatters.some((t) => t.mode !== "lines");
  const xs = [...scatters.flatMap((t) => t.x), ...contours.flatMap((c) => c.x)];
  const ys = [...scatters.filter((t) => !onY2(t)).flatMap((t) => t.y), ...contours.flatMap((c) => c.y)];
  const y2s = scatters.filter(onY2).flatMap((t) => t.y);
  const padX = padded && contours.length === 0;
  const sx = scale(layout.xaxis, xs, box.x0, box.x1, padX);
  const sy = scale(layout.yaxis, ys, box.y1, box.y0, true);
  const sy2 = y2s.length > 0 ? scale(layout.yaxis2, y2s, box.y1, box.y0, true) : null;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" style="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><clipPath id="plot-area"><rect x="${box.x0}" y="${box.y0}" width="${box.x1 - box.x0}" height="${box.y1 - box.y0}"/></clipPath></defs>`,
  );
  // grid lines and tick labels
  for (const t of ticks(sx, layout.xaxis)) {
    const x = f(sx.at(t.value));
    out.push(`<line x1="${x}" x2="${x}" y1="${box.y0}" y2="${box.y1}" stroke="#eeeeee"/>`);
    out.push(text(x, box.y1 + 16, t.label, "middle", 12));
  }
  for (const t of ticks(sy, layout.yaxis)) {
    const y = sy.at(t.value);
    out.push(`<line x1="${box.x0}" x2="${box.x1}" y1="${f(y)}" y2="${f(y)}" stroke="#eeeeee"/>`);
    out.push(text(box.x0 - 6, y + 4, t.label, "end", 12));
  }
  if (sy2) {
    for (const t of ticks(sy2, layout.yaxis2)) out.push(text(box.x1 + 6, sy2.at(t.value) + 4, t.label, "start", 12));
  }
  out.push(`<g clip-path="url(#plot-area)">`);
  for (const c of contours) out.push(contourSvg(c, sx, sy));
  // zero lines over the contours, under the data, as Plotly
  if (layout.xaxis?.zeroline !== false && !sx.log && sx.lo < 0 && sx.hi > 0) {
    out.push(`<line x1="${f(sx.at(0))}" x2="${f(sx.at(0))}" y1="${box.y0}" y2="${box.y1}" stroke="#444444"/>`);
  }
  if (layout.yaxis?.zeroline !== false && !sy.log && sy.lo < 0 && sy.hi > 0) {
    out.push(`<line x1="${box.x0}" x2="${box.x1}" y1="${f(sy.at(0))}" y2="${f(sy.at(0))}" stroke="#444444"/>`);
  }
  scatters.forEach((t, i) => {
    out.push(scatterSvg(t, sx, onY2(t) && sy2 ? sy2 : sy, color(t, i)));
  });
  out.push("</g>");
  out.push(`<line x1="${box.x0}" x2="${box.x1}" y1="${box.y1}" y2="${box.y1}" stroke="#444444"/>`);
  out.push(`<line x1="${box.x0}" x2="${box.x0}" y1="${box.y0}" y2="${box.y1}" stroke="#444444"/>`);
  // titles
  const title = layout.title?.text;
  if (title) out.push(text(width / 2, Math.max(20, m.t / 2 + 6), title, "middle", 17, "#444444"));
  const xTitle = layout.xaxis?.title?.text;
  if (xTitle) out.push(text((box.x0 + box.x1) / 2, height - 10, xTitle, "middle", 14));
  const yTitle = layout.yaxis?.title?.text;
  if (yTitle) out.push(text(16, (box.y0 + box.y1) / 2, yTitle, "middle", 14, "#444444", -90));
  const y2Title = layout.yaxis2?.title?.text;
  if (y2Title && sy2) out.push(text(width - 12, (box.y0 + box.y1) / 2, y2Title, "middle", 14, "#444444", -90));
  if (showLegend) out.push(legendSvg(legend, scatters, box, legendWidth));
  out.push("</svg>");
  return out.join("");
}

/** The SVG as a data URI, for an `<img>` inside text/html (renders in untrusted notebooks too). */
export function figureSvgDataUri(figure: Figure): string {
  return `data:image/svg+xml;base64,${Buffer.from(figureSvg(figure), "utf8").toString("base64")}`;
}

function scale(axis: Axis | undefined, values: number[], p0: number, p1: number, pad: boolean): Scale {
  const log = axis?.type === "log" && values.every((v) => v > 0);
  const tr = (v: number) => (log ? Math.log10(v) : v);
  let lo: number;
  let hi: number;
  if (axis?.range) {
    [lo, hi] = axis.range; // Plotly gives a log axis' range in log10 units
  } else {
    lo = Number.POSITIVE_INFINITY;
    hi = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      const t = tr(v);
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    if (pad) {
      const d = 0.05 * (hi - lo);
      [lo, hi] = [lo - d, hi + d];
    }
  }
  return { lo, hi, log, at: (v) => p0 + ((tr(v) - lo) / (hi - lo)) * (p1 - p0) };
}

function ticks(s: Scale, axis: Axis | undefined): { value: number; label: string }[] {
  const fmt = (v: number) => (axis?.tickformat === ".0%" ? `${Math.round(v * 100)}%` : short(v));
  const tickvals = axis?.tickvals;
  if (Array.isArray(tickvals)) {
    return (tickvals as number[]).filter((v) => v >= s.lo && v <= s.hi).map((v) => ({ value: v, label: fmt(v) }));
  }
  if (s.log) {
    const out = [];
    for (let e = Math.ceil(s.lo); e <= Math.floor(s.hi); e++) out.push({ value: 10 ** e, label: short(10 ** e) });
    if (out.length >= 2) return out;
  }
  const span = s.hi - s.lo;
  const raw = span / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((k) => k * mag >= raw) ?? 10) * mag;
  const out = [];
  for (let v = Math.ceil(s.lo / step) * step; v <= s.hi + step * 1e-9; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : v;
    out.push({ value: s.log ? 10 ** value : value, label: s.log ? short(10 ** value) : fmt(value) });
  }
  return out;
}

function scatterSvg(t: ScatterTrace, sx: Scale, sy: Scale, stroke: string): string {
  const out: string[] = [];
  if (t.mode !== "markers") {
    const d = t.x.map((x, i) => `${i === 0 ? "M" : "L"}${f(sx.at(x))},${f(sy.at(t.y[i] as number))}`).join("");
    const dash =
      t.line?.dash === "dot" ? ' stroke-dasharray="2,3"' : t.line?.dash === "dash" ? ' stroke-dasharray="7,4"' : "";
    out.push(`<path d="${d}" fill="none" stroke="${attr(stroke)}" stroke-width="${t.line?.width ?? 2}"${dash}/>`);
  }
  if (t.mode !== "lines") {
    const r = (t.marker?.size ?? 6) / 2;
    const edge = t.marker?.line?.color
      ? ` stroke="${attr(t.marker.line.color)}" stroke-width="${t.marker.line.width ?? 1}"`
      : "";
    out.push(`<g fill="${attr(t.marker?.color ?? stroke)}"${edge}>`);
    t.x.forEach((x, i) => out.push(`<circle cx="${f(sx.at(x))}" cy="${f(sy.at(t.y[i] as number))}" r="${r}"/>`));
    out.push("</g>");
  }
  return out.join("");
}

/**
 * Filled contours: the lowest band's colour over the whole grid, then for each level the region
 * z ≥ level, cell by cell (each cell's corners above the level plus the points where its edges cross
 * it, by linear interpolation, as marching squares).
 */
function contourSvg(c: ContourTrace, sx: Scale, sy: Scale): string {
  const [zmin, zmax] = extent(c.z.flat());
  const { start, end, size } = c.contours ?? {};
  const levels: number[] = [];
  if (start !== undefined && end !== undefined && size !== undefined && size > 0) {
    for (let l = start; l <= end + size * 1e-9; l += size) levels.push(l);
  } else {
    for (let k = 1; k < 10; k++) levels.push(zmin + ((zmax - zmin) * k) / 10);
  }
  const scaleColors = c.colorscale ?? [
    [0, "#440154"],
    [1, "#fde725"],
  ];
  const bandColor = (band: number) => pick(scaleColors, levels.length === 0 ? 0 : band / levels.length);
  const opacity = c.opacity ?? 1;
  const out = [`<g opacity="${opacity}">`];
  const x0 = sx.at(c.x[0] as number);
  const x1 = sx.at(c.x[c.x.length - 1] as number);
  const y0 = sy.at(c.y[0] as number);
  const y1 = sy.at(c.y[c.y.length - 1] as number);
  out.push(
    `<rect x="${f(Math.min(x0, x1))}" y="${f(Math.min(y0, y1))}" width="${f(Math.abs(x1 - x0))}" height="${f(Math.abs(y1 - y0))}" fill="${attr(bandColor(0))}"/>`,
  );
  levels.forEach((level, k) => {
    const fill = attr(bandColor(k + 1));
    const polys: string[] = [];
    for (let j = 0; j + 1 < c.y.length; j++) {
      for (let i = 0; i + 1 < c.x.length; i++) {
        const corners: [number, number][] = [
          [i, j],
          [i + 1, j],
          [i + 1, j + 1],
          [i, j + 1],
        ];
        const zs = corners.map(([a, b]) => (c.z[b] as number[])[a] as number);
        if (zs.every((z) => z < level)) continue;
        const pts: string[] = [];
        corners.forEach(([a, b], q) => {
          const [a2, b2] = corners[(q + 1) % 4] as [number, number];
          const za = zs[q] as number;
          const zb = zs[(q + 1) % 4] as number;
          const px = (u: number, v: number) => `${f(sx.at(u))},${f(sy.at(v))}`;
          if (za >= level) pts.push(px(c.x[a] as number, c.y[b] as number));
          if (za >= level !== zb >= level) {
            const s = (level - za) / (zb - za);
            const u = (c.x[a] as number) + s * ((c.x[a2] as number) - (c.x[a] as number));
            const v = (c.y[b] as number) + s * ((c.y[b2] as number) - (c.y[b] as number));
            pts.push(px(u, v));
          }
        });
        polys.push(`M${pts.join("L")}Z`);
      }
    }
    // a thin stroke of the same colour hides the hairlines between neighbouring cells
    if (polys.length > 0) out.push(`<path d="${polys.join("")}" fill="${fill}" stroke="${fill}" stroke-width="0.6"/>`);
  });
  out.push("</g>");
  return out.join("");
}

function legendSvg(
  legend: ScatterTrace[],
  all: ScatterTrace[],
  box: { x0: number; x1: number; y0: number; y1: number },
  legendWidth: number,
): string {
  const x = legendWidth > 0 ? box.x1 + 16 : box.x1 - 120;
  const y = legendWidth > 0 ? box.y0 : (box.y0 + box.y1) / 2 - legend.length * 10;
  const out = [`<g>`];
  if (legendWidth === 0) {
    out.push(
      `<rect x="${x - 6}" y="${y - 4}" width="118" height="${legend.length * 20 + 6}" fill="#ffffff" fill-opacity="0.8"/>`,
    );
  }
  legend.forEach((t, i) => {
    const cy = y + 10 + 20 * i;
    const stroke = color(t, all.indexOf(t));
    if (t.mode === "markers") {
      const edge = t.marker?.line?.color ? ` stroke="${attr(t.marker.line.color)}"` : "";
      out.push(`<circle cx="${x + 15}" cy="${cy}" r="4" fill="${attr(t.marker?.color ?? stroke)}"${edge}/>`);
    } else {
      const dash = t.line?.dash === "dot" ? ' stroke-dasharray="2,3"' : "";
      out.push(
        `<line x1="${x}" x2="${x + 30}" y1="${cy}" y2="${cy}" stroke="${attr(stroke)}" stroke-width="2"${dash}/>`,
      );
    }
    out.push(text(x + 38, cy + 4, t.name ?? "", "start", 12));
  });
  out.push("</g>");
  return out.join("");
}

function color(t: ScatterTrace, i: number): string {
  return t.line?.color ?? t.marker?.color ?? (PALETTE[i % PALETTE.length] as string);
}

/** The colour of a Plotly colorscale at position p in [0, 1] (the nearest stop: our scales are 2-colour). */
function pick(colorscale: [number, string][], p: number): string {
  let best = colorscale[0] as [number, string];
  for (const stop of colorscale) if (Math.abs(stop[0] - p) < Math.abs(best[0] - p)) best = stop;
  return best[1];
}

function text(
  x: number | string,
  y: number,
  s: string,
  anchor: "start" | "middle" | "end",
  size: number,
  fill = "#444444",
  rotate = 0,
): string {
  const px = typeof x === "number" ? f(x) : x;
  const turn = rotate ? ` transform="rotate(${rotate} ${px} ${f(y)})"` : "";
  return `<text x="${px}" y="${f(y)}" text-anchor="${anchor}" font-size="${size}" fill="${fill}"${turn}>${escapeHtml(s)}</text>`;
}

function attr(s: string): string {
  return escapeHtml(s);
}

/** A pixel coordinate with at most one decimal. */
function f(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function short(x: number): string {
  if (x === 0) return "0";
  const s = String(Number(x.toPrecision(4)));
  return s.replace("-", "−");
}
