// The serial terminal of a board (xterm.js): its output, typing into it, and traceback
// lines that move the editor's cursor when clicked. Its scrollback is bounded, so a
// program printing for ever can't grow the page's memory.

import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";

export const SCROLLBACK = 2000; // lines kept

// `  File "main.py", line 3, in <module>` (V2) or `  File "__main__", line 3` (V1)
const TRACEBACK_LINE = /File "([^"]+)", line (\d+)/;

export class SerialTerminal {
  readonly term: Terminal;
  private fit = new FitAddon();

  constructor(host: HTMLElement, send: (data: string) => void,
              jump: (file: string, line: number) => void) {
    this.term = new Terminal({ scrollback: SCROLLBACK, convertEol: false, fontSize: 13,
                               cursorBlink: true, allowProposedApi: false });
    this.term.loadAddon(this.fit);
    this.term.open(host);
    this.term.onData(send);
    this.term.registerLinkProvider({
      provideLinks: (y, callback) => {
        const line = this.term.buffer.active.getLine(y - 1)?.translateToString(true) ?? "";
        const found = TRACEBACK_LINE.exec(line);
        if (!found) return callback(undefined);
        const start = found.index + 1;
        callback([{
          text: found[0],
          range: { start: { x: start, y }, end: { x: start + found[0].length - 1, y } },
          activate: () => jump(found[1], Number(found[2])),
        }]);
      },
    });
    new ResizeObserver(() => this.resize()).observe(host);
  }

  resize(): void {
    try {
      this.fit.fit();
    } catch {
      /* not visible yet */
    }
  }

  write(data: Uint8Array): void {
    this.term.write(data);
  }

  note(text: string): void {
    this.term.write(`\r\n\x1b[2m${text}\x1b[0m\r\n`);
  }

  clear(): void {
    this.term.reset();
  }

  /** The text on the screen and in the scrollback (for tests, and to copy). */
  text(): string {
    const buffer = this.term.buffer.active;
    const lines = [];
    for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true));
    return lines.join("\n");
  }
}

/** The file and line of the last traceback line in ``text`` (the error's own line). */
export function errorLine(text: string): { file: string; line: number } | null {
  let found: RegExpExecArray | null = null;
  for (const line of text.split("\n")) {
    const match = TRACEBACK_LINE.exec(line);
    if (match) found = match;
  }
  return found ? { file: found[1], line: Number(found[2]) } : null;
}
