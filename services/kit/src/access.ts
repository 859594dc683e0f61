import { actsFor, dealerScopeOf, type Identity } from "./identity.js";
import type { FieldPath, InputChecks } from "./validate.js";

/**
 * Refuses a dealer (or service center) id a DEALER names that is not its own.
 * The dealer directory is public, so saying so reveals nothing; other roles
 * act for any dealer. The subgraph's error enum carries `NOT_YOUR_DEALER`.
 */
export function checkOwnDealer<Code extends string>(
  checks: InputChecks<Code | "NOT_YOUR_DEALER">,
  identity: Identity,
  dealerId: string,
  field: FieldPath,
): void {
  const own = dealerScopeOf(identity);
  if (own !== null && dealerId && dealerId !== own) {
    checks.add("NOT_YOUR_DEALER", `You act for the dealer \`${own}\`; \`${dealerId}\` is another one.`, field);
  }
}

/**
 * The dealer a record is booked to: the one given (a DEALER may give only
 * itself), or, left out, the caller's own dealer; only a DEALER has one, so
 * other roles must name it. Returns the trimmed id.
 */
export function dealerToBook<Code extends string>(
  checks: InputChecks<Code | "NOT_YOUR_DEALER">,
  identity: Identity,
  given: string | null | undefined,
  field: FieldPath,
): string {
  if (given === null || given === undefined) {
    const own = dealerScopeOf(identity);
    if (own !== null) return own;
    checks.add("REQUIRED", "Name the dealer; only a DEALER may leave it out, for itself.", field);
    return "";
  }
  const dealerId = checks.text(given, field, 64);
  checkOwnDealer(checks, identity, dealerId, field);
  return dealerId;
}

/**
 * The record an input names by id (`row`: as loaded, null when there is
 * none), if the caller may act on it. One that does not exist and one the
 * caller may not act on (another dealer's) are refused alike, with `code`
 * and the same message, so the answer never tells the two apart.
 */
export function namedRecord<Row, Code extends string>(
  checks: InputChecks<Code>,
  named: { id: string; row: Row | null; mayActOn?: (row: Row) => boolean },
  refusal: { code: Code; what: string; field: FieldPath },
): Row | null {
  const { id, row, mayActOn = () => true } = named;
  if (row && mayActOn(row)) return row;
  checks.add(refusal.code, `No ${refusal.what} has the id \`${id}\`.`, refusal.field);
  return null;
}

/** Whether the caller may act for `dealerId`'s records: staff for every dealer, a DEALER for its own. */
export function mayActFor(identity: Identity, dealerId: string): boolean {
  return actsFor(dealerScopeOf(identity), dealerId);
}

/** Where a record a change names is read: a copy that asks the record's owner before it refuses (`CopyReader`). */
export interface NamedRecords<Row> {
  confirmed(id: string, acceptable: (row: Row) => boolean): Promise<Row | null>;
}

/**
 * A customer a change names: refused (`CUSTOMER_NOT_FOUND`) when there is
 * none, or when the caller does not act for its home dealer.
 */
export async function namedCustomer<Row extends { homeDealerId: string }, Code extends string>(
  checks: InputChecks<Code | "CUSTOMER_NOT_FOUND">,
  identity: Identity,
  id: string,
  customers: NamedRecords<Row>,
  field: FieldPath,
): Promise<Row | null> {
  const mayActOn = (row: Row) => mayActFor(identity, row.homeDealerId);
  return namedRecord(checks, { id, row: await customers.confirmed(id, mayActOn), mayActOn }, { code: "CUSTOMER_NOT_FOUND", what: "customer", field });
}

/** Dealers that repair: the ones stock, technicians, tickets' dispatch and claims' repairs belong to. */
export const SERVICE_CENTER_KINDS: readonly string[] = ["SERVICE_CENTER", "BOTH"];

/**
 * A dealer a change books something to: it must exist (`DEALER_NOT_FOUND`).
 * A DEALER naming another dealer is refused by `checkOwnDealer` or
 * `dealerToBook` first (the directory is public, so that refusal tells it
 * nothing); nothing is added for it here.
 */
export function namedDealer<Row, Code extends string>(
  checks: InputChecks<Code | "DEALER_NOT_FOUND">,
  identity: Identity,
  id: string,
  dealers: NamedRecords<Row>,
  field: FieldPath,
): Promise<Row | null> {
  return bookedDealer(checks, identity, id, dealers, () => true, { code: "DEALER_NOT_FOUND", what: "dealer", field });
}

/** As `namedDealer`, for what only a dealer that repairs takes (`SERVICE_CENTER_NOT_FOUND`): stock, technicians, tickets. */
export function namedServiceCenter<Row extends { kind: string }, Code extends string>(
  checks: InputChecks<Code | "SERVICE_CENTER_NOT_FOUND">,
  identity: Identity,
  id: string,
  dealers: NamedRecords<Row>,
  field: FieldPath,
): Promise<Row | null> {
  const repairs = (row: Row) => SERVICE_CENTER_KINDS.includes(row.kind);
  return bookedDealer(checks, identity, id, dealers, repairs, { code: "SERVICE_CENTER_NOT_FOUND", what: "service center", field });
}

async function bookedDealer<Row, Code extends string>(
  checks: InputChecks<Code>,
  identity: Identity,
  id: string,
  dealers: NamedRecords<Row>,
  fits: (row: Row) => boolean,
  refusal: { code: Code; what: string; field: FieldPath },
): Promise<Row | null> {
  if (!id || !mayActFor(identity, id)) return null;
  return namedRecord(checks, { id, row: await dealers.confirmed(id, fits), mayActOn: fits }, refusal);
}
