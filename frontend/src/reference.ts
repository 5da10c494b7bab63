// The API reference: every name of the micro:bit's Python (from the stubs, by the server),
// grouped by module, searchable, each with its signature, doc and an example that runs;
// "Insert" puts the example at the cursor. It follows the board the code is checked for
// (V1: the V1's names; otherwise V2's, the V2-only ones badged).
// Keyboard as the snippets panel: the search box has the focus; ↓ / Enter go to the first
// result, ↑ / ↓ move between results, Escape closes and gives the focus back.

import "./intel.css";
import { api, type Reference, type ReferenceEntry } from "./api";
import { panelKey } from "./panelkeys";
import { element } from "./dom";

type Say = (message: string, trouble?: boolean) => void;
type Board = "v1" | "v2";

const loaded = new Map<Board, Promise<Reference>>(); // the stubs don't change while it's open
let shown: ReferencePanel | null = null;

/** Open the reference for ``board`` (or go to its search box if it is open for it). */
export function referencePanel(board: Board, insert: (code: string) => void, say: Say): void {
  if (shown?.board === board) {
    shown.focus();
    return;
  }
  shown?.close();
  const panel = new ReferencePanel(board, insert, say, () => {
    if (shown === panel) shown = null;
  });
  shown = panel;
  if (!loaded.has(board)) loaded.set(board, api.reference(board));
  loaded.get(board)!.then((reference) => panel.fill(reference)).catch((error: Error) => {
    loaded.delete(board); // try again next time
    panel.close();
    say(`the reference didn't load: ${error.message}`, true);
  });
}

interface Item {
  entry: ReferenceEntry;
  card: HTMLElement;
  insert: HTMLButtonElement;
  text: string; // what the search looks in, lower case
}

class ReferencePanel {
  readonly root: HTMLElement;
  private search: HTMLInputElement;
  private count: HTMLElement;
  private list: HTMLElement;
  private items: Item[] = [];
  private groups: { section: HTMLElement; items: Item[] }[] = [];
  private returnFocus: Element | null = document.activeElement;

  constructor(readonly board: Board, private insertCode: (code: string) => void,
              private say: Say, private closed: () => void) {
    this.root = element("div", { className: "dialog reference-panel" });
    this.root.setAttribute("role", "dialog");
    this.root.setAttribute("aria-modal", "false"); // the code stays usable beside it
    this.root.setAttribute("aria-labelledby", "reference-heading");
    const head = element("div", { className: "reference-head" }, this.root);
    element("h2", { id: "reference-heading",
                    textContent: `Reference (micro:bit ${board.toUpperCase()})` }, head);
    const close = element("button", { type: "button", textContent: "✕", className: "close",
                                      title: "close (Escape)" }, head);
    close.setAttribute("aria-label", "close the reference");
    close.addEventListener("click", () => this.close(true));
    this.search = element("input", { type: "search", className: "reference-search",
                                     placeholder: "Search: display.scroll, pin, sound…",
                                     autocomplete: "off", spellcheck: false }, this.root);
    this.search.setAttribute("aria-label", "search the reference");
    this.search.setAttribute("aria-controls", "reference-list");
    this.count = element("p", { className: "reference-count", textContent: "Loading…" },
                         this.root);
    this.count.setAttribute("aria-live", "polite");
    this.list = element("div", { className: "reference-list", id: "reference-list" }, this.root);
    this.search.addEventListener("input", () => this.filter());
    this.root.addEventListener("keydown", (event) => this.key(event));
    window.addEventListener("hashchange", this.leave);
    document.body.appendChild(this.root);
    this.search.focus();
  }

  private leave = () => this.close();

  focus(): void {
    this.search.focus();
    this.search.select();
  }

  close(giveBackFocus = false): void {
    if (!this.root.isConnected) return;
    this.root.remove();
    window.removeEventListener("hashchange", this.leave);
    this.closed();
    if (giveBackFocus && this.returnFocus instanceof HTMLElement && this.returnFocus.isConnected) {
      this.returnFocus.focus();
    }
  }

  /** Show the reference, a section per module in the order they came. */
  fill(reference: Reference): void {
    if (!this.root.isConnected) return;
    this.list.replaceChildren();
    for (const module of reference.modules) {
      const section = element("section", { className: "reference-module" }, this.list);
      const title = element("h3", {}, section);
      title.append(module.name);
      if (module.v2_only) this.badge(title);
      if (module.doc) element("p", { className: "reference-module-doc",
                                     textContent: module.doc.split("\n\n")[0] }, section);
      const group = { section, items: [] as Item[] };
      for (const entry of reference.entries.filter((e) => e.module === module.name)) {
        const item = this.card(entry, section);
        group.items.push(item);
        this.items.push(item);
      }
      this.groups.push(group);
    }
    this.filter();
  }

  private badge(parent: HTMLElement): void {
    element("span", { className: "badge v2", textContent: "V2 only",
                      title: "needs a micro:bit V2: it doesn't work on a V1" }, parent);
  }

  private card(entry: ReferenceEntry, section: HTMLElement): Item {
    const card = element("article", { className: "reference-entry" }, section);
    const full = entry.module === "microbit" ? entry.name : `${entry.module}.${entry.name}`;
    card.dataset.name = full;
    const head = element("div", { className: "reference-title" }, card);
    element("h4", { textContent: full }, head);
    element("span", { className: "reference-kind", textContent: entry.kind }, head);
    if (entry.v2_only) this.badge(head);
    element("code", { className: "reference-signature", textContent: entry.signature }, card);
    if (entry.doc) element("p", { className: "reference-doc", textContent: entry.doc }, card);
    const pre = element("pre", { className: "reference-example" }, card);
    element("code", { textContent: entry.example }, pre);
    const insert = element("button", { type: "button", className: "insert",
                                       textContent: "Insert" }, card);
    insert.setAttribute("aria-label", `insert the example of ${full}`);
    insert.addEventListener("click", () => this.insert(entry, full));
    const text = [entry.module, full, `${entry.module}.${entry.name}`, entry.kind, entry.doc,
                  entry.signature].join("\n").toLowerCase();
    return { entry, card, insert, text };
  }

  private insert(entry: ReferenceEntry, full: string): void {
    this.close();
    this.insertCode(entry.example);
    this.say(`inserted the example of ${full}` + (entry.v2_only ? ": it needs a micro:bit V2" : ""));
  }

  /** Show the entries that have every word of the search (in any order). */
  private filter(): void {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let matching = 0;
    for (const item of this.items) {
      const hit = words.every((word) => item.text.includes(word));
      item.card.hidden = !hit;
      if (hit) matching += 1;
    }
    for (const group of this.groups) {
      group.section.hidden = group.items.every((item) => item.card.hidden);
    }
    const query = this.search.value.trim();
    this.count.textContent = matching === 0 ? `Nothing matches “${query}”.`
      : words.length ? `${matching} of ${this.items.length} names match “${query}”.`
      : `${this.items.length} names.`;
  }

  private visibleButtons(): HTMLButtonElement[] {
    return this.items.filter((item) => !item.card.hidden).map((item) => item.insert);
  }

  private key(event: KeyboardEvent): void {
    panelKey(event, this.search, this.visibleButtons(), () => this.close(true),
             ".reference-entry");
  }
}
