// Snippets: a searchable panel of short programs for every part of the micro:bit.
// It sits beside the code (not over it), grouped by topic; "Insert" puts a snippet at the
// cursor, or a snippet can be dragged onto the code (CodeMirror takes dropped text/plain).
// Keyboard: the search box has the focus; ↓ / Enter go to the first result, ↑ / ↓ move
// between results, Escape closes and gives the focus back.

import { api, type Snippet } from "./api";
import { panelKey } from "./panelkeys";
import { element } from "./dom";

type Say = (message: string, trouble?: boolean) => void;

const v2Only = (snippet: Snippet) => !snippet.boards.includes("v1");

let loaded: Promise<Snippet[]> | null = null; // the snippets don't change while the page is open
let shown: SnippetsPanel | null = null;

/** Open the snippets panel (or, if it is open, go to its search box). */
export function snippetsPanel(insert: (code: string) => void, say: Say): void {
  if (shown) {
    shown.focus();
    return;
  }
  const panel = new SnippetsPanel(insert, say, () => { shown = null; });
  shown = panel;
  loaded ??= api.snippets();
  loaded.then((snippets) => panel.fill(snippets)).catch((error: Error) => {
    loaded = null; // try again next time
    panel.close();
    say(`the snippets didn't load: ${error.message}`, true);
  });
}

interface Entry {
  snippet: Snippet;
  card: HTMLElement;
  insert: HTMLButtonElement;
  text: string; // what the search looks in, lower case
}

class SnippetsPanel {
  readonly root: HTMLElement;
  private search: HTMLInputElement;
  private count: HTMLElement;
  private list: HTMLElement;
  private entries: Entry[] = [];
  private topics: { section: HTMLElement; entries: Entry[] }[] = [];
  private returnFocus: Element | null = document.activeElement;

  constructor(private insertCode: (code: string) => void, private say: Say,
              private closed: () => void) {
    this.root = element("div", { className: "dialog snippets-panel" });
    this.root.setAttribute("role", "dialog");
    this.root.setAttribute("aria-modal", "false"); // the code stays usable: drop snippets on it
    this.root.setAttribute("aria-labelledby", "snippets-heading");
    const head = element("div", { className: "snippets-head" }, this.root);
    element("h2", { id: "snippets-heading", textContent: "Snippets" }, head);
    const close = element("button", { type: "button", textContent: "✕", className: "close",
                                      title: "close (Escape)" }, head);
    close.setAttribute("aria-label", "close the snippets");
    close.addEventListener("click", () => this.close(true));
    this.search = element("input", { type: "search", className: "snippets-search",
                                     placeholder: "Search: scroll, button, sound, radio…",
                                     autocomplete: "off", spellcheck: false }, this.root);
    this.search.setAttribute("aria-label", "search the snippets");
    this.search.setAttribute("aria-controls", "snippet-list");
    element("p", { className: "snippets-hint", textContent:
      "Insert puts a snippet at the cursor, or drag one onto your code." }, this.root);
    this.count = element("p", { className: "snippets-count", textContent: "Loading snippets…" },
                         this.root);
    this.count.setAttribute("aria-live", "polite");
    this.list = element("div", { className: "snippet-list", id: "snippet-list" }, this.root);

    this.search.addEventListener("input", () => this.filter());
    this.root.addEventListener("keydown", (event) => this.key(event));
    window.addEventListener("hashchange", this.leave); // the project closed: so does the panel
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

  /** Show ``snippets``, grouped by topic in the order they came. */
  fill(snippets: Snippet[]): void {
    if (!this.root.isConnected) return;
    this.list.replaceChildren();
    const sections = new Map<string, { section: HTMLElement; entries: Entry[] }>();
    for (const snippet of snippets) {
      let topic = sections.get(snippet.topic);
      if (!topic) {
        const section = element("section", { className: "snippet-topic" }, this.list);
        element("h3", { textContent: snippet.topic }, section);
        topic = { section, entries: [] };
        sections.set(snippet.topic, topic);
        this.topics.push(topic);
      }
      const entry = this.card(snippet, topic.section);
      topic.entries.push(entry);
      this.entries.push(entry);
    }
    this.filter();
  }

  private card(snippet: Snippet, section: HTMLElement): Entry {
    const card = element("article", { className: "snippet", draggable: true,
                                      title: "drag onto your code, or press Insert" }, section);
    card.dataset.title = snippet.title;
    const head = element("div", { className: "snippet-title" }, card);
    element("h4", { textContent: snippet.title }, head);
    if (v2Only(snippet)) {
      element("span", { className: "badge v2", textContent: "V2 only",
                        title: "needs a micro:bit V2: it doesn't work on a V1" }, head);
    }
    element("p", { className: "description", textContent: snippet.description }, card);
    if (snippet.needs) element("p", { className: "needs", textContent: `Try it: ${snippet.needs}` },
                               card);
    const pre = element("pre", { className: "snippet-code" }, card);
    element("code", { textContent: snippet.code }, pre);
    const insert = element("button", { type: "button", className: "insert",
                                       textContent: "Insert" }, card);
    insert.setAttribute("aria-label", `insert ${snippet.title}`);
    insert.addEventListener("click", () => this.insert(snippet));

    card.addEventListener("dragstart", (event) => {
      if (!event.dataTransfer) return;
      event.dataTransfer.setData("text/plain", snippet.code);
      event.dataTransfer.effectAllowed = "copy";
      // see through the panel (and drop through it) while dragging; after the browser
      // has taken its picture of the card
      setTimeout(() => this.root.classList.add("dragging"), 0);
    });
    card.addEventListener("dragend", () => this.root.classList.remove("dragging"));
    const text = [snippet.topic, snippet.title, snippet.description, snippet.needs,
                  snippet.code].join("\n").toLowerCase();
    return { snippet, card, insert, text };
  }

  private insert(snippet: Snippet): void {
    this.close();
    this.insertCode(snippet.code);
    this.say(`inserted “${snippet.title}”` +
             (v2Only(snippet) ? ": it needs a micro:bit V2 (V2 only)" : ""));
  }

  /** Show the snippets that have every word of the search (in any order). */
  private filter(): void {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let matching = 0;
    for (const entry of this.entries) {
      const hit = words.every((word) => entry.text.includes(word));
      entry.card.hidden = !hit;
      if (hit) matching += 1;
    }
    for (const topic of this.topics) {
      topic.section.hidden = topic.entries.every((entry) => entry.card.hidden);
    }
    const query = this.search.value.trim();
    this.count.textContent = matching === 0 ? `No snippet matches “${query}”.`
      : words.length ? `${matching} of ${this.entries.length} snippets match “${query}”.`
      : `${this.entries.length} snippets.`;
  }

  private visibleButtons(): HTMLButtonElement[] {
    return this.entries.filter((entry) => !entry.card.hidden).map((entry) => entry.insert);
  }

  private key(event: KeyboardEvent): void {
    panelKey(event, this.search, this.visibleButtons(), () => this.close(true), ".snippet");
  }
}
