import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Human-readable lines for a terminal; JSON lines (the default) for log shippers. */
  pretty?: boolean;
}

export function createLogger(name: string, options: LoggerOptions): Logger {
  if (options.pretty) {
    // A synchronous stream, not a worker transport: the last lines before a
    // crash or Ctrl-C are written, and no extra thread is started.
    const stream = pretty({ sync: true, colorize: true, ignore: "pid,hostname", translateTime: "HH:MM:ss.l" });
    return pino({ name, level: options.level }, stream);
  }
  return pino({ name, level: options.level });
}
