/**
 * The gateway's thread of the embedded graph (see `gateway-thread.ts`): it
 * loads the gateway's code as soon as it boots, starts the gateway with the
 * options the main thread sends once the subgraphs listen, says where it
 * listens, and stops it when asked, draining as a gateway process does.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CommandError, createLogger, identitySigner, serveMetricsWithMainThread, startTelemetry, stopTelemetry, type MetricsJson } from "@aftersales/kit";
import type { FromGatewayThread, GatewayWorkerData, ThreadedGatewayOptions, ToGatewayThread } from "./gateway-thread.js";
import { memoryRateLimiter } from "./limits/index.js";
import { startGateway, type RunningGateway } from "./server.js";

const port = parentPort;
if (!port) throw new Error("gateway-worker.ts runs as the embedded graph's gateway thread (gateway-thread.ts), not on its own.");
const { settings } = workerData as GatewayWorkerData;
const send = (message: FromGatewayThread) => port.postMessage(message);

// Spans of the gateway's part of each request, sent where the main thread sends its own.
await startTelemetry({ service: settings.log.name });
const logger = createLogger(settings.log.name, {
  level: settings.log.level,
  pretty: settings.log.pretty,
  ...(settings.log.requestsAt ? { requestsAt: settings.log.requestsAt } : {}),
}).child({ service: "gateway" });

// `/metrics` on the gateway's port holds the whole process's: the subgraphs', the relay's and the jobs' live in the main thread.
const asked = new Map<number, (metrics: MetricsJson) => void>();
let nextAsk = 0;
serveMetricsWithMainThread(
  () =>
    new Promise((resolve) => {
      const id = nextAsk++;
      asked.set(id, resolve);
      send({ type: "metrics", id });
    }),
);

const rateLimiter = memoryRateLimiter();
let gateway: RunningGateway | undefined;
port.on("message", (message: ToGatewayThread) => {
  switch (message.type) {
    case "metrics":
      asked.get(message.id)?.(message.metrics);
      asked.delete(message.id);
      return;
    case "start":
      void start(message.options);
      return;
    case "stop":
      void stop();
      return;
  }
});

async function start(options: ThreadedGatewayOptions): Promise<void> {
  try {
    gateway = await startGateway({ ...options, logger, identitySigner: identitySigner(settings.identityKey), rateLimiter });
    send({ type: "listening", url: gateway.url, port: gateway.port, metricsUrl: gateway.metricsUrl });
  } catch (error) {
    send(
      error instanceof CommandError
        ? { type: "failed", message: error.message, exitCode: error.exitCode }
        : {
            type: "failed",
            message: error instanceof Error ? error.message : String(error),
            ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
          },
    );
    port?.close();
  }
}

async function stop(): Promise<void> {
  try {
    await gateway?.stop();
    await rateLimiter.close();
    await stopTelemetry();
  } catch (error) {
    logger.error({ err: error }, "the gateway did not stop cleanly");
  }
  send({ type: "stopped" });
  port?.close();
}
