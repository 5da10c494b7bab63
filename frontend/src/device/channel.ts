// The page's line to a micro:bit on this computer's serial port, through the editor's server
// (docs/editor-devices.md, `/ws/device`). The one module that speaks that websocket: the
// panel, the Files pane and the Flash button work with a DeviceChannel.

import { sessionToken } from "../api";
import {
  b64, type BoardListing, type FilesChannel, type Message, type OnProgress, putFields,
  Requests, socketUrl, unb64,
} from "../protocol";

/** A board found on USB (GET /api/devices). */
export interface FoundBoard {
  port: string;
  version: "V1" | "V2" | null;
  serial_number?: string;
}
export interface FoundDrive {
  path: string;
  version: "V1" | "V2" | null;
}

/** connected, lost (the server reopens the port every second), disconnected, busy. */
export type DeviceState = "connected" | "lost" | "disconnected" | "busy";

export interface DeviceEvents {
  status?(state: DeviceState, port: string | null, message?: string): void;
  serial?(data: Uint8Array): void;
  trouble?(message: string): void; // an error that answers no request
}

const RECONNECT_MS = 1000;

export class DeviceChannel implements FilesChannel {
  private socket: WebSocket | null = null;
  private queue: string[] = [];
  private requests = new Requests();
  private wanted: string | null = null; // the port the page asked for, to ask again
  private retry = 0;
  private closed = false;
  port: string | null = null;
  state: DeviceState = "disconnected";

  constructor(public events: DeviceEvents = {}) {}

  /** Open ``port`` on the server (closing any other); the status message answers. */
  connect(port: string): void {
    this.wanted = port;
    this.send({ kind: "connect", port });
  }

  disconnect(): void {
    this.wanted = null;
    this.send({ kind: "disconnect" });
  }

  /** Bytes typed into the terminal (Ctrl-C is "\x03", Ctrl-D "\x04"). */
  write(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.send({ kind: "serial_in", data: b64(bytes) });
  }

  async files(): Promise<BoardListing> {
    return (await this.request({ kind: "files" })) as unknown as BoardListing;
  }

  get(name: string, project: string, to?: string, progress?: OnProgress): Promise<Message> {
    return this.request({ kind: "get", name, project, ...(to ? { to } : {}) }, progress);
  }

  put(name: string, from: { project: string } | { data: Uint8Array }, to?: string,
      progress?: OnProgress): Promise<Message> {
    return this.request(putFields(name, from, to), progress);
  }

  rm(name: string): Promise<Message> {
    return this.request({ kind: "rm", name });
  }

  /** Send the project to the board (``main`` runs as main.py); ``done`` says how. */
  flash(project: string, main: string | undefined, progress?: OnProgress): Promise<Message> {
    return this.request({ kind: "flash", project, ...(main ? { main } : {}) }, progress);
  }

  /** A request that is answered: its promise fails with the server's one-line error. */
  request(message: Message, progress?: OnProgress): Promise<Message> {
    const [sent, answer] = this.requests.start(message, progress);
    this.send(sent);
    return answer;
  }

  /** The page is going: close the websocket (the server closes the port with it). */
  close(): void {
    this.closed = true;
    window.clearTimeout(this.retry);
    this.socket?.close();
    this.socket = null;
  }

  private send(message: Message): void {
    this.closed = false;
    const text = JSON.stringify(message);
    const socket = this.open();
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else this.queue.push(text);
  }

  private open(): WebSocket {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return this.socket;
    const socket = new WebSocket(socketUrl("/ws/device"));
    socket.onopen = () => {
      for (const text of this.queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (event) => this.dispatch(JSON.parse(event.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.queue = [];
      this.requests.failAll("the connection to the editor's server was lost: " +
                            "is `ubit editor` still running?");
      if (this.closed) return;
      if (this.wanted !== null) {
        // the server went (restarted, say): the port it held is ours to ask for again
        this.setState("lost", this.wanted, "the editor's server doesn't answer");
        this.retry = window.setTimeout(() => {
          if (this.wanted !== null && !this.closed) this.connect(this.wanted);
        }, RECONNECT_MS);
      } else if (this.state !== "disconnected") {
        this.setState("disconnected", null);
      }
    };
    this.socket = socket;
    return socket;
  }

  private dispatch(message: Message): void {
    if (this.requests.take(message)) return;
    switch (message.kind) {
      case "status":
        this.setState(message.state, message.port ?? null, message.message);
        break;
      case "serial_out":
        this.events.serial?.(unb64(message.data));
        break;
      case "error":
        this.events.trouble?.(message.message);
        break;
    }
  }

  private setState(state: DeviceState, port: string | null, message?: string): void {
    this.state = state;
    this.port = port;
    this.events.status?.(state, port, message);
  }
}

/** The micro:bits on USB, and their drives. */
export async function findBoards(): Promise<{ boards: FoundBoard[]; drives: FoundDrive[] }> {
  let response: Response;
  try {
    response = await fetch("/api/devices", { headers: { "X-Ubit-Token": sessionToken() } });
  } catch {
    throw new Error("the editor's server doesn't answer: is `ubit editor` still running?");
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new Error(message);
  }
  return response.json();
}
