import client from "prom-client";

/**
 * The Prometheus metrics of every process of the graph, in prom-client's
 * default registry, all named `aftersales_*` (besides prom-client's standard
 * process and Node.js metrics). One process of the embedded graph serves
 * the gateway and every subgraph: `service` tells them apart.
 */
export const metricsRegistry = client.register;

let defaultsCollected = false;

/** Metrics as `getMetricsAsJSON` gives them, as they cross from one thread to another. */
export type MetricsJson = Awaited<ReturnType<typeof metricsRegistry.getMetricsAsJSON>>;

/**
 * The metrics of the process's main thread, when this thread serves
 * `/metrics` for a process whose other parts run there (the embedded
 * graph's gateway thread). The main thread collects the process's standard
 * metrics; this one adds its own.
 */
let mainThreadMetrics: (() => Promise<MetricsJson>) | undefined;

export function serveMetricsWithMainThread(source: () => Promise<MetricsJson>): void {
  mainThreadMetrics = source;
}

/** This thread's metrics, the process's standard ones included: what the main thread hands a thread that serves `/metrics`. */
export async function metricsJson(): Promise<MetricsJson> {
  collectDefaults();
  return metricsRegistry.getMetricsAsJSON();
}

function collectDefaults(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  client.collectDefaultMetrics();
}

/** What `/metrics` answers: its content type and text. */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  if (!mainThreadMetrics) {
    collectDefaults();
    return { contentType: metricsRegistry.contentType, text: await metricsRegistry.metrics() };
  }
  // The threads' series differ by their labels (each `service` is served by one thread): summing
  // puts them side by side. Summed, not as each metric says (a standard metric that is "omitted"
  // when aggregated across a cluster's processes is the process's own here, and one thread has it).
  const threads = [await mainThreadMetrics(), await metricsRegistry.getMetricsAsJSON()];
  const merged = client.AggregatorRegistry.aggregate(threads.map((metrics) => metrics.map((metric) => ({ ...metric, aggregator: "sum" }))));
  return { contentType: merged.contentType, text: await merged.metrics() };
}

/** Seconds, from a millisecond to a minute: GraphQL requests and subgraph fetches both fall in it. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Operation names come from clients: past this many distinct ones a process
 * counts further names as `other`, so a client inventing names cannot grow
 * the metrics without bound.
 */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const operationNames = new Set<string>();

/** The `operation` label of a request: `unknown` before GraphQL resolved one, `anonymous` for one without a name. */
export function operationLabel(operation: string | null | undefined): string {
  if (operation === undefined) return "unknown";
  if (operation === null) return "anonymous";
  if (!OPERATION_NAME.test(operation)) return "other";
  if (operationNames.has(operation)) return operation;
  if (operationNames.size >= MAX_OPERATION_NAMES) return "other";
  operationNames.add(operation);
  return operation;
}

const requests = new client.Counter({
  name: "aftersales_graphql_requests_total",
  help: "GraphQL requests answered, by service, operation and code (OK, or the first error's code)",
  labelNames: ["service", "operation", "code"] as const,
});
const errors = new client.Counter({
  name: "aftersales_graphql_errors_total",
  help: "Error codes in GraphQL answers (each code once per answer), by service, operation and code",
  labelNames: ["service", "operation", "code"] as const,
});
const requestDuration = new client.Histogram({
  name: "aftersales_graphql_request_duration_seconds",
  help: "How long GraphQL requests took to answer, by service and operation",
  labelNames: ["service", "operation"] as const,
  buckets: LATENCY_BUCKETS,
});

export const graphqlMetrics = {
  observe(service: string, operation: string | null | undefined, codes: readonly string[], seconds: number): void {
    const label = operationLabel(operation);
    requests.inc({ service, operation: label, code: codes[0] ?? "OK" });
    for (const code of codes) errors.inc({ service, operation: label, code });
    requestDuration.observe({ service, operation: label }, seconds);
  },
};

/** The gateway's fetches from each subgraph: `ok`, `errors` (it answered with GraphQL errors) or `unavailable` (no GraphQL answer). */
export const subgraphFetchDuration = new client.Histogram({
  name: "aftersales_subgraph_fetch_duration_seconds",
  help: "How long the gateway's fetches from a subgraph took, by subgraph and outcome (ok, errors, unavailable)",
  labelNames: ["subgraph", "outcome"] as const,
  buckets: LATENCY_BUCKETS,
});

/** Runs of periodic jobs (the embedded graph's timers, the scheduler), by job and outcome (`ok`, `failed`). */
export const jobRuns = new client.Counter({
  name: "aftersales_job_runs_total",
  help: "Runs of periodic jobs, by job and outcome (ok, failed)",
  labelNames: ["job", "outcome"] as const,
});

/** Webhook requests the sender made, by outcome (`delivered`, `failed`). */
export const webhookAttemptOutcomes = new client.Counter({
  name: "aftersales_webhook_attempts_total",
  help: "Webhook requests sent to dealers' endpoints, by outcome (delivered, failed)",
  labelNames: ["outcome"] as const,
});

/** Label values and a value, as a source of a measured gauge reports them. */
export type Sample<Label extends string> = [Partial<Record<Label, string>>, number];

/**
 * A gauge measured when scraped: each running part of the process adds a
 * source (a pool, a relay) and removes it when it stops. A source that
 * fails (its database is gone) reports nothing for that scrape.
 */
export interface MeasuredGauge<Label extends string> {
  add(source: () => Sample<Label>[] | Promise<Sample<Label>[]>): () => void;
}

function measuredGauge<Label extends string>(name: string, help: string, labelNames: readonly Label[]): MeasuredGauge<Label> {
  const sources = new Set<() => Sample<Label>[] | Promise<Sample<Label>[]>>();
  new client.Gauge<Label>({
    name,
    help,
    labelNames,
    async collect() {
      this.reset();
      const results = await Promise.allSettled([...sources].map(async (source) => source()));
      for (const result of results) {
        if (result.status !== "fulfilled") continue;
        for (const [labels, value] of result.value) this.set(labels, value);
      }
    },
  });
  return {
    add(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
  };
}

export const databasePool = measuredGauge(
  "aftersales_db_pool_connections",
  "A service's database pool: connections in use, statements and transactions waiting for one, and the pool's size (state: in_use, waiting, max)",
  ["service", "state"],
);

export const outboxLag = measuredGauge(
  "aftersales_outbox_lag_seconds",
  "Age of the oldest committed event a consumer has not applied yet, by consumer and producer (0: none waiting)",
  ["consumer", "producer"],
);

export const jetstreamPending = measuredGauge(
  "aftersales_jetstream_pending_messages",
  "Messages of a stream a durable consumer has not taken yet, by stream and consumer",
  ["stream", "consumer"],
);

export const deadLetters = measuredGauge(
  "aftersales_event_dead_letters",
  "Events a consumer parked as dead letters after failing on them again and again, by consumer",
  ["consumer"],
);

export const webhookDeliveriesFailing = measuredGauge(
  "aftersales_webhook_deliveries_failing",
  "Webhook deliveries whose attempts failed, by status: RETRYING (tried again later) or FAILED (given up)",
  ["status"],
);
