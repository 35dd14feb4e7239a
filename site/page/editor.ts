/**
 * A code cell's editor: CodeMirror 6 with TypeScript highlighting (light, or One Dark when the system
 * is dark), long lines wrapped, the usual editing keys, Shift+Enter (run, then go to the next cell) and
 * Ctrl/Cmd+Enter (run) as in Jupyter, and the line an error came from marked until the code changes.
 */
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, type Extension, StateEffect, StateField } from "@codemirror/state";
import { oneDarkHighlightStyle } from "@codemirror/theme-one-dark";
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  highlightSpecialChars,
  keymap,
  placeholder,
} from "@codemirror/view";

export interface EditorActions {
  /** Shift+Enter: run this cell and move to the next one. */
  runAndAdvance(): void;
  /** Ctrl/Cmd+Enter: run this cell. */
  run(): void;
  /** The code changed (typed, pasted, or set by the page). */
  changed(text: string): void;
}

/** Marks line N (from 1) as where the cell's error is, or clears the mark (null). */
const markLine = StateEffect.define<number | null>();
const errorLineMark = Decoration.line({ class: "mgts-error-line", attributes: { "data-error-line": "" } });
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = tr.docChanged ? Decoration.none : marks;
    for (const e of tr.effects) {
      if (!e.is(markLine)) continue;
      const n = e.value;
      next =
        n === null || n < 1 || n > tr.state.doc.lines
          ? Decoration.none
          : Decoration.set([errorLineMark.range(tr.state.doc.line(n).from)]);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const dark = window.matchMedia?.("(prefers-color-scheme: dark)");
const highlighting = new Compartment();
const highlightFor = (isDark: boolean): Extension =>
  syntaxHighlighting(isDark ? oneDarkHighlightStyle : defaultHighlightStyle, { fallback: true });
const views = new Set<EditorView>();
dark?.addEventListener("change", (e) => {
  for (const view of views) view.dispatch({ effects: highlighting.reconfigure(highlightFor(e.matches)) });
});

export function createEditor(
  parent: HTMLElement,
  doc: string,
  actions: EditorActions,
  label: string,
  extra: Extension = [],
): EditorView {
  const runKeys = keymap.of([
    {
      key: "Shift-Enter",
      run: () => {
        actions.runAndAdvance();
        return true;
      },
    },
    {
      key: "Mod-Enter",
      run: () => {
        actions.run();
        return true;
      },
    },
  ]);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKeys,
        history(),
        drawSelection(),
        highlightSpecialChars(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlighting.of(highlightFor(dark?.matches ?? false)),
        javascript({ typescript: true }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) actions.changed(u.state.doc.toString());
        }),
        errorLine,
        extra,
      ],
    }),
  });
  views.add(view);
  return view;
}

/** Replaces the editor's whole text. */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Marks the line (from 1) an error came from; null clears the mark. */
export function markErrorLine(view: EditorView, line: number | null): void {
  view.dispatch({ effects: markLine.of(line) });
}

/** The editor's placeholder text, shown while it is empty. */
export const placeholderText = (text: string): Extension => placeholder(text);

/** Ends the editor (a deleted scratch cell). */
export function destroyEditor(view: EditorView): void {
  views.delete(view);
  view.destroy();
}
