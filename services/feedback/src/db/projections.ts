import { asConsumer, payloads } from "@aftersales/events";
import { keepNewest, newId, type Database, type DomainEvent, type EventSubscriptions } from "@aftersales/kit";
import { and, eq, lt, sql } from "drizzle-orm";
import type { z } from "zod";
import { DAY_MS, HOUR_MS } from "../domain/survey.js";
import { claimFacts, knownCustomers, knownDealers, knownProducts, knownUnits, surveys, ticketFacts } from "./schema.js";
import { surveyTimings } from "./settings.js";
import { copyTicketFacts, newSurveyToken } from "./surveys.js";

/**
 * What this subgraph keeps of the other subgraphs' events: the facts the
 * insights are computed from, and the surveys those facts call for. A copy is
 * only ever replaced by a newer version of it, so a redelivered or late event
 * changes nothing; counters (reopens) rely on the inbox applying each event
 * once. Payloads are read with the event catalog's schemas, leniently
 * (`asConsumer`): fields this subgraph does not pick may come and go.
 */

export const customerPayload = asConsumer(payloads.customer).pick({ id: true, version: true, homeDealerId: true });
export const dealerPayload = asConsumer(payloads.dealer).pick({ id: true, version: true, name: true, kind: true, calendar: true });
export const productPayload = asConsumer(payloads.product).pick({ id: true, version: true, name: true, kind: true, category: true });
export const unitPayload = asConsumer(payloads.unit).pick({
  id: true,
  version: true,
  productId: true,
  dealerId: true,
  customerId: true,
  status: true,
  soldOn: true,
  deliveredOn: true,
  installedOn: true,
  event: true,
});
const claimPayload = asConsumer(payloads.claim);
export const ticketPayload = asConsumer(payloads.ticket);
const breachPayload = asConsumer(payloads.slaBreach).pick({ id: true });

async function applyCustomer(tx: Database, event: DomainEvent): Promise<void> {
  const customer = customerPayload.parse(event.payload);
  const knownSince = new Date(event.occurredAt);
  const { npsFirstAfterDays } = await surveyTimings(tx);
  // The first announcement starts the NPS schedule; later ones never move it.
  await tx
    .insert(knownCustomers)
    .values({
      id: customer.id,
      sourceVersion: customer.version,
      homeDealerId: customer.homeDealerId,
      knownSince,
      npsDueAt: new Date(knownSince.getTime() + npsFirstAfterDays * DAY_MS),
    })
    .onConflictDoUpdate({
      target: knownCustomers.id,
      set: { sourceVersion: customer.version, homeDealerId: customer.homeDealerId },
      setWhere: sql`${knownCustomers.sourceVersion} < ${customer.version}`,
    });
}

async function applyDealer(tx: Database, event: DomainEvent): Promise<void> {
  const dealer = dealerPayload.parse(event.payload);
  await keepNewest(tx, knownDealers, { id: dealer.id, sourceVersion: dealer.version, name: dealer.name, kind: dealer.kind, calendar: dealer.calendar ?? null });
}

async function applyProduct(tx: Database, event: DomainEvent): Promise<void> {
  const product = productPayload.parse(event.payload);
  await keepNewest(tx, knownProducts, { id: product.id, sourceVersion: product.version, name: product.name, kind: product.kind, category: product.category });
}

async function applyUnit(tx: Database, event: DomainEvent): Promise<void> {
  const unit = unitPayload.parse(event.payload);
  await keepNewest(tx, knownUnits, {
    id: unit.id,
    sourceVersion: unit.version,
    productId: unit.productId,
    dealerId: unit.dealerId,
    customerId: unit.customerId,
    status: unit.status,
    soldOn: unit.soldOn,
    deliveredOn: unit.deliveredOn,
    installedOn: unit.installedOn,
  });
  if ((unit.event.kind === "DELIVERED" || unit.event.kind === "INSTALLED") && unit.customerId) {
    await schedulePostSaleSurvey(tx, { ...unit, customerId: unit.customerId }, unit.event.occurredOn);
  }
}

/**
 * A post-sale survey for the unit's owner, due some days after delivery. An
 * installation before it opens moves it later, so the customer is asked once
 * the machine runs; once open or answered it stays as it is.
 */
async function schedulePostSaleSurvey(
  tx: Database,
  unit: { id: string; productId: string; dealerId: string; customerId: string },
  occurredOn: string,
): Promise<void> {
  const { postSaleDelayDays } = await surveyTimings(tx);
  const dueAt = new Date(Date.parse(`${occurredOn}T00:00:00Z`) + postSaleDelayDays * DAY_MS);
  await tx
    .insert(surveys)
    .values({
      id: newId("svy"),
      kind: "POST_SALE",
      status: "SCHEDULED",
      dealerId: unit.dealerId,
      customerId: unit.customerId,
      unitId: unit.id,
      productId: unit.productId,
      token: newSurveyToken(),
      dueAt,
      createdAt: new Date(),
    })
    .onConflictDoUpdate({
      target: [surveys.unitId, surveys.customerId],
      targetWhere: sql`${surveys.kind} = 'POST_SALE'`,
      set: { dueAt },
      setWhere: and(eq(surveys.status, "SCHEDULED"), lt(surveys.dueAt, dueAt)),
    });
}

async function applyClaim(tx: Database, event: DomainEvent): Promise<void> {
  const claim = claimPayload.parse(event.payload);
  await keepNewest(tx, claimFacts, {
    id: claim.id,
    sourceVersion: claim.version,
    dealerId: claim.dealerId,
    unitId: claim.unitId,
    productId: claim.productId,
    failureCode: claim.failureCode,
    failureOn: claim.failureOn,
    repairOn: claim.repairOn,
    status: claim.status,
    claimedTotal: claim.claimedTotal,
    approvedTotal: claim.approvedTotal,
    currency: claim.currency,
    coverageKind: claim.coverageKind,
  });
  // The repair the claim pays for is the unit's ticket open on its repair day.
  if (claim.coverageKind !== "NONE") {
    const covered = await tx
      .update(ticketFacts)
      .set({ coverage: claim.coverageKind })
      .where(
        and(
          eq(ticketFacts.unitId, claim.unitId),
          eq(ticketFacts.coverage, "NONE"),
          sql`${ticketFacts.openedAt}::date <= ${claim.repairOn}::date`,
          sql`(${ticketFacts.resolvedAt} is null or ${ticketFacts.resolvedAt}::date >= ${claim.repairOn}::date)`,
        ),
      )
      .returning({ id: ticketFacts.id });
    if (covered.length) await copyTicketFacts(tx, sql`t.id = any(${sql.param(covered.map((ticket) => ticket.id))}::text[])`);
  }
}

async function applyTicket(tx: Database, event: DomainEvent): Promise<void> {
  const ticket = ticketPayload.parse(event.payload);
  await tx
    .insert(ticketFacts)
    .values({
      id: ticket.id,
      sourceVersion: ticket.version,
      number: ticket.number,
      dealerId: ticket.dealerId,
      customerId: ticket.customerId,
      unitId: ticket.unitId,
      productId: ticket.productId,
      serviceCenterId: ticket.serviceCenterId,
      technicianId: ticket.technicianId ?? null,
      kind: ticket.kind,
      priority: ticket.priority,
      status: ticket.status,
      failureCode: ticket.failureCode,
      slaSource: ticket.slaSource ?? null,
      openedAt: new Date(ticket.openedAt),
      resolvedAt: ticket.resolvedAt ? new Date(ticket.resolvedAt) : null,
      closedAt: ticket.closedAt ? new Date(ticket.closedAt) : null,
      coverage: ticket.slaSource === "CONTRACT" ? "CONTRACT" : await claimCoverage(tx, ticket),
    })
    .onConflictDoUpdate({
      target: ticketFacts.id,
      set: {
        sourceVersion: sql`excluded.source_version`,
        ...Object.fromEntries(LATEST_COLUMNS.map((column) => [column, sql.raw(`excluded.${snake(column)}`)])),
      },
      setWhere: sql`${ticketFacts.sourceVersion} < excluded.source_version`,
    });
  // What only the history tells accumulates, whatever order the versions arrive in.
  const reopened = event.type === "ticket.reopened";
  const waited = ticket.status === "WAITING_PARTS";
  if (reopened || waited || ticket.slaBreached) {
    await tx
      .update(ticketFacts)
      .set({
        reopenCount: sql`${ticketFacts.reopenCount} + ${reopened ? 1 : 0}`,
        waitedForParts: sql`${ticketFacts.waitedForParts} or ${waited}`,
        slaBreached: sql`${ticketFacts.slaBreached} or ${ticket.slaBreached ?? false}`,
      })
      .where(eq(ticketFacts.id, ticket.id));
  }
  if (ticket.kind === "REPAIR" && ticket.unitId) await linkRepeatRepairs(tx, ticket.unitId);
  await copyTicketFacts(tx, sql`t.id = ${ticket.id}`);
  if (event.type === "ticket.resolved") await scheduleCsatSurvey(tx, ticket);
  if (event.type === "ticket.reopened") {
    // The fix did not hold: the survey about it is not sent, and none follows the next resolution.
    await tx
      .update(surveys)
      .set({ status: "CANCELLED" })
      .where(and(eq(surveys.ticketId, ticket.id), eq(surveys.kind, "CSAT"), eq(surveys.status, "SCHEDULED")));
  }
}

/** The columns a newer version of a ticket replaces. */
const LATEST_COLUMNS = [
  "number",
  "dealerId",
  "customerId",
  "unitId",
  "productId",
  "serviceCenterId",
  "technicianId",
  "kind",
  "priority",
  "status",
  "failureCode",
  "slaSource",
  "openedAt",
  "resolvedAt",
  "closedAt",
  "coverage",
] as const;
const snake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Sets, for each repair of a unit, when the unit's next repair ticket was
 * opened after it was resolved (none while unresolved). A unit has few
 * repairs, so all of them are worked out again whenever one changes: a new
 * repair, a resolution, a reopen that clears one.
 */
async function linkRepeatRepairs(tx: Database, unitId: string): Promise<void> {
  await tx.execute(
    sql`with next as (
          select p.id, (select min(n.opened_at) from feedback.ticket_facts n
                        where n.unit_id = p.unit_id and n.kind = 'REPAIR' and n.id <> p.id and n.opened_at > p.resolved_at) as opened_at
          from feedback.ticket_facts p where p.unit_id = ${unitId} and p.kind = 'REPAIR')
        update feedback.ticket_facts t set next_repair_opened_at = next.opened_at
        from next where t.id = next.id and t.next_repair_opened_at is distinct from next.opened_at`,
  );
}

/** What a warranty claim on the ticket's unit, repaired while it was open, says covered it. */
async function claimCoverage(tx: Database, ticket: z.infer<typeof ticketPayload>): Promise<string> {
  if (!ticket.unitId) return "NONE";
  const [claim] = await tx
    .select({ coverageKind: claimFacts.coverageKind })
    .from(claimFacts)
    .where(
      and(
        eq(claimFacts.unitId, ticket.unitId),
        sql`${claimFacts.coverageKind} <> 'NONE'`,
        sql`${claimFacts.repairOn} >= ${ticket.openedAt}::timestamptz::date`,
        ticket.resolvedAt ? sql`${claimFacts.repairOn} <= ${ticket.resolvedAt}::timestamptz::date` : undefined,
      ),
    )
    .limit(1);
  return claim?.coverageKind ?? "NONE";
}

/**
 * The CSAT survey about a resolved ticket, due after the configured delay.
 * Once per ticket: a ticket reopened before is never surveyed, and the unique
 * index keeps a second resolution from scheduling another.
 */
async function scheduleCsatSurvey(tx: Database, ticket: z.infer<typeof ticketPayload>): Promise<void> {
  if (!ticket.resolvedAt) return;
  const [fact] = await tx.select({ reopenCount: ticketFacts.reopenCount }).from(ticketFacts).where(eq(ticketFacts.id, ticket.id));
  if (!fact || fact.reopenCount > 0) return;
  const { csatDelayHours } = await surveyTimings(tx);
  await tx
    .insert(surveys)
    .values({
      id: newId("svy"),
      kind: "CSAT",
      status: "SCHEDULED",
      dealerId: ticket.dealerId,
      customerId: ticket.customerId,
      ticketId: ticket.id,
      unitId: ticket.unitId,
      productId: ticket.productId,
      token: newSurveyToken(),
      dueAt: new Date(Date.parse(ticket.resolvedAt) + csatDelayHours * HOUR_MS),
      createdAt: new Date(),
    })
    .onConflictDoNothing({ target: surveys.ticketId, where: sql`${surveys.kind} = 'CSAT'` });
}

async function applySlaBreach(tx: Database, event: DomainEvent): Promise<void> {
  const { id } = breachPayload.parse(event.payload);
  await tx.update(ticketFacts).set({ slaBreached: true }).where(eq(ticketFacts.id, id));
  await copyTicketFacts(tx, sql`t.id = ${id}`);
}

export const subscriptions: EventSubscriptions = {
  catalog: { "unit.*": applyUnit, "product.*": applyProduct },
  partners: {
    "customer.created": applyCustomer,
    "customer.updated": applyCustomer,
    "dealer.created": applyDealer,
    "dealer.updated": applyDealer,
  },
  warranty: {
    "claim.*": applyClaim,
  },
  tickets: {
    "ticket.opened": applyTicket,
    "ticket.status_changed": applyTicket,
    "ticket.resolved": applyTicket,
    "ticket.reopened": applyTicket,
    "ticket.closed": applyTicket,
    "ticket.sla_breached": applySlaBreach,
  },
};
