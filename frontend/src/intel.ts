// Code intelligence in the editor, from the editor's server (ubit check and ubit.check.intel):
// problems underlined with marks in the gutter, a completion list with each name's doc, the
// call tip of the call being typed, docs on hover, and Ctrl/Cmd-click to go to a definition.
// A problem that appears on the line being typed waits until the cursor leaves the line (or
// a few seconds pass): a half-typed line isn't an error yet.

import "./intel.css";
import { autocompletion, type Completion as Option, type CompletionContext,
         type CompletionResult } from "@codemirror/autocomplete";
import { type Diagnostic, lintGutter, linter, setDiagnostics } from "@codemirror/lint";
import { type EditorState, type Extension, StateEffect, StateField } from "@codemirror/state";
import { EditorView, hoverTooltip, showTooltip, type Tooltip, type ViewUpdate } from
  "@codemirror/view";
import { api, type At, type BoardChoice, type CallTip, type Finding } from "./api";
import { element } from "./dom";

const CHECK_AFTER_MS = 700; // after typing stops
const HOLD_MS = 3000; // a new problem on the cursor's line waits at most this long
const TIP_AFTER_MS = 120;

/** What the editor's intelligence needs from the workspace. */
export interface IntelHost {
  project(): string;
  file(): string; // the open file's name
  board(): BoardChoice;
  jump(file: string, line: number): void; // go-to-definition in another project file
}

/** The position ``pos`` as the server counts it: line from 1, column from 0 in characters. */
function at(host: IntelHost, state: EditorState, pos: number): At {
  const line = state.doc.lineAt(pos);
  const column = [...line.text.slice(0, pos - line.from)].length; // code points, not UTF-16
  return { project: host.project(), name: host.file(), text: state.doc.toString(),
           line: line.number, column, board: host.board() === "v1" ? "v1" : "v2" };
}

function isPython(host: IntelHost): boolean {
  return host.file().endsWith(".py");
}

// --- diagnostics -----------------------------------------------------------------------

/** The lint source, with its memory of what it showed (to hold back the typed line's news). */
class Checker {
  private shown = new Set<string>(); // the findings shown after the last check
  private heldSince = new Map<string, number>();
  private last: { key: string; findings: Finding[] } | null = null;
  private holdTimer = 0;
  private heldLine: number | null = null;
  private fresh = true; // nothing is being typed: show every finding (a file just loaded)

  constructor(private host: IntelHost) {}

  readonly source = async (view: EditorView): Promise<Diagnostic[]> => {
    if (!isPython(this.host) || !this.host.project()) return [];
    const text = view.state.doc.toString();
    const board = this.host.board();
    const key = `${this.host.project()}\n${this.host.file()}\n${board}\n${text}`;
    let findings: Finding[];
    if (this.last?.key === key) {
      findings = this.last.findings; // asked again (the cursor moved on): no need to recheck
    } else {
      try {
        findings = (await api.check(this.host.project(), this.host.file(), text, board)).findings;
      } catch {
        return []; // the server is gone or the text moved on: the next check says
      }
      this.last = { key, findings };
    }
    if (view.state.doc.toString() !== text) return []; // stale: a newer check is coming
    return this.diagnostics(view, findings.filter((f) => f.file === this.host.file()));
  };

  private diagnostics(view: EditorView, findings: Finding[]): Diagnostic[] {
    const state = view.state;
    const cursorLine = state.doc.lineAt(state.selection.main.head).number;
    const now = Date.now();
    const shown = new Set<string>();
    const out: Diagnostic[] = [];
    let holding = false;
    for (const finding of findings) {
      if (finding.line > state.doc.lines) continue;
      const id = `${finding.line}\n${finding.code}\n${finding.message}`;
      if (!this.fresh && finding.line === cursorLine && !this.shown.has(id)) {
        const since = this.heldSince.get(id) ?? now;
        this.heldSince.set(id, since);
        if (now - since < HOLD_MS) {
          holding = true;
          continue;
        }
      }
      this.heldSince.delete(id);
      shown.add(id);
      out.push(this.diagnostic(state, finding));
    }
    this.shown = shown;
    this.fresh = false;
    window.clearTimeout(this.holdTimer);
    this.heldLine = holding ? cursorLine : null;
    if (holding) this.holdTimer = window.setTimeout(() => this.again(view), HOLD_MS);
    else this.heldSince.clear();
    return out;
  }

  private diagnostic(state: EditorState, finding: Finding): Diagnostic {
    const line = state.doc.line(finding.line);
    const start = Math.min(line.from + Math.max(finding.col - 1, 0), line.to);
    const word = /^\w+/.exec(line.text.slice(start - line.from));
    let end = word ? start + word[0].length : line.to;
    if (end === start && start < line.to) end = start + 1;
    return { from: start, to: end, severity: finding.level === "error" ? "error" : "warning",
             source: finding.code, message: finding.message };
  }

  /** The cursor left the line whose problems wait: show them now (and notice typing). */
  readonly moved = EditorView.updateListener.of((update: ViewUpdate) => {
    if (update.docChanged) this.fresh = false; // typed: the typed line's news may wait
    if (this.heldLine === null || !update.selectionSet || update.docChanged) return;
    const line = update.state.doc.lineAt(update.state.selection.main.head).number;
    if (line !== this.heldLine) {
      this.heldLine = null;
      this.again(update.view);
    }
  });

  /** Work the diagnostics out again now (from the last check if the text is the same):
   *  the linter itself only runs after a change. */
  again(view: EditorView): void {
    const text = view.state.doc.toString();
    this.source(view).then((diagnostics) => {
      if (view.state.doc.toString() === text) {
        view.dispatch(setDiagnostics(view.state, diagnostics));
      }
    }).catch(() => { /* the next check says */ });
  }

  /** Forget what was shown (a file was loaded, the board changed): show all of the next. */
  reset(): void {
    this.shown.clear();
    this.heldSince.clear();
    this.last = null;
    this.fresh = true;
  }
}

// --- completion ------------------------------------------------------------------------

const KIND_TYPES: Record<string, string> = {
  module: "namespace", class: "class", function: "function", variable: "variable",
  keyword: "keyword", property: "property", param: "variable", instance: "variable",
  statement: "variable", path: "text",
};

function docNode(signature: string | null, doc: string, v2Only: boolean): HTMLElement {
  const box = element("div", { className: "cm-intel-doc" });
  if (signature) element("code", { className: "cm-intel-signature", textContent: signature }, box);
  if (v2Only) element("p", { className: "cm-intel-v2", textContent: "V2 only: a micro:bit V1 " +
                                                                    "hasn't this" }, box);
  if (doc) element("p", { className: "cm-intel-text", textContent: doc }, box);
  return box;
}

function completionSource(host: IntelHost) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    if (!isPython(host)) return null;
    const word = context.matchBefore(/\w*/);
    const before = context.state.sliceDoc(Math.max(0, (word?.from ?? context.pos) - 1),
                                          word?.from ?? context.pos);
    if (!context.explicit && !word?.text && before !== ".") return null;
    let items;
    try {
      items = await api.complete(at(host, context.state, context.pos));
    } catch {
      return null;
    }
    if (context.aborted) return null;
    const options: Option[] = items.map((item) => ({
      label: item.name,
      type: KIND_TYPES[item.kind] ?? "variable",
      detail: item.v2_only ? "V2 only" : undefined,
      info: () => docNode(item.signature, item.doc, item.v2_only),
    }));
    return { from: word?.from ?? context.pos, options, validFor: /^\w*$/ };
  };
}

// --- call tips -------------------------------------------------------------------------

const setTip = StateEffect.define<{ tip: CallTip; pos: number } | null>();

const tipField = StateField.define<Tooltip | null>({
  create: () => null,
  update(tooltip, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setTip)) {
        tooltip = effect.value && {
          pos: Math.min(effect.value.pos, tr.state.doc.length), above: true, strictSide: false,
          create: () => ({ dom: tipDom(effect.value!.tip) }),
        };
      }
    }
    if (tooltip && tr.docChanged) tooltip = { ...tooltip, pos: tr.changes.mapPos(tooltip.pos) };
    return tooltip;
  },
  provide: (field) => showTooltip.from(field),
});

function parameterText(p: CallTip["parameters"][number]): string {
  const star = p.kind === "var_positional" ? "*" : p.kind === "var_keyword" ? "**" : "";
  return star + p.name + (p.default !== null ? `=${p.default}` : "");
}

function tipDom(tip: CallTip): HTMLElement {
  const dom = element("div", { className: "cm-calltip" });
  dom.setAttribute("role", "tooltip");
  const line = element("code", { className: "cm-calltip-signature" }, dom);
  line.append(`${tip.name}(`);
  tip.parameters.forEach((parameter, index) => {
    if (index) line.append(", ");
    const text = parameterText(parameter);
    if (index === tip.index) element("b", { className: "cm-calltip-current", textContent: text },
                                     line);
    else line.append(text);
  });
  line.append(")");
  const first = tip.doc.split("\n\n")[0];
  if (first) element("p", { className: "cm-calltip-doc", textContent: first }, dom);
  return dom;
}

/** Whether the cursor may be inside a call's brackets (a quick look before asking). */
function maybeInCall(state: EditorState): boolean {
  const pos = state.selection.main.head;
  const text = state.sliceDoc(Math.max(0, pos - 2000), pos);
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i -= 1) {
    const c = text[i];
    if (c === ")") depth += 1;
    else if (c === "(") {
      if (depth === 0) return true;
      depth -= 1;
    }
  }
  return false;
}

function callTips(host: IntelHost): Extension {
  let timer = 0;
  let asked = 0;
  const ask = (view: EditorView) => {
    const state = view.state;
    const number = ++asked;
    if (!isPython(host) || !state.selection.main.empty || !maybeInCall(state)) {
      if (state.field(tipField)) view.dispatch({ effects: setTip.of(null) });
      return;
    }
    const pos = state.selection.main.head;
    api.callTip(at(host, state, pos)).then((tip) => {
      if (number !== asked) return; // a newer question is on its way
      if (!tip && !view.state.field(tipField)) return;
      view.dispatch({ effects: setTip.of(tip && { tip, pos }) });
    }).catch(() => { /* no tip: the server says nothing new */ });
  };
  return [
    tipField,
    EditorView.updateListener.of((update) => {
      if (!update.docChanged && !update.selectionSet && !update.focusChanged) return;
      window.clearTimeout(timer);
      if (!update.view.hasFocus) {
        asked += 1;
        if (update.state.field(tipField)) {
          const view = update.view;
          queueMicrotask(() => view.dispatch({ effects: setTip.of(null) }));
        }
        return;
      }
      const view = update.view;
      timer = window.setTimeout(() => ask(view), TIP_AFTER_MS);
    }),
  ];
}

// --- hover and definitions -------------------------------------------------------------

function hoverDocs(host: IntelHost): Extension {
  return hoverTooltip(async (view, pos) => {
    if (!isPython(host)) return null;
    const word = view.state.wordAt(pos);
    if (!word) return null;
    let text: string;
    try {
      text = (await api.hover(at(host, view.state, pos))).text;
    } catch {
      return null;
    }
    if (!text) return null;
    const [signature, ...rest] = text.split("\n\n");
    return { pos: word.from, end: word.to, above: true,
             create: () => ({ dom: hoverDom(signature, rest.join("\n\n")) }) };
  }, { hoverTime: 400 });
}

function hoverDom(signature: string, doc: string): HTMLElement {
  const dom = element("div", { className: "cm-hover-doc" });
  element("code", { className: "cm-intel-signature", textContent: signature }, dom);
  if (doc) element("p", { className: "cm-intel-text", textContent: doc }, dom);
  return dom;
}

function definitions(host: IntelHost): Extension {
  return EditorView.domEventHandlers({
    mousedown(event, view) {
      if (!(event.ctrlKey || event.metaKey) || event.button !== 0 || !isPython(host)) return false;
      const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
      if (pos === null) return false;
      event.preventDefault();
      api.definition(at(host, view.state, pos)).then((where) => {
        if (where && !where.stub) host.jump(where.file, where.line);
      }).catch(() => { /* nothing to go to */ });
      return true;
    },
  });
}

// --- all of it -------------------------------------------------------------------------

/** The editor's intelligence: its extensions, and what to call when the board changes. */
export class Intel {
  private checker: Checker;
  readonly extensions: Extension[];

  constructor(host: IntelHost) {
    this.checker = new Checker(host);
    this.extensions = [
      linter(this.checker.source, { delay: CHECK_AFTER_MS }), lintGutter(), this.checker.moved,
      autocompletion({ override: [completionSource(host)], activateOnTyping: true,
                       icons: true }),
      callTips(host), hoverDocs(host), definitions(host),
    ];
  }

  /** Check again now (the board changed, or another file did). */
  recheck(view: EditorView): void {
    this.checker.reset();
    this.checker.again(view);
  }

  /** A file was loaded into the editor: what was shown before was another file's. */
  loaded(): void {
    this.checker.reset();
  }
}
