// The board protocol (docs/board-protocol.md), spoken to the editor's server over one
// websocket. This is the one module that knows the wire: the rest of the page works with
// Board objects, so the same page can later drive a board living in the browser itself.

import { sessionToken } from "./api";

export type Message = { kind: string; [field: string]: any };

export interface InputSpec {
  id: string;
  part: string;
  kind: "switch" | "pin" | "range" | "vector" | "event";
  label: string;
  default: any;
  min?: number;
  max?: number;
  step?: number;
  nudge?: number;
  unit?: string;
  choices?: string[];
  axes?: string[];
  of?: string[];
}

export interface Ready {
  protocol: number;
  board: { name: string; label: string; banner: string };
  parts: { id: string; label: string; state: string[]; inputs: string[] }[];
  inputs: InputSpec[];
  state: Record<string, any>;
  t: number;
  sandbox?: Record<string, any>;
}

export interface BoardEvents {
  ready?(ready: Ready): void;
  state?(part: string, value: any): void;
  reset?(state: Record<string, any>): void;
  serial?(data: Uint8Array, dropped: number): void;
  audio?(event: any, t: number): void;
  error?(message: string, input?: string): void;
  exit?(status: string, error: string | null): void;
}

function b64(data: Uint8Array): string {
  let text = "";
  for (let i = 0; i < data.length; i += 0x8000) {
    text += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function unb64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** One virtual micro:bit of this page: its description, its state, and ways to play with it. */
export class Board {
  ready: Ready | null = null;
  state: Record<string, any> = {};
  running = false;
  inputs = new Map<string, InputSpec>();

  constructor(readonly id: string, private link: Link, public events: BoardEvents = {}) {}

  /** Set an input (the board refuses what it can't take with an error). */
  set(input: string, value: any): void {
    this.link.send({ kind: "set", board_id: this.id, input, value });
  }
  has(input: string): boolean {
    return this.inputs.has(input);
  }
  writeSerial(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.link.send({ kind: "serial_in", board_id: this.id, data: b64(bytes) });
  }
  interrupt(): void {
    this.link.send({ kind: "interrupt", board_id: this.id });
  }
  reset(): void {
    this.link.send({ kind: "reset", board_id: this.id });
  }
  stop(): void {
    this.link.send({ kind: "stop", board_id: this.id });
  }
  close(): void {
    this.link.send({ kind: "close", board_id: this.id });
    this.running = false;
  }

  /** A message from this board. */
  take(message: Message): void {
    const e = this.events;
    switch (message.kind) {
      case "playing":
        this.running = true;
        break;
      case "ready":
        this.ready = message as unknown as Ready;
        this.state = { ...message.state };
        this.inputs = new Map(this.ready.inputs.map((spec) => [spec.id, spec]));
        e.ready?.(this.ready);
        break;
      case "state":
        this.state[message.part] = message.value;
        e.state?.(message.part, message.value);
        break;
      case "reset":
        this.state = { ...message.state };
        e.reset?.(this.state);
        break;
      case "serial_out":
        e.serial?.(unb64(message.data), message.dropped ?? 0);
        break;
      case "audio":
        e.audio?.(message.event, message.t);
        break;
      case "error":
        e.error?.(message.message, message.input);
        break;
      case "exit":
        this.running = false;
        e.exit?.(message.status, message.error);
        break;
    }
  }
}

/** The page's connection to its boards (one websocket to the editor's server). */
export class Link {
  private socket: WebSocket | null = null;
  private queue: string[] = [];
  private boards = new Map<string, Board>();
  onTrouble: (message: string) => void = () => {};

  /** Connect now (a Play later then starts at once). */
  open(): void {
    this.connect();
  }

  private connect(): WebSocket {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return this.socket;
    const url = `ws://${location.host}/ws/boards?token=${encodeURIComponent(sessionToken())}`;
    const socket = new WebSocket(url);
    socket.onopen = () => {
      for (const text of this.queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (event) => this.dispatch(JSON.parse(event.data));
    socket.onclose = () => {
      this.socket = null;
      for (const board of this.boards.values()) {
        if (board.running) board.take({ kind: "exit", status: "stopped", error: "disconnected" });
      }
    };
    this.socket = socket;
    return socket;
  }

  send(message: Message): void {
    const text = JSON.stringify(message);
    const socket = this.connect();
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else this.queue.push(text);
  }

  /** Run ``main`` of a project on a fresh board (V1 or V2), replacing that board if it ran. */
  play(id: string, project: string, main: string, version: string, events: BoardEvents,
       label = id): Board {
    const board = new Board(id, this, events);
    this.boards.set(id, board);
    this.send({ kind: "play", board_id: id, project, main, version, label });
    return board;
  }

  private dispatch(message: Message): void {
    const board = message.board_id ? this.boards.get(message.board_id) : undefined;
    if (board) board.take(message);
    else if (message.kind === "error") this.onTrouble(message.message);
  }

  /** Stop every board (the page is going). */
  closeAll(): void {
    for (const board of this.boards.values()) board.close();
    this.boards.clear();
  }
}
