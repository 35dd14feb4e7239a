/**
 * A code cell's editor: CodeMirror 6 with TypeScript highlighting, the usual editing keys, and
 * Shift+Enter (run, then go to the next cell) and Ctrl/Cmd+Enter (run) as in Jupyter.
 */
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightSpecialChars, keymap } from "@codemirror/view";

export interface EditorActions {
  /** Shift+Enter: run this cell and move to the next one. */
  runAndAdvance(): void;
  /** Ctrl/Cmd+Enter: run this cell. */
  run(): void;
}

export function createEditor(parent: HTMLElement, doc: string, actions: EditorActions, label: string): EditorView {
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
  return new EditorView({
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
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript({ typescript: true }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": label }),
      ],
    }),
  });
}

/** Replaces the editor's whole text. */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
