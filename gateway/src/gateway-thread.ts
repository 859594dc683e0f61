/**
 * The embedded graph's gateway in a worker thread of its own. One Node
 * thread runs on one core: with the gateway (token checks, query planning,
 * merging the subgraphs' answers) beside the subgraphs and PGlite, `npm
 * start` used one core of many and served about half what the same code
 * does run as separate processes. The gateway talks to the subgraphs over
 * HTTP in either case, so it moves to a thread of its own unchanged; the
 * subgraphs, the database, the relay and the jobs stay in the main thread.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { CommandError, metricsJson, type Logger } from "@aftersales/kit";
import type { JWK } from "jose";
import type { GatewayOptions, RunningGateway } from "./server.js";

/** What of a gateway's options crosses into its thread as is; the thread makes the rest from `GatewayThreadSettings`. */
export type ThreadedGatewayOptions = Omit<GatewayOptions, "logger" | "identitySigner" | "rateLimiter">;

export interface GatewayThreadSettings {
  /** The Ed25519 private key the gateway signs callers' identities with (the subgraphs hold its public half). */
  identityKey: JWK;
  /** How the thread logs: as the main thread does, under `service: gateway`. */
  log: { name: string; level: string; pretty: boolean; requestsAt?: "info" | "debug" };
}

/** Sent to the thread; what it answers. */
export type ToGatewayThread =
  | { type: "start"; options: ThreadedGatewayOptions }
  | { type: "stop" }
  | { type: "metrics"; id: number; metrics: Awaited<ReturnType<typeof metricsJson>> };
export type FromGatewayThread =
  | { type: "listening"; url: string; port: number; metricsUrl: string }
  | { type: "failed"; message: string; stack?: string; exitCode?: number }
  | { type: "metrics"; id: number }
  | { type: "stopped" };

export interface GatewayWorkerData {
  settings: GatewayThreadSettings;
}

/** A gateway thread booted ahead of the gateway it will run. */
export interface GatewayThread {
  /**
   * Starts the gateway in the thread and resolves once it listens, or fails
   * as starting it in this thread would (a port in use: the same one-line
   * `CommandError`). Its rate limits are counted in its thread
   * (`options.rateLimiter` is not used), its `/metrics` holds this thread's
   * metrics too. Should the thread die later, `onExit` says so. Once.
   */
  start(options: GatewayOptions, onExit: (error: Error) => void): Promise<RunningGateway>;
  /** Stops the gateway when it started, and ends the thread either way; once, however often it is called. */
  close(): Promise<void>;
}

/**
 * Boots the gateway's thread at once, so that it loads its code (a few
 * seconds of compiling and importing on a core of its own) while this
 * thread opens and migrates the database and starts the subgraphs; the
 * gateway itself starts once they listen.
 */
export function bootGatewayThread(settings: GatewayThreadSettings, logger: Logger): GatewayThread {
  const worker = new Worker(workerEntry(), { workerData: { settings } satisfies GatewayWorkerData });
  const send = (message: ToGatewayThread) => worker.postMessage(message);
  // What the thread says goes to whoever waits for it: the start, then, once it listens, `onExit`.
  let started = false;
  let onStarted: { resolve: (message: Extract<FromGatewayThread, { type: "listening" }>) => void; reject: (error: Error) => void } | undefined;
  let onExit: ((error: Error) => void) | undefined;
  let closing: Promise<void> | undefined;
  /** A failure before anyone asked for the gateway, kept for the start that does. */
  let earlyFailure: Error | undefined;
  const failBeforeStart = (error: Error) => {
    if (onStarted) onStarted.reject(error);
    else earlyFailure ??= error;
  };
  let stoppedWhenAsked: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stoppedWhenAsked = resolve;
  });
  worker.on("message", (message: FromGatewayThread) => {
    switch (message.type) {
      case "listening":
        started = true;
        onStarted?.resolve(message);
        break;
      case "failed":
        failBeforeStart(failure(message));
        void worker.terminate();
        break;
      case "metrics":
        void metricsJson().then(
          (metrics) => send({ type: "metrics", id: message.id, metrics }),
          (error: unknown) => {
            logger.error({ err: error }, "the gateway asked for the metrics and none could be read");
            send({ type: "metrics", id: message.id, metrics: [] });
          },
        );
        break;
      case "stopped":
        stoppedWhenAsked();
        break;
    }
  });
  worker.once("exit", (code) => {
    stoppedWhenAsked();
    const error = new Error(`The gateway's thread exited (${code}).`);
    if (!started) failBeforeStart(error);
    else if (!closing) onExit?.(error);
  });
  worker.on("error", (error) => {
    if (!started) failBeforeStart(error);
    else if (!closing) onExit?.(error);
  });
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      send({ type: "stop" });
      await stopped;
      await worker.terminate();
    })());
  return {
    start(options, exit) {
      if (onStarted) throw new Error("The gateway's thread starts one gateway.");
      const { logger: _logger, identitySigner: _signer, rateLimiter: _limiter, ...threaded } = options;
      onExit = exit;
      const listening = new Promise<Extract<FromGatewayThread, { type: "listening" }>>((resolve, reject) => {
        onStarted = { resolve, reject };
        if (earlyFailure) reject(earlyFailure);
        else send({ type: "start", options: threaded });
      });
      return listening.then((message) => ({ url: message.url, port: message.port, metricsUrl: message.metricsUrl, stop: close }));
    },
    close,
  };
}

/** The thread's entry point, beside this file and run as this one runs: from the TypeScript sources through tsx, or the build. */
function workerEntry(): URL {
  const extension = path.extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./gateway-worker${extension}`, import.meta.url);
  if (extension !== ".ts") return entry;
  // Node 20 loads a thread's entry point before the `--import tsx` it inherits takes effect, so the
  // thread registers tsx itself, then imports the entry point.
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/** The error a start in this thread would have thrown: a `CommandError` (one line, its exit code) stays one. */
function failure(message: Extract<FromGatewayThread, { type: "failed" }>): Error {
  if (message.exitCode !== undefined) return new CommandError(message.message, message.exitCode);
  const error = new Error(message.message);
  if (message.stack) error.stack = message.stack;
  return error;
}
