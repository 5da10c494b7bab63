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

/** Bytes as base64 (the wire's ``data`` fields). */
export function b64(data: Uint8Array): string {
  let text = "";
  for (let i = 0; i < data.length; i += 0x8000) {
    text += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** The bytes of a base64 ``data`` field. */
export function unb64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The address of one of the server's websockets, with the session's token. */
export function socketUrl(path: string): string {
  return `ws://${location.host}${path}?token=${encodeURIComponent(sessionToken())}`;
}

/** A file on a board (real or virtual), and what a board's listing holds. */
export interface BoardFile {
  name: string;
  size: number;
}
export interface BoardListing {
  files: BoardFile[];
  free: number | null;
  version: string | null;
}

/** How far a long operation has got (bytes, or steps). */
export interface Progress {
  op: string;
  done: number;
  total: number;
  message?: string;
}
export type OnProgress = (progress: Progress) => void;

/** Where ``put`` takes a file from: a file of a project, or bytes from the page. */
export type PutSource = { project: string } | { data: Uint8Array };

/** A board's files, the same for a real micro:bit and a virtual one (docs/editor-devices.md). */
export interface FilesChannel {
  files(): Promise<BoardListing>;
  get(name: string, project: string, to?: string, progress?: OnProgress): Promise<Message>;
  put(name: string, from: PutSource, to?: string, progress?: OnProgress): Promise<Message>;
  rm(name: string): Promise<Message>;
}

/** The fields of a ``put`` request for ``from``. */
export function putFields(name: string, from: PutSource, to?: string): Message {
  const source = "data" in from ? { data: b64(from.data) } : { project: from.project };
  return { kind: "put", name, ...source, ...(to ? { to } : {}) };
}

/** Requests that are answered (they carry an ``id``): a promise for each, and its progress. */
export class Requests {
  private next = 1;
  private pending = new Map<string, { resolve(m: Message): void; reject(e: Error): void;
                                      progress?: OnProgress }>();

  /** A fresh id for ``message`` and the promise of its answer. */
  start(message: Message, progress?: OnProgress): [Message, Promise<Message>] {
    const id = `r${this.next++}`;
    const answer = new Promise<Message>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
    });
    return [{ ...message, id }, answer];
  }

  /** Take ``message`` if it answers a pending request (true), or leave it (false). */
  take(message: Message): boolean {
    const id = message.id === undefined ? undefined : String(message.id);
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting || id === undefined) return false;
    if (message.kind === "progress") {
      waiting.progress?.(message as unknown as Progress);
      return true;
    }
    this.pending.delete(id);
    if (message.kind === "error") waiting.reject(new Error(message.message));
    else waiting.resolve(message);
    return true;
  }

  /** Every pending request fails with ``message`` (the connection went). */
  failAll(message: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new Error(message));
    this.pending.clear();
  }
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

  /** This board's files: list, get, put, rm (requests answered for this board's id). */
  fileChannel(): FilesChannel {
    return this.link.boardFiles(this.id);
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
  private requests = new Requests();
  onTrouble: (message: string) => void = () => {};

  /** Connect now (a Play later then starts at once). */
  open(): void {
    this.connect();
  }

  private connect(): WebSocket {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return this.socket;
    const socket = new WebSocket(socketUrl("/ws/boards"));
    socket.onopen = () => {
      for (const text of this.queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (event) => this.dispatch(JSON.parse(event.data));
    socket.onclose = () => {
      this.socket = null;
      this.requests.failAll("the connection to the editor's server was lost: try again");
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

  /** Send a request that is answered; the promise fails with the server's one-line error. */
  request(message: Message, progress?: OnProgress): Promise<Message> {
    const [sent, answer] = this.requests.start(message, progress);
    this.send(sent);
    return answer;
  }

  /** The files of the virtual board ``boardId`` (the Files pane's channel). */
  boardFiles(boardId: string): FilesChannel {
    const ask = (message: Message, progress?: OnProgress) =>
      this.request({ ...message, board_id: boardId }, progress);
    return {
      files: async () => (await ask({ kind: "files" })) as unknown as BoardListing,
      get: (name, project, to, progress) =>
        ask({ kind: "get", name, project, ...(to ? { to } : {}) }, progress),
      put: (name, from, to, progress) => ask(putFields(name, from, to), progress),
      rm: (name) => ask({ kind: "rm", name }),
    };
  }

  private dispatch(message: Message): void {
    if (this.requests.take(message)) return;
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
