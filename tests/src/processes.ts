import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The checkout's root, where the entry points' paths start. */
export const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Node's arguments that run an entry point from its TypeScript sources: tsx's
 * loader, and the condition under which the graph's packages export their
 * sources rather than their build (dist/).
 */
export const FROM_SOURCES = ["--conditions=@aftersales/source", "--import", "tsx"];

/** A process of the graph's own, with what it printed so far and its exit. */
export interface GraphProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts an entry point of the graph (`gateway/src/index.ts`, ...) as its
 * container would: Node itself with tsx's loader, not the tsx command, whose
 * signal relay a busy machine can keep from answering in time (it then kills
 * the process instead of letting it stop). A compiled entry point
 * (`gateway/dist/index.js`) runs with plain Node, as the production image runs it.
 */
export function startGraphProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  fromSources = entry.endsWith(".ts"),
  /** Node's own options besides (e.g. `--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeOptions: string[] = [],
): GraphProcess {
  // npm hands its scripts the source condition in NODE_OPTIONS (.npmrc); the build runs without it.
  const { NODE_OPTIONS: _, ...withoutNodeOptions } = env;
  const child = spawn(process.execPath, [...nodeOptions, ...(fromSources ? FROM_SOURCES : []), entry, ...args], {
    cwd: root,
    env: fromSources ? env : withoutNodeOptions,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * The first line of the process's JSON log whose `msg` is `message`, once it
 * is written; fails with the output so far when the process exits first, or
 * when `deadlineMs` passes (and then kills it).
 */
export function logLine(running: GraphProcess, message: string, deadlineMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      for (const line of running.output().split("\n")) {
        if (!line.includes(`"msg":${JSON.stringify(message)}`)) continue;
        clearInterval(timer);
        return resolve(JSON.parse(line) as Record<string, unknown>);
      }
      if (Date.now() > deadline) {
        clearInterval(timer);
        running.child.kill("SIGKILL");
        reject(new Error(`The process did not log "${message}" within ${deadlineMs / 1000} s:\n${running.output()}`));
      }
    }, 50);
    void running.exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`The process exited (${code}) before it logged "${message}":\n${running.output()}`));
    });
  });
}
