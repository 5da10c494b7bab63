// Share links: the whole project — every file, compressed — in the link's fragment
// (#share=…), so no server stores anything, the link works offline, and its contents never
// reach a server (browsers don't send a fragment with the request).
//
// The data (version 1): the JSON {"v":1,"name":…,"files":{name: base64 of the bytes}},
// compressed with the browser's own CompressionStream("deflate-raw"), then base64url without
// padding. Anything else — a link cut short, characters a link doesn't have, data that doesn't
// unpack to that JSON, a newer version — is refused with one line saying so. (deflate-raw has
// no checksum: a character changed in the middle almost always breaks the unpacking or the
// JSON, but the preview's list of files and sizes is the last check.)
//
// The link is the editor page's own address WITHOUT its token, plus the fragment:
// http://127.0.0.1:PORT/#share=…  The token belongs to one `ubit editor` session (and is its
// key: a link carrying it would hand the sender's editor to whoever gets the link), and
// another session, or another computer, has another port and token anyway. So what counts
// is the fragment, and it opens in the receiver's own running editor:
//   * "Open a share link" on the library page: paste the link (or just its #share=… part);
//   * or the editor's address with the fragment added: http://127.0.0.1:PORT/?token=…#share=…
//     (the page, loaded or navigated with #share=… in its address, imports);
//   * the link as it is, pasted into the address bar of the browser the same session's
//     editor runs in, also works: the session's token cookie lets the page in.
// Opening shows what the link holds (the project's name, each file and its size); "Import as
// a new project" creates it (the server picks a free name: "game", "game 2"…) and opens it;
// either way the fragment is then cleared. The Share panel shows the link, a Copy button and
// the link as a QR code (drawn here, no network), or says why a QR can't hold it.

import qrcode from "qrcode-generator";
import { api } from "./api";
import { element } from "./dom";

const VERSION = 1;
const MAX_UNPACKED = 32 * 1024 * 1024; // far more than a micro:bit holds: a bomb stops here
const QR_MAX_BYTES = 2953; // what a QR code (version 40, error correction L) holds
const URL_MAX = 2 * 1024 * 1024; // Chromium's longest address

type Say = (message: string, trouble?: boolean) => void;

/** A project as a share link carries it. */
export interface SharedProject {
  name: string;
  files: Map<string, Uint8Array>;
}

/** Why a share link can't be opened: one line for the person. */
export class ShareError extends Error {}

// -- the format -------------------------------------------------------------------------------

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  return fromBase64(standard + "=".repeat((4 - (standard.length % 4)) % 4));
}

/** ``bytes`` through a (de)compression stream; more than ``limit`` bytes out: a ShareError. */
async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream,
                       limit = Infinity): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(stream).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new ShareError("this share link unpacks to more than any micro:bit project could be");
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The files as the API and the format carry them: {name: base64} (any name, even
 *  "__proto__", is the object's own). */
function base64Files(project: SharedProject): Record<string, string> {
  return Object.fromEntries([...project.files].map(([name, bytes]) => [name, toBase64(bytes)]));
}

/** The ``#share=`` data of a project. */
export async function encodeShare(project: SharedProject): Promise<string> {
  const json = JSON.stringify({ v: VERSION, name: project.name, files: base64Files(project) });
  return toBase64url(await through(new TextEncoder().encode(json),
                                   new CompressionStream("deflate-raw")));
}

const DAMAGED = "this share link is damaged";

/** The project in ``data`` (a ``#share=`` fragment's value); ``ShareError`` if it isn't one. */
export async function decodeShare(data: string): Promise<SharedProject> {
  if (!data) throw new ShareError(`${DAMAGED}: it holds nothing after "#share="`);
  const packed = fromBase64url(data);
  if (!packed) {
    throw new ShareError(`${DAMAGED}: it has characters a share link doesn't, or was cut short`);
  }
  let unpacked: Uint8Array;
  try {
    unpacked = await through(packed, new DecompressionStream("deflate-raw"), MAX_UNPACKED);
  } catch (error) {
    if (error instanceof ShareError) throw error;
    throw new ShareError(`${DAMAGED}: its data doesn't unpack (was it cut short when copied?)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unpacked));
  } catch {
    throw new ShareError(`${DAMAGED}: what it unpacks to isn't a project`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ShareError(`${DAMAGED}: what it unpacks to isn't a project`);
  }
  const { v, name, files } = value as Record<string, unknown>;
  if (typeof v === "number" && v > VERSION) {
    throw new ShareError(`this share link was made by a newer ubit (format ${v}): ` +
                         "update ubit to open it");
  }
  if (v !== VERSION) throw new ShareError(`${DAMAGED}: it has no format version ubit knows`);
  if (typeof name !== "string" || !name.trim()) {
    throw new ShareError(`${DAMAGED}: the project has no name`);
  }
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw new ShareError(`${DAMAGED}: it has no list of files`);
  }
  const found = new Map<string, Uint8Array>();
  for (const [file, text] of Object.entries(files)) {
    const bytes = typeof text === "string" ? fromBase64(text) : null;
    if (!bytes) throw new ShareError(`${DAMAGED}: the file ${JSON.stringify(file)} isn't readable`);
    found.set(file, bytes);
  }
  if (!found.size) throw new ShareError(`${DAMAGED}: it holds no files`);
  return { name: name.trim(), files: found };
}

/** The share data in a pasted link, ``#share=…`` or the data alone (null: there is none). */
export function shareData(text: string): string | null {
  const squeezed = text.replace(/\s+/g, ""); // a link wrapped over lines by a mail program
  const found = /(?:^|[#&?])share=([^&#]*)/.exec(squeezed);
  if (found) return found[1];
  return /^[A-Za-z0-9_-]{16,}$/.test(squeezed) ? squeezed : null;
}

/** The project in the page's address (``#share=…``); null if there is none, ShareError if
 *  the link is damaged. */
export async function sharedProject(): Promise<SharedProject | null> {
  const data = shareData(location.hash);
  return data === null ? null : decodeShare(data);
}

/** For tests and the curious: the format, both ways. */
export const shareFormat = { encode: encodeShare, decode: decodeShare, data: shareData };

// -- dialogs ----------------------------------------------------------------------------------

let dialogs = 0;
let packing = false; // the Share panel is being made

/** A modal dialog (keyboard: Tab stays in it, Escape closes it, focus goes back after). */
function modal(title: string, className: string): { box: HTMLDialogElement;
                                                      closed: Promise<void> } {
  const box = element("dialog", { className: `dialog ${className}` }, document.body);
  const heading = element("h2", { textContent: title, id: `share-dialog-${++dialogs}` }, box);
  box.setAttribute("aria-labelledby", heading.id);
  const closed = new Promise<void>((resolve) => box.addEventListener("close", () => {
    box.remove();
    resolve();
  }));
  return { box, closed };
}

function buttons(box: HTMLElement): HTMLElement {
  return element("div", { className: "dialog-buttons" }, box);
}

function size(bytes: number): string {
  return `${bytes.toLocaleString("en")} byte${bytes === 1 ? "" : "s"}`;
}

/** The link drawn as a QR code (an SVG), or null if it's too long for one. */
function qrSvg(text: string): SVGSVGElement | null {
  if (new TextEncoder().encode(text).length > QR_MAX_BYTES) return null;
  const qr = qrcode(0, "L");
  try {
    qr.addData(text, "Byte");
    qr.make();
  } catch {
    return null; // "code length overflow": too long after all
  }
  const count = qr.getModuleCount();
  const margin = 4;
  let path = "";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) path += `M${col + margin} ${row + margin}h1v1h-1z`;
    }
  }
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const side = count + 2 * margin;
  svg.setAttribute("viewBox", `0 0 ${side} ${side}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "the link as a QR code");
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.dataset.modules = String(count);
  const paper = document.createElementNS(ns, "rect");
  paper.setAttribute("width", String(side));
  paper.setAttribute("height", String(side));
  paper.setAttribute("fill", "#fff");
  const ink = document.createElementNS(ns, "path");
  ink.setAttribute("d", path);
  ink.setAttribute("fill", "#000");
  svg.append(paper, ink);
  return svg;
}

/** The Share panel of a project: its link (read-only, with Copy) and the link as a QR code.
 *  The caller saves what waits to be saved first. */
export async function sharePanel(project: string, name: string, say: Say): Promise<void> {
  if (packing || document.querySelector("dialog.share-dialog")) return; // a second click
  packing = true;
  let link: string;
  let count: number;
  try {
    const files = new Map<string, Uint8Array>();
    for (const file of await api.files(project)) files.set(file.name, await api.read(project, file.name));
    if (!files.size) throw new Error(`${name} has no files to share`);
    count = files.size;
    link = `${location.origin}/#share=${await encodeShare({ name, files })}`;
  } catch (error) {
    say(`can't share ${name}: ${(error as Error).message}`, true);
    return;
  } finally {
    packing = false;
  }
  const { box, closed } = modal(`Share ${name}`, "share-dialog");
  const about = element("p", { textContent: `This link holds the whole project (${count} file` +
    `${count === 1 ? "" : "s"}, ${link.length.toLocaleString("en")} characters): nothing is ` +
    "stored anywhere else. To open it, run " }, box);
  element("code", { textContent: "ubit editor" }, about);
  about.append(" and paste the link into “Open a share link” on its projects page.");
  if (link.length > URL_MAX) {
    element("p", { className: "share-too-long", textContent: "This link is longer than a " +
      "browser takes in an address: share the project's .hex (⬇ Download) instead." }, box);
  }
  const field = element("input", { type: "text", readOnly: true, value: link,
                                   className: "share-link", spellcheck: false }, box);
  field.setAttribute("aria-label", "the share link");
  field.addEventListener("focus", () => field.select());
  const row = buttons(box);
  const copy = element("button", { type: "button", textContent: "Copy", className: "share-copy" },
                       row);
  const close = element("button", { type: "button", textContent: "Close",
                                    className: "share-close" }, row);
  const note = element("p", { className: "share-note", role: "status" }, box);
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = "Copied: paste it anywhere.";
    } catch {
      field.focus();
      field.select();
      note.textContent = "The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    }
  });
  close.addEventListener("click", () => box.close());
  const picture = element("div", { className: "share-qr" }, box);
  const svg = qrSvg(link);
  if (svg) picture.append(svg);
  else {
    element("p", { className: "share-qr-too-long", textContent: `The link is too long for a QR ` +
      `code (${link.length.toLocaleString("en")} characters; a QR code holds at most ` +
      `${QR_MAX_BYTES.toLocaleString("en")}): share the link itself.` }, picture);
  }
  box.showModal();
  copy.focus();
  await closed;
}

/** Show what a share link holds; import it as a new project if the person wants.
 *  The new project's id, or null (cancelled). A ServerError if the import fails. */
export async function previewShared(shared: SharedProject): Promise<string | null> {
  const { box, closed } = modal("Open a shared project", "share-preview");
  const intro = element("p", { textContent: "This share link holds the project " }, box);
  element("strong", { className: "share-name", textContent: shared.name }, intro);
  intro.append(":");
  const list = element("ul", { className: "share-files" }, box);
  let total = 0;
  for (const name of [...shared.files.keys()].sort()) {
    const bytes = shared.files.get(name)!.length;
    total += bytes;
    const item = element("li", {}, list);
    item.dataset.file = name;
    element("span", { className: "share-file", textContent: name }, item);
    element("span", { className: "share-size", textContent: size(bytes) }, item);
  }
  element("p", { textContent: `${shared.files.size} file${shared.files.size === 1 ? "" : "s"}, ` +
    `${size(total)}. Importing makes it a new project in your library (another name if ` +
    "one is called that already); nothing of yours is changed." }, box);
  const row = buttons(box);
  const yes = element("button", { type: "button", textContent: "Import as a new project",
                                  className: "share-import" }, row);
  const no = element("button", { type: "button", textContent: "Cancel",
                                 className: "share-cancel" }, row);
  let wanted = false;
  yes.addEventListener("click", () => { wanted = true; box.close(); });
  no.addEventListener("click", () => box.close());
  box.showModal();
  yes.focus();
  await closed;
  if (!wanted) return null;
  return (await api.createProject(shared.name, base64Files(shared), true)).id;
}

/** Ask for a share link (made on this computer or another); its data once it's one that
 *  opens, or null (cancelled). */
export async function askForShareLink(): Promise<string | null> {
  const { box, closed } = modal("Open a share link", "share-open-dialog");
  const form = element("form", {}, box);
  const label = element("label", { textContent: "Paste a share link (or its #share=… part):" },
                        form);
  const field = element("input", { type: "text", className: "share-paste", spellcheck: false,
                                   autocomplete: "off" }, label);
  const trouble = element("p", { className: "share-error", role: "alert" }, form);
  const row = buttons(form);
  element("button", { type: "submit", textContent: "Open", className: "share-open" }, row);
  element("button", { type: "button", textContent: "Cancel", className: "share-cancel" }, row)
    .addEventListener("click", () => box.close());
  let data: string | null = null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const found = shareData(field.value);
    if (found === null) {
      trouble.textContent = field.value.trim() ? "that isn't a share link: it has no #share=… part"
                                               : "paste a share link first";
      return;
    }
    try {
      await decodeShare(found);
    } catch (error) {
      trouble.textContent = (error as Error).message;
      return;
    }
    data = found;
    box.close();
  });
  box.showModal();
  field.focus();
  await closed;
  return data;
}
