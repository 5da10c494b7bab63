// The editor's page: the project library, or one project open for work (#project=ID).

import "./style.css";
import { api, type ProjectSummary } from "./api";
import { Library } from "./library";
import { attachProblem } from "./problems";
import { Link } from "./protocol";
import { referencePanel } from "./reference";
import { previewShared, sharedProject, shareFormat, sharePanel } from "./share";
import { snippetsPanel } from "./snippets";
import { Workspace } from "./workspace";

const app = document.getElementById("app")!;
const link = new Link();
const status = Object.assign(document.createElement("div"), { className: "status", role: "status" });
let workspace: Workspace | null = null;
const dark = localStorage.getItem("ubit-dark") === "1";
document.documentElement.classList.toggle("dark", dark);

function say(message: string, trouble = false): void {
  status.textContent = message;
  status.classList.toggle("trouble", trouble);
}
link.onTrouble = (message) => say(message, true);

async function route(): Promise<void> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const wanted = fragment.get("project");
  workspace?.close();
  workspace = null;
  if (wanted) {
    const found = (await api.projects()).find((p) => p.id === wanted);
    if (found) return openProject(found);
    say(`no project ${wanted}`, true);
  }
  const library = new Library({ open: (p) => go(p), say });
  app.replaceChildren(library.root, status);
  await library.show();
  if (fragment.has("share")) await openShared();
}

/** The address holds a share link (#share=…, see share.ts): show what it holds and import it
 *  if the person wants; then clear the fragment, so Back or a reload doesn't bring it again. */
async function openShared(): Promise<void> {
  let id: string | null = null;
  try {
    const shared = await sharedProject();
    if (shared) id = await previewShared(shared);
    if (shared && id !== null) say(`${shared.name}: imported as the new project ${id}`);
  } catch (error) {
    say((error as Error).message, true);
  }
  history.replaceState(history.state, "", location.pathname + location.search +
                       (id === null ? "" : `#project=${encodeURIComponent(id)}`));
  if (id !== null) await route();
}

function go(project: ProjectSummary): void {
  location.hash = `project=${encodeURIComponent(project.id)}`;
}

async function openProject(project: ProjectSummary): Promise<void> {
  workspace = new Workspace(project.id, project.name, link, {
    toLibrary: () => { location.hash = ""; },
    say,
    share: async (id, name) => {
      await workspace?.flush(); // the link holds what is on the screen
      await sharePanel(id, name, say);
    },
    snippets: (insert) => snippetsPanel(insert, say),
    reference: (board, insert) => referencePanel(board, insert, say),
  }, document.documentElement.classList.contains("dark"));
  app.replaceChildren(workspace.root, status);
  const problem = attachProblem(workspace, say); // an attempt at a problem: its statement
  await workspace.open();
  // for tests and the curious: the page's parts (the problem's panel comes when it has
  // loaded: the workspace is ready before it)
  const parts: Record<string, unknown> = { workspace, device: workspace.device,
                                            share: shareFormat, problem: null };
  (window as any).ubit = parts;
  parts.problem = await problem;
}

window.addEventListener("hashchange", () => { route().catch((e) => say(e.message, true)); });
window.addEventListener("pagehide", () => {
  workspace?.leaving();
  link.closeAll();
});
route().catch((error) => say(error.message, true));
