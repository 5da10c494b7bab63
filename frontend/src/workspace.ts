// A project open for work: its files (tabs), the code editor, the boards beside it, and
// Download, Load and the panels. Every edit is saved as you type; a file another editor
// changes on disk is loaded again; nothing lives only in the page.

import { api, type BoardChoice, type FileInfo } from "./api";
import { BoardPanel } from "./board/panel";
import { carriesBoardFile, dropOnProject, PROJECT_FILE, type ProjectSide } from "./device/files";
import { DevicePanel, flashButton } from "./device/panel";
import { CodeEditor } from "./editor";
import { Intel } from "./intel";
import type { Link } from "./protocol";
import { element } from "./dom";

const SAVE_AFTER_MS = 300;
const WATCH_EVERY_MS = 1500;

export interface WorkspaceHooks {
  toLibrary(): void;
  say(message: string, trouble?: boolean): void;
  share(project: string, name: string): Promise<void>;
  snippets(insert: (code: string) => void): void;
  reference(board: "v1" | "v2", insert: (code: string) => void): void;
}

const BOARD_CHOICES: [BoardChoice, string][] = [["both", "V1 and V2"], ["v1", "V1"], ["v2", "V2"]];

export class Workspace {
  readonly root: HTMLElement;
  readonly editor: CodeEditor;
  readonly panels: BoardPanel[] = [];
  readonly device: DevicePanel; // the micro:bit on USB (hidden until its button is pressed)
  private files: FileInfo[] = [];
  private known = new Map<string, number>(); // file -> the change time we wrote or read
  private current = "";
  private dirty = false;
  private saveTimer = 0;
  private watchTimer = 0;
  private list: HTMLElement;
  private boardsHost: HTMLElement;
  private panes: HTMLElement;
  private codeHost: HTMLElement;
  private saving: Promise<void> = Promise.resolve();
  private intel: Intel;
  private boardChoice: HTMLSelectElement;

  constructor(readonly project: string, readonly name: string, private link: Link,
              private hooks: WorkspaceHooks, dark: boolean) {
    this.root = element("div", { className: "workspace" });
    this.device = new DevicePanel({
      ...this.projectSide(),
      jump: (file, line) => { this.jump(file, line); },
      main: () => this.panels[0]?.mainFile() || "main.py",
    });
    const bar = element("header", { className: "toolbar" }, this.root);
    const back = element("button", { type: "button", textContent: "◀ Projects" }, bar);
    back.addEventListener("click", () => hooks.toLibrary());
    element("h1", { textContent: name, className: "project-name" }, bar);
    this.downloadMenu(bar);
    flashButton(bar, this.device, hooks.say);
    this.loadButton(bar);
    element("button", { type: "button", textContent: "Share", className: "share" }, bar)
      .addEventListener("click", () => hooks.share(project, name));
    element("button", { type: "button", textContent: "Snippets", className: "snippets" }, bar)
      .addEventListener("click", () => hooks.snippets((code) => this.editor.insert(code)));
    element("button", { type: "button", textContent: "Reference", className: "reference",
                        title: "every part of the micro:bit's Python, with examples" }, bar)
      .addEventListener("click", () => hooks.reference(
        this.board() === "v1" ? "v1" : "v2", (code) => this.editor.insert(code)));
    this.boardChoice = this.boardSelector(bar);
    element("button", { type: "button", textContent: "Tidy", className: "tidy",
                        title: "lay the code out the standard way (Undo takes it back)" }, bar)
      .addEventListener("click", () => this.tidy());
    element("button", { type: "button", textContent: "+ Board", className: "add-board",
                        title: "another board beside it: boards hear each other's radio" }, bar)
      .addEventListener("click", () => this.addBoard());
    const usb = element("button", { type: "button", textContent: "USB micro:bit",
                                    className: "device-toggle",
                                    title: "a real micro:bit on this computer's USB" }, bar);
    usb.setAttribute("aria-pressed", "false");
    usb.addEventListener("click", () => {
      this.device.toggle();
      usb.setAttribute("aria-pressed", String(this.device.shown));
    });
    const zoomOut = element("button", { type: "button", textContent: "A−", title: "smaller" }, bar);
    const zoomIn = element("button", { type: "button", textContent: "A+", title: "bigger" }, bar);
    zoomOut.addEventListener("click", () => this.editor.zoomBy(-1));
    zoomIn.addEventListener("click", () => this.editor.zoomBy(1));
    const theme = element("button", { type: "button", textContent: "◐", title: "light / dark" },
                          bar);
    theme.addEventListener("click", () => {
      const darkNow = document.documentElement.classList.toggle("dark");
      localStorage.setItem("ubit-dark", darkNow ? "1" : "");
      this.editor.setDark(darkNow);
    });

    const main = this.panes = element("div", { className: "panes" }, this.root);
    const side = element("nav", { className: "files", ariaLabel: "files" }, main);
    this.list = element("ul", {}, side);
    element("button", { type: "button", textContent: "+ New file" }, side)
      .addEventListener("click", () => this.newFile());
    const code = this.codeHost = element("div", { className: "code" }, main);
    this.intel = new Intel({
      project: () => this.project,
      file: () => this.current,
      board: () => this.board(),
      jump: (file, line) => { this.jump(file, line); },
    });
    this.editor = new CodeEditor(code, (text) => this.edited(text), dark, this.intel.extensions);
    this.boardsHost = element("div", { className: "boards" }, main);
    this.boardsHost.appendChild(this.device.root);
    this.addBoard();
    side.addEventListener("dragover", (event) => {
      if (!carriesBoardFile(event)) return;
      event.preventDefault();
      side.classList.add("drop-here");
    });
    side.addEventListener("dragleave", () => side.classList.remove("drop-here"));
    side.addEventListener("drop", (event) => {
      side.classList.remove("drop-here");
      if (dropOnProject(event)) event.stopPropagation(); // a board's file: copied here
    });

    this.root.addEventListener("dragover", (event) => event.preventDefault());
    this.root.addEventListener("drop", (event) => {
      event.preventDefault();
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length) this.loadFiles(files);
    });
  }

  /** Open the project: its files, main.py (or the first) in the editor. */
  async open(): Promise<void> {
    await this.refresh();
    const first = this.files.find((f) => f.name === "main.py") ?? this.files[0];
    if (first) await this.show(first.name);
    this.watchTimer = window.setInterval(() => this.watch(), WATCH_EVERY_MS);
    this.link.open();
  }

  close(): void {
    window.clearInterval(this.watchTimer);
    for (const panel of this.panels) panel.close();
    this.device.close();
  }

  /** The page is going (reload, tab closed): send what waits to be saved, and don't wait. */
  leaving(): void {
    if (this.dirty && this.current) {
      window.clearTimeout(this.saveTimer);
      api.writeNow(this.project, this.current, this.editor.text());
    }
    this.close();
  }

  /** Put ``panel`` between the files and the code (a problem's statement, problems.ts). */
  beside(panel: HTMLElement): void {
    this.panes.insertBefore(panel, this.codeHost);
    this.panes.classList.add("with-problem");
  }

  fileNames(): string[] {
    return this.files.map((f) => f.name);
  }

  private async refresh(): Promise<void> {
    this.files = await api.files(this.project);
    this.list.replaceChildren();
    for (const file of this.files) {
      const item = element("li", { draggable: true }, this.list);
      item.addEventListener("dragstart", (event) => {
        event.dataTransfer?.setData(PROJECT_FILE, file.name);
        if (event.dataTransfer) event.dataTransfer.effectAllowed = "copy";
      });
      const open = element("button", { type: "button", textContent: file.name,
                                       className: file.name === this.current ? "open" : "" }, item);
      open.addEventListener("click", () => this.show(file.name));
      const rename = element("button", { type: "button", textContent: "✎",
                                         title: `rename ${file.name}` }, item);
      rename.addEventListener("click", () => this.renameFile(file.name));
      const remove = element("button", { type: "button", textContent: "✕",
                                         title: `delete ${file.name}` }, item);
      remove.addEventListener("click", () => this.deleteFile(file.name));
    }
    for (const panel of this.panels) panel.refreshFiles();
    this.device.projectChanged();
  }

  /** What a board's Files pane needs of the project (device/files.ts). */
  projectSide(): ProjectSide {
    return {
      project: () => this.project,
      files: () => this.fileNames(),
      refresh: () => this.refresh(),
      open: (name) => this.show(name),
      flush: () => this.flush(),
      say: (message, trouble) => this.hooks.say(message, trouble),
    };
  }

  /** Show ``name`` in the editor (saving the one shown first). */
  async show(name: string): Promise<void> {
    await this.flush();
    const bytes = await api.read(this.project, name);
    this.current = name;
    this.known.set(name, this.files.find((f) => f.name === name)?.mtime_ns ?? 0);
    this.intel.loaded();
    this.editor.load(new TextDecoder().decode(bytes));
    this.dirty = false;
    for (const item of this.list.querySelectorAll("button")) {
      item.classList.toggle("open", item.textContent === name);
    }
  }

  private edited(text: string): void {
    if (!this.current) return;
    this.dirty = true;
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.save(text), SAVE_AFTER_MS);
  }

  private save(text: string): Promise<void> {
    const name = this.current;
    this.saving = this.saving.then(async () => {
      try {
        const { mtime_ns } = await api.write(this.project, name, text);
        this.known.set(name, mtime_ns);
        if (name === this.current && this.editor.text() === text) this.dirty = false;
      } catch (error) {
        this.hooks.say(`${name} wasn't saved: ${(error as Error).message}`, true);
      }
    });
    return this.saving;
  }

  /** Save now what waits to be saved. */
  async flush(): Promise<void> {
    if (this.dirty && this.current) {
      window.clearTimeout(this.saveTimer);
      await this.save(this.editor.text());
    }
    await this.saving;
  }

  /** Follow changes made on disk by someone else. */
  private async watch(): Promise<void> {
    let files: FileInfo[];
    try {
      files = await api.files(this.project);
    } catch {
      return;
    }
    const names = (list: FileInfo[]) => list.map((f) => f.name).join("\n");
    if (names(files) !== names(this.files)) await this.refresh();
    this.files = files;
    const mine = files.find((f) => f.name === this.current);
    if (mine && !this.dirty && mine.mtime_ns !== this.known.get(this.current)) {
      const text = new TextDecoder().decode(await api.read(this.project, this.current));
      if (!this.dirty && text !== this.editor.text()) {
        this.intel.loaded();
        this.editor.load(text);
        this.hooks.say(`${this.current} changed on disk: loaded again`);
      }
      this.known.set(this.current, mine.mtime_ns);
    }
  }

  private async newFile(): Promise<void> {
    const name = prompt("Name of the new file (e.g. helpers.py):")?.trim();
    if (!name) return;
    await this.guard(async () => {
      if (this.files.some((f) => f.name === name)) throw new Error(`${name} exists already`);
      await api.write(this.project, name, "");
      await this.refresh();
      await this.show(name);
    });
  }

  private async renameFile(name: string): Promise<void> {
    const to = prompt(`Rename ${name} to:`, name)?.trim();
    if (!to || to === name) return;
    await this.guard(async () => {
      await this.flush();
      await api.renameFile(this.project, name, to);
      if (this.current === name) this.current = to;
      await this.refresh();
    });
  }

  private async deleteFile(name: string): Promise<void> {
    if (!confirm(`Delete ${name}? It can't be taken back.`)) return;
    await this.guard(async () => {
      await api.deleteFile(this.project, name);
      await this.refresh();
      if (this.current === name) {
        this.current = "";
        const next = this.files[0];
        if (next) await this.show(next.name);
        else this.editor.load("");
      }
    });
  }

  private downloadMenu(bar: HTMLElement): void {
    const group = element("span", { className: "download" }, bar);
    const go = element("button", { type: "button", textContent: "⬇ Download",
                                   className: "download-hex" }, group);
    const target = element("select", { title: "for which micro:bit" }, group);
    for (const [value, text] of [["universal", "V1 and V2"], ["v2", "V2 only"], ["v1", "V1 only"]]) {
      element("option", { value, textContent: text }, target);
    }
    go.addEventListener("click", () => this.guard(async () => {
      await this.flush();
      const blob = await api.hex(this.project, target.value);
      const link = element("a", { href: URL.createObjectURL(blob), download: `${this.name}.hex` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      this.hooks.say(`${this.name}.hex downloaded: copy it onto the MICROBIT drive`);
    }));
  }

  /** The boards the code is checked for (remembered per project). */
  board(): BoardChoice {
    return this.boardChoice.value as BoardChoice;
  }

  private boardSelector(bar: HTMLElement): HTMLSelectElement {
    const label = element("label", { className: "board-choice" }, bar);
    label.append("Check for ");
    const select = element("select", { className: "board-select",
                                       title: "the micro:bit the code is checked for" }, label);
    for (const [value, text] of BOARD_CHOICES) element("option", { value, textContent: text }, select);
    const key = `ubit-board:${this.project}`;
    const saved = localStorage.getItem(key);
    select.value = BOARD_CHOICES.some(([value]) => value === saved) ? saved! : "both";
    select.addEventListener("change", () => {
      localStorage.setItem(key, select.value);
      this.intel.recheck(this.editor.view);
      this.hooks.say(`the code is checked for ${select.selectedOptions[0].textContent}`);
    });
    return select;
  }

  private loadButton(bar: HTMLElement): void {
    const input = element("input", { type: "file", accept: ".py,.hex", multiple: true,
                                     className: "load-input", hidden: true }, bar);
    element("button", { type: "button", textContent: "⬆ Load", className: "load" }, bar)
      .addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      this.loadFiles([...(input.files ?? [])]);
      input.value = "";
    });
  }

  /** Add .py files to the project, or every file of a .hex. */
  async loadFiles(files: File[]): Promise<void> {
    await this.guard(async () => {
      await this.flush();
      const added: string[] = [];
      for (const file of files) {
        const result = await api.load(this.project, file.name, await file.arrayBuffer());
        added.push(...result.files);
      }
      await this.refresh();
      if (added.includes(this.current) || !this.current) {
        await this.show(added.includes("main.py") ? "main.py" : added[0]);
      }
      this.hooks.say(`loaded: ${added.join(", ")}`);
    });
  }

  /** Tidy the open file (black, on the server); Undo takes it back. */
  private async tidy(): Promise<void> {
    const name = this.current;
    if (!name.endsWith(".py")) {
      this.hooks.say(`${name} isn't a Python file: there is nothing to tidy`);
      return;
    }
    const text = this.editor.text();
    let tidied: string;
    try {
      tidied = (await api.tidy(name, text)).text;
    } catch (error) {
      const message = (error as Error).message;
      const line = /^[^:]*:(\d+):\d+: /.exec(message);
      if (line && name === this.current) this.editor.showError(Number(line[1]));
      this.hooks.say(message, true);
      return;
    }
    if (name !== this.current || this.editor.text() !== text) {
      this.hooks.say("not tidied: the code changed meanwhile (press Tidy again)", true);
    } else if (tidied === text) {
      this.hooks.say(`${name} is tidy already`);
    } else {
      this.editor.replaceAll(tidied); // an edit like any other: saved as you type
      this.hooks.say(`${name} tidied (Undo takes it back)`);
    }
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.hooks.say((error as Error).message, true);
    }
  }

  /** Another board beside the code (boards of one page hear each other's radio). */
  addBoard(): BoardPanel {
    const id = `b${this.panels.length + 1}`;
    const panel: BoardPanel = new BoardPanel(id, this.link, {
      project: () => this.project,
      files: () => this.fileNames(),
      beforePlay: () => this.flush(),
      jump: (file, line) => this.jump(file, line),
      error: (file, line) => this.jump(file, line, false),
      side: this.projectSide(),
    }, this.panels.length > 0, () => {
      panel.root.remove();
      this.panels.splice(this.panels.indexOf(panel), 1);
    });
    this.panels.push(panel);
    this.boardsHost.appendChild(panel.root);
    return panel;
  }

  /** Move to ``line`` of ``file`` and mark it (V1 calls main.py "__main__"). */
  async jump(file: string, line: number | null, focus = true): Promise<void> {
    if (line === null) {
      this.editor.showError(null);
      return;
    }
    const name = file === "__main__" ? this.panelsMain() : file;
    if (name !== this.current && this.files.some((f) => f.name === name)) await this.show(name);
    if (name === this.current) this.editor.showError(line);
    if (!focus) this.editor.view.contentDOM.blur();
  }

  private panelsMain(): string {
    return this.files.some((f) => f.name === "main.py") ? "main.py" : this.current;
  }
}
