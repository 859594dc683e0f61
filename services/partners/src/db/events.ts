import { emitEvent, type Database } from "@aftersales/kit";
import type { Calendar } from "../domain/calendar.js";
import { outbox, type CustomerRow, type DealerRow } from "./schema.js";

/**
 * `dealer.created` and `dealer.updated` carry the dealer's terms as they are
 * after the change (version 1 of the payload): what other subgraphs need to
 * judge a dealer's work (its warranty authorization, labor rate, calendar).
 */
export function emitDealerEvent(tx: Database, type: "dealer.created" | "dealer.updated", row: DealerRow, calendar: Calendar) {
  return emitEvent(tx, outbox, {
    type,
    aggregate: "dealer",
    aggregateId: row.id,
    dealerId: row.id,
    payload: {
      id: row.id,
      version: row.version,
      name: row.name,
      kind: row.kind,
      region: row.region,
      location: { latitude: row.latitude, longitude: row.longitude, country: row.country },
      serviceRadiusKm: row.serviceRadiusKm,
      laborRate: { amount: row.laborRate, currency: row.laborRateCurrency },
      warrantyWorkshop: row.workshopAuthorizedFrom
        ? { authorizedFrom: row.workshopAuthorizedFrom, authorizedUntil: row.workshopAuthorizedUntil }
        : null,
      timeZone: row.timeZone,
      calendar,
    },
  });
}

/**
 * `customer.created` and `customer.updated`: who a customer belongs to, and
 * nothing personal (no name, contact or address), so no consumer holds
 * personal data it would then have to protect.
 */
export function emitCustomerEvent(tx: Database, type: "customer.created" | "customer.updated", row: CustomerRow) {
  return emitEvent(tx, outbox, {
    type,
    aggregate: "customer",
    aggregateId: row.id,
    dealerId: row.homeDealerId,
    payload: { id: row.id, version: row.version, kind: row.kind, homeDealerId: row.homeDealerId, relationshipLevel: row.relationshipLevel },
  });
}
