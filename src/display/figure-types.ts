/**
 * Plotly figures as plain data: small types for the traces and layouts this project draws (figures.ts
 * builds them, check-figure.ts checks them, plot.ts shows them).
 */

/** One axis. The named fields are the ones this project sets; any other Plotly axis attribute may be added. */
export interface Axis {
  title?: { text: string };
  range?: [number, number];
  type?: "linear" | "log";
  zeroline?: boolean;
  showgrid?: boolean;
  tickformat?: string;
  /** For a second y axis: "y" puts it over the first one. */
  overlaying?: "y";
  side?: "left" | "right";
  [attribute: string]: unknown;
}

/** Plotly's layout, restricted to what is typed here; any other Plotly layout attribute may be added. */
export interface Layout {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  yaxis2?: Axis;
  width?: number;
  height?: number;
  showlegend?: boolean;
  legend?: Record<string, unknown>;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  [attribute: string]: unknown;
}

/** What every trace has: a Plotly trace type and, optionally, a name for the legend. */
export interface TraceBase {
  type: string;
  name?: string;
  [attribute: string]: unknown;
}

/** Lines and/or markers through (x[i], y[i]). */
export interface ScatterTrace extends TraceBase {
  type: "scatter";
  x: number[];
  y: number[];
  mode: "lines" | "markers" | "lines+markers";
  /** "y2" draws against the second y axis (layout.yaxis2). */
  yaxis?: "y" | "y2";
  line?: { color?: string; width?: number; dash?: "solid" | "dot" | "dash" };
  marker?: { color?: string; size?: number; line?: { color?: string; width?: number } };
}

/** Filled contours of z over the grid x × y: z[j][i] is the value at (x[i], y[j]). */
export interface ContourTrace extends TraceBase {
  type: "contour";
  x: number[];
  y: number[];
  z: number[][];
  colorscale?: [number, string][];
  contours?: { start?: number; end?: number; size?: number; coloring?: "fill" | "lines" | "heatmap" };
  opacity?: number;
  showscale?: boolean;
}

/** A trace: the two kinds this project builds, or any other Plotly trace (checked only for its type). */
export type Trace = ScatterTrace | ContourTrace | TraceBase;

/** Plotly's options for the chart itself (mode bar, responsiveness…). */
export interface PlotConfig {
  responsive?: boolean;
  displaylogo?: boolean;
  staticPlot?: boolean;
  [option: string]: unknown;
}

/** A Plotly figure, as plain JSON-able data: what `plot()` shows. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config?: PlotConfig;
}

/** Numbers in a plain array or a typed array. */
export type Series = ArrayLike<number>;
