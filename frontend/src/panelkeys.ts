// The keyboard of a side panel with a search box over a list of results (Snippets, the API
// reference): ↓ or Enter from the search box to the first result, ↑ / ↓ between results
// (↑ from the first goes back to the search box), Escape closes.

/** Handle ``event`` for a panel; ``buttons`` are the visible results' buttons in order. */
export function panelKey(event: KeyboardEvent, search: HTMLInputElement,
                         buttons: HTMLButtonElement[], close: () => void,
                         card: string): void {
  if (event.key === "Escape") {
    event.preventDefault();
    event.stopPropagation();
    close();
    return;
  }
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  let next: HTMLElement | undefined;
  if (event.target === search) {
    if (event.key === "ArrowDown" || event.key === "Enter") next = buttons[0];
  } else if (at >= 0 && event.key === "ArrowDown") {
    next = buttons[Math.min(at + 1, buttons.length - 1)];
  } else if (at >= 0 && event.key === "ArrowUp") {
    next = at === 0 ? search : buttons[at - 1];
  }
  if (next) {
    event.preventDefault();
    next.focus();
    next.closest(card)?.scrollIntoView({ block: "nearest" });
  }
}
