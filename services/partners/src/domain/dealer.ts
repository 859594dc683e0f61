import { InputChecks, moneyOf } from "@aftersales/kit";
import { calendarInputOf, checkCalendar, type Calendar, type CalendarInput } from "./calendar.js";
import type { RelationshipLevel } from "./customer.js";
import type { PartnerErrorCode } from "./errors.js";
import { addressOf, checkAddress, checkGeoPoint, type AddressInput, type GeoPoint } from "./places.js";

export type DealerKind = "DEALER" | "SERVICE_CENTER" | "BOTH";

export interface WarrantyWorkshop {
  authorizedFrom: string;
  authorizedUntil?: string | null;
}

/** A dealer as a client describes it, before checks. */
export interface DealerDraft {
  name: string;
  kind: DealerKind;
  region: string;
  email: string | null;
  phone: string | null;
  address: AddressInput;
  location: GeoPoint;
  serviceRadiusKm: number;
  laborRate: { amount: string; currency: string };
  warrantyWorkshop: WarrantyWorkshop | null;
  calendar: CalendarInput;
  outreach: DealerOutreach;
}

/** How a dealer follows up with its customers after a sale. */
export interface DealerOutreach {
  defaultRelationshipLevel: RelationshipLevel;
  contactIntervalDays: number;
}

/** What a dealer follows up with when it names no settings: no outreach level, and a month between contacts. */
export const DEFAULT_OUTREACH: DealerOutreach = { defaultRelationshipLevel: "BASIC", contactIntervalDays: 30 };

/** The longest a dealer may leave between two contacts of a customer: a year. */
export const MAX_CONTACT_INTERVAL_DAYS = 365;

/** A dealer ready to store: checked and normalized. */
export interface CheckedDealer {
  name: string;
  kind: DealerKind;
  region: string;
  email: string | null;
  phone: string | null;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  serviceRadiusKm: number;
  laborRate: string;
  laborRateCurrency: string;
  workshopAuthorizedFrom: string | null;
  workshopAuthorizedUntil: string | null;
  timeZone: string;
  calendar: Calendar;
  defaultRelationshipLevel: RelationshipLevel;
  contactIntervalDays: number;
}

/** Service radius beyond which a "local" service center is a data-entry mistake. */
export const MAX_SERVICE_RADIUS_KM = 2000;

export const repairsProducts = (kind: DealerKind): boolean => kind !== "DEALER";

/** Checks a whole dealer (new, or current values with an update applied); collects every problem. */
export function checkDealer(draft: DealerDraft, checks = new InputChecks<PartnerErrorCode>()): CheckedDealer {
  // Checked in the order of the input's fields, so errors read top to bottom.
  const name = checks.text(draft.name, ["name"]);
  const region = checks.text(draft.region, ["region"], 100);
  const email = checks.email(draft.email, ["email"]);
  const phone = checks.optionalText(draft.phone, ["phone"], 40);
  const address = checkAddress(checks, draft.address, ["address"]);
  const location = checkGeoPoint(checks, draft.location, ["location"]);
  const serviceRadiusKm = checks.range(draft.serviceRadiusKm, ["serviceRadiusKm"], 0, MAX_SERVICE_RADIUS_KM);
  const laborRate = checks.money(draft.laborRate, ["laborRate"]);
  const workshop = draft.warrantyWorkshop;
  if (workshop?.authorizedUntil && workshop.authorizedUntil < workshop.authorizedFrom) {
    checks.add("END_BEFORE_START", `The authorization ends on ${workshop.authorizedUntil}, before it starts on ${workshop.authorizedFrom}.`, [
      "warrantyWorkshop",
      "authorizedUntil",
    ]);
  }
  const calendar = checkCalendar(checks, draft.calendar, ["calendar"], repairsProducts(draft.kind));
  const contactIntervalDays = checks.range(draft.outreach.contactIntervalDays, ["outreach", "contactIntervalDays"], 1, MAX_CONTACT_INTERVAL_DAYS);
  checks.refuseIfAny();
  return {
    name,
    kind: draft.kind,
    region,
    email,
    phone,
    ...address,
    ...location,
    serviceRadiusKm,
    laborRate: laborRate.amount,
    laborRateCurrency: laborRate.currency,
    workshopAuthorizedFrom: workshop?.authorizedFrom ?? null,
    workshopAuthorizedUntil: workshop?.authorizedUntil ?? null,
    timeZone: calendar.timeZone,
    calendar,
    defaultRelationshipLevel: draft.outreach.defaultRelationshipLevel,
    contactIntervalDays,
  };
}

/** Whether a dealer may repair under warranty on `date` (both ends inclusive). */
export function isAuthorizedWorkshopOn(dealer: { workshopAuthorizedFrom: string | null; workshopAuthorizedUntil: string | null }, date: string): boolean {
  const from = dealer.workshopAuthorizedFrom;
  if (!from || date < from) return false;
  return !dealer.workshopAuthorizedUntil || date <= dealer.workshopAuthorizedUntil;
}

/** A stored dealer as a draft, so that an update is checked like a new dealer. */
export function dealerDraftOf(stored: Omit<CheckedDealer, "calendar">, calendar: Calendar): DealerDraft {
  return {
    name: stored.name,
    kind: stored.kind,
    region: stored.region,
    email: stored.email,
    phone: stored.phone,
    address: addressOf(stored),
    location: { latitude: stored.latitude, longitude: stored.longitude },
    serviceRadiusKm: stored.serviceRadiusKm,
    // As the client read it: the column holds 3 decimals, yen none.
    laborRate: moneyOf(stored.laborRate, stored.laborRateCurrency),
    warrantyWorkshop: stored.workshopAuthorizedFrom ? { authorizedFrom: stored.workshopAuthorizedFrom, authorizedUntil: stored.workshopAuthorizedUntil } : null,
    calendar: calendarInputOf(calendar),
    outreach: { defaultRelationshipLevel: stored.defaultRelationshipLevel, contactIntervalDays: stored.contactIntervalDays },
  };
}

/**
 * What only staff may change about a dealer: its name in the directory and
 * the terms of its contract with the network. A dealer keeps its own contact
 * details (email, phone, address, location), calendar and outreach settings.
 */
export const STAFF_ONLY_DEALER_FIELDS = ["name", "kind", "region", "serviceRadiusKm", "laborRate", "warrantyWorkshop"] as const;
export type StaffOnlyDealerField = (typeof STAFF_ONLY_DEALER_FIELDS)[number];

export type DealerPatch = { [K in keyof DealerDraft]?: DealerDraft[K] | null };

/**
 * The staff-only fields `patch` would change on `current`. A field sent with
 * the value it already has changes nothing, so a form that sends the whole
 * dealer back is not refused for it.
 */
export function staffOnlyChanges(current: DealerDraft, patch: DealerPatch): StaffOnlyDealerField[] {
  const changes: StaffOnlyDealerField[] = [];
  const compare = <K extends StaffOnlyDealerField>(field: K, same: (sent: DealerDraft[K], stored: DealerDraft[K]) => boolean) => {
    const sent = patch[field];
    if (sent === undefined) return;
    // Clearing (null) is a change unless the field is already empty.
    if (sent === null ? current[field] !== null : !same(sent, current[field])) changes.push(field);
  };
  compare("name", (a, b) => a.trim() === b.trim());
  compare("kind", (a, b) => a === b);
  compare("region", (a, b) => a.trim() === b.trim());
  compare("serviceRadiusKm", (a, b) => a === b);
  compare("laborRate", (a, b) => Number(a.amount) === Number(b.amount) && a.currency.trim().toUpperCase() === b.currency.toUpperCase());
  compare("warrantyWorkshop", (a, b) =>
    a === null || b === null ? a === b : a.authorizedFrom === b.authorizedFrom && (a.authorizedUntil ?? null) === (b.authorizedUntil ?? null),
  );
  return changes;
}
