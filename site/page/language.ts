/**
 * Completion (as you type, or Ctrl+Space) and hover in a cell's editor, from the type checker's language
 * service: the package's API with its types and documentation, and the names of the cells that ran.
 */
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import type { Extension } from "@codemirror/state";
import { hoverTooltip } from "@codemirror/view";
import type { Checker } from "./checker";

const KINDS: Record<string, string> = {
  function: "function",
  method: "method",
  property: "property",
  class: "class",
  interface: "interface",
  type: "type",
  var: "variable",
  let: "variable",
  const: "constant",
  "local var": "variable",
  keyword: "keyword",
  module: "namespace",
  enum: "enum",
};

export function languageFeatures(checker: Checker): Extension {
  const complete = async (context: CompletionContext): Promise<CompletionResult | null> => {
    const word = context.matchBefore(/[\w$]*/);
    const afterDot = context.matchBefore(/\.[\w$]*/) !== null;
    if (!context.explicit && !afterDot && (word === null || word.from === word.to)) return null;
    const items = await checker.complete(context.state.doc.toString(), context.pos);
    if (items.length === 0) return null;
    return {
      from: word?.from ?? context.pos,
      options: items.map((i) => ({ label: i.label, type: KINDS[i.kind] ?? "text" })),
      validFor: /^[\w$]*$/,
    };
  };
  const hover = hoverTooltip(async (view, pos) => {
    const text = await checker.hover(view.state.doc.toString(), pos);
    if (text === null) return null;
    return {
      pos,
      create: () => {
        const dom = document.createElement("pre");
        dom.className = "mgts-hover";
        dom.textContent = text;
        return { dom };
      },
    };
  });
  return [autocompletion({ override: [complete] }), hover];
}
