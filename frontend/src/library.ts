// The project library: every project, with New, Open, Rename, Duplicate and Delete, and
// "Open a share link" (a project someone shared, see share.ts); below them the problems
// (problems.ts): Start makes an attempt at one, or opens the one there is.

import { api, type ProjectSummary } from "./api";
import { ProblemList } from "./problems";
import { askForShareLink } from "./share";
import { element } from "./dom";

export interface LibraryHooks {
  open(project: ProjectSummary): void;
  say(message: string, trouble?: boolean): void;
}

export class Library {
  readonly root: HTMLElement;
  private list: HTMLElement;
  private problems: ProblemList;

  constructor(private hooks: LibraryHooks) {
    this.root = element("div", { className: "library" });
    const bar = element("header", { className: "toolbar" }, this.root);
    element("h1", { textContent: "Your micro:bit projects" }, bar);
    element("button", { type: "button", textContent: "+ New project", className: "new-project" },
            bar).addEventListener("click", () => this.create());
    element("button", { type: "button", textContent: "Open a share link", className: "open-share",
                        title: "a project someone shared: paste its link" }, bar)
      .addEventListener("click", () => this.openShare());
    this.list = element("ul", { className: "projects" }, this.root);
    this.problems = new ProblemList(
      (id, name) => hooks.open({ id, name, files: 0, mtime_ns: 0, opened: false }), hooks.say);
    this.root.appendChild(this.problems.root);
  }

  async show(): Promise<void> {
    const problems = this.problems.show(); // meanwhile (it says its own trouble)
    const projects = await api.projects();
    await problems;
    this.list.replaceChildren();
    if (!projects.length) element("li", { textContent: "No projects yet: make one." }, this.list);
    for (const project of projects) {
      const item = element("li", { className: "project" }, this.list);
      item.dataset.project = project.id;
      const open = element("button", { type: "button", className: "open-project",
                                       textContent: project.name }, item);
      open.addEventListener("click", () => this.hooks.open(project));
      const when = new Date(project.mtime_ns / 1e6).toLocaleString();
      element("span", { className: "meta",
                        textContent: `${project.files} file${project.files === 1 ? "" : "s"}, ` +
                                     `changed ${when}${project.opened ? " (the folder opened)" : ""}`
                      }, item);
      if (project.opened) continue;
      for (const [label, act] of [["Rename", () => this.rename(project)],
                                  ["Duplicate", () => this.duplicate(project)],
                                  ["Delete", () => this.remove(project)]] as const) {
        element("button", { type: "button", textContent: label }, item)
          .addEventListener("click", act);
      }
    }
  }

  private async guard(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      await this.show();
    } catch (error) {
      this.hooks.say((error as Error).message, true);
    }
  }

  private async create(): Promise<void> {
    const name = prompt("Name of the new project:", "My project")?.trim();
    if (!name) return;
    await this.guard(async () => {
      const { id } = await api.createProject(name, undefined, true);
      this.hooks.open({ id, name: id, files: 1, mtime_ns: 0, opened: false });
    });
  }

  /** A share link (from this computer or another): the page's address takes its #share=…
   *  and shows what it holds (see main.ts's route). */
  private async openShare(): Promise<void> {
    const data = await askForShareLink();
    if (data !== null) location.hash = `share=${data}`;
  }

  private async rename(project: ProjectSummary): Promise<void> {
    const to = prompt(`Rename ${project.name} to:`, project.name)?.trim();
    if (to && to !== project.name) await this.guard(() => api.renameProject(project.id, to));
  }

  private async duplicate(project: ProjectSummary): Promise<void> {
    await this.guard(() => api.duplicateProject(project.id, `${project.name} copy`));
  }

  private async remove(project: ProjectSummary): Promise<void> {
    if (confirm(`Delete ${project.name}? (It goes to the library's .trash folder.)`)) {
      await this.guard(() => api.deleteProject(project.id));
    }
  }
}
