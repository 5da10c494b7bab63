// The code editor (CodeMirror 6): Python with MicroPython's 4-space indents, undo/redo,
// search, zoom, light or dark, and the line of an error marked.

import { defaultKeymap, history, historyKeymap, indentWithTab, isolateHistory } from
  "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit,
         syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState, type Extension, StateEffect, StateField } from
  "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { Decoration, type DecorationSet, EditorView, highlightActiveLine,
         highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";

const markError = StateEffect.define<number | null>();
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(markError)) {
        if (effect.value === null || effect.value > tr.state.doc.lines) marks = Decoration.none;
        else {
          const line = tr.state.doc.line(effect.value);
          marks = Decoration.set([Decoration.line({ class: "cm-error-line" }).range(line.from)]);
        }
      }
    }
    if (tr.docChanged) marks = Decoration.none; // the code changed: the old error may be gone
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export class CodeEditor {
  readonly view: EditorView;
  private theme = new Compartment();
  private zoom = new Compartment();
  private size = 15;

  constructor(host: HTMLElement, private changed: (text: string) => void,
              private dark: boolean, private extra: Extension[] = []) {
    this.view = new EditorView({ parent: host, state: this.fresh("") });
  }

  private fresh(doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), history(),
        indentOnInput(), bracketMatching(), search({ top: true }),
        highlightSelectionMatches(), python(), indentUnit.of("    "),
        EditorState.tabSize.of(4), syntaxHighlighting(defaultHighlightStyle),
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...searchKeymap]),
        ...this.extra, errorField, this.theme.of(this.dark ? oneDark : []),
        this.zoom.of(this.fontSize()),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.changed(update.state.doc.toString());
        }),
      ],
    });
  }

  private fontSize() {
    return EditorView.theme({ "&": { fontSize: `${this.size}px` } });
  }

  /** Show ``text`` as a fresh document (no undo into the previous file). */
  load(text: string): void {
    this.view.setState(this.fresh(text));
  }

  text(): string {
    return this.view.state.doc.toString();
  }

  setDark(dark: boolean): void {
    this.dark = dark;
    this.view.dispatch({ effects: this.theme.reconfigure(dark ? oneDark : []) });
  }

  zoomBy(step: number): void {
    this.size = Math.max(10, Math.min(32, this.size + step));
    this.view.dispatch({ effects: this.zoom.reconfigure(this.fontSize()) });
  }

  /** Mark ``line`` as the error's and put the cursor there (null: clear the mark). */
  showError(line: number | null): void {
    const effects = [markError.of(line)];
    if (line !== null && line <= this.view.state.doc.lines) {
      const at = this.view.state.doc.line(line).from;
      this.view.dispatch({ effects, selection: { anchor: at }, scrollIntoView: true });
      this.view.focus();
    } else {
      this.view.dispatch({ effects });
    }
  }

  insert(text: string): void {
    const { from, to } = this.view.state.selection.main;
    this.view.dispatch({ changes: { from, to, insert: text },
                         selection: { anchor: from + text.length } });
    this.view.focus();
  }

  /** Put ``text`` in place of the whole document as one change (Undo brings the old
   *  one back), keeping the cursor on its line. */
  replaceAll(text: string): void {
    const state = this.view.state;
    const line = state.doc.lineAt(state.selection.main.head).number;
    const changes = { from: 0, to: state.doc.length, insert: text };
    const after = state.update({ changes }).state.doc;
    const at = after.line(Math.min(line, after.lines)).from;
    // its own step in the history: Undo takes back the whole replacement, nothing typed before
    this.view.dispatch({ changes, selection: { anchor: at }, scrollIntoView: true,
                         annotations: isolateHistory.of("full") });
  }

  /** The cursor's line (1-based). */
  cursorLine(): number {
    return this.view.state.doc.lineAt(this.view.state.selection.main.head).number;
  }
}
