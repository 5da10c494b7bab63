// The micro:bit drawn as the board: 5×5 LEDs in ten levels, buttons A and B, the touch
// logo, the big pads 0, 1, 2, 3V, GND with the state of the pins, the edge connector's
// other pins, and on V2 the microphone LED and the speaker; NeoPixel strips hang below it.
// It never talks to the board: it shows a state, and tells its owner when a person
// presses something (a mouse, a finger or the keyboard).

import { Audible } from "./audio";
import { NeoPixelStrips } from "./neopixels";

const NS = "http://www.w3.org/2000/svg";

export interface Presses {
  press(input: string, down: boolean): void; // buttons, pins, logo: held while down
  latch(input: string): void; // Shift+click, or Shift+Enter: stays down until done again
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>,
                                                  parent?: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  parent?.appendChild(node);
  return node;
}

// LED level 0-9 → fill: off is a dark red, then brighter reds.
const LED_FILL = ["#2a1010", "#4a0a0a", "#6a0c0c", "#8a0e0e", "#aa1010", "#c81414",
                  "#e01818", "#f02828", "#ff4040", "#ff6060"];

// A pin in these modes drives nothing a person would look for: it is left alone, or the
// display or a button has it.
const IDLE_MODES = new Set(["unused", "display", "button"]);

interface PinState { mode: string; value: number | null; touched: boolean }

/** What a pin drives, 0 to 1: write_digital's 0 or 1, otherwise a PWM duty out of 1023. */
export function pinLevel(pin: PinState): number {
  if (typeof pin.value !== "number") return 0;
  if (pin.mode === "write_digital") return pin.value ? 1 : 0;
  return Math.max(0, Math.min(1, pin.value / 1023));
}

/** A pin's state in words: "pin 8: write_digital 1". */
export function pinText(name: string, pin: PinState): string {
  const value = typeof pin.value === "number" ? ` ${pin.value}` : "";
  return `pin ${name}: ${pin.mode}${value}${pin.touched ? ", touched" : ""}`;
}

// A pin drawn: the node that is named, its level light, its tooltip, what it shows now.
interface PinView { node: SVGElement; lit: SVGRectElement; title: SVGTitleElement;
                    name: string; suffix: string; shown: string }

const EDGE = { left: 22, width: 300, y: 268, height: 18 }; // the strip of small pins

export class BoardPicture {
  readonly svg: SVGSVGElement;
  readonly strips = new NeoPixelStrips();
  private leds: SVGRectElement[] = [];
  private pressable = new Map<string, SVGElement>();
  private pins = new Map<string, PinView>();
  private edge: SVGGElement;
  private micLed: SVGCircleElement;
  private speaker: SVGGElement;
  private speakerOn = true;
  private sounding = false;
  private audible = new Audible((now) => { this.sounding = now; this.showSpeaker(); });
  private label: SVGTextElement;

  constructor(private presses: Presses) {
    const svg = el("svg", { viewBox: "0 0 340 300", class: "board", role: "group",
                            "aria-label": "virtual micro:bit" });
    this.svg = svg;
    el("rect", { x: 10, y: 10, width: 320, height: 280, rx: 22, class: "pcb" }, svg);
    this.label = el("text", { x: 170, y: 32, class: "board-label", "text-anchor": "middle" }, svg);
    this.micLed = el("circle", { cx: 250, cy: 28, r: 4, class: "mic-led" }, svg);
    this.speaker = this.drawSpeaker(svg);
    const logo = el("ellipse", { cx: 170, cy: 50, rx: 20, ry: 11, class: "logo" }, svg);
    this.pressableThing("pin_logo", logo, "logo (touch)");
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        this.leds.push(el("rect", { x: 110 + x * 26, y: 72 + y * 26, width: 12, height: 18,
                                    rx: 2, fill: LED_FILL[0], class: "led" }, svg));
      }
    }
    for (const [input, cx, name] of [["button_a", 55, "A"], ["button_b", 285, "B"]] as const) {
      const g = el("g", { class: "button" }, svg);
      el("rect", { x: cx - 22, y: 110, width: 44, height: 44, rx: 6, class: "button-base" }, g);
      el("circle", { cx, cy: 132, r: 15, class: "button-cap" }, g);
      el("text", { x: cx, y: 176, class: "button-name", "text-anchor": "middle" }, g)
        .textContent = name;
      this.pressableThing(input, g, `button ${name}`);
    }
    const pads: [string, number, number, string][] = [["pin0", 22, 52, "0"],
      ["pin1", 88, 52, "1"], ["pin2", 154, 52, "2"], ["", 220, 52, "3V"], ["", 286, 36, "GND"]];
    for (const [input, x, width, name] of pads) {
      const g = el("g", { class: input ? "pad pin" : "pad" }, svg);
      el("rect", { x, y: 226, width, height: 38, rx: 3, class: "pad-metal" }, g);
      el("text", { x: x + width / 2, y: 250, class: "pad-name", "text-anchor": "middle" }, g)
        .textContent = name;
      if (!input) continue;
      this.pressableThing(input, g, `pin ${name} (touch)`);
      this.pins.set(input, this.pinLight(g, name, " (touch)",
                                         { x: x + 8, y: 254, width: width - 16, height: 6 }));
    }
    this.edge = el("g", { class: "edge" }, svg);
  }

  /** A level light in ``g`` for pin ``name``: dark at 0, brighter with the level. */
  private pinLight(g: SVGElement, name: string, suffix: string,
                   box: { x: number; y: number; width: number; height: number }): PinView {
    el("rect", { ...box, rx: 1, class: "pin-led" }, g);
    const lit = el("rect", { ...box, rx: 1, class: "pin-led-lit", opacity: 0 }, g);
    const title = el("title", {}, g);
    return { node: g, lit, title, name, suffix, shown: "" };
  }

  /** The edge connector's small pins the board has (pin3…pin16, pin19, pin20): a cell each. */
  private drawEdge(stateIds: string[]): void {
    for (const [id, view] of this.pins) if (view.node.parentNode === this.edge) this.pins.delete(id);
    this.edge.replaceChildren();
    const numbers = stateIds.map((id) => /^pin(\d+)$/.exec(id)?.[1]).filter(
      (n): n is string => n !== undefined && Number(n) > 2).sort((a, b) => Number(a) - Number(b));
    const pitch = EDGE.width / Math.max(numbers.length, 1);
    numbers.forEach((n, i) => {
      const x = EDGE.left + i * pitch;
      const width = pitch - 2;
      const g = el("g", { class: "edge-pin idle", role: "img" }, this.edge);
      g.dataset.pin = `pin${n}`;
      el("rect", { x, y: EDGE.y, width, height: EDGE.height, rx: 1.5, class: "edge-metal" }, g);
      el("text", { x: x + width / 2, y: EDGE.y + EDGE.height - 3, class: "edge-name",
                   "text-anchor": "middle" }, g).textContent = n;
      const view = this.pinLight(g, n, "", { x: x + 2, y: EDGE.y + 2, width: width - 4, height: 5 });
      this.pins.set(`pin${n}`, view);
      this.showPin(view, { mode: "unused", value: null, touched: false });
    });
  }

  private showPin(view: PinView, pin: PinState): void {
    const text = pinText(view.name, pin) + view.suffix;
    if (text === view.shown) return;
    view.shown = text;
    const level = pinLevel(pin);
    view.lit.setAttribute("opacity", String(Math.round(level * 100) / 100));
    view.node.dataset.level = String(level);
    view.node.classList.toggle("idle", IDLE_MODES.has(pin.mode));
    view.node.setAttribute("aria-label", text);
    view.title.textContent = text;
  }

  /** A loudspeaker: lit while the board sounds, struck out while ``speaker.off()``. */
  private drawSpeaker(svg: SVGSVGElement): SVGGElement {
    const g = el("g", { class: "speaker on absent", role: "img", "aria-label": "speaker: on" }, svg);
    el("title", {}, g).textContent = "speaker: on";
    el("path", { d: "M80 24h4l6-5v18l-6-5h-4z", class: "speaker-body" }, g);
    el("path", { d: "M93 23q4 5 0 10M96 20q6 8 0 16", class: "speaker-waves" }, g);
    el("path", { d: "M78 19l20 18", class: "speaker-cross" }, g);
    return g;
  }

  private showSpeaker(): void {
    const text = `speaker: ${this.speakerOn ? "on" : "off"}` +
      (this.speakerOn && this.sounding ? ", sounding" : "");
    if (this.speaker.getAttribute("aria-label") === text) return;
    this.speaker.classList.toggle("on", this.speakerOn);
    this.speaker.classList.toggle("sounding", this.speakerOn && this.sounding);
    this.speaker.setAttribute("aria-label", text);
    this.speaker.querySelector("title")!.textContent = text;
  }

  private pressableThing(input: string, node: SVGElement, name: string): void {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", name);
    node.setAttribute("aria-pressed", "false");
    node.dataset.input = input;
    this.pressable.set(input, node);
    const up = () => this.presses.press(input, false);
    node.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      try {
        (node as Element).setPointerCapture(event.pointerId); // released off the button: still up
      } catch {
        /* a synthetic event has no pointer to capture */
      }
      if (event.shiftKey) this.presses.latch(input);
      else this.presses.press(input, true);
    });
    node.addEventListener("pointerup", (event) => { if (!event.shiftKey) up(); });
    node.addEventListener("pointercancel", up);
    node.addEventListener("keydown", (event) => {
      if ((event.key === " " || event.key === "Enter") && !event.repeat) {
        event.preventDefault();
        if (event.shiftKey) this.presses.latch(input);
        else this.presses.press(input, true);
      }
    });
    node.addEventListener("keyup", (event) => {
      if ((event.key === " " || event.key === "Enter") && !event.shiftKey) up();
    });
  }

  /** Show which inputs, parts and pins the board has (V1: no logo, microphone, speaker). */
  describe(label: string, inputs: Set<string>, parts: Set<string>, stateIds: string[]): void {
    this.label.textContent = `micro:bit ${label}`;
    for (const [input, node] of this.pressable) {
      node.classList.toggle("absent", !inputs.has(input));
    }
    this.micLed.classList.toggle("absent", !inputs.has("sound"));
    this.speaker.classList.toggle("absent", !parts.has("speaker"));
    this.drawEdge(stateIds);
  }

  /** One audio event of the board (``t``: when it was sent): the speaker lights by them. */
  hear(event: { t: number; [field: string]: any }, t: number): void {
    this.audible.hear(event, t);
  }

  /** The board stopped or restarted: it sounds no more. */
  hush(): void {
    this.audible.silence();
  }

  /** Draw a state (every part's, or the ones that changed). */
  show(state: Record<string, any>): void {
    const rows = state.display;
    if (Array.isArray(rows)) {
      rows.forEach((row: number[], y: number) => row.forEach((level, x) => {
        const led = this.leds[y * 5 + x];
        const fill = LED_FILL[Math.max(0, Math.min(9, level | 0))];
        if (led.getAttribute("fill") !== fill) {
          led.setAttribute("fill", fill);
          led.dataset.level = String(level);
        }
      }));
    }
    for (const [input, node] of this.pressable) {
      const value = state[input];
      if (value === undefined) continue;
      const down = typeof value === "object" && value !== null ? !!value.touched : !!value;
      node.classList.toggle("down", down);
      node.setAttribute("aria-pressed", String(down));
    }
    if ("microphone" in state) this.micLed.classList.toggle("on", !!state.microphone);
    for (const [id, view] of this.pins) {
      const pin = state[id];
      if (pin && typeof pin === "object") this.showPin(view, pin);
    }
    if (state.speaker && typeof state.speaker === "object") {
      this.speakerOn = !!state.speaker.on;
      this.showSpeaker();
    }
    if (state.neopixel && typeof state.neopixel === "object") this.strips.show(state.neopixel);
  }

  /** The LEDs' levels now (for tests and screen readers). */
  levels(): number[][] {
    return [0, 1, 2, 3, 4].map((y) => [0, 1, 2, 3, 4].map(
      (x) => Number(this.leds[y * 5 + x].dataset.level ?? 0)));
  }

  latched(input: string, on: boolean): void {
    this.pressable.get(input)?.classList.toggle("latched", on);
  }
}
