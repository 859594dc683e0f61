import { pino, type Logger, type LoggerOptions as PinoOptions } from "pino";
import pretty from "pino-pretty";
import { currentRequest, REQUEST_LINE } from "./requests.js";
import { currentTraceIds } from "./telemetry.js";

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Human-readable lines for a terminal; JSON lines (the default) for log shippers. */
  pretty?: boolean;
  /** Where JSON lines go instead of stdout (tests read them). */
  destination?: { write(line: string): void };
  /**
   * The level of the line each request gets (`requestLogging`): info, as an
   * operator wants it, unless `debug` (a terminal that serves a person, where a
   * line per request of every server would bury everything else).
   */
  requestsAt?: "info" | "debug";
}

/**
 * Every line written while a request is served carries its `requestId`, and
 * with tracing on its `traceId` and `spanId`, whichever logger (or child)
 * writes it: they come from the request's async context, not from loggers
 * handed around.
 */
function requestAndTrace(written: object): Record<string, string> {
  const ids: Record<string, string> = {};
  const requestId = currentRequest()?.requestId;
  if (requestId && !("requestId" in written)) ids.requestId = requestId;
  const trace = currentTraceIds();
  if (trace && !("traceId" in written)) Object.assign(ids, trace);
  return ids;
}

export function createLogger(name: string, options: LoggerOptions): Logger {
  const settings: PinoOptions = { name, level: options.level, mixin: requestAndTrace };
  if (options.requestsAt === "debug") {
    settings.hooks = {
      logMethod(args, write, level) {
        // pino's info is 30; the request's line goes out at debug, or not at all.
        if (level === 30 && args[1] === REQUEST_LINE) {
          if (this.isLevelEnabled("debug")) this.debug(...(args as [object, string]));
          return;
        }
        write.apply(this, args);
      },
    };
  }
  if (options.pretty) {
    // A synchronous stream, not a worker transport: the last lines before a
    // crash or Ctrl-C are written, and no extra thread is started.
    const stream = pretty({ sync: true, colorize: true, ignore: "pid,hostname", translateTime: "HH:MM:ss.l" });
    return pino(settings, stream);
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
