// One virtual micro:bit beside the code: its picture, its controls, its serial terminal,
// and Play / Stop / Reset / Mute with a choice of V2 or V1 and of the file it runs.

import { FilesPane, type ProjectSide } from "../device/files";
import { DataLogToggle } from "../datalog";
import type { Board, Link } from "../protocol";
import { errorLine, SerialTerminal } from "../terminal";
import { Plotter } from "../plotter";
import { BoardSound } from "./audio";
import { Controls } from "./controls";
import { BoardPicture } from "./svg";
import { element } from "../dom";

export interface PanelHost {
  project(): string; // the project a Play runs
  files(): string[]; // its .py files, to choose what runs as main.py
  beforePlay(): Promise<void>; // save what is being edited
  jump(file: string, line: number): void; // a traceback line was clicked
  error(file: string, line: number | null): void; // the program ended with an error there
  side?: ProjectSide; // the project, for the board's Files pane
}

export class BoardPanel {
  readonly root: HTMLElement;
  readonly picture: BoardPicture;
  readonly terminal: SerialTerminal;
  readonly datalog: DataLogToggle; // a V2's data log (shown with the "Data log" button)
  readonly plotter: Plotter; // the numbers it prints, drawn (shown with the "Plotter" button)
  readonly sound = new BoardSound();
  board: Board | null = null;
  private controls: Controls | null = null;
  private latched = new Set<string>();
  private version: HTMLSelectElement;
  private main: HTMLSelectElement;
  private status: HTMLElement;
  private controlsHost: HTMLElement;
  private output = "";
  files: FilesPane | null = null; // made the first time "Files" is pressed

  constructor(readonly id: string, private link: Link, private host: PanelHost,
              private removable: boolean, onRemove: () => void) {
    this.root = element("section", { className: "board-panel" });
    this.root.dataset.board = id;
    const bar = element("div", { className: "board-bar" }, this.root);
    const play = element("button", { type: "button", className: "play",
                                     textContent: "▶ Play" }, bar);
    const stop = element("button", { type: "button", textContent: "■ Stop" }, bar);
    const reset = element("button", { type: "button", textContent: "↺ Reset" }, bar);
    const mute = element("button", { type: "button", textContent: "Mute" }, bar);
    mute.setAttribute("aria-pressed", "false");
    const plot = element("button", { type: "button", className: "plotter-toggle",
                                     textContent: "Plotter" }, bar);
    plot.setAttribute("aria-pressed", "false");
    this.version = element("select", { title: "which micro:bit" }, bar);
    for (const v of ["v2", "v1"]) element("option", { value: v, textContent: v.toUpperCase() },
                                          this.version);
    this.main = element("select", { title: "the file it runs as main.py" }, bar);
    if (removable) {
      const remove = element("button", { type: "button", textContent: "✕",
                                         title: "remove this board" }, bar);
      remove.addEventListener("click", () => { this.board?.close(); onRemove(); });
    }
    this.status = element("span", { className: "board-status", textContent: "stopped" }, bar);
    this.picture = new BoardPicture({
      press: (input, down) => this.press(input, down),
      latch: (input) => this.latch(input),
    });
    this.root.appendChild(this.picture.svg);
    this.root.appendChild(this.picture.strips.root);
    const term = element("div", { className: "terminal" }, this.root);
    const plotHost = element("div", { className: "plotter-host", hidden: true }, this.root);
    this.plotter = new Plotter(plotHost, `board-${id}-plot`);
    plot.addEventListener("click", () => {
      plotHost.hidden = !plotHost.hidden;
      plot.setAttribute("aria-pressed", String(!plotHost.hidden));
    });
    this.filesToggle(bar);
    const sensors = element("details", { className: "sensors", open: true }, this.root);
    this.datalog = new DataLogToggle(bar, this.root, this.status, sensors);
    element("summary", { textContent: "Sensors and pins" }, sensors);
    this.controlsHost = element("div", { className: "controls-host" }, sensors);
    this.terminal = new SerialTerminal(term, (data) => this.board?.writeSerial(data),
                                       (file, line) => this.host.jump(file, line));
    play.addEventListener("click", () => this.play());
    stop.addEventListener("click", () => this.board?.stop());
    reset.addEventListener("click", () => this.board?.reset());
    mute.addEventListener("click", () => {
      this.sound.setMuted(!this.sound.muted);
      mute.setAttribute("aria-pressed", String(this.sound.muted));
      mute.textContent = this.sound.muted ? "Muted" : "Mute"; // words: an emoji font may be missing
    });
    this.refreshFiles();
  }

  /** Offer the project's .py files to run (main.py first). */
  refreshFiles(): void {
    const chosen = this.main.value;
    const files = this.host.files().filter((f) => f.endsWith(".py"));
    this.main.replaceChildren(...files.map((f) => element("option", { value: f, textContent: f })));
    if (files.includes(chosen)) this.main.value = chosen;
    else if (files.includes("main.py")) this.main.value = "main.py"; // not the first by name
    this.files?.projectChanged();
  }

  /** The file chosen to run as main.py. */
  mainFile(): string {
    return this.main.value;
  }

  /** A "Files" button that shows the board's files beside the project's (device/files.ts). */
  private filesToggle(bar: HTMLElement): void {
    const side = this.host.side;
    if (!side) return;
    const toggle = element("button", { type: "button", textContent: "Files",
                                       className: "board-files-toggle",
                                       title: "this board's files, to copy to and from the project" },
                           bar);
    toggle.setAttribute("aria-expanded", "false");
    const paneHost = element("div", { className: "board-files-host", hidden: true }, this.root);
    toggle.addEventListener("click", () => {
      if (!this.files) {
        this.files = new FilesPane(this.link.boardFiles(this.id), side, `board ${this.id}`);
        paneHost.appendChild(this.files.root);
      }
      paneHost.hidden = !paneHost.hidden;
      toggle.setAttribute("aria-expanded", String(!paneHost.hidden));
      if (!paneHost.hidden) {
        this.files.projectChanged();
        this.files.refresh();
      }
    });
  }

  setMain(file: string): void {
    this.refreshFiles();
    this.main.value = file;
  }

  /** Run the project on a fresh board. */
  async play(): Promise<void> {
    await this.host.beforePlay();
    this.board?.close();
    this.sound.silence();
    this.picture.hush();
    this.terminal.clear();
    this.datalog.clear();
    this.plotter.clear();
    this.output = "";
    this.latched.clear();
    this.host.error("", null);
    this.setStatus("starting…");
    this.board = this.link.play(this.id, this.host.project(), this.main.value || "main.py",
                                this.version.value, {
      ready: (ready) => {
        this.setStatus(`running (${ready.board.label})`);
        this.files?.refreshIfShown(); // a fresh board: the project's files
        this.picture.describe(ready.board.label, new Set(ready.inputs.map((i) => i.id)),
                              new Set(ready.parts.map((p) => p.id)), Object.keys(ready.state));
        this.picture.show(ready.state);
        this.controls = new Controls(this.board!);
        this.controls.build(ready.inputs, ready.state);
        this.controlsHost.replaceChildren(this.controls.root);
        this.datalog.ready(ready);
      },
      state: (part, value) => {
        this.picture.show({ [part]: value });
        this.controls?.show(part, value);
        this.datalog.state(part, value);
      },
      reset: (state) => {
        this.sound.silence();
        this.picture.hush();
        this.picture.show(state);
        this.datalog.reset(state);
      },
      serial: (data, dropped) => {
        if (dropped) this.terminal.note(`(${dropped} bytes of fast output not shown)`);
        this.terminal.write(data);
        if (dropped) this.plotter.lost();
        this.plotter.feed(data);
        this.output = (this.output + new TextDecoder().decode(data)).slice(-4000);
        this.markError();
      },
      audio: (event, t) => {
        this.sound.play(event);
        this.picture.hear(event, t);
      },
      error: (message) => this.terminal.note(`! ${message}`),
      exit: (status, error) => {
        this.sound.silence();
        this.picture.hush();
        this.setStatus(status === "ok" ? "ended" : `ended (${error ?? status})`);
      },
    }, `board ${this.id}`);
  }

  /** A traceback has come out whole (its last line, the error, too): mark the error's line. */
  private markError(): void {
    const start = this.output.lastIndexOf("Traceback (most recent call last):");
    if (start < 0) return;
    const lines = this.output.slice(start).split(/\r?\n/);
    const complete = lines.slice(1).some((line) => /^\w+(Error|Exception|Interrupt)\b/.test(line));
    if (!complete) return;
    const found = errorLine(this.output.slice(start));
    if (found) this.host.error(found.file, found.line);
    this.output = this.output.slice(start + 1); // each traceback marks once
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    this.root.dataset.status = text;
  }

  private press(input: string, down: boolean): void {
    if (!this.board?.has(input) || this.latched.has(input)) return;
    this.board.set(input, down);
    this.picture.show({ [input]: down });
  }

  private latch(input: string): void {
    if (!this.board?.has(input)) return;
    const on = !this.latched.has(input);
    if (on) this.latched.add(input);
    else this.latched.delete(input);
    this.board.set(input, on);
    this.picture.show({ [input]: on });
    this.picture.latched(input, on);
  }

  close(): void {
    this.board?.close();
    this.sound.silence();
    this.picture.hush();
    this.plotter.close();
  }
}
