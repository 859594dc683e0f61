import {
  anyOf,
  dealerFilter,
  eventJson,
  countPerParent,
  newId,
  pagePerParent,
  sortKey,
  subscriptionsTaking,
  userError,
  versionedRows,
  type ConstraintErrors,
  type Database,
  type DomainEvent,
  type Identity,
  type Page,
} from "@aftersales/kit";
import { and, asc, count, eq, exists, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { PartnerErrorCode } from "../domain/errors.js";
import type { CheckedWebhookEndpoint, DeliveryStatus } from "../domain/webhook.js";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, type WebhookAttemptRow, type WebhookDeliveryRow, type WebhookEndpointRow } from "./schema.js";

// --- endpoints ----------------------------------------------------------------

/** Endpoints by id, as far as the caller may see them: a DEALER only its own. */
export function findWebhookEndpointsByIds(db: Database, ids: readonly string[], identity: Identity): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(anyOf(webhookEndpoints.id, ids), dealerFilter(webhookEndpoints.dealerId, identity)));
}

/** Each dealer's endpoints, oldest first (ids are ULIDs); a DEALER asking about another dealer finds none. */
export function findWebhookEndpointsByDealerIds(db: Database, dealerIds: readonly string[], identity: Identity): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(anyOf(webhookEndpoints.dealerId, dealerIds), dealerFilter(webhookEndpoints.dealerId, identity)))
    .orderBy(asc(webhookEndpoints.id));
}

export async function countWebhookEndpoints(tx: Database, dealerId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.dealerId, dealerId));
  return row?.n ?? 0;
}

const endpointRows = versionedRows(webhookEndpoints, "whe");

/** The refusals of an endpoint's constraints, for the mutations that register or change one. */
export const endpointConstraints: ConstraintErrors<PartnerErrorCode> = {
  webhook_endpoints_dealer_url_key: () => userError("WEBHOOK_URL_TAKEN", "The dealer already has an endpoint with this URL; change that one instead.", ["url"]),
};

export function insertWebhookEndpoint(tx: Database, values: CheckedWebhookEndpoint & { dealerId: string; secret: string }): Promise<WebhookEndpointRow> {
  return endpointRows.insert(tx, values);
}

/**
 * Reads an endpoint for a change and holds its row until the transaction
 * ends; null when there is none or the caller may not see it (another
 * dealer's, for a DEALER).
 */
export async function lockWebhookEndpoint(tx: Database, id: string, identity: Identity): Promise<WebhookEndpointRow | null> {
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), dealerFilter(webhookEndpoints.dealerId, identity)))
    .for("update");
  return row ?? null;
}

export function saveWebhookEndpoint(tx: Database, id: string, values: Partial<CheckedWebhookEndpoint & { secret: string }>): Promise<WebhookEndpointRow> {
  return endpointRows.save(tx, id, values);
}

/** Removes an endpoint (its deliveries and attempts go with it); null when the caller has none of that id. */
export async function deleteWebhookEndpoint(tx: Database, id: string, identity: Identity): Promise<WebhookEndpointRow | null> {
  const [row] = await tx
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), dealerFilter(webhookEndpoints.dealerId, identity)))
    .returning();
  return row ?? null;
}

// --- deliveries -----------------------------------------------------------------

/** Deliveries are listed newest first; ids are ULIDs, so their order is the order they were made in. */
export const deliveryOrder = sortKey([webhookDeliveries.id], (row: WebhookDeliveryRow) => [row.id], "desc");

export function findWebhookDeliveriesByIds(db: Database, ids: readonly string[], identity: Identity): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(anyOf(webhookDeliveries.id, ids), dealerFilter(webhookDeliveries.dealerId, identity)));
}

/** A page of each endpoint's deliveries, only those in `status` when given. */
export function findDeliveryPagesByEndpointIds(
  db: Database,
  identity: Identity,
  endpointIds: readonly string[],
  status: DeliveryStatus | null,
  page: Page,
): Promise<WebhookDeliveryRow[]> {
  return pagePerParent(db, webhookDeliveries, webhookDeliveries.endpointId, endpointIds, deliveryOrder, page, deliveriesListed(identity, status));
}

/** The deliveries an endpoint's list holds: of the status asked for, a DEALER's own only. */
const deliveriesListed = (identity: Identity, status: DeliveryStatus | null) =>
  and(status ? eq(webhookDeliveries.status, status) : undefined, dealerFilter(webhookDeliveries.dealerId, identity));

/** How many deliveries each endpoint's list holds, whole. */
export const countDeliveriesByEndpointIds = (db: Database, identity: Identity, endpointIds: readonly string[], status: DeliveryStatus | null) =>
  countPerParent(db, webhookDeliveries, webhookDeliveries.endpointId, endpointIds, deliveriesListed(identity, status));

export function findAttemptsByDeliveryIds(db: Database, deliveryIds: readonly string[], identity: Identity): Promise<WebhookAttemptRow[]> {
  return db
    .select()
    .from(webhookAttempts)
    .where(and(anyOf(webhookAttempts.deliveryId, deliveryIds), dealerFilter(webhookAttempts.dealerId, identity)))
    .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.number));
}

/**
 * Applies one event of any subgraph: a delivery to each active endpoint of
 * the event's dealer that subscribed to its type and was registered before
 * it occurred (a new endpoint gets what happens from then on, not a backlog).
 * Events of no dealer (products) go to no one. A redelivered event finds its
 * deliveries there and adds none.
 */
export async function queueWebhookDeliveries(tx: Database, event: DomainEvent): Promise<void> {
  if (event.dealerId === null) return;
  const occurredAt = new Date(event.occurredAt);
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, dealerId: webhookEndpoints.dealerId })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.dealerId, event.dealerId),
        eq(webhookEndpoints.active, true),
        sql`${webhookEndpoints.eventTypes} && ${sql.param(subscriptionsTaking(event.type))}::text[]`,
        lte(webhookEndpoints.createdAt, occurredAt),
      ),
    );
  if (!endpoints.length) return;
  // Kept as the exact text sent, so a replay sends the same bytes and a partner can recompute a signature from what the API shows.
  const body = eventJson(event);
  await tx
    .insert(webhookDeliveries)
    .values(
      endpoints.map((endpoint) => ({
        id: newId("whd"),
        endpointId: endpoint.id,
        dealerId: endpoint.dealerId,
        eventId: event.id,
        eventType: event.type,
        occurredAt,
        body,
      })),
    )
    .onConflictDoNothing();
}

/** A new delivery of a delivery's event: the same body and event id, due at once. */
export async function insertReplay(tx: Database, original: WebhookDeliveryRow): Promise<WebhookDeliveryRow> {
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({
      id: newId("whd"),
      endpointId: original.endpointId,
      dealerId: original.dealerId,
      eventId: original.eventId,
      eventType: original.eventType,
      occurredAt: original.occurredAt,
      body: original.body,
      replayOf: original.id,
    })
    .returning();
  if (!row) throw new Error("insert returned no webhook delivery");
  return row;
}

// --- sending --------------------------------------------------------------------

/**
 * Takes up to `limit` deliveries due at `now` of active endpoints, skipping
 * rows another sender holds, and leases them until `leaseUntil`: a sender
 * that dies while sending leaves them to be taken again then.
 */
/** How many deliveries are being retried after failed attempts, and how many failed for good, across every dealer. */
export async function countFailingDeliveries(tx: Database): Promise<{ status: "RETRYING" | "FAILED"; deliveries: number }[]> {
  const rows = await tx
    .select({ status: webhookDeliveries.status, deliveries: count() })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.status, ["RETRYING", "FAILED"]))
    .groupBy(webhookDeliveries.status);
  return (["RETRYING", "FAILED"] as const).map((status) => ({ status, deliveries: rows.find((row) => row.status === status)?.deliveries ?? 0 }));
}

export async function claimDueDeliveries(tx: Database, now: Date, leaseUntil: Date, limit: number): Promise<WebhookDeliveryRow[]> {
  const activeEndpoint = tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, webhookDeliveries.endpointId), eq(webhookEndpoints.active, true)));
  const due = await tx
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.status, ["PENDING", "RETRYING"]),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, now)),
        exists(activeEndpoint),
      ),
    )
    .orderBy(sql`${webhookDeliveries.nextAttemptAt} asc nulls first`, asc(webhookDeliveries.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  if (due.length) {
    const ids = due.map((delivery) => delivery.id);
    await tx.update(webhookDeliveries).set({ nextAttemptAt: leaseUntil }).where(anyOf(webhookDeliveries.id, ids));
  }
  return due;
}

export interface AttemptRecord {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Records the next attempt of a claimed delivery and where that leaves it.
 * Nothing is recorded when the delivery was removed with its endpoint
 * meanwhile, or another sender recorded this attempt after the lease ran out.
 */
export async function recordAttempt(
  tx: Database,
  delivery: WebhookDeliveryRow,
  attempt: AttemptRecord,
  outcome: { status: DeliveryStatus; nextAttemptAt: Date | null },
): Promise<WebhookDeliveryRow | null> {
  const number = delivery.attemptCount + 1;
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ ...outcome, attemptCount: number, firstAttemptAt: delivery.firstAttemptAt ?? attempt.at })
    .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attemptCount, delivery.attemptCount)))
    .returning();
  if (!row) return null;
  await tx.insert(webhookAttempts).values({ deliveryId: delivery.id, number, dealerId: delivery.dealerId, ...attempt });
  return row;
}
