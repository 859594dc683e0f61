import { createRequire } from "node:module";
import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace-node";
import { ConfigError, type Env } from "./config.js";
import { OPERATIONS_PATHS } from "./requests.js";

/**
 * OpenTelemetry traces for every process of the graph: one trace per client
 * request, across the gateway (with Apollo Gateway's own spans), each
 * subgraph it fetches from and their SQL statements. W3C `traceparent` and
 * `baggage` go with every outgoing HTTP request (the gateway's subgraph
 * fetches, subgraphs asking peers, webhooks).
 *
 * Configured by the standard variables: tracing is on only when an exporter
 * is (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
 * or `OTEL_TRACES_EXPORTER=otlp|console`), and `OTEL_SDK_DISABLED=true`
 * turns it off whatever else is set. Off, nothing of the SDK is even loaded.
 * OTLP goes over HTTP (`OTEL_EXPORTER_OTLP_PROTOCOL` http/protobuf, the
 * default, or http/json); the exporters read their endpoint, headers and
 * timeout from the variables themselves, the SDK its sampler
 * (`OTEL_TRACES_SAMPLER`), batching (`OTEL_BSP_*`) and resource
 * (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`).
 */
export interface TelemetryOptions {
  /** `service.name` unless OTEL_SERVICE_NAME says otherwise: gateway, partners, relay, scheduler… */
  service: string;
  /** Where spans go instead of what the environment configures (tests: an in-memory exporter). */
  exporter?: SpanExporter;
  env?: Env;
}

export interface Telemetry {
  /** Whether spans are recorded and exported. */
  enabled: boolean;
  /** Exports what is left and stops; called as the process stops. */
  shutdown(): Promise<void>;
}

let started: Promise<Telemetry> | undefined;

/**
 * Starts tracing for this process, once: the first call decides (a process
 * of the embedded graph serves every part). Call it first in an entry point,
 * before any server is created or request sent: the instrumentations patch
 * Node's `http` and express as this runs.
 */
export function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  started ??= start(options);
  return started;
}

const OFF: Telemetry = { enabled: false, shutdown: async () => {} };

function exporterWanted(environment: Env): "otlp" | "console" | null {
  const truthy = (value: string | undefined) => value?.trim().toLowerCase() === "true";
  if (truthy(environment.OTEL_SDK_DISABLED)) return null;
  const named =
    environment.OTEL_TRACES_EXPORTER?.split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean) ?? [];
  if (named.length === 0) return environment.OTEL_EXPORTER_OTLP_ENDPOINT || environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? "otlp" : null;
  const unknown = named.filter((name) => !["otlp", "console", "none"].includes(name));
  if (unknown.length) throw new ConfigError([`OTEL_TRACES_EXPORTER: ${unknown.join(", ")} is not supported; use otlp, console or none`]);
  if (named.includes("otlp")) return "otlp";
  return named.includes("console") ? "console" : null;
}

async function otlpExporter(environment: Env): Promise<SpanExporter> {
  const protocol = (environment.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? environment.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf").trim();
  if (protocol === "http/protobuf") return new (await import("@opentelemetry/exporter-trace-otlp-proto")).OTLPTraceExporter();
  if (protocol === "http/json") return new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter();
  throw new ConfigError([`OTEL_EXPORTER_OTLP_PROTOCOL: ${protocol} is not supported; use http/protobuf (the collector's port 4318) or http/json`]);
}

async function start(options: TelemetryOptions): Promise<Telemetry> {
  const environment = options.env ?? process.env;
  const wanted = options.exporter ? "given" : exporterWanted(environment);
  if (!wanted) return OFF;
  const sdk = await import("@opentelemetry/sdk-trace-node");
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = await import("@opentelemetry/resources");
  const exporter = options.exporter ?? (wanted === "console" ? new sdk.ConsoleSpanExporter() : await otlpExporter(environment));
  const provider = new sdk.NodeTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ "service.name": options.service }))
      // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name the entry point gives.
      .merge(detectResources({ detectors: [envDetector] })),
    // A given exporter (a test's) sees each span as it ends; a real one gets them in batches.
    spanProcessors: [options.exporter ? new sdk.SimpleSpanProcessor(exporter) : new sdk.BatchSpanProcessor(exporter)],
  });
  // Context in AsyncLocalStorage, W3C trace context and baggage propagation.
  provider.register();

  const { registerInstrumentations } = await import("@opentelemetry/instrumentation");
  const { HttpInstrumentation } = await import("@opentelemetry/instrumentation-http");
  const { ExpressInstrumentation } = await import("@opentelemetry/instrumentation-express");
  const { UndiciInstrumentation } = await import("@opentelemetry/instrumentation-undici");
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => OPERATIONS_PATHS.has((request.url ?? "").split("?")[0] ?? ""),
      }),
      new ExpressInstrumentation(),
      new UndiciInstrumentation(),
    ],
  });
  // The instrumentations patch a module as it is required. This graph's modules are ES modules that
  // import `http` and express before this runs; requiring them here patches the very objects those
  // imports hold (built-ins and CommonJS packages are one instance however they are loaded).
  const require = createRequire(import.meta.url);
  for (const name of ["node:http", "node:https", "express"]) require(name);

  return {
    enabled: true,
    shutdown: () => provider.shutdown(),
  };
}

const tracer = () => trace.getTracer("@aftersales/kit");

/** What a SQL statement's span says: the statement's text (parameters are placeholders, their values never recorded) and its kind. */
export function startStatementSpan(statement: string, database: string): Span {
  const operation = /^\s*(\w+)/.exec(statement)?.[1]?.toUpperCase() ?? "SQL";
  return tracer().startSpan(`${operation} ${database}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      "db.system.name": "postgresql",
      "db.system": "postgresql",
      "db.namespace": database,
      "db.operation.name": operation,
      // Long statements (a batch insert's many placeholders) are cut: their start says what they are.
      "db.query.text": statement.length > 2_000 ? `${statement.slice(0, 2_000)}…` : statement,
      "db.statement": statement.length > 2_000 ? `${statement.slice(0, 2_000)}…` : statement,
    },
  });
}

/** Ends a span with the outcome of the work it covered. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException({ name: error.name, message: error.message });
  }
  span.end();
}

/** The current span's trace and span id, for log lines; none outside a sampled trace. */
export function currentTraceIds(): { traceId: string; spanId: string } | null {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return null;
  return { traceId: context.traceId, spanId: context.spanId };
}

/** Exports the spans still buffered, if tracing was started: the last thing a stopping process does. */
export async function stopTelemetry(): Promise<void> {
  await (await started)?.shutdown();
}
