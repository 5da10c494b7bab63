// The plotter: the numbers a board prints, drawn live (uPlot). It is fed raw serial bytes, so
// the virtual board's panel and a real board's terminal can both use it. Which lines are data
// follows ubit/device/series.py (the same cases, tests/plot_series_cases.json, test both).
//
// A print flood must not take the page down: lines are parsed as they come but the chart is
// redrawn at most once an animation frame, at most MAX_ROWS lines are kept (oldest dropped),
// and what is drawn is cut to two points per pixel column (each column's lowest and highest).

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./plotter.css";
import { element } from "./dom";

export const MAX_LINE = 1024; // characters in a line of data (series.py)
export const MAX_VALUES = 16; // numbers in one line
export const MAX_SERIES = 16; // series in one recording
export const MAX_ROWS = 20000; // lines of data kept
const HEIGHT = 220; // px of the chart

const NUMBER = String.raw`[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|nan)`;
const WHOLE_NUMBER = new RegExp(`^${NUMBER}$`);
const NAME = String.raw`[^ \t\x00-\x1f\x7f:,;()0-9+\-.][^ \t\x00-\x1f\x7f:,;]{0,31}`;
const PAIR = new RegExp(String.raw`(${NAME})[ \t]*:[ \t]*(${NUMBER})`, "y");
const SEPARATOR = /[ \t]*[,;][ \t]*|[ \t]+/y;
// distinct on the light and the dark page alike
const COLOURS = ["#2f6fdb", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0c8599", "#e67700",
                 "#5c940d", "#d6336c", "#1c7ed6", "#a61e4d", "#099268", "#f08c00", "#6741d9",
                 "#868e96", "#c92a2a"];
const WINDOWS: [string, number][] = [["last 10 s", 10], ["last 30 s", 30], ["last 60 s", 60],
                                     ["all", 0]];

export type Values = [string, string][]; // (series, the number as printed), in the line's order

/** The numbers of one printed line as [series, text] pairs, or null if it isn't data. */
export function parseLine(line: string): Values | null {
  line = line.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
  if (!line || line.length > MAX_LINE) return null;
  if (line.startsWith("(") && line.endsWith(")")) return tuple(line.slice(1, -1));
  return pairs(line);
}

function tuple(inside: string): Values | null {
  const items = inside.split(",").map((item) => item.replace(/^[ \t]+|[ \t]+$/g, ""));
  if (items.length > 1 && items[items.length - 1] === "") items.pop(); // (7,)
  if (items.length > MAX_VALUES || !items.every((item) => WHOLE_NUMBER.test(item))) return null;
  return items.map((item, index) => [`y${index + 1}`, item]);
}

function pairs(line: string): Values | null {
  const values: Values = [];
  let at = 0;
  for (;;) {
    PAIR.lastIndex = at;
    const found = PAIR.exec(line);
    if (!found) return null;
    values.push([found[1], found[2]]);
    at = PAIR.lastIndex;
    if (at === line.length) break;
    SEPARATOR.lastIndex = at;
    if (!SEPARATOR.exec(line)) return null;
    at = SEPARATOR.lastIndex;
    if (at === line.length) break; // Arduino sketches often end a line of pairs with a comma
  }
  const names = new Set(values.map(([name]) => name));
  if (values.length > MAX_VALUES || names.size !== values.length) return null;
  return values;
}

/** The value of a number as parseLine found it (Python's inf and nan too). */
export function numberOf(text: string): number {
  const bare = text.replace(/^\+/, "");
  if (bare === "inf") return Infinity;
  if (bare === "-inf") return -Infinity;
  if (bare.endsWith("nan")) return NaN;
  return Number(text);
}

/** Serial bytes in any pieces → whole lines (a line split across pieces is joined); what
 *  waits for its end is bounded, so output without newlines can't grow the memory. */
export class Lines {
  private decoder = new TextDecoder();
  private held = "";
  private skipping = false; // in a line too long to be data, or one cut by lost bytes

  feed(data: Uint8Array): string[] {
    const parts = (this.held + this.decoder.decode(data, { stream: true })).split("\n");
    this.held = parts.pop()!;
    const lines: string[] = [];
    for (const part of parts) {
      if (this.skipping) this.skipping = false;
      else lines.push(part.endsWith("\r") ? part.slice(0, -1) : part);
    }
    if (this.held.length > MAX_LINE) {
      this.held = "";
      this.skipping = true;
    }
    return lines;
  }

  /** Bytes were lost before the next piece: the line they cut isn't read. */
  lost(): void {
    this.held = "";
    this.skipping = true;
  }

  reset(): void {
    this.decoder = new TextDecoder();
    this.held = "";
    this.skipping = false;
  }
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The lines of data seen (at most MAX_ROWS, in a ring) with their arrival times. */
class Recording {
  times = new Float64Array(MAX_ROWS); // seconds since the first line of data
  // a column per series: NaN where a line has no value for it (the plot's line goes on past
  // it), Infinity where it printed inf or nan (the plot's line has a gap there)
  values: Float64Array[] = [];
  texts: string[][] = new Array(MAX_ROWS); // each line's numbers as printed, by column
  columns: string[] = [];
  ignored = new Set<string>(); // series past MAX_SERIES, left out
  start = 0; // where the oldest line is in the ring
  count = 0;
  dropped = 0;
  private t0: number | null = null;

  add(now: number, values: Values): boolean {
    const texts: string[] = [];
    for (const [name, text] of values) {
      let column = this.columns.indexOf(name);
      if (column < 0) {
        if (this.columns.length >= MAX_SERIES) {
          this.ignored.add(name);
          continue;
        }
        column = this.columns.push(name) - 1;
        this.values.push(new Float64Array(MAX_ROWS).fill(NaN));
      }
      texts[column] = text;
    }
    if (texts.length === 0) return false;
    this.t0 ??= now;
    let at: number;
    if (this.count === MAX_ROWS) {
      at = this.start;
      this.start = (this.start + 1) % MAX_ROWS;
      this.dropped += 1;
    } else {
      at = (this.start + this.count) % MAX_ROWS;
      this.count += 1;
    }
    this.times[at] = now - this.t0;
    this.texts[at] = texts;
    this.values.forEach((column, index) => {
      const value = texts[index] === undefined ? NaN : numberOf(texts[index]);
      column[at] = texts[index] !== undefined && !Number.isFinite(value) ? Infinity : value;
    });
    return true;
  }

  /** Where the i-th oldest line is in the ring. */
  at(i: number): number {
    return (this.start + i) % MAX_ROWS;
  }

  /** The first line at or after ``time`` (count if none). */
  firstFrom(time: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.times[this.at(middle)] < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  csv(): string {
    const out = [["time", ...this.columns.map(csvField)].join(",")];
    for (let i = 0; i < this.count; i++) {
      const at = this.at(i);
      const texts = this.texts[at];
      out.push([this.times[at].toFixed(3), ...this.columns.map((_, c) => texts[c] ?? "")]
        .join(","));
    }
    return out.join("\n") + "\n";
  }
}

export class Plotter {
  /** The rules, for tests: the page's parser is checked against series.py's cases. */
  static readonly parseLine = parseLine;
  static readonly Lines = Lines;
  readonly root: HTMLElement;
  private lines = new Lines();
  private data = new Recording();
  private chart: uPlot | null = null;
  private chartHost: HTMLElement;
  private status: HTMLElement;
  private pauseButton: HTMLButtonElement;
  private windowChoice: HTMLSelectElement;
  private paused = false;
  private frame = 0;
  private range: [number, number] = [0, 1];
  private ink = "#1d1d22";
  private gridInk = "#d7d7de";
  private observers: { disconnect(): void }[] = [];

  constructor(host: HTMLElement, private fileName = "plot") {
    this.root = element("section", { className: "plotter" }, host);
    this.root.setAttribute("aria-label", "Plotter");
    this.root.dataset.points = "0";
    const bar = element("div", { className: "plotter-bar" }, this.root);
    this.pauseButton = element("button", { type: "button", className: "plotter-pause",
                                           textContent: "Pause" }, bar);
    this.pauseButton.setAttribute("aria-pressed", "false");
    const label = element("label", { className: "plotter-window", textContent: "Show " }, bar);
    this.windowChoice = element("select", {}, label);
    for (const [text, seconds] of WINDOWS) {
      element("option", { value: String(seconds), textContent: text }, this.windowChoice);
    }
    this.windowChoice.value = "30";
    const save = element("button", { type: "button", className: "plotter-csv",
                                     textContent: "Export CSV" }, bar);
    const clear = element("button", { type: "button", className: "plotter-clear",
                                      textContent: "Clear" }, bar);
    this.status = element("span", { className: "plotter-status" }, bar);
    this.chartHost = element("div", { className: "plotter-chart" }, this.root);
    this.hint();
    this.pauseButton.addEventListener("click", () => this.setPaused(!this.paused));
    this.windowChoice.addEventListener("change", () => this.schedule());
    save.addEventListener("click", () => this.download());
    clear.addEventListener("click", () => this.clear());
    const resized = new ResizeObserver(() => {
      this.chart?.setSize({ width: this.width(), height: HEIGHT });
      this.schedule();
    });
    resized.observe(this.chartHost);
    const themed = new MutationObserver(() => {
      this.readInk();
      this.chart?.redraw(false);
    });
    themed.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    this.observers = [resized, themed];
    this.showStatus();
  }

  /** Serial output as it came (any pieces): its lines of numbers are recorded and drawn. */
  feed(data: Uint8Array): void {
    const now = performance.now() / 1000;
    let added = false;
    for (const line of this.lines.feed(data)) {
      const values = parseLine(line);
      if (values && this.data.add(now, values)) added = true;
    }
    if (added) this.schedule();
  }

  /** Serial bytes were lost (a flood the link couldn't carry): the line they cut is skipped. */
  lost(): void {
    this.lines.lost();
  }

  clear(): void {
    this.data = new Recording();
    this.lines.reset();
    this.dropChart();
    this.schedule();
  }

  /** What was recorded, the numbers as printed: ``time,<series...>`` and a row per line. */
  csv(): string {
    return this.data.csv();
  }

  /** Lines of numbers held (a point of each series per line). */
  points(): number {
    return this.data.count;
  }

  /** Lines of numbers taken since the last clear, the dropped ones too (for benchmarks). */
  received(): number {
    return this.data.count + this.data.dropped;
  }

  close(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    for (const observer of this.observers) observer.disconnect();
    this.dropChart();
    this.root.remove();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.pauseButton.textContent = paused ? "Resume" : "Pause";
    this.pauseButton.setAttribute("aria-pressed", String(paused));
    this.schedule();
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([this.csv()], { type: "text/csv" }));
    const link = element("a", { href: url, download: `${this.fileName}.csv` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private width(): number {
    return Math.max(100, this.chartHost.clientWidth);
  }

  private showStatus(): void {
    const data = this.data;
    this.root.dataset.points = String(data.count);
    let text = `${data.count.toLocaleString()} point${data.count === 1 ? "" : "s"}`;
    if (data.dropped) {
      text += ` (the last ${MAX_ROWS.toLocaleString()} kept: ` +
        `${data.dropped.toLocaleString()} older dropped)`;
    }
    if (data.ignored.size) text += `; over ${MAX_SERIES} series: ${data.ignored.size} left out`;
    if (this.paused) text += " — paused";
    this.status.textContent = text;
  }

  private draw(): void {
    this.frame = 0;
    this.showStatus();
    if (this.paused || this.data.count === 0 || this.chartHost.clientWidth === 0) {
      if (this.data.count === 0) this.dropChart();
      return;
    }
    if (this.chart && this.chart.series.length !== this.data.columns.length + 1) this.dropChart();
    const shown = this.shown(this.width());
    if (!this.chart) this.makeChart(shown);
    else this.chart.setData(shown);
  }

  /** The lines in the chosen window, at most two points per pixel column. */
  private shown(width: number): uPlot.AlignedData {
    const data = this.data;
    const last = data.times[data.at(data.count - 1)];
    const window = Number(this.windowChoice.value);
    const from = window ? data.firstFrom(last - window) : 0;
    this.range = window ? [Math.max(0, last - window), Math.max(window, last)]
      : [0, Math.max(last, 1)];
    const rows = data.count - from;
    const xs: number[] = [];
    const ys: (number | null | undefined)[][] = data.columns.map(() => []);
    // uPlot draws over undefined (no value on that line) but breaks the line at null
    const finite = (v: number): number | null | undefined =>
      (Number.isFinite(v) ? v : Number.isNaN(v) ? undefined : null);
    if (rows <= width * 2) {
      for (let i = from; i < data.count; i++) {
        const at = data.at(i);
        xs.push(data.times[at]);
        data.values.forEach((column, c) => ys[c].push(finite(column[at])));
      }
      return [xs, ...ys];
    }
    for (let bucket = 0; bucket < width; bucket++) {
      const first = from + Math.floor((rows * bucket) / width);
      const end = from + Math.floor((rows * (bucket + 1)) / width);
      if (end <= first) continue;
      xs.push(data.times[data.at(first)], data.times[data.at(end - 1)]);
      data.values.forEach((column, c) => {
        let low = Infinity, high = -Infinity, lowAt = -1, highAt = -1, gap = false;
        for (let i = first; i < end; i++) {
          const v = column[data.at(i)];
          if (!Number.isFinite(v)) {
            gap ||= !Number.isNaN(v);
            continue;
          }
          if (v < low) { low = v; lowAt = i; }
          if (v > high) { high = v; highAt = i; }
        }
        if (lowAt < 0) ys[c].push(gap ? null : undefined, gap ? null : undefined);
        else if (lowAt <= highAt) ys[c].push(low, high);
        else ys[c].push(high, low);
      });
    }
    return [xs, ...ys];
  }

  private readInk(): void {
    const style = getComputedStyle(this.root);
    this.ink = style.color || this.ink;
    this.gridInk = style.getPropertyValue("--line").trim() || this.gridInk;
  }

  private makeChart(data: uPlot.AlignedData): void {
    this.chartHost.replaceChildren();
    this.readInk();
    const axis = (): uPlot.Axis => ({
      stroke: () => this.ink,
      grid: { stroke: () => this.gridInk, width: 1 },
      ticks: { stroke: () => this.gridInk, width: 1 },
    });
    this.chart = new uPlot({
      width: this.width(),
      height: HEIGHT,
      scales: { x: { time: false, range: () => this.range } },
      series: [
        { label: "seconds", value: (_u, v) => (v == null ? "–" : v.toFixed(2)) },
        ...this.data.columns.map((name, index) => ({
          label: name, stroke: COLOURS[index % COLOURS.length], width: 1.5,
          points: { show: false },
        })),
      ],
      axes: [{ ...axis(), label: "seconds" }, { ...axis(), size: 56 }],
      cursor: { drag: { x: false, y: false } }, // a zoom would be undone by the next line
    }, data, this.chartHost);
  }

  private hint(): void {
    element("p", { className: "plotter-hint", textContent:
      "Print numbers to plot them: print((x, y)) or print('temp:', t)." }, this.chartHost);
  }

  private dropChart(): void {
    if (!this.chart) return;
    this.chart.destroy();
    this.chart = null;
    this.hint();
  }
}
