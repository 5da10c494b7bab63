// The editor's server: projects, files, hexes. Every call carries the session's token.

export interface ProjectSummary {
  id: string;
  name: string;
  files: number;
  mtime_ns: number;
  opened: boolean;
}

export interface FileInfo {
  name: string;
  size: number;
  mtime_ns: number;
}

/** A short program for the snippets panel (GET /api/snippets). */
export interface Snippet {
  topic: string;
  title: string;
  description: string;
  code: string;
  boards: string[]; // ["v1", "v2"], or ["v2"] when it needs a micro:bit V2
  needs: string; // what a person does for it to show something ("" if nothing)
}

/** The boards a program is checked for; completion uses V1 for "v1", V2 otherwise. */
export type BoardChoice = "both" | "v1" | "v2";

/** A problem ``ubit check`` found (line and col count from 1). */
export interface Finding {
  file: string;
  line: number;
  col: number;
  level: "error" | "warning";
  code: string;
  message: string;
  board: string;
}

/** A name that fits where the cursor is (POST /api/complete). */
export interface Completion {
  name: string;
  kind: string;
  signature: string | null;
  doc: string;
  v2_only: boolean;
}

export interface CallTipParameter {
  name: string;
  label: string;
  default: string | null;
  kind: string;
}

/** The call the cursor is in, and the parameter being typed (``index``, null past the last). */
export interface CallTip {
  name: string;
  label: string;
  parameters: CallTipParameter[];
  index: number | null;
  doc: string;
}

export interface Location {
  file: string;
  line: number;
  column: number;
  stub: boolean;
  module: string;
  path: string | null;
}

/** One name of the API reference (GET /api/reference). */
export interface ReferenceEntry {
  module: string;
  name: string;
  kind: string;
  signature: string;
  doc: string;
  v2_only: boolean;
  example: string;
}

export interface Reference {
  board: string;
  modules: { name: string; doc: string; v2_only: boolean }[];
  entries: ReferenceEntry[];
}

/** A problem the library offers (GET /api/problems); ``attempt`` is its project, if started. */
export interface ProblemSummary {
  id: string;
  title: string;
  board: string;
  tests: number;
  total: number;
  attempt: string | null;
}

/** The problem a project is an attempt at (GET /api/projects/{p}/problem). */
export interface ProblemInfo {
  id: string;
  title: string;
  board: string;
  statement: string; // Markdown
  total: number;
  tests: { name: string; label: string; marks: number; hint: string }[];
}

/** How one test went (POST /api/projects/{p}/check). */
export interface TestResult {
  name: string;
  label: string;
  passed: boolean;
  marks: number;
  out_of: number;
  feedback: string;
  hint: string;
  display: string[]; // rows of brightness digits, "09090"
  text: string; // what it scrolled or showed
  status: string;
}

export interface CheckResults {
  results: TestResult[];
  marks: number;
  total: number;
  passed: number;
}

/** Where the code-intelligence calls look: the file's unsaved text at a position. */
export interface At {
  project: string;
  name: string;
  text: string;
  line: number; // from 1
  column: number; // from 0, in characters
  board: "v1" | "v2";
}

const token = new URLSearchParams(location.search).get("token") ?? "";

export function sessionToken(): string {
  return token;
}

/** A one-line error from the server (its message is what the user should read). */
export class ServerError extends Error {}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("X-Ubit-Token", token);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ServerError("the editor's server doesn't answer: is `ubit editor` still running?");
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ServerError(message);
  }
  return response;
}

async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await call(path, init)).json() as Promise<T>;
}

function post(body: unknown, method = "POST"): RequestInit {
  return { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
}

const enc = encodeURIComponent;

export const api = {
  projects: () => json<ProjectSummary[]>("/api/projects"),
  createProject: (name: string, files?: Record<string, string>, unique = false) =>
    json<{ id: string }>("/api/projects", post({ name, files, unique })),
  renameProject: (id: string, to: string) =>
    json<{ id: string }>(`/api/projects/${enc(id)}/rename`, post({ to })),
  duplicateProject: (id: string, to: string) =>
    json<{ id: string }>(`/api/projects/${enc(id)}/duplicate`, post({ to, unique: true })),
  deleteProject: (id: string) => json<object>(`/api/projects/${enc(id)}`, { method: "DELETE" }),
  files: (id: string) => json<FileInfo[]>(`/api/projects/${enc(id)}/files`),
  read: async (id: string, name: string) =>
    new Uint8Array(await (await call(`/api/projects/${enc(id)}/files/${enc(name)}`)).arrayBuffer()),
  write: (id: string, name: string, data: Uint8Array | string) =>
    json<{ mtime_ns: number }>(`/api/projects/${enc(id)}/files/${enc(name)}`,
      { method: "PUT", body: data as BodyInit }),
  /** Save as the page goes away: the request outlives the page (``keepalive``). */
  writeNow: (id: string, name: string, text: string) => {
    fetch(`/api/projects/${enc(id)}/files/${enc(name)}`, {
      method: "PUT", body: text, keepalive: true, headers: { "X-Ubit-Token": token } });
  },
  renameFile: (id: string, name: string, to: string) =>
    json<object>(`/api/projects/${enc(id)}/files/${enc(name)}/rename`, post({ to })),
  deleteFile: (id: string, name: string) =>
    json<object>(`/api/projects/${enc(id)}/files/${enc(name)}`, { method: "DELETE" }),
  hex: async (id: string, target: string) =>
    (await call(`/api/projects/${enc(id)}/hex?target=${enc(target)}`)).blob(),
  load: (id: string, name: string, data: ArrayBuffer) =>
    json<{ files: string[] }>(`/api/projects/${enc(id)}/load?name=${enc(name)}`,
      { method: "POST", body: data }),
  snippets: () => json<Snippet[]>("/api/snippets"),
  tidy: (name: string, text: string) => json<{ text: string }>("/api/tidy", post({ name, text })),
  check: (project: string, name: string, text: string, board: BoardChoice) =>
    json<{ findings: Finding[]; notes: string[] }>("/api/check",
      post({ project, name, text, board })),
  complete: (at: At) => json<Completion[]>("/api/complete", post(at)),
  callTip: (at: At) => json<CallTip | null>("/api/calltip", post(at)),
  hover: (at: At) => json<{ text: string }>("/api/hover", post(at)),
  definition: (at: At) => json<Location | null>("/api/definition", post(at)),
  reference: (board: "v1" | "v2") => json<Reference>(`/api/reference?board=${enc(board)}`),
  problems: () => json<ProblemSummary[]>("/api/problems"),
  startProblem: (id: string) =>
    json<{ id: string; name: string; existing: boolean }>(`/api/problems/${enc(id)}/start`,
      post({})),
  projectProblem: (project: string) =>
    json<ProblemInfo | null>(`/api/projects/${enc(project)}/problem`),
  checkProblem: (project: string) =>
    json<CheckResults>(`/api/projects/${enc(project)}/check`, post({})),
};
