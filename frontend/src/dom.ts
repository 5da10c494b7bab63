// Building the page's elements: the one helper every part of the page uses.

/** A new ``tag`` element with ``props`` set, appended to ``parent`` when given. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<
  HTMLElementTagNameMap[K]> = {}, parent?: Node): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  parent?.appendChild(node);
  return node;
}
