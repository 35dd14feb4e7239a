/**
 * What a notebook receives from plot(): the messages a tslab kernel would send, captured with
 * setDisplayWriter. plotly.js goes out once per kernel session, as its own output, before the first
 * figure; every figure is one display_data carrying the Plotly JSON, HTML and plain text.
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { type Figure, linePlot, loadPlotly, plot, plotlyVersion } from "../src";
import { figureBundle, figureHtml, PLOTLY_MIME } from "../src/display/figure-html";
import type { DisplayMessage } from "../src/display/notebook";
import { plotlyLoaderHtml, resetPlotlyInjection } from "../src/display/plotly";
import { captureDisplays, type SentDisplay } from "./helpers";

const PLOTLY_JS = readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
let sent: SentDisplay[] = [];

beforeEach(() => {
  resetPlotlyInjection(); // a fresh kernel session
  sent = captureDisplays();
});

const isInjection = (m: DisplayMessage) => String(m.data["text/html"] ?? "").length > 4_000_000;
const fig = (title: string): Figure => linePlot([0, 1, 2], [1, 0, 1], { title });

describe("plot in a notebook", () => {
  it("sends plotly.js, then the figure as one bundle of Plotly JSON, HTML and text; returns nothing to print", () => {
    expect(plot(fig("first"))).toBeUndefined();
    expect(sent).toHaveLength(2);
    const [injection, figure] = sent.map((s) => s.message) as [DisplayMessage, DisplayMessage];
    expect(Object.keys(injection.data).sort()).toEqual(["text/html", "text/plain"]);
    expect(isInjection(injection)).toBe(true);
    expect(injection.data["text/plain"]).toMatch(
      /^plotly\.js 4\.1\.2 loaded for this notebook's figures \(offline, 4\.8 MB\)$/,
    );
    expect(Object.keys(figure.data).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"].sort());
    expect(figure.data[PLOTLY_MIME]).toEqual({ ...fig("first"), config: { responsive: true, displaylogo: false } });
    expect(figure.data["text/plain"]).toBe('Plotly figure "first": scatter "y" (lines, 3 points, x 0…2, y 0…1)');
    const html = String(figure.data["text/html"]);
    expect(html.length).toBeLessThan(20_000); // the figure's HTML does not carry plotly.js
    expect(html).toMatch(/^<div id="mgts-plot-[0-9a-f]{12}" class="mgts-plot"/);
    expect(html).toContain("Plotly.newPlot");
    for (const s of sent) {
      expect(s.update).toBe(false);
      expect(s.message.transient).toEqual({}); // plain display_data, no display id
    }
  });

  it("sends plotly.js once per kernel session, however many figures", () => {
    for (let i = 0; i < 5; i++) plot(fig(`figure ${i}`));
    expect(sent.filter((s) => isInjection(s.message))).toHaveLength(1);
    expect(sent).toHaveLength(6);
    expect(isInjection((sent[0] as { message: DisplayMessage }).message)).toBe(true);
    resetPlotlyInjection(); // the kernel restarted
    plot(fig("after restart"));
    expect(sent.filter((s) => isInjection(s.message))).toHaveLength(2);
  });

  it("loadPlotly() sends it on request (a notebook's setup cell), and figures then do not", () => {
    loadPlotly();
    plot(fig("a"));
    plot(fig("b"));
    expect(sent.map((s) => isInjection(s.message))).toEqual([true, false, false]);
    loadPlotly(); // re-running the setup cell puts it back in the saved notebook
    expect(sent.filter((s) => isInjection(s.message))).toHaveLength(2);
  });

  it("gives every figure its own element id", () => {
    plot(fig("a"));
    plot(fig("a"));
    const ids = sent.slice(1).map((s) => String(s.message.data["text/html"]).match(/id="(mgts-plot-[0-9a-f]+)"/)?.[1]);
    expect(ids[0]).toBeDefined();
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("throws on bad figures before sending anything", () => {
    expect(() => plot({ data: [], layout: {} })).toThrow("no traces");
    expect(sent).toHaveLength(0);
  });
});

describe("the HTML", () => {
  it("embeds plotly.js whole, inside a function whose define/module/exports/require are undefined", () => {
    const loader = plotlyLoaderHtml();
    expect(plotlyVersion()).toBe("4.1.2");
    expect(loader).toContain("(function (define, module, exports, require) {\n");
    expect(loader).toContain("}).call(window);");
    expect(loader).toContain('if (!(window.Plotly && window.Plotly.version === "4.1.2"))');
    // the bundle, with only `<!--` escaped (one occurrence, inside a string literal)
    expect(PLOTLY_JS.split("<!--")).toHaveLength(2);
    expect(loader).toContain(PLOTLY_JS.replace("<!--", "<\\x21--"));
    // exactly one <script> element: nothing inside ends or re-opens it early
    expect(loader.match(/<\/script/gi)).toHaveLength(1);
    expect(loader.match(/<!--/g)).toBeNull();
    expect(loader.endsWith("</script>")).toBe(true);
    // figures that found plotly.js missing draw when it arrives (e.g. after loadPlotly())
    expect(loader).toContain('window.dispatchEvent(new Event("micrograd-ts:plotly-loaded"));');
    expect(figureHtml(fig("t"), { includePlotly: false })).toContain('addEventListener("micrograd-ts:plotly-loaded"');
  });

  it("keeps markup in titles out of the script element", () => {
    const html = figureHtml(fig("</script><script>alert(1)</script> & <!-- x"), { includePlotly: false });
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).toContain("\\u003c/script\\u003e");
    expect(html).toContain("&#60;/script&#62;"); // the visible caption, escaped
  });

  it("says what is wrong, in the output, when plotly.js is not on the page, and a caption without JavaScript", () => {
    const html = String(figureBundle(fig("t"))["text/html"]);
    expect(html).toContain("plotly.js is not loaded on this page");
    expect(html).toContain("loadPlotly()");
    expect(html).toContain("A static picture: the interactive Plotly figure needs JavaScript");
    expect(html).toMatch(
      /<img class="mgts-plot-static" alt="Plotly figure &#34;t&#34;: [^"]*" src="data:image\/svg\+xml;base64,/,
    );
    const bare = figureHtml(fig("t"), { includePlotly: false, staticImage: false });
    expect(bare).not.toContain("<img");
    expect(bare).toContain("An interactive Plotly figure needs JavaScript");
    expect(html).toContain('r.defined("plotly")'); // a copy registered with RequireJS is used too
  });

  it("is self-contained by default: plotly.js first, then the figure", () => {
    const html = figureHtml(fig("t"));
    expect(html.startsWith(plotlyLoaderHtml())).toBe(true);
    expect(html.length - plotlyLoaderHtml().length).toBeLessThan(20_000);
  });
});
