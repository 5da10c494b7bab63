// Bundle the editor's page into ubit/editor/static/ (run by `make`; pip users need no Node).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const out = new URL("../ubit/editor/static/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: "es2022",
  outdir: out,
  loader: { ".css": "css" },
  logLevel: "warning",
});
copyFileSync(new URL("src/index.html", import.meta.url), out + "index.html");
