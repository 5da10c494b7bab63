// The board's sensors as controls, made from its ready description: a slider for each
// range (temperature, light, sound, compass, the accelerometer's axes), a level for the
// pins that take one, and the gestures. Nothing here knows which board it is: a board
// without a microphone has no sound slider because its description has none.

import type { Board, InputSpec } from "../protocol";
import { element } from "../dom";

export class Controls {
  readonly root: HTMLElement;
  private sliders = new Map<string, { input: HTMLInputElement; value: HTMLOutputElement }>();

  constructor(private board: Board) {
    this.root = element("div", { className: "controls" });
  }

  /** Build the controls from the board's inputs. */
  build(inputs: InputSpec[], state: Record<string, any>): void {
    this.root.replaceChildren();
    this.sliders.clear();
    for (const spec of inputs) {
      if (spec.kind === "range") this.slider(spec, spec.id, state[spec.id] ?? spec.default);
      else if (spec.kind === "pin") this.pinLevel(spec);
      else if (spec.kind === "event") this.gestures(spec);
    }
  }

  private slider(spec: InputSpec, id: string, value: number): void {
    const row = element("label", { className: "control" }, this.root);
    element("span", { textContent: spec.label }, row);
    const input = element("input", { type: "range", min: String(spec.min), max: String(spec.max),
                                      step: String(spec.step ?? 1), value: String(value) }, row);
    input.dataset.input = id;
    const shown = element("output", {}, row);
    const unit = spec.unit ? ` ${spec.unit}` : "";
    const show = (v: number) => { shown.textContent = `${v}${unit}`; };
    show(value);
    input.addEventListener("input", () => {
      const v = Number(input.value);
      show(v);
      this.board.set(id, v);
    });
    this.sliders.set(id, { input, value: shown });
  }

  private pinLevel(spec: InputSpec): void {
    const row = element("label", { className: "control" }, this.root);
    element("span", { textContent: `${spec.label} level` }, row);
    const input = element("input", { type: "range", min: String(spec.min), max: String(spec.max),
                                      step: "1", value: "0" }, row);
    input.dataset.input = spec.id;
    const shown = element("output", { textContent: "none" }, row);
    input.addEventListener("input", () => {
      shown.textContent = input.value;
      this.board.set(spec.id, Number(input.value));
    });
    const clear = element("button", { type: "button", textContent: "×", title: "no level" }, row);
    clear.addEventListener("click", () => {
      shown.textContent = "none";
      this.board.set(spec.id, null);
    });
  }

  private gestures(spec: InputSpec): void {
    const row = element("div", { className: "control gestures" }, this.root);
    element("span", { textContent: spec.label }, row);
    const pick = element("select", { title: "gesture" }, row);
    for (const choice of spec.choices ?? []) element("option", { value: choice,
                                                                  textContent: choice }, pick);
    const go = element("button", { type: "button", textContent: "Do it" }, row);
    go.addEventListener("click", () => this.board.set(spec.id, pick.value));
  }

  /** Follow a state the board published (a slider moves if the board changed it). */
  show(part: string, value: any): void {
    const slider = this.sliders.get(part);
    if (slider && typeof value === "number" && document.activeElement !== slider.input) {
      slider.input.value = String(value);
      slider.value.textContent = `${value}${slider.value.textContent?.replace(/^-?[\d.]+/, "")}`;
    }
  }
}
