/**
 * A picture of a network as the lecture's slide and TensorFlow Playground draw one: neurons as circles in
 * columns (inputs on the left, the output on the right), each weight an edge coloured by its sign with a
 * width by its magnitude. Unlike drawDot's computation graph it stays readable for micrograd's demo
 * network (337 parameters), so liveTraining can redraw it while the network learns.
 *
 *   drawNetwork(model)                                   // weights
 *   drawNetwork(model, { input: [2, 3, -1] })            // and each neuron's output for that input
 *   drawNetwork(model, { edges: "grads" })               // each parameter's .grad instead of its value
 */
import type { Value } from "../engine";
import { checkChoice, checkNumbers, checkOptions, checkString, describe } from "../internal/check";
import { Layer, MLP, type Module, Neuron } from "../nn";
import { escapeHtml } from "./escape-html";
import { svgBundle } from "./graph-html";
import { display, inNotebook } from "./notebook";

/** The widest layer drawNetwork draws: beyond it the circles would be smaller than a letter. */
export const NETWORK_MAX_LAYER_SIZE = 64;

export interface NetworkOptions {
  /** One data point's inputs: each neuron is filled by its output for them, written next to it. */
  input?: readonly number[];
  /**
   * What the edges (and the bias squares) show: "weights" (default), their values, at a fixed scale;
   * or "grads", each parameter's current `.grad`, scaled to the largest in the picture.
   */
  edges?: "weights" | "grads";
  /** The line above the picture (default: the model and its size, e.g. "MLP(3, [4, 4, 1]): 41 parameters"). */
  title?: string;
}

/** What drawNetwork returns outside a notebook. */
export interface NetworkDrawing {
  /** The SVG, ready to embed in HTML (no XML declaration). */
  svg: string;
}

const OPTION_NAMES = ["input", "edges", "title"] as const;
/** liveTraining's `network` option: the model, and no title (the caption says which step is shown). */
const LIVE_OPTION_NAMES = ["model", "input", "edges"] as const;

/**
 * Draws `model` (an MLP, Layer or Neuron). In a notebook it shows the picture under the cell and returns
 * nothing; elsewhere it returns { svg }.
 */
export function drawNetwork(model: Module, opts: NetworkOptions = {}): NetworkDrawing | undefined {
  const checked = checkNetworkOptions(model, opts, "drawNetwork");
  const title = checked.title ?? describeModel(checked);
  const svg = networkSvg(checked, title);
  if (!inNotebook()) return { svg };
  display(svgBundle(svg, oneLine(title)));
  return undefined;
}

// ---- options ----

/** @internal A network and its options, checked: the layers as lists of neurons. */
export interface CheckedNetwork {
  kind: "MLP" | "Layer" | "Neuron";
  layers: readonly (readonly Neuron[])[];
  input: readonly number[] | undefined;
  edges: "weights" | "grads";
  title: string | undefined;
}

/**
 * @internal Checks a model and its options, every error before anything is drawn. `where` names the
 * caller: "drawNetwork", or for liveTraining's option `{ fn: "liveTraining", option: "network" }`, whose
 * object also holds the model (and has no title).
 */
export function checkNetworkOptions(
  model: unknown,
  opts: unknown,
  where: string | { fn: string; option: string },
): CheckedNetwork {
  const live = typeof where !== "string";
  const fn = live ? where.fn : where;
  const prefix = live ? `${where.option}.` : "";
  const o = checkOptions(opts, live ? `${fn}: ${where.option}` : fn, live ? LIVE_OPTION_NAMES : OPTION_NAMES);
  const network = live ? (o as { model?: unknown }).model : model;
  const layers = layersOf(network, fn, `${prefix}model`);
  const nin = inputCount(layers);
  let input: number[] | undefined;
  if (o.input !== undefined) {
    input = [...checkNumbers(o.input, fn, `${prefix}input`)];
    if (input.length !== nin) {
      throw new RangeError(
        `${fn} expects ${prefix}input to have ${nin} numbers (the model's inputs), got ${input.length}`,
      );
    }
  }
  return {
    kind: network instanceof MLP ? "MLP" : network instanceof Layer ? "Layer" : "Neuron",
    layers,
    input,
    edges: checkChoice(o.edges, fn, `${prefix}edges`, ["weights", "grads"] as const, "weights"),
    title: checkString(o.title, fn, `${prefix}title`, true),
  };
}

/** The neurons of each layer of an MLP, Layer or Neuron; a layer wider than NETWORK_MAX_LAYER_SIZE is refused. */
function layersOf(model: unknown, fn: string, name: string): Neuron[][] {
  let layers: Neuron[][];
  if (model instanceof MLP) layers = model.layers.map((l) => l.neurons);
  else if (model instanceof Layer) layers = [model.neurons];
  else if (model instanceof Neuron) layers = [[model]];
  else throw new TypeError(`${fn} expects ${name} to be an MLP, Layer or Neuron, got ${describe(model)}`);
  const widest = Math.max(inputCount(layers), ...layers.map((l) => l.length));
  if (widest > NETWORK_MAX_LAYER_SIZE) {
    throw new RangeError(
      `${fn}: ${name} has a layer of ${widest} (inputs or neurons), more than ${NETWORK_MAX_LAYER_SIZE}: ` +
        "its circles would be too small to see. Draw a smaller network, or its computation with drawDot.",
    );
  }
  return layers;
}

// ---- the picture ----

const POSITIVE = "#0877bd"; // TensorFlow Playground's blue
const NEGATIVE = "#f59322"; // and orange
/** In "weights" mode an edge is widest from |w| = WEIGHT_SCALE on, so pictures of one run compare. */
const WEIGHT_SCALE = 2;
const COLUMN_GAP = 190;
const MARGIN_LEFT = 96; // room for the inputs' values
const MARGIN_RIGHT = 80; // room for the output's value
const TOP = 58; // the title line and the layer headings
const LEGEND = 48;
const FONT = 'font-family="Helvetica,Arial,sans-serif"';

/** @internal The picture as SVG text, with `caption` as its first line. */
export function networkSvg(net: CheckedNetwork, caption: string): string {
  const { layers, input, edges } = net;
  const nin = inputCount(layers);
  const sizes = [nin, ...layers.map((l) => l.length)];
  const tallest = Math.max(...sizes);
  const rowGap = Math.max(12, Math.min(44, 480 / tallest));
  const radius = Math.min(11, rowGap * 0.36);
  const height = TOP + tallest * rowGap + LEGEND;
  const width = MARGIN_LEFT + (sizes.length - 1) * COLUMN_GAP + MARGIN_RIGHT;
  const x = (column: number) => MARGIN_LEFT + column * COLUMN_GAP;
  const y = (column: number, row: number) => TOP + ((tallest - (sizes[column] as number)) / 2 + row + 0.5) * rowGap;

  const outputs = input === undefined ? null : layerOutputs(layers, input);
  const parameters = layers.flatMap((l) => l.flatMap((n) => n.parameters()));
  const amount = (p: Value) => (edges === "weights" ? p.data : p.grad);
  const largestGrad = Math.max(0, ...parameters.map((p) => Math.abs(p.grad))); // data and grads are finite
  const scale = edges === "weights" ? WEIGHT_SCALE : largestGrad;
  const strength = (v: number) => (scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0); // 0 thinnest, 1 widest

  const out: string[] = [];
  // Edges first, under the circles: each neuron's weights, from every circle of the previous column.
  layers.forEach((layer, l) => {
    layer.forEach((neuron, j) => {
      neuron.w.forEach((w, i) => {
        const [x1, y1, x2, y2] = [x(l) + radius, y(l, i), x(l + 1) - radius, y(l + 1, j)];
        const mid = (x1 + x2) / 2;
        out.push(
          `<path d="M${f(x1)},${f(y1)} C${f(mid)},${f(y1)} ${f(mid)},${f(y2)} ${f(x2)},${f(y2)}" fill="none" ${edgeStyle(amount(w), strength(amount(w)))}/>`,
        );
      });
    });
  });
  // Inputs, then each layer's neurons; a neuron's bias is the small square at its lower left.
  for (let i = 0; i < nin; i++) {
    const text = input === undefined ? `x${i}` : `x${i} = ${short(input[i] as number)}`;
    out.push(
      `<g class="node"><title>input ${i}</title>${circle(x(0), y(0, i), radius, "#f2f2f2")}` +
        `<text x="${f(x(0) - radius - 6)}" y="${f(y(0, i) + 4)}" text-anchor="end" font-size="12" ${FONT}>${text}</text></g>`,
    );
  }
  layers.forEach((layer, l) => {
    layer.forEach((neuron, j) => {
      const [cx, cy] = [x(l + 1), y(l + 1, j)];
      const value = outputs?.[l]?.[j];
      const b = amount(neuron.b);
      const side = Math.max(4, radius * 0.7);
      const title = `layer ${l + 1}, neuron ${j + 1}: bias ${short(neuron.b.data)}, bias grad ${short(neuron.b.grad)}${value === undefined ? "" : `, output ${short(value)}`}`;
      out.push(
        `<g class="node"><title>${title}</title>${circle(cx, cy, radius, value === undefined ? "#ffffff" : fill(value))}` +
          `<rect x="${f(cx - radius - side / 2)}" y="${f(cy + radius - side / 2)}" width="${f(side)}" height="${f(side)}" ` +
          `fill="${b < 0 ? NEGATIVE : POSITIVE}" fill-opacity="${f(0.15 + 0.85 * strength(b))}" stroke="#555" stroke-width="0.5"/>` +
          (value === undefined
            ? ""
            : `<text x="${f(cx + radius + 4)}" y="${f(cy - radius + 2)}" font-size="11" ${FONT} paint-order="stroke" stroke="#fff" stroke-width="3">${short(value)}</text>`) +
          "</g>",
      );
    });
  });
  // Headings over the columns, the caption above them, the legend below.
  const headings = [
    `input (${nin})`,
    ...layers.map((layer, l) => `layer ${l + 1}: ${layer.length} ${activationOf(layer)}`),
  ];
  headings.forEach((text, c) => {
    out.push(
      `<text x="${f(x(c))}" y="${TOP - 10}" text-anchor="middle" font-size="12" fill="#333" ${FONT}>${text}</text>`,
    );
  });
  const captionChars = Math.floor((width - 16) / 7.5);
  out.push(`<text x="8" y="20" font-size="14" ${FONT}>${escapeText(clip(caption, captionChars))}</text>`);
  legend(edges, largestGrad, input).forEach((line, i, lines) => {
    const baseline = height - 10 - (lines.length - 1 - i) * 15;
    out.push(
      `<text x="8" y="${f(baseline)}" font-size="11" fill="#444" ${FONT}>${escapeText(clip(line, captionChars + 10))}</text>`,
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(width * 0.75)}pt" height="${f(height * 0.75)}pt" ` +
    `viewBox="0 0 ${f(width)} ${f(height)}"><rect width="100%" height="100%" fill="#ffffff"/>${out.join("")}</svg>`
  );
}

/** Each layer's outputs for `input`, computed by the network itself (its forward pass, on plain numbers). */
function layerOutputs(layers: readonly (readonly Neuron[])[], input: readonly number[]): number[][] {
  const outputs: number[][] = [];
  let x: readonly (Value | number)[] = input;
  for (const layer of layers) {
    const values = layer.map((n) => n.forward(x));
    outputs.push(values.map((v) => v.data));
    x = values.map((v) => v.data); // numbers: the picture's forward pass builds no graph through layers
  }
  return outputs;
}

function edgeStyle(v: number, s: number): string {
  const colour = v < 0 ? NEGATIVE : POSITIVE;
  return `stroke="${colour}" stroke-width="${f(0.5 + 3.5 * s)}" stroke-opacity="${f(0.2 + 0.8 * s)}"`;
}

function circle(cx: number, cy: number, r: number, fillColour: string): string {
  return `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${fillColour}" stroke="#555" stroke-width="1"/>`;
}

/** A neuron's fill: white at 0, Playground's blue towards +1 and orange towards −1 (and beyond). */
function fill(v: number): string {
  const s = Math.min(1, Math.abs(v));
  const [r, g, b] = v < 0 ? [0xf5, 0x93, 0x22] : [0x08, 0x77, 0xbd];
  const mix = (c: number) => Math.round(255 + (c - 255) * s);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

/** The lines under the picture: what the colours and widths mean. */
function legend(edges: "weights" | "grads", largestGrad: number, input: readonly number[] | undefined): string[] {
  const what =
    edges === "weights"
      ? `edges and bias squares: weights, blue > 0, orange < 0, widest from |w| = ${WEIGHT_SCALE}`
      : largestGrad > 0
        ? `edges and bias squares: grads, blue > 0, orange < 0, widest at the largest |grad| = ${short(largestGrad)}`
        : "edges and bias squares: grads, all 0 (no backward() yet, or after zeroGrad())";
  if (input === undefined) return [what];
  return [
    what,
    `circles: each neuron's output for x = [${input.map(short).join(", ")}], blue > 0, orange < 0, white 0`,
  ];
}

function activationOf(layer: readonly Neuron[]): string {
  return (layer[0] as Neuron).activation === "relu" ? "ReLU" : (layer[0] as Neuron).activation;
}

/** @internal e.g. "MLP(3, [4, 4, 1]): 41 parameters" */
export function describeModel(net: CheckedNetwork): string {
  const { layers } = net;
  const count = layers.reduce((n, l) => n + l.reduce((m, neuron) => m + neuron.w.length + 1, 0), 0);
  const sizes = layers.map((l) => l.length);
  const name =
    net.kind === "MLP"
      ? `MLP(${inputCount(layers)}, [${sizes.join(", ")}])`
      : net.kind === "Layer"
        ? `Layer(${inputCount(layers)}, ${sizes[0]})`
        : `Neuron(${inputCount(layers)})`;
  return `${name}: ${count} parameters`;
}

/** How many inputs the network takes. */
function inputCount(layers: readonly (readonly Neuron[])[]): number {
  return ((layers[0] as readonly Neuron[])[0] as Neuron).w.length;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}

/** A number in a few characters: 0.53, -1.2, 12.3, 1.2e-05 for tiny ones. */
function short(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a < 0.005) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function clip(text: string, chars: number): string {
  const one = oneLine(text);
  return one.length > chars ? `${one.slice(0, Math.max(1, chars - 1))}…` : one;
}

/** User text made safe for SVG: escaped, and control characters (invalid in XML) replaced. */
function escapeText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must not reach the XML
  return escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd"));
}

const f = (n: number) => String(Math.round(n * 100) / 100);
