// "micro:bit on USB": a real micro:bit (or anything with its serial port: `ubit sim`'s
// pseudo-terminal, the V1 firmware under QEMU) beside the virtual boards: choose its port,
// connect, its REPL in a terminal, its files; and the Flash button of the toolbar.

import { DataLogView } from "../datalog";
import { Plotter } from "../plotter";
import { SerialTerminal } from "../terminal";
import { DeviceChannel, type DeviceState, findBoards, type FoundBoard } from "./channel";
import "./device.css";
import { FilesPane, type ProjectSide } from "./files";
import { element } from "../dom";

export interface DeviceHost extends ProjectSide {
  jump(file: string, line: number): void; // a traceback line was clicked
  main(): string; // the file chosen to run as main.py
}

export class DevicePanel {
  readonly root: HTMLElement;
  readonly channel: DeviceChannel;
  readonly terminal: SerialTerminal;
  readonly files: FilesPane;
  readonly plotter: Plotter; // the numbers the board prints, drawn ("Plotter" button)
  readonly datalog: DataLogView; // a V2's data log, read from its drive ("Data log" button)
  boards: FoundBoard[] = [];
  private picker: HTMLSelectElement;
  private portField: HTMLInputElement;
  private status: HTMLElement;
  private filesToggle: HTMLButtonElement;

  constructor(private host: DeviceHost) {
    this.root = element("section", { className: "device-panel", hidden: true });
    this.root.setAttribute("aria-labelledby", "device-panel-title");
    this.root.dataset.state = "disconnected";
    element("h2", { id: "device-panel-title", textContent: "micro:bit on USB" }, this.root);

    const bar = element("div", { className: "device-bar" }, this.root);
    const pick = element("label", { className: "device-pick" }, bar);
    pick.append("Board ");
    this.picker = element("select", { className: "device-picker" }, pick);
    element("button", { type: "button", textContent: "↻ Refresh", className: "device-refresh",
                        title: "look for micro:bits on USB again" }, bar)
      .addEventListener("click", () => this.findBoards());
    const typed = element("label", { className: "device-port-label" }, bar);
    typed.append("Port ");
    this.portField = element("input", { type: "text", className: "device-port",
                                        placeholder: "/dev/ttyACM0 or /dev/pts/5",
                                        spellcheck: false, autocomplete: "off" }, typed);
    const connect = element("button", { type: "button", textContent: "Connect",
                                        className: "device-connect" }, bar);
    const disconnect = element("button", { type: "button", textContent: "Disconnect",
                                           className: "device-disconnect" }, bar);
    this.status = element("p", { className: "device-status", role: "status",
                                 textContent: "disconnected" }, this.root);

    const term = element("div", { className: "terminal device-terminal" }, this.root);
    const keys = element("div", { className: "device-keys" }, this.root);
    element("button", { type: "button", textContent: "Stop (Ctrl-C)", className: "device-interrupt",
                        title: "interrupt the program running on the board" }, keys)
      .addEventListener("click", () => this.channel.write("\x03"));
    element("button", { type: "button", textContent: "Restart (Ctrl-D)",
                        className: "device-soft-reset",
                        title: "soft reboot: main.py runs again" }, keys)
      .addEventListener("click", () => this.channel.write("\x04"));
    this.filesToggle = element("button", { type: "button", textContent: "Files",
                                           className: "device-files-toggle" }, keys);
    this.filesToggle.setAttribute("aria-expanded", "false");
    const plotToggle = this.toggleButton(keys, "Plotter", "device-plotter-toggle");
    const logToggle = this.toggleButton(keys, "Data log", "device-datalog-toggle");

    this.channel = new DeviceChannel({
      status: (state, port, message) => this.showStatus(state, port, message),
      serial: (data) => {
        this.terminal.write(data);
        this.plotter.feed(data);
      },
      trouble: (message) => this.trouble(message),
    });
    this.terminal = new SerialTerminal(term, (data) => this.channel.write(data),
                                       (file, line) => host.jump(file, line));
    this.files = new FilesPane(this.channel, host, "the micro:bit");
    this.files.root.hidden = true;
    this.root.appendChild(this.files.root);
    const plotHost = element("div", { className: "plotter-host", hidden: true }, this.root);
    this.plotter = new Plotter(plotHost, "microbit-plot");
    const logHost = element("div", { className: "datalog-host", hidden: true }, this.root);
    this.datalog = new DataLogView(logHost, { readBoard: true });
    this.datalog.setShown(false);
    plotToggle.addEventListener("click", () => this.showPart(plotToggle, plotHost));
    logToggle.addEventListener("click", () => {
      this.datalog.setShown(this.showPart(logToggle, logHost));
    });

    this.picker.addEventListener("change", () => { this.portField.value = this.picker.value; });
    this.portField.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.connect();
    });
    connect.addEventListener("click", () => this.connect());
    disconnect.addEventListener("click", () => this.channel.disconnect());
    this.filesToggle.addEventListener("click", () => this.toggleFiles());
  }

  get shown(): boolean {
    return !this.root.hidden;
  }

  /** Show or hide the panel (looking for boards as it shows). */
  toggle(show = !this.shown): void {
    this.root.hidden = !show;
    if (show) {
      this.findBoards();
      this.terminal.resize();
      this.portField.focus();
    }
  }

  /** Fill the board picker from the micro:bits on USB. */
  async findBoards(): Promise<void> {
    try {
      this.boards = (await findBoards()).boards;
    } catch (error) {
      this.trouble(`can't look for micro:bits: ${(error as Error).message}`);
      return;
    }
    const chosen = this.picker.value;
    const options = this.boards.map((b) => element("option", {
      value: b.port, textContent: `${b.port} (${b.version ?? "version unknown"})` }));
    if (!options.length) {
      options.push(element("option", { value: "", textContent: "no micro:bit found on USB" }));
    }
    this.picker.replaceChildren(...options);
    if (this.boards.some((b) => b.port === chosen)) this.picker.value = chosen;
    if (!this.portField.value && this.picker.value) this.portField.value = this.picker.value;
  }

  /** Connect to the typed port, or the one chosen in the picker. */
  connect(): void {
    const port = this.portField.value.trim() || this.picker.value;
    if (!port) {
      this.trouble("choose a micro:bit, or type its serial port (such as /dev/ttyACM0)");
      return;
    }
    this.terminal.clear();
    this.plotter.clear();
    this.setStatus(`connecting to ${port}…`, "connecting");
    this.channel.connect(port);
  }

  private toggleButton(bar: HTMLElement, text: string, className: string): HTMLButtonElement {
    const button = element("button", { type: "button", textContent: text, className }, bar);
    button.setAttribute("aria-pressed", "false");
    return button;
  }

  /** Show or hide a part under the terminal with its toggle button; whether it shows now. */
  private showPart(button: HTMLButtonElement, part: HTMLElement): boolean {
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    part.hidden = !on;
    return on;
  }

  private toggleFiles(): void {
    const open = this.files.root.hidden;
    this.files.root.hidden = !open;
    this.filesToggle.setAttribute("aria-expanded", String(open));
    if (open) {
      this.files.projectChanged();
      if (this.channel.state === "connected") this.files.refresh();
    }
  }

  /** The project's files changed (offer them to copy). */
  projectChanged(): void {
    this.files.projectChanged();
  }

  private showStatus(state: DeviceState, port: string | null, message?: string): void {
    const where = port ?? "the micro:bit";
    const text = {
      connected: `connected to ${where}`,
      lost: `lost ${where}: reconnecting…`,
      disconnected: "disconnected",
      busy: `busy: ${where}`,
    }[state] ?? state;
    // the server's message says it best when there is one ("/dev/ttyACM0 went away (…)")
    this.setStatus(message || text, state);
    if (state === "connected" && !this.files.root.hidden) this.files.refresh();
  }

  private setStatus(text: string, state: string, trouble = false): void {
    this.status.textContent = text;
    this.status.classList.toggle("trouble", trouble);
    this.root.dataset.state = state;
  }

  private trouble(message: string): void {
    this.status.textContent = message;
    this.status.classList.add("trouble");
    if (this.root.dataset.state === "connecting") this.root.dataset.state = "disconnected";
    this.host.say(message, true);
  }

  /** Send the project to the board (or the one micro:bit on USB when none is connected). */
  async flash(progress: (done: number, total: number, what?: string) => void): Promise<string> {
    await this.host.flush();
    const done = await this.channel.flash(this.host.project(), this.host.main(),
                                          (p) => progress(p.done, p.total, p.message));
    if (!this.files.root.hidden && this.channel.state === "connected") this.files.refresh();
    return done.message ?? (done.method === "drive" ? "flashed through the MICROBIT drive"
                                                    : "flashed over serial");
  }

  close(): void {
    this.channel.close();
    this.plotter.close();
  }
}

/** The toolbar's Flash button and its progress bar. */
export function flashButton(bar: HTMLElement, device: DevicePanel,
                            say: (message: string, trouble?: boolean) => void): void {
  const group = element("span", { className: "flash" }, bar);
  const go = element("button", { type: "button", textContent: "Flash", className: "flash-board",
                                 title: "send the project to the micro:bit on USB" }, group);
  const meter = element("progress", { className: "flash-progress", hidden: true }, group);
  meter.setAttribute("aria-label", "flashing progress");
  go.addEventListener("click", async () => {
    go.disabled = true;
    meter.removeAttribute("value");
    meter.hidden = false;
    say("flashing…");
    try {
      const message = await device.flash((done, total, what) => {
        if (what) say(`flashing: ${what}…`);
        if (total > 0) {
          meter.max = total;
          meter.value = Math.min(done, total);
        }
      });
      say(message);
    } catch (error) {
      say((error as Error).message, true);
    } finally {
      go.disabled = false;
      meter.hidden = true;
    }
  });
}
