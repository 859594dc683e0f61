import type { PayloadIn } from "@aftersales/events";
import { emitEvent, moneyOf, type Database } from "@aftersales/kit";
import type { Calendar } from "../domain/calendar.js";
import { outbox, type CustomerRow, type DealerRow, type TechnicianRow } from "./schema.js";

/**
 * `dealer.created` and `dealer.updated` carry the dealer's terms as they are
 * after the change (version 1 of the payload): what other subgraphs need to
 * judge a dealer's work (its warranty authorization, labor rate, calendar).
 */
export function emitDealerEvent(tx: Database, type: "dealer.created" | "dealer.updated", row: DealerRow, calendar: Calendar) {
  return emitEvent(tx, outbox, { type, aggregate: "dealer", aggregateId: row.id, dealerId: row.id, payload: dealerState(row, calendar) });
}

/** A dealer as its events carry it; also what other subgraphs are told when they ask (`Dealer.eventState`). */
export function dealerState(row: DealerRow, calendar: Calendar): PayloadIn<"dealer"> {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    kind: row.kind,
    region: row.region,
    location: { latitude: row.latitude, longitude: row.longitude, country: row.country },
    serviceRadiusKm: row.serviceRadiusKm,
    laborRate: moneyOf(row.laborRate, row.laborRateCurrency),
    warrantyWorkshop: row.workshopAuthorizedFrom ? { authorizedFrom: row.workshopAuthorizedFrom, authorizedUntil: row.workshopAuthorizedUntil } : null,
    timeZone: row.timeZone,
    calendar,
    outreach: { defaultRelationshipLevel: row.defaultRelationshipLevel, contactIntervalDays: row.contactIntervalDays },
  };
}

/**
 * `customer.created` and `customer.updated`: who a customer belongs to, how
 * closely its dealer follows it up and on which channels it may, and
 * nothing personal (no name, contact or address), so no consumer holds
 * personal data it would then have to protect. The one exception is the
 * customer's area, coarse on purpose: the location rounded to 2 decimals
 * (about 1 km), enough to dispatch a technician nearby without anyone else
 * holding the exact address; null when the customer's location is unknown.
 */
export function emitCustomerEvent(tx: Database, type: "customer.created" | "customer.updated", row: CustomerRow) {
  return emitEvent(tx, outbox, { type, aggregate: "customer", aggregateId: row.id, dealerId: row.homeDealerId, payload: customerState(row) });
}

/** A customer as its events carry it (nothing personal); also what other subgraphs are told when they ask. */
export function customerState(row: CustomerRow): PayloadIn<"customer"> {
  const area = row.latitude === null || row.longitude === null ? null : { latitude: toAreaDegrees(row.latitude), longitude: toAreaDegrees(row.longitude) };
  return {
    id: row.id,
    version: row.version,
    kind: row.kind,
    homeDealerId: row.homeDealerId,
    relationshipLevel: row.relationshipLevel,
    area,
    contactConsent: { phone: row.phoneConsent, email: row.emailConsent },
  };
}

/** Degrees rounded to 2 decimals: 0.01° is about 1.1 km of latitude, less of longitude away from the equator. */
const toAreaDegrees = (degrees: number) => Math.round(degrees * 100) / 100;

/**
 * `technician.created` and `technician.updated`: which service center a
 * technician works for and what they can repair, so another subgraph can
 * dispatch them; nothing personal (no name or contact), for the same reason
 * as customers'.
 */
export function emitTechnicianEvent(tx: Database, type: "technician.created" | "technician.updated", row: TechnicianRow) {
  return emitEvent(tx, outbox, { type, aggregate: "technician", aggregateId: row.id, dealerId: row.serviceCenterId, payload: technicianState(row) });
}

/** A technician as its events carry it (nothing personal); also what other subgraphs are told when they ask. */
export function technicianState(row: TechnicianRow): PayloadIn<"technician"> {
  return { id: row.id, version: row.version, serviceCenterId: row.serviceCenterId, skills: row.skills, active: row.active };
}
