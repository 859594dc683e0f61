import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What a worker thread runs for the module `name` beside `caller` (the
 * caller's `import.meta.url`), run as the caller runs: from the TypeScript
 * sources through tsx, or the build.
 */
export function threadEntry(caller: string, name: string): URL {
  const extension = path.extname(fileURLToPath(caller));
  const entry = new URL(`./${name}${extension}`, caller);
  if (extension !== ".ts") return entry;
  // Node 20 loads a thread's entry point before the `--import tsx` it inherits takes effect, so the
  // thread registers tsx itself, then imports the entry point.
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
