// NeoPixel strips under the board: for each pin the program wrote NeoPixels on, a row of
// coloured dots, one for each pixel. They are HTML, not part of the picture of the board,
// because a strip is wired to the board, not on it, and may be hundreds of pixels long.

import { element } from "../dom";

const channel = (value: unknown) => Math.max(0, Math.min(255, Math.round(Number(value) || 0)));

/** A pixel's colour as CSS: the micro:bit's values are 0-255 already; an RGBW pixel's white
 * LED adds to all three (there is no white channel on a screen). */
export function pixelColour(pixel: unknown): string {
  const [r, g, b, w = 0] = Array.isArray(pixel) ? pixel : [];
  const white = channel(w);
  return `rgb(${[r, g, b].map((c) => Math.min(255, channel(c) + white)).join(", ")})`;
}

interface Strip {
  row: HTMLElement;
  dots: HTMLElement;
  colours: string[]; // what each dot shows, to touch only the dots that changed
}

export class NeoPixelStrips {
  readonly root = element("div", { className: "neopixels" });
  private strips = new Map<string, Strip>();

  /** The ``neopixel`` state: {pin name: [[r, g, b(, w)], …]} for every pin written on. */
  show(state: Record<string, unknown[]>): void {
    for (const [pin, strip] of this.strips) {
      if (!(pin in state)) {
        strip.row.remove();
        this.strips.delete(pin);
      }
    }
    for (const [pin, pixels] of Object.entries(state)) {
      this.showStrip(pin, Array.isArray(pixels) ? pixels : []);
    }
  }

  private showStrip(pin: string, pixels: unknown[]): void {
    let strip = this.strips.get(pin);
    if (!strip) {
      const row = element("div", { className: "neopixel-strip" }, this.root);
      row.setAttribute("role", "img");
      row.dataset.pin = pin;
      element("span", { className: "neopixel-pin", textContent: pin }, row);
      strip = { row, dots: element("span", { className: "neopixel-dots" }, row), colours: [] };
      this.strips.set(pin, strip);
    }
    if (strip.colours.length !== pixels.length) {
      strip.row.setAttribute("aria-label", `NeoPixels on ${pin}: ${pixels.length}`);
      while (strip.dots.childElementCount > pixels.length) strip.dots.lastElementChild!.remove();
      while (strip.dots.childElementCount < pixels.length) {
        element("span", { className: "neopixel" }, strip.dots);
      }
      strip.colours.length = pixels.length;
    }
    pixels.forEach((pixel, i) => {
      const colour = pixelColour(pixel);
      if (strip.colours[i] === colour) return;
      strip.colours[i] = colour;
      const dot = strip.dots.children[i] as HTMLElement;
      dot.style.background = colour;
      dot.title = `${pin}[${i}]: ${colour}`;
    });
  }
}
