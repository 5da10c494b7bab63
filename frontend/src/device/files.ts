// The Files pane: a board's files beside the project's, and copies both ways (buttons, or
// drag and drop). The board is anything with a FilesChannel: the micro:bit on USB or a
// virtual board of the page, so one pane serves both.

import type { BoardFile, BoardListing, FilesChannel, Message, Progress } from "../protocol";
import { element } from "../dom";

/** The project side of a copy: what the workspace lends the pane. */
export interface ProjectSide {
  project(): string;
  files(): string[]; // the project's file names
  refresh(): Promise<void>; // the project's files changed on disk (a get)
  open(name: string): Promise<void>; // show a project file in the editor
  flush(): Promise<void>; // save what is being edited (before a put)
  say(message: string, trouble?: boolean): void;
}

/** Drag types: a board file dragged onto the project, a project file dragged onto a board. */
export const BOARD_FILE = "application/x-ubit-board-file";
export const PROJECT_FILE = "application/x-ubit-project-file";

// The board file being dragged, and whose it is (a drag's data can't hold the pane itself).
let dragged: { pane: FilesPane; name: string } | null = null;

/** A drop on the project's file list: a board file is copied into the project (true). */
export function dropOnProject(event: DragEvent): boolean {
  if (!dragged || !event.dataTransfer?.types.includes(BOARD_FILE)) return false;
  event.preventDefault();
  const { pane, name } = dragged;
  dragged = null;
  pane.toProject(name);
  return true;
}

/** Whether a drag over the project's file list carries a board file (so it may drop there). */
export function carriesBoardFile(event: DragEvent): boolean {
  return !!event.dataTransfer?.types.includes(BOARD_FILE);
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export class FilesPane {
  readonly root: HTMLElement;
  listing: BoardListing | null = null;
  private list: HTMLUListElement;
  private free: HTMLElement;
  private choice: HTMLSelectElement;
  private bar: HTMLProgressElement;
  private barRow: HTMLElement;
  private note: HTMLElement;
  private work: Promise<unknown> = Promise.resolve();

  constructor(private channel: FilesChannel, private side: ProjectSide, label: string) {
    this.root = element("section", { className: "board-files", ariaLabel: `files on ${label}` });
    const head = element("div", { className: "board-files-head" }, this.root);
    element("h3", { textContent: `Files on ${label}` }, head);
    this.free = element("span", { className: "board-files-free" }, head);
    element("button", { type: "button", textContent: "↻ Refresh", className: "board-files-refresh",
                        title: "list the board's files again" }, head)
      .addEventListener("click", () => this.refresh());
    this.list = element("ul", { className: "board-file-list", tabIndex: -1 }, this.root);
    this.list.setAttribute("aria-label", `files on ${label}`);
    element("p", { className: "board-files-hint", textContent:
      "Drag files here from the project or the desktop; drag one from here onto the " +
      "project's files to copy it there. Reading or copying files stops the program " +
      "running on the board (Restart runs main.py again)." }, this.root);

    const put = element("div", { className: "board-files-put" }, this.root);
    const choose = element("label", {}, put);
    choose.append("Project file ");
    this.choice = element("select", { className: "board-files-choice" }, choose);
    element("button", { type: "button", textContent: "➡ to board", className: "board-files-send",
                        title: "copy the chosen project file onto the board" }, put)
      .addEventListener("click", () => {
        if (this.choice.value) this.toBoard(this.choice.value);
      });
    const input = element("input", { type: "file", multiple: true, hidden: true }, put);
    element("button", { type: "button", textContent: "From this computer…",
                        className: "board-files-upload" }, put)
      .addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      for (const file of input.files ?? []) this.fromDesktop(file);
      input.value = "";
    });

    this.barRow = element("div", { className: "board-files-progress", hidden: true }, this.root);
    this.bar = element("progress", {}, this.barRow);
    this.bar.setAttribute("aria-label", "copy progress");
    this.note = element("p", { className: "board-files-note", role: "status" }, this.root);

    this.list.addEventListener("dragover", (event) => {
      if (this.acceptsDrop(event)) {
        event.preventDefault();
        this.list.classList.add("drop-here");
      }
    });
    this.list.addEventListener("dragleave", () => this.list.classList.remove("drop-here"));
    this.list.addEventListener("drop", (event) => this.drop(event));
    this.projectChanged();
  }

  /** The project's files changed: offer them to copy. */
  projectChanged(): void {
    const chosen = this.choice.value;
    const names = this.side.files();
    this.choice.replaceChildren(...names.map((n) => element("option", { value: n, textContent: n })));
    if (names.includes(chosen)) this.choice.value = chosen;
  }

  /** List the board's files again (a failure is told in the pane only: a board not
   *  running yet is no news worth the page's status line). */
  refresh(): Promise<void> {
    return this.queue(async () => {
      this.listing = await this.channel.files();
      this.show();
    }, null, false);
  }

  /** List the files again if the pane is on the screen (the board restarted, say). */
  refreshIfShown(): void {
    if (this.root.isConnected && this.root.offsetParent !== null) this.refresh();
  }

  /** Copy a board file into the project (asking before replacing a project file). */
  toProject(name: string, open = false): Promise<void> {
    return this.queue(async () => {
      const exists = this.side.files().includes(name);
      if (exists && !confirm(`The project has ${name} already: replace it with the board's?`)) {
        return;
      }
      await this.channel.get(name, this.side.project(), undefined, (p) => this.progress(p));
      await this.side.refresh();
      this.projectChanged();
      if (open) await this.side.open(name);
      this.tell(`${name} copied from the board into the project`);
    }, `copying ${name} into the project…`);
  }

  /** Get a board file into the project and show it in the editor. */
  open(name: string): Promise<void> {
    return this.toProject(name, true);
  }

  /** Copy a project file onto the board (what is being edited is saved first). */
  toBoard(name: string): Promise<void> {
    return this.transfer(name, async () => {
      await this.side.flush();
      return this.channel.put(name, { project: this.side.project() }, undefined,
                              (p) => this.progress(p));
    });
  }

  /** Copy a file from this computer onto the board. */
  fromDesktop(file: File): Promise<void> {
    return this.transfer(file.name, async () => {
      const data = new Uint8Array(await file.arrayBuffer());
      return this.channel.put(file.name, { data }, undefined, (p) => this.progress(p));
    });
  }

  /** Delete a board file (after asking). */
  remove(name: string): Promise<void> {
    if (!confirm(`Delete ${name} from the board? It can't be taken back.`)) {
      return Promise.resolve();
    }
    return this.queue(async () => {
      await this.channel.rm(name);
      this.tell(`${name} deleted from the board`);
      this.listing = await this.channel.files();
      this.show();
    }, `deleting ${name}…`);
  }

  private transfer(name: string, send: () => Promise<Message>): Promise<void> {
    return this.queue(async () => {
      await send();
      this.tell(`${name} copied onto the board`);
      this.listing = await this.channel.files();
      this.show();
    }, `copying ${name} onto the board…`);
  }

  /** One operation at a time (the board answers one raw-REPL job at a time anyway). */
  private queue(job: () => Promise<void>, doing: string | null, loud = true): Promise<void> {
    const run = async () => {
      if (doing !== null) {
        this.bar.removeAttribute("value"); // moving, until the first progress message
        this.barRow.hidden = false;
        this.tell(doing);
      }
      try {
        await job();
      } catch (error) {
        this.tell((error as Error).message, true, loud);
      } finally {
        if (doing !== null) this.barRow.hidden = true;
      }
    };
    const next = this.work.then(run);
    this.work = next;
    return next;
  }

  private progress(progress: Progress): void {
    if (progress.total > 0) {
      this.bar.max = progress.total;
      this.bar.value = Math.min(progress.done, progress.total);
    }
    if (progress.message) this.tell(progress.message);
  }

  private tell(message: string, trouble = false, loud = true): void {
    this.note.textContent = message;
    this.note.classList.toggle("trouble", trouble);
    if (trouble && loud) this.side.say(message, true);
  }

  private show(): void {
    const listing = this.listing;
    if (!listing) return;
    const parts = [];
    if (listing.version) parts.push(listing.version);
    if (listing.free !== null && listing.free !== undefined) {
      parts.push(`${sizeText(listing.free)} free`);
    }
    this.free.textContent = parts.join(" · ");
    const files = [...listing.files].sort((a, b) => a.name.localeCompare(b.name));
    if (!files.length) {
      this.list.replaceChildren(element("li", { className: "board-files-empty",
                                                textContent: "no files on the board" }));
      return;
    }
    this.list.replaceChildren(...files.map((file) => this.item(file)));
  }

  private item(file: BoardFile): HTMLLIElement {
    const item = element("li", { className: "board-file", draggable: true });
    item.dataset.name = file.name;
    element("span", { className: "board-file-name", textContent: file.name }, item);
    element("span", { className: "board-file-size", textContent: sizeText(file.size) }, item);
    const get = element("button", { type: "button", textContent: "⬅ to project",
                                    className: "board-file-get",
                                    title: `copy ${file.name} into the project` }, item);
    get.addEventListener("click", () => this.toProject(file.name));
    const open = element("button", { type: "button", textContent: "Open",
                                     className: "board-file-open",
                                     title: `copy ${file.name} into the project and edit it` },
                         item);
    open.addEventListener("click", () => this.open(file.name));
    const remove = element("button", { type: "button", textContent: "✕",
                                       className: "board-file-rm",
                                       title: `delete ${file.name} from the board` }, item);
    remove.setAttribute("aria-label", `delete ${file.name} from the board`);
    remove.addEventListener("click", () => this.remove(file.name));
    item.addEventListener("dragstart", (event) => {
      dragged = { pane: this, name: file.name };
      event.dataTransfer?.setData(BOARD_FILE, file.name);
      event.dataTransfer?.setData("text/plain", file.name);
      if (event.dataTransfer) event.dataTransfer.effectAllowed = "copy";
    });
    item.addEventListener("dragend", () => { dragged = null; });
    return item;
  }

  private acceptsDrop(event: DragEvent): boolean {
    const types = event.dataTransfer?.types ?? [];
    return types.includes(PROJECT_FILE) || types.includes("Files");
  }

  private drop(event: DragEvent): void {
    this.list.classList.remove("drop-here");
    const transfer = event.dataTransfer;
    if (!transfer || !this.acceptsDrop(event)) return;
    // the workspace takes desktop files dropped anywhere else into the project: not these
    event.preventDefault();
    event.stopPropagation();
    const name = transfer.getData(PROJECT_FILE);
    if (name) {
      this.toBoard(name);
      return;
    }
    for (const file of transfer.files) this.fromDesktop(file);
  }
}
