import { describe, expect, it } from "vitest";
import { createLogger, REQUEST_LINE } from "../src/index.js";

/** What a logger wrote, as parsed JSON lines. */
function capture(level: string, requestsAt?: "info" | "debug") {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger("test", { level, destination: { write: (line) => void lines.push(JSON.parse(line)) }, ...(requestsAt ? { requestsAt } : {}) });
  return { logger, lines };
}

describe("createLogger's request lines", () => {
  it("writes each request at info by default, as an operator wants it", () => {
    const { logger, lines } = capture("info");
    logger.child({ service: "gateway" }).info({ status: 200 }, REQUEST_LINE);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([[30, REQUEST_LINE]]);
  });

  it("moves them to debug when asked, keeping every other info line and every request's error", () => {
    const quiet = capture("info", "debug");
    const child = quiet.logger.child({ service: "gateway" });
    child.info({ status: 200 }, REQUEST_LINE);
    child.info("ready");
    child.error({ status: 500 }, REQUEST_LINE);
    expect(quiet.lines.map((line) => [line.level, line.msg])).toEqual([
      [30, "ready"],
      [50, REQUEST_LINE],
    ]);
    const debugging = capture("debug", "debug");
    debugging.logger.info({ status: 200 }, REQUEST_LINE);
    expect(debugging.lines.map((line) => [line.level, line.msg])).toEqual([[20, REQUEST_LINE]]);
  });
});
