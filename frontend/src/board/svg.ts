// The micro:bit drawn as the board: 5×5 LEDs in ten levels, buttons A and B, the touch
// logo, the big pads 0, 1, 2, 3V, GND with the state of the pins, and on V2 the
// microphone and speaker LEDs. It never talks to the board: it shows a state, and tells
// its owner when a person presses something (a mouse, a finger or the keyboard).

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

export class BoardPicture {
  readonly svg: SVGSVGElement;
  private leds: SVGRectElement[] = [];
  private pressable = new Map<string, SVGElement>();
  private micLed: SVGCircleElement;
  private label: SVGTextElement;

  constructor(private presses: Presses) {
    const svg = el("svg", { viewBox: "0 0 340 280", class: "board", role: "group",
                            "aria-label": "virtual micro:bit" });
    this.svg = svg;
    el("rect", { x: 10, y: 10, width: 320, height: 260, rx: 22, class: "pcb" }, svg);
    this.label = el("text", { x: 170, y: 32, class: "board-label", "text-anchor": "middle" }, svg);
    this.micLed = el("circle", { cx: 250, cy: 28, r: 4, class: "mic-led" }, svg);
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
      if (input) this.pressableThing(input, g, `pin ${name} (touch)`);
    }
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

  /** Show which inputs the board has (V1: no logo, no microphone LED). */
  describe(label: string, inputs: Set<string>): void {
    this.label.textContent = `micro:bit ${label}`;
    for (const [input, node] of this.pressable) {
      node.classList.toggle("absent", !inputs.has(input));
    }
    this.micLed.classList.toggle("absent", !inputs.has("sound"));
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
