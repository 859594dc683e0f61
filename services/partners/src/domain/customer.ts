import { actsFor, InputChecks, present } from "@aftersales/kit";
import type { PartnerErrorCode } from "./errors.js";
import { addressOf, checkAddress, checkGeoPoint, geoPointOf, type AddressInput, type GeoPoint } from "./places.js";

export type CustomerKind = "CONSUMER" | "BUSINESS";
export type RelationshipLevel = "BASIC" | "REACTIVE" | "RESPONSIBLE" | "ACTIVE";

export interface CustomerDraft {
  kind: CustomerKind;
  name: string;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  address: AddressInput;
  location: GeoPoint | null;
  /** Null: not given (staff must name one). */
  homeDealerId: string | null;
  relationshipLevel: RelationshipLevel;
  contactConsent: ContactConsent;
}

/** On which channels a customer may be contacted for outreach. */
export interface ContactConsent {
  phone: boolean;
  email: boolean;
}

/** A customer registered without saying otherwise may be contacted on both channels, until they opt out. */
export const FULL_CONSENT: ContactConsent = { phone: true, email: true };

export interface CheckedCustomer {
  kind: CustomerKind;
  name: string;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
  homeDealerId: string;
  relationshipLevel: RelationshipLevel;
  phoneConsent: boolean;
  emailConsent: boolean;
}

/**
 * Checks a whole customer; `homeDealerExists` says whether `homeDealerId`
 * names a dealer, which a DEALER caller (`dealerScope`: its dealer; null for
 * staff) may only name when it is its own.
 */
export function checkCustomer(
  draft: CustomerDraft,
  homeDealerExists: boolean,
  dealerScope: string | null,
  checks = new InputChecks<PartnerErrorCode>(),
): CheckedCustomer {
  // Checked in the order of the input's fields, so errors read top to bottom.
  const name = checks.text(draft.name, ["name"]);
  const companyName = checks.optionalText(draft.companyName, ["companyName"]);
  if (draft.kind === "BUSINESS" && !companyName) {
    checks.add("COMPANY_NAME_REQUIRED", "A business customer needs a company name.", ["companyName"]);
  }
  const email = checks.email(draft.email, ["email"]);
  const phone = checks.optionalText(draft.phone, ["phone"], 40);
  const address = checkAddress(checks, draft.address, ["address"]);
  const location = draft.location ? checkGeoPoint(checks, draft.location, ["location"]) : null;
  const { homeDealerId } = draft;
  // Another dealer than a DEALER's own is refused as such whether it exists or not, so the answer tells nothing.
  if (!homeDealerId) {
    checks.add("REQUIRED", "Name the customer's home dealer in `homeDealerId`.", ["homeDealerId"]);
  } else if (!actsFor(dealerScope, homeDealerId)) {
    checks.add("NOT_YOUR_DEALER", "A dealer's customers are its own: it may not make another dealer their home dealer.", ["homeDealerId"]);
  } else if (!homeDealerExists) {
    checks.add("DEALER_NOT_FOUND", `No dealer has the id \`${homeDealerId}\`.`, ["homeDealerId"]);
  }
  checks.refuseIfAny();
  return {
    kind: draft.kind,
    name,
    companyName,
    email,
    phone,
    ...address,
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    homeDealerId: present(homeDealerId, "home dealer"),
    relationshipLevel: draft.relationshipLevel,
    phoneConsent: draft.contactConsent.phone,
    emailConsent: draft.contactConsent.email,
  };
}

/** A stored customer as a draft, so that an update is checked like a new customer. */
export function customerDraftOf(stored: CheckedCustomer): CustomerDraft {
  return {
    kind: stored.kind,
    name: stored.name,
    companyName: stored.companyName,
    email: stored.email,
    phone: stored.phone,
    address: addressOf(stored),
    location: geoPointOf(stored),
    homeDealerId: stored.homeDealerId,
    relationshipLevel: stored.relationshipLevel,
    contactConsent: { phone: stored.phoneConsent, email: stored.emailConsent },
  };
}
