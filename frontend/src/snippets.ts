// Snippets: a searchable panel of short programs for every part of the micro:bit.

export function snippetsPanel(insert: (code: string) => void,
                              say: (message: string, trouble?: boolean) => void): void {
  void insert;
  say("snippets are not built yet", true);
}
