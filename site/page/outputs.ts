/**
 * A code cell's outputs, drawn as JupyterLab draws them: printed text in blocks (stdout, stderr in red),
 * displays by their richest MIME type (a Plotly chart from its JSON, HTML with its scripts run, an SVG
 * picture, text), and displays with an id replaced in place wherever they are (update_display_data).
 * Each output element carries `data-kind` and keeps its bundle (`mgtsBundle`) and how many times it was
 * updated (`data-updates`), for tests and anyone checking the page.
 * Outputs taller than 400 px collapse into a scrolled box (collapseWhenLong), as Jupyter's scrolled outputs.
 */
import { displayKind, type MimeBundle, PLOTLY_MIME } from "../protocol";

/** An output as an executed notebook stores it (nbformat 4). */
export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: "stdout" | "stderr";
  text?: string | string[];
  data?: MimeBundle;
  ename?: string;
  evalue?: string;
}

interface PlotlyFigure {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}
interface PlotlyGlobal {
  newPlot(el: HTMLElement, data: unknown[], layout?: object, config?: object): Promise<unknown>;
  react(el: HTMLElement, data: unknown[], layout?: object, config?: object): Promise<unknown>;
}

export type OutputElement = HTMLElement & { mgtsBundle?: MimeBundle };

/** Every shown output with a display id, across the page: an update replaces all of them. */
const byDisplayId = new Map<string, Set<OutputElement>>();

export class OutputArea {
  constructor(readonly root: HTMLElement) {}

  clear(): void {
    for (const el of this.root.querySelectorAll<OutputElement>("[data-display-id]")) {
      byDisplayId.get(el.dataset.displayId as string)?.delete(el);
    }
    this.root.replaceChildren();
  }

  /** Printed text, appended to the last block when it is of the same stream, as Jupyter merges them. */
  stream(name: "stdout" | "stderr", text: string): void {
    const last = this.root.lastElementChild as HTMLElement | null;
    if (last?.dataset.stream === name) {
      last.textContent += text;
      return;
    }
    const pre = document.createElement("pre");
    pre.className = `mgts-stream mgts-${name}`;
    pre.dataset.kind = "stream";
    pre.dataset.stream = name;
    pre.textContent = text;
    this.root.append(pre);
  }

  /** A display: a new output, or (update) a replacement of the outputs showing `displayId`. */
  display(data: MimeBundle, displayId: string | null, update: boolean): void {
    if (update && displayId !== null) {
      for (const el of byDisplayId.get(displayId) ?? []) {
        draw(el, data);
        el.dataset.updates = String(Number(el.dataset.updates ?? "0") + 1);
      }
      return;
    }
    const el: OutputElement = document.createElement("div");
    el.className = "mgts-display";
    el.dataset.updates = "0";
    if (displayId !== null) {
      el.dataset.displayId = displayId;
      const shown = byDisplayId.get(displayId) ?? new Set();
      shown.add(el);
      byDisplayId.set(displayId, shown);
    }
    this.root.append(el);
    draw(el, data);
  }

  /** Where the browser could not do what the kernel does: said plainly, in the cell's output. */
  note(text: string): void {
    const div = document.createElement("div");
    div.className = "mgts-note";
    div.dataset.kind = "note";
    div.textContent = text;
    this.root.append(div);
  }

  /** The outputs of the executed notebook, as Jupyter saved them. */
  restore(outputs: readonly NotebookOutput[]): void {
    this.clear();
    for (const o of outputs) {
      if (o.output_type === "stream") this.stream(o.name ?? "stdout", joined(o.text));
      else if (o.output_type === "error") this.stream("stderr", `${o.ename}: ${o.evalue}\n`);
      else this.display(o.data ?? {}, null, false);
    }
  }
}

function joined(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

function draw(el: OutputElement, data: MimeBundle): void {
  const kind = displayKind(data);
  const previous = el.dataset.kind;
  el.mgtsBundle = data;
  el.dataset.kind = kind;
  if (kind === "plotly") {
    drawPlotly(el, data[PLOTLY_MIME] as PlotlyFigure, previous === "plotly");
    return;
  }
  if (kind === "html") setHtml(el, joined(data["text/html"] as string | string[]));
  else if (kind === "graph") {
    if ("text/html" in data) setHtml(el, joined(data["text/html"] as string | string[]));
    else {
      const img = document.createElement("img");
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(joined(data["image/svg+xml"] as string))}`;
      img.alt = joined(data["text/plain"] as string | string[]);
      el.replaceChildren(img);
    }
  } else {
    const pre = document.createElement("pre");
    pre.className = "mgts-text";
    pre.textContent = joined(data["text/plain"] as string | string[]);
    el.replaceChildren(pre);
  }
}

/** Plotly draws from the figure's JSON (plotly.js is loaded once by the page); an update re-renders in place. */
function drawPlotly(el: HTMLElement, figure: PlotlyFigure, update: boolean): void {
  const Plotly = (window as unknown as { Plotly?: PlotlyGlobal }).Plotly;
  if (Plotly === undefined) {
    el.textContent = "plotly.js did not load, so this chart cannot be drawn";
    return;
  }
  let chart = el.firstElementChild as HTMLElement | null;
  if (!update || chart === null || !chart.classList.contains("mgts-plot")) {
    chart = document.createElement("div");
    chart.className = "mgts-plot";
    el.replaceChildren(chart);
  }
  const { data, layout = {}, config = {} } = structuredClone(figure); // Plotly writes into what it is given
  const drawn = update ? Plotly.react(chart, data, layout, config) : Plotly.newPlot(chart, data, layout, config);
  drawn.catch((e: unknown) => {
    el.textContent = `plotly.js could not draw this chart: ${String(e)}`;
  });
}

/** HTML as JupyterLab shows a trusted output: its scripts run (the package's own outputs only). */
function setHtml(el: HTMLElement, html: string): void {
  el.innerHTML = html;
  for (const old of el.querySelectorAll("script")) {
    const script = document.createElement("script");
    for (const attr of old.attributes) script.setAttribute(attr.name, attr.value);
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}

/** Outputs taller than this collapse into a scrolled box, as Jupyter's scrolled outputs; a button toggles it. */
const COLLAPSE_PX = 400;

export function collapseWhenLong(root: HTMLElement): void {
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "mgts-output-toggle";
  toggle.dataset.action = "toggle-output";
  toggle.hidden = true;
  root.after(toggle);
  let expanded = false;
  const update = () => {
    const long = root.scrollHeight > COLLAPSE_PX;
    toggle.hidden = !long;
    root.toggleAttribute("data-collapsed", long && !expanded);
    toggle.textContent = expanded ? "Collapse the output" : "Show all of the output";
  };
  toggle.addEventListener("click", () => {
    expanded = !expanded;
    update();
  });
  new ResizeObserver(update).observe(root);
  new MutationObserver(update).observe(root, { childList: true, subtree: true, characterData: true });
}
