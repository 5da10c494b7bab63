// Problems: the library's list of problems (Start makes an attempt, a project like any other,
// or opens the one there is), and in an attempt the statement beside the code with a Check
// button that runs the problem's tests on the server and shows each result, its feedback
// and hint, and what the display showed.
// Keyboard: every part is a button or text in the reading order; Check is in the panel's
// header and its results are announced (aria-live); Alt+Shift+C checks from anywhere.

import "./problems.css";
import { api, type CheckResults, type ProblemInfo, type ProblemSummary,
         type TestResult } from "./api";
import { element } from "./dom";

type Say = (message: string, trouble?: boolean) => void;

// -- Markdown ------------------------------------------------------------------------------
// A small renderer for what a statement needs: headings, paragraphs, lists, quotes, code
// blocks, inline code, bold and italics. It builds DOM nodes with textContent, never HTML
// from the text, so nothing in a statement can run or fetch anything; a link shows its text
// and an image its description (no remote content).

const INLINE = new RegExp([
  "(`+)([\\s\\S]+?)\\1", // code
  "\\*\\*(?=\\S)([\\s\\S]+?)\\*\\*", // bold
  "__(?=\\S)([\\s\\S]+?)__",
  "\\*(?=[^\\s*])([\\s\\S]+?)\\*", // italics
  "(?<![\\w])_(?=[^\\s_])([\\s\\S]+?)_(?![\\w])",
  "!?\\[([^\\]]*)\\]\\(([^)]*)\\)", // a link or image: its text only
].join("|"), "g");

/** ``text``'s inline Markdown as nodes appended to ``parent``. */
function inline(text: string, parent: Node): void {
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index! > at) parent.appendChild(document.createTextNode(text.slice(at, match.index)));
    at = match.index! + match[0].length;
    if (match[1] !== undefined) element("code", { textContent: match[2].trim() || match[2] }, parent);
    else if (match[3] !== undefined || match[4] !== undefined) {
      inline(match[3] ?? match[4], element("strong", {}, parent));
    } else if (match[5] !== undefined || match[6] !== undefined) {
      inline(match[5] ?? match[6], element("em", {}, parent));
    } else inline(match[7], parent);
  }
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}

const LIST_ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

/** Markdown ``source`` as safe DOM nodes (headings start at ``<h${top}>``). */
export function renderMarkdown(source: string, top = 3): DocumentFragment {
  const out = document.createDocumentFragment();
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let paragraph: string[] = [];
  let list: HTMLElement | null = null;
  let item: HTMLElement | null = null;
  let itemText: string[] = [];
  const endItem = () => {
    if (item) inline(itemText.join(" "), item);
    item = null;
    itemText = [];
  };
  const endBlocks = () => {
    if (paragraph.length) inline(paragraph.join(" "), element("p", {}, out));
    paragraph = [];
    endItem();
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s{0,3}(```+|~~~+)/.exec(line);
    if (fence) {
      endBlocks();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) {
        code.push(lines[i]);
      }
      element("code", { textContent: code.join("\n") }, element("pre", {}, out));
      continue;
    }
    if (!line.trim()) {
      // a blank line ends a paragraph; a list goes on if its next item follows
      if (paragraph.length) endBlocks();
      endItem();
      if (list && !LIST_ITEM.test(lines[i + 1] ?? "")) list = null;
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      endBlocks();
      const level = Math.min(6, heading[1].length + top - 1) as 1 | 2 | 3 | 4 | 5 | 6;
      inline(heading[2], element(`h${level}`, {}, out));
      continue;
    }
    const listItem = LIST_ITEM.exec(line);
    if (listItem) {
      const kind = listItem[1] ? "UL" : "OL";
      if (paragraph.length) endBlocks();
      endItem();
      if (!list || list.tagName !== kind) list = element(kind === "UL" ? "ul" : "ol", {}, out);
      item = element("li", {}, list);
      itemText = [listItem[3]];
      continue;
    }
    if (item && /^\s/.test(line)) {
      itemText.push(line.trim()); // the item goes on, indented
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (quote) {
      endBlocks();
      inline(quote[1], element("p", {}, element("blockquote", {}, out)));
      continue;
    }
    if (list) endBlocks();
    paragraph.push(line.trim());
  }
  endBlocks();
  return out;
}

// -- the library's problems ------------------------------------------------------------------

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The "Problems" part of the library: each problem with Start (or Continue). */
export class ProblemList {
  readonly root: HTMLElement;
  private list: HTMLElement;

  constructor(private open: (project: string, name: string) => void, private say: Say) {
    this.root = element("section", { className: "problems-section" });
    this.root.setAttribute("aria-labelledby", "problems-heading");
    element("h2", { id: "problems-heading", textContent: "Problems" }, this.root);
    element("p", { className: "problems-hint", textContent:
      "Start one to get its statement beside your code; Check runs its tests." }, this.root);
    this.list = element("ul", { className: "problems" }, this.root);
  }

  async show(): Promise<void> {
    let problems: ProblemSummary[];
    try {
      problems = await api.problems();
    } catch (error) {
      this.say(`the problems didn't load: ${(error as Error).message}`, true);
      return;
    }
    this.list.replaceChildren();
    for (const problem of problems) {
      const item = element("li", { className: "problem-item" }, this.list);
      item.dataset.problem = problem.id;
      element("span", { className: "problem-title", textContent: problem.title }, item);
      element("span", { className: "meta", textContent:
        `${problem.board.toUpperCase()}, ${plural(problem.tests, "test")}, ` +
        `${plural(problem.total, "mark")}${problem.attempt ? ", started" : ""}` }, item);
      const start = element("button", { type: "button", className: "start-problem",
                                        textContent: problem.attempt ? "Continue" : "Start" },
                            item);
      start.setAttribute("aria-label", `${start.textContent} ${problem.title}`);
      start.addEventListener("click", () => this.start(problem));
    }
  }

  private async start(problem: ProblemSummary): Promise<void> {
    try {
      const { id, name, existing } = await api.startProblem(problem.id);
      this.say(existing ? `${name}: your attempt so far` : `${name}: started from the starter`);
      this.open(id, name);
    } catch (error) {
      this.say((error as Error).message, true);
    }
  }
}

// -- an attempt: the statement and Check ---------------------------------------------------

/** What the problem panel needs of the workspace. */
export interface ProblemHost {
  project: string;
  flush(): Promise<void>;
  beside(panel: HTMLElement): void;
}

/** If ``host``'s project is a problem's attempt, show its statement and Check beside the code. */
export async function attachProblem(host: ProblemHost, say: Say): Promise<ProblemPanel | null> {
  try {
    const problem = await api.projectProblem(host.project);
    if (!problem) return null;
    const panel = new ProblemPanel(host, problem, say);
    host.beside(panel.root);
    return panel;
  } catch (error) {
    say(`the problem didn't load: ${(error as Error).message}`, true);
    return null;
  }
}

export class ProblemPanel {
  readonly root: HTMLElement;
  readonly checkButton: HTMLButtonElement;
  private results: HTMLElement;
  private summary: HTMLElement;
  private progress: HTMLElement;
  private running = false;

  constructor(private host: ProblemHost, readonly problem: ProblemInfo, private say: Say) {
    this.root = element("aside", { className: "problem-panel" });
    this.root.setAttribute("aria-labelledby", "problem-heading");
    const head = element("div", { className: "problem-head" }, this.root);
    element("h2", { id: "problem-heading", textContent: "Problem" }, head);
    this.checkButton = element("button", { type: "button", className: "check-problem",
                                           textContent: "✓ Check",
                                           title: "run the problem's tests on your code " +
                                                  "(Alt+Shift+C)" }, head);
    this.checkButton.setAttribute("aria-keyshortcuts", "Alt+Shift+C");
    this.checkButton.addEventListener("click", () => this.check());
    const statement = element("div", { className: "problem-statement" }, this.root);
    statement.appendChild(renderMarkdown(problem.statement));
    element("p", { className: "problem-marks", textContent:
      `${plural(problem.tests.length, "test")}, ${plural(problem.total, "mark")}.` }, statement);

    const section = element("section", { className: "problem-results" }, this.root);
    section.setAttribute("aria-labelledby", "results-heading");
    element("h3", { id: "results-heading", textContent: "Results" }, section);
    this.progress = element("div", { className: "check-progress", hidden: true }, section);
    element("progress", {}, this.progress).setAttribute("aria-label", "checking");
    element("span", { textContent: `Running ${plural(problem.tests.length, "test")} on your ` +
                                    "code…" }, this.progress);
    this.summary = element("p", { className: "check-total", tabIndex: -1,
                                  textContent: "Press Check to run the tests on your code." },
                           section);
    this.summary.setAttribute("aria-live", "polite");
    this.results = element("ol", { className: "test-results" }, section);
    document.addEventListener("keydown", this.shortcut);
    window.addEventListener("hashchange", this.leave);
  }

  private shortcut = (event: KeyboardEvent) => {
    if (event.altKey && event.shiftKey && event.code === "KeyC" && this.root.isConnected) {
      event.preventDefault();
      this.check();
    }
  };

  private leave = () => {
    document.removeEventListener("keydown", this.shortcut);
    window.removeEventListener("hashchange", this.leave);
  };

  /** Save, run the tests on the server, and show how each went. */
  async check(): Promise<CheckResults | null> {
    if (this.running) return null;
    this.running = true;
    this.checkButton.disabled = true;
    this.checkButton.textContent = "Checking…";
    this.root.setAttribute("aria-busy", "true");
    this.progress.hidden = false;
    this.results.replaceChildren();
    this.summary.textContent = "";
    try {
      await this.host.flush();
      const outcome = await api.checkProblem(this.host.project);
      this.show(outcome);
      this.say(`checked: ${outcome.marks} of ${outcome.total} marks`);
      return outcome;
    } catch (error) {
      this.summary.textContent = `The tests didn't run: ${(error as Error).message}`;
      this.say((error as Error).message, true);
      return null;
    } finally {
      this.running = false;
      this.checkButton.disabled = false;
      this.checkButton.textContent = "✓ Check";
      this.root.removeAttribute("aria-busy");
      this.progress.hidden = true;
    }
  }

  private show(outcome: CheckResults): void {
    const all = outcome.passed === outcome.results.length;
    this.summary.textContent = `${outcome.marks} of ${plural(outcome.total, "mark")}: ` +
      `${outcome.passed} of ${plural(outcome.results.length, "test")} passed` +
      (all ? ". Well done!" : ".");
    this.summary.classList.toggle("full", all);
    for (const result of outcome.results) this.results.appendChild(testItem(result));
  }
}

function testItem(result: TestResult): HTMLElement {
  const item = element("li", { className: `test-result ${result.passed ? "passed" : "failed"}` });
  item.dataset.test = result.name;
  const head = element("div", { className: "test-head" }, item);
  element("span", { className: "verdict", textContent: result.passed ? "✓ Passed" : "✗ Failed" },
          head);
  element("span", { className: "test-label", textContent: result.label }, head);
  element("span", { className: "test-marks",
                    textContent: `${result.marks}/${plural(result.out_of, "mark")}` }, head);
  if (result.feedback) element("pre", { className: "feedback", textContent: result.feedback }, item);
  if (result.hint) {
    const hint = element("p", { className: "hint" }, item);
    element("strong", { textContent: "Hint: " }, hint);
    hint.append(result.hint);
  }
  const end = element("div", { className: "test-end" }, item);
  if (result.display.length === 5) end.appendChild(drawDisplay(result.display));
  if (result.text) element("span", { textContent: `It showed: “${result.text}”` }, end);
  return item;
}

/** The 5×5 display as squares as bright as its LEDs (0–9), as the marking reports draw it. */
function drawDisplay(rows: string[]): HTMLElement {
  const grid = element("div", { className: "led-grid" });
  grid.setAttribute("role", "img");
  const drawing = rows.map((row) => [...row].map((c) => (c === "0" ? "." : c === "9" ? "#" : c))
                                            .join(""));
  grid.setAttribute("aria-label", `the display at the end: ${drawing.join(" / ")}`);
  grid.title = drawing.join("\n");
  for (const row of rows) {
    for (const digit of row.slice(0, 5)) {
      const level = Number(digit) || 0;
      const cell = element("span", {}, grid);
      cell.style.background = level ? `rgba(255, 40, 40, ${(level / 9).toFixed(2)})` : "";
    }
  }
  return grid;
}
