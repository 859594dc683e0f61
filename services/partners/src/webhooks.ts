import {
  openDatabase,
  present,
  transactionAs,
  webhookAttemptOutcomes,
  webhookDeliveriesFailing,
  type DatabaseTarget,
  type Identity,
  type Logger,
} from "@aftersales/kit";
import type { WebhookDeliveryRow } from "./db/schema.js";
import { claimDueDeliveries, countFailingDeliveries, findWebhookEndpointsByIds, recordAttempt, type AttemptRecord } from "./db/webhooks.js";
import { afterAttempt, isReceived, webhookHeaders } from "./domain/webhook.js";

/**
 * The webhook sender: POSTs due deliveries to dealers' endpoints. It runs
 * beside the event relay (in the process of the whole graph, or in the
 * relay's own process) against the partners database; several may run at
 * once, each taking rows the others do not hold.
 */

export interface WebhookSender {
  /** Sends every delivery due now; returns how many attempts it made. */
  sendDue(): Promise<number>;
  /** Stops the timer and waits for requests in flight. */
  stop(): Promise<void>;
}

/** The identity the sender acts as: every dealer's deliveries, as it must. */
const SENDER: Identity = { subject: "system:webhooks", role: "ADMIN", dealerId: null, credential: "system:webhooks", operationsOnly: false };

/** A request gets this long to answer. */
const TIMEOUT_MS = 10_000;
/** Longer than a request may take: a sender that died while sending leaves its rows to another after this. */
const LEASE_MS = 60_000;
const BATCH = 50;

export function startWebhookSender(options: {
  /** The partners subgraph's database. */
  database: DatabaseTarget;
  logger: Logger;
  /** The instant every attempt is made and scheduled at; the system clock unless a test sets one. */
  clock?: () => Date;
  /** How often it looks for due deliveries; null: only when `sendDue` is called (tests). */
  intervalMs?: number | null;
}): WebhookSender {
  const handle = openDatabase(options.database);
  const clock = options.clock ?? (() => new Date());

  const attempt = async ({ delivery, url, secret }: { delivery: WebhookDeliveryRow; url: string; secret: string }): Promise<AttemptRecord> => {
    const at = clock();
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: webhookHeaders(delivery, secret, at),
        body: delivery.body,
        // A redirect is an answer like any other: following it would send the event where the dealer did not register.
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // The answer's body says nothing the status does not; reading it would only let a slow endpoint hold the sender.
      await response.body?.cancel();
      const error = isReceived(response.status) ? null : `The endpoint answered ${response.status}; only a 2xx answer counts as received.`;
      return { at, statusCode: response.status, error, durationMs: took() };
    } catch (error) {
      return { at, statusCode: null, error: failureOf(error), durationMs: took() };
    }
  };

  const pass = async (): Promise<number> => {
    let attempts = 0;
    for (;;) {
      const now = clock();
      const claimed = await transactionAs(handle.db, SENDER, async (tx) => {
        const due = await claimDueDeliveries(tx, now, new Date(now.getTime() + LEASE_MS), BATCH);
        const endpoints = new Map((await findWebhookEndpointsByIds(tx, [...new Set(due.map((d) => d.endpointId))], SENDER)).map((e) => [e.id, e]));
        return due.map((delivery) => {
          const { url, secret } = present(endpoints.get(delivery.endpointId), "delivery's endpoint");
          return { delivery, url, secret };
        });
      });
      if (!claimed.length) return attempts;
      // Outside any transaction: no row or connection is held while endpoints answer.
      const records = await Promise.all(claimed.map(attempt));
      for (const record of records) webhookAttemptOutcomes.inc({ outcome: record.error ? "failed" : "delivered" });
      await transactionAs(handle.db, SENDER, async (tx) => {
        for (const [i, { delivery }] of claimed.entries()) {
          const record = records[i]!;
          const outcome = afterAttempt(
            { number: delivery.attemptCount + 1, at: record.at, statusCode: record.statusCode },
            delivery.firstAttemptAt ?? record.at,
          );
          const saved = await recordAttempt(tx, delivery, record, outcome);
          if (saved?.status === "FAILED") {
            // The dealer's endpoint is down, not the graph: worth a line, not an alert.
            options.logger.info(
              { delivery: delivery.id, endpoint: delivery.endpointId, attempts: saved.attemptCount },
              "webhook delivery failed for a day; no more attempts",
            );
          }
        }
      });
      attempts += claimed.length;
    }
  };

  // One pass at a time in this process: sendDue() and the timer never overlap.
  let running: Promise<number> = Promise.resolve(0);
  let passes = 0;
  const sendDue = () => {
    passes++;
    running = running
      .catch(() => 0)
      .then(pass)
      .finally(() => passes--);
    return running;
  };
  // Measured at each scrape on a server; PGlite runs one transaction at a time for the whole graph.
  const unmeasure =
    options.database.kind === "postgres"
      ? webhookDeliveriesFailing.add(async () =>
          (await transactionAs(handle.db, SENDER, countFailingDeliveries)).map(
            ({ status, deliveries }) => [{ status }, deliveries] as [{ status: string }, number],
          ),
        )
      : () => {};
  let stopped = false;
  const timer =
    options.intervalMs == null
      ? null
      : setInterval(() => {
          // A pass waiting on slow endpoints is not joined by more: it sends whatever comes due meanwhile too.
          if (stopped || passes > 0) return;
          sendDue().catch((error: unknown) => options.logger.error({ err: error }, "sending webhooks failed; it will be retried"));
        }, options.intervalMs);
  return {
    sendDue,
    async stop() {
      unmeasure();
      stopped = true;
      if (timer) clearInterval(timer);
      await running.catch(() => 0);
      await handle.close();
    },
  };
}

/** Why a request got no answer, in a sentence for the dealer reading its attempts. */
function failureOf(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `No answer within ${TIMEOUT_MS / 1000} seconds.`;
  // fetch reports network failures as "fetch failed", with the reason (ECONNREFUSED, ENOTFOUND, a TLS error) as its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string" ? ` (${cause.code})` : "";
  return `Could not reach the endpoint: ${cause instanceof Error ? cause.message : String(cause)}${code}.`;
}
