// The V2 data log (the `log` module) as a learner watches it: a live table, a chart of
// any numeric column, and Download CSV. Fed with the board's published `log` values
// (docs/board-protocol.md: {lines, erased, full}), or with a real board's log read from
// its MICROBIT drive (readBoardLog, GET /api/devices/datalog).

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./datalog.css";
import { sessionToken } from "./api";
import { element } from "./dom";

/** One published `log` value: the new CSV lines (`erased`: forget the lines had so far). */
export interface LogValue {
  lines: string[];
  erased?: boolean;
  full?: boolean;
}

/** A real board's log as the editor's server read it from the board's drive. */
export interface BoardLog {
  csv: string;
  drive: string;
  full: boolean;
  lines: number;
}

const MAX_ROWS = 500; // rows in the DOM: a long log stays light to scroll and to update
const TIME = /^Time \((milliseconds|seconds|minutes|hours|days)\)$/; // CODAL's heading

/** Columns a heading line named; `cols` maps each of its fields to a table column. */
interface Section {
  names: string[];
  cols: number[];
  added: string[]; // columns this heading brought in
}

interface Row {
  fields: string[];
  section: number;
}

function numeric(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export class DataLogView {
  readonly root: HTMLElement;
  chart: uPlot | null = null;
  private lines: string[] = [];
  private full = false;
  private columns: string[] = []; // every column any heading named, in order of first use
  private keys = new Map<string, number>();
  private sections: Section[] = [];
  private data: Row[] = [];
  private summary: HTMLElement;
  private fullNote: HTMLElement;
  private note: HTMLElement;
  private select: HTMLSelectElement;
  private download: HTMLButtonElement;
  private scroller: HTMLElement;
  private table: HTMLTableElement;
  private chartHost: HTMLElement;
  private chartCaption: HTMLElement;
  private groups: HTMLTableRowElement[][] = []; // the table rows of each data row shown
  private renderedTo = 0; // data rows before this one are in the table (or were dropped)
  private renderedColumns = -1;
  private chartKey = "";
  private pending = 0;
  private shown = true;

  constructor(host: HTMLElement, options: { readBoard?: boolean } = {}) {
    this.root = element("section", { className: "datalog" }, host);
    this.root.setAttribute("aria-label", "Data log");
    const bar = element("div", { className: "datalog-bar" }, this.root);
    element("strong", { textContent: "Data log" }, bar);
    this.summary = element("span", { className: "datalog-summary" }, bar);
    this.download = element("button", { type: "button", className: "datalog-download",
                                         textContent: "Download CSV" }, bar);
    this.download.addEventListener("click", () => this.save());
    if (options.readBoard) {
      const read = element("button", { type: "button", className: "datalog-read",
                                       textContent: "Read log from the micro:bit drive" }, bar);
      read.addEventListener("click", async () => {
        read.disabled = true;
        this.say("reading the micro:bit's drive…");
        try {
          const log = await readBoardLog();
          this.showCsv(log.csv, log.full);
          this.say(log.csv ? `from the micro:bit at ${log.drive}`
                           : `the data log on ${log.drive} is empty`);
        } catch (e) {
          this.say(e instanceof Error ? e.message : String(e), true);
        } finally {
          read.disabled = false;
        }
      });
    }
    this.fullNote = element("p", { className: "datalog-full", hidden: true,
      textContent: "Log full: the board logs no more rows (log.delete() empties it)." },
      this.root);
    this.fullNote.setAttribute("role", "status");
    this.note = element("p", { className: "datalog-note", hidden: true }, this.root);
    this.note.setAttribute("role", "status");
    this.scroller = element("div", { className: "datalog-rows", tabIndex: 0 }, this.root);
    this.scroller.setAttribute("role", "region");
    this.scroller.setAttribute("aria-label", "Data log rows (newest last)");
    this.table = element("table", {}, this.scroller);
    const chartBar = element("div", { className: "datalog-chart-bar" }, this.root);
    const label = element("label", { textContent: "Chart " }, chartBar);
    this.select = element("select", { className: "datalog-column" }, label);
    this.select.addEventListener("change", () => this.schedule());
    this.chartCaption = element("span", { className: "datalog-caption" }, chartBar);
    this.chartHost = element("div", { className: "datalog-chart" }, this.root);
    this.chartHost.setAttribute("role", "img");
    new ResizeObserver(() => this.fit()).observe(this.chartHost);
    // the chart's axes are drawn on a canvas: CSS can't recolour them for the dark theme
    new MutationObserver(() => { this.chartKey = ""; this.schedule(); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    this.schedule();
  }

  /** Take one published `log` value (from a state message, or a ready/reset snapshot). */
  apply(value: LogValue): void {
    if (value.erased) this.forget();
    for (const line of value.lines ?? []) this.take(line);
    this.full = Boolean(value.full);
    this.schedule();
  }

  /** The CSV text as the board holds it (the same as `ubit run --log-csv` writes). */
  csv(): string {
    return this.lines.map((line) => line + "\n").join("");
  }

  /** Data rows logged (heading lines not counted). */
  rows(): number {
    return this.data.length;
  }

  /** Forget the log (a new run starts with none). */
  clear(): void {
    this.forget();
    this.full = false;
    this.say("");
    this.schedule();
  }

  /** Show a whole CSV text (a real board's log) in place of what was shown. */
  showCsv(csv: string, full = false): void {
    const lines = csv.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    this.apply({ lines, erased: true, full });
  }

  /** The view is on screen (or not): nothing is drawn while it is hidden. */
  setShown(shown: boolean): void {
    this.shown = shown;
    if (shown) this.schedule();
  }

  /** The numeric columns a chart can draw. */
  numericColumns(): string[] {
    const x = this.timeColumn();
    return this.columns.filter((_, c) => c !== x && this.data.some(
      (row) => numeric(this.cell(row, c)) !== null));
  }

  private forget(): void {
    this.lines = [];
    this.columns = [];
    this.keys.clear();
    this.sections = [];
    this.data = [];
    this.renderedColumns = -1;
  }

  /** One CSV line: a heading when it names more columns than the heading before it (the
   *  board writes a heading only when columns are added; rows have one field a column). */
  private take(line: string): void {
    this.lines.push(line);
    const fields = line.split(",");
    const section = this.sections[this.sections.length - 1];
    if (section && fields.length <= section.names.length) {
      this.data.push({ fields, section: this.sections.length - 1 });
      return;
    }
    const seen = new Map<string, number>();
    const added: string[] = [];
    const cols = fields.map((name) => {
      const n = seen.get(name) ?? 0; // the same name twice is two columns
      seen.set(name, n + 1);
      const key = `${name}\u0000${n}`;
      let col = this.keys.get(key);
      if (col === undefined) {
        col = this.columns.length;
        this.keys.set(key, col);
        this.columns.push(name);
        added.push(name);
      }
      return col;
    });
    this.sections.push({ names: fields, cols, added });
  }

  private cell(row: Row, col: number): string | undefined {
    const at = this.sections[row.section].cols.indexOf(col);
    return at < 0 ? undefined : row.fields[at];
  }

  private timeColumn(): number {
    return this.columns.findIndex((name) => TIME.test(name));
  }

  private say(text: string, trouble = false): void {
    this.note.textContent = text;
    this.note.hidden = !text;
    this.note.classList.toggle("trouble", trouble);
  }

  private save(): void {
    const a = element("a", { download: "microbit-log.csv" });
    a.href = URL.createObjectURL(new Blob([this.csv()], { type: "text/csv" }));
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  /** Draw at most once a frame, however fast lines arrive. */
  private schedule(): void {
    if (this.pending || !this.shown) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  private render(): void {
    const total = this.data.length;
    this.summary.textContent = total === 0 ? "nothing logged yet"
      : `${total} row${total === 1 ? "" : "s"}, ${this.columns.length} column` +
        `${this.columns.length === 1 ? "" : "s"}` +
        (total > MAX_ROWS ? ` (the last ${MAX_ROWS} shown)` : "");
    this.download.disabled = this.lines.length === 0;
    this.fullNote.hidden = !this.full;
    this.renderTable();
    this.renderChoices();
    this.renderChart();
  }

  private renderTable(): void {
    const atBottom = this.scroller.scrollTop + this.scroller.clientHeight >=
      this.scroller.scrollHeight - 4;
    const body = this.table.tBodies[0];
    if (!body || this.renderedColumns !== this.columns.length ||
        this.renderedTo > this.data.length) {
      this.table.replaceChildren();
      const head = this.table.createTHead().insertRow();
      element("th", { textContent: "#", scope: "col" }, head);
      for (const name of this.columns) {
        element("th", { textContent: name || "(no name)", scope: "col" }, head);
      }
      this.table.createTBody();
      this.groups = [];
      this.renderedTo = Math.max(this.data.length - MAX_ROWS, 0);
      this.renderedColumns = this.columns.length;
    }
    const rows = this.table.tBodies[0];
    for (let i = Math.max(this.renderedTo, this.data.length - MAX_ROWS); i < this.data.length; i++) {
      this.groups.push(this.rowElements(rows, i));
    }
    this.renderedTo = this.data.length;
    // the DOM stays bounded: the oldest rows go (with the heading mark above them)
    for (const group of this.groups.splice(0, Math.max(this.groups.length - MAX_ROWS, 0))) {
      for (const tr of group) tr.remove();
    }
    if (atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Data row `i` as table rows: a mark first where a heading added columns. */
  private rowElements(body: HTMLTableSectionElement, i: number): HTMLTableRowElement[] {
    const row = this.data[i];
    const made: HTMLTableRowElement[] = [];
    if (i > 0 && this.data[i - 1].section !== row.section) {
      const added = this.sections[row.section].added;
      const mark = body.insertRow();
      mark.className = "datalog-heading";
      element("td", { colSpan: this.columns.length + 1, textContent: added.length
        ? `new column${added.length === 1 ? "" : "s"} from here: ${added.join(", ")}`
        : "the same columns again" }, mark);
      made.push(mark);
    }
    const tr = body.insertRow();
    element("th", { textContent: String(i + 1), scope: "row" }, tr);
    for (let c = 0; c < this.columns.length; c++) {
      const value = this.cell(row, c);
      const td = tr.insertCell();
      td.textContent = value ?? "";
      if (value === undefined) td.className = "absent";
    }
    made.push(tr);
    return made;
  }

  private renderChoices(): void {
    const choices = this.numericColumns();
    const now = [...this.select.options].map((o) => o.value);
    if (now.join("\u0000") === ["", ...choices].join("\u0000")) return;
    const chosen = this.select.value;
    this.select.replaceChildren(element("option", { value: "", textContent: "none" }),
      ...choices.map((name) => element("option", { value: name, textContent: name })));
    // the first numeric column is drawn until the learner chooses
    this.select.value = choices.includes(chosen) ? chosen
      : (chosen === "" && now.length > 1 ? "" : choices[0] ?? "");
  }

  /** The chosen column against time (or the row number): [xs, ys] and what x is. */
  chartData(): { x: string; xs: number[]; ys: (number | null)[] } | null {
    const col = this.columns.indexOf(this.select.value);
    if (!this.select.value || col < 0) return null;
    const t = this.timeColumn();
    let xs: number[] = [];
    const ys: (number | null)[] = [];
    let x = t >= 0 ? this.columns[t] : "row";
    if (t >= 0) {
      for (const row of this.data) {
        const tx = numeric(this.cell(row, t));
        if (tx === null) continue;
        xs.push(tx);
        ys.push(numeric(this.cell(row, col)));
      }
      // timestamps that go back (a board reset between runs) can't be an x axis
      if (xs.some((v, i) => i > 0 && v < xs[i - 1])) {
        xs = [];
        ys.length = 0;
        x = "row";
      }
    }
    if (x === "row") {
      this.data.forEach((row, i) => {
        xs.push(i + 1);
        ys.push(numeric(this.cell(row, col)));
      });
    }
    return { x, xs, ys };
  }

  private renderChart(): void {
    const data = this.chartData();
    this.chartHost.hidden = data === null || data.xs.length === 0;
    if (data === null || data.xs.length === 0) {
      this.chart?.destroy();
      this.chart = null;
      this.chartKey = "";
      this.chartCaption.textContent = this.columns.length && !this.numericColumns().length
        ? "no numeric column to draw" : "";
      return;
    }
    const name = this.select.value;
    this.chartCaption.textContent = `${name} against ${data.x === "row" ? "the row number"
      : data.x}`;
    this.chartHost.setAttribute("aria-label", `chart of ${name} against ${data.x}`);
    const key = `${name}\u0000${data.x}`;
    const aligned: uPlot.AlignedData = [data.xs, data.ys];
    if (this.chart && this.chartKey === key) {
      this.chart.setData(aligned);
      return;
    }
    this.chart?.destroy();
    const style = getComputedStyle(this.root);
    const fg = style.color;
    const grid = style.getPropertyValue("--line").trim() || "#888";
    const accent = style.getPropertyValue("--accent").trim() || "#2f6fdb";
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    this.chart = new uPlot({
      width: Math.max(this.chartHost.clientWidth, 200),
      height: 200,
      legend: { show: false },
      scales: { x: { time: false } },
      axes: [{ ...axis, label: data.x === "row" ? "row" : data.x }, { ...axis }],
      series: [{}, { label: name, stroke: accent, width: 2, spanGaps: true,
                     points: { show: data.xs.length <= 60 } }],
    }, aligned, this.chartHost);
    this.chartKey = key;
  }

  private fit(): void {
    const width = this.chartHost.clientWidth;
    if (this.chart && width > 0 && Math.abs(width - this.chart.width) > 2) {
      this.chart.setSize({ width, height: 200 });
    }
  }
}

/** A real board's data log, read by the editor's server from the board's MICROBIT drive
 *  (`drive`: its folder; default the one plugged in). Throws an Error with one line. */
export async function readBoardLog(drive?: string): Promise<BoardLog> {
  const query = drive ? `?drive=${encodeURIComponent(drive)}` : "";
  let response: Response;
  try {
    response = await fetch(`/api/devices/datalog${query}`,
                           { headers: { "X-Ubit-Token": sessionToken() } });
  } catch {
    throw new Error("the editor's server doesn't answer: is `ubit editor` still running?");
  }
  let body: any = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON: the status line says what happened */
  }
  if (!response.ok || body === null) {
    throw new Error(body?.error ?? `${response.status} ${response.statusText}`);
  }
  return body as BoardLog;
}

/** The "Data log" toggle of a board panel and the view it opens: shown for boards that
 *  have a `log` part (a V2), fed from the board's messages. */
export class DataLogToggle {
  readonly button: HTMLButtonElement;
  readonly view: DataLogView;

  constructor(bar: HTMLElement, panel: HTMLElement, beforeButton: Node | null = null,
              beforeView: Node | null = null) {
    this.button = element("button", { type: "button", className: "datalog-toggle",
                                       textContent: "Data log", hidden: true });
    this.button.setAttribute("aria-pressed", "false");
    bar.insertBefore(this.button, beforeButton);
    const host = element("div", { className: "datalog-host" });
    panel.insertBefore(host, beforeView);
    this.view = new DataLogView(host);
    this.show(false);
    this.button.addEventListener("click", () => this.show(!this.pressed()));
  }

  pressed(): boolean {
    return this.button.getAttribute("aria-pressed") === "true";
  }

  /** Open or close the view. */
  show(on: boolean): void {
    this.button.setAttribute("aria-pressed", String(on));
    this.view.root.hidden = !on || this.button.hidden;
    this.view.setShown(!this.view.root.hidden);
  }

  /** A board is ready: the toggle only for boards with a data log; its log so far. */
  ready(ready: { parts: { id: string }[]; state: Record<string, any> }): void {
    this.button.hidden = !ready.parts.some((part) => part.id === "log");
    this.view.clear();
    if (ready.state.log) this.view.apply(ready.state.log);
    this.show(this.pressed());
  }

  state(part: string, value: any): void {
    if (part === "log") this.view.apply(value);
  }

  reset(state: Record<string, any>): void {
    if (state.log) this.view.apply(state.log);
  }

  clear(): void {
    this.view.clear();
  }
}
