import type { FieldPath, InputChecks } from "@aftersales/kit";
import type { CatalogErrorCode } from "./errors.js";
import { applyUnitEvent, type UnitEventKind, type UnitStatus } from "./unit.js";

/**
 * A unit brought in with its history (`importUnits`): registered, then each
 * event in the order it happened, checked by the same rules as when each is
 * recorded on its own (`applyUnitEvent`).
 */
export interface ImportedUnit {
  serialNumber: string;
  productId: string;
  /** The dealer stocking it. */
  dealerId: string;
  registeredOn: string;
  events: readonly ImportedEvent[];
}

export interface ImportedEvent {
  kind: UnitEventKind;
  occurredOn: string;
  /** SOLD: the buyer; TRANSFERRED: the new owner. */
  customerId: string | null;
  /** SOLD: the price. */
  price: { amount: string; currency: string } | null;
  /** SOLD: the selling dealer, when not the stocking one. */
  sellerId: string | null;
  note: string | null;
}

/** The unit's columns after one step of its history, and its version then. */
export interface UnitAfter {
  version: number;
  status: UnitStatus;
  dealerId: string;
  customerId: string | null;
  purchasePrice: string | null;
  purchaseCurrency: string | null;
  soldOn: string | null;
  deliveredOn: string | null;
  installedOn: string | null;
  retiredOn: string | null;
}

/** A step of an imported unit's history, with the unit as it stood after it (what its event tells). */
export interface PlannedStep {
  kind: UnitEventKind;
  occurredOn: string;
  note: string | null;
  after: UnitAfter;
}

/**
 * The history of `unit`, step by step from its registration, or null when a
 * step cannot happen (added to `checks`, at `at` in the input). Every step
 * is checked, so one import reports every problem of every unit.
 */
export function planUnitHistory(checks: InputChecks<CatalogErrorCode>, unit: ImportedUnit, at: FieldPath, latestPastDate: string): PlannedStep[] | null {
  const errorsBefore = checks.errors.length;
  let state: UnitAfter = {
    version: 1,
    status: "IN_STOCK",
    dealerId: unit.dealerId,
    customerId: null,
    purchasePrice: null,
    purchaseCurrency: null,
    soldOn: null,
    deliveredOn: null,
    installedOn: null,
    retiredOn: null,
  };
  const steps: PlannedStep[] = [{ kind: "REGISTERED", occurredOn: unit.registeredOn, note: null, after: state }];
  let lastEventOn = unit.registeredOn;
  unit.events.forEach((event, j) => {
    const field = (name: string): FieldPath => [...at, "events", j, name];
    if (event.kind === "REGISTERED") {
      checks.add("INVALID_TRANSITION", "A unit is registered once, by the import itself; list the events after it.", field("kind"));
      return;
    }
    const owner = event.kind === "SOLD" || event.kind === "TRANSFERRED";
    if (owner && !event.customerId) checks.add("REQUIRED", `A ${event.kind.toLowerCase()} unit needs its customer in \`customerId\`.`, field("customerId"));
    if (!owner && event.customerId) checks.add("OUT_OF_RANGE", "`customerId` belongs to a sale or a transfer only.", field("customerId"));
    if (event.kind === "SOLD" && !event.price) checks.add("REQUIRED", "A sale needs its `price`.", field("price"));
    if (event.kind !== "SOLD" && (event.price || event.sellerId)) checks.add("OUT_OF_RANGE", "`price` and `dealerId` belong to a sale only.", field("price"));
    if (event.kind === "TRANSFERRED" && event.customerId && event.customerId === state.customerId) {
      checks.add("SAME_OWNER", "The unit already belongs to this customer.", field("customerId"));
    }
    const change = applyUnitEvent({ ...state, lastEventOn }, event.kind, event.occurredOn, latestPastDate, { kind: field("kind"), date: field("occurredOn") });
    if (Array.isArray(change)) {
      for (const problem of change) checks.add(problem.code, problem.message, problem.field);
      return;
    }
    state = {
      ...state,
      ...change.dates,
      version: state.version + 1,
      status: change.status,
      ...(owner && event.customerId ? { customerId: event.customerId } : {}),
      ...(event.kind === "SOLD" && event.price
        ? { purchasePrice: event.price.amount, purchaseCurrency: event.price.currency, dealerId: event.sellerId ?? state.dealerId }
        : {}),
    };
    lastEventOn = event.occurredOn;
    steps.push({ kind: event.kind, occurredOn: event.occurredOn, note: event.note, after: state });
  });
  return checks.errors.length === errorsBefore ? steps : null;
}
