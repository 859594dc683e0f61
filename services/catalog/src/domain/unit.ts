import { userError, type FieldPath, type UserError } from "@aftersales/kit";
import type { CatalogErrorCode } from "./errors.js";

export type UnitStatus = "IN_STOCK" | "SOLD" | "DELIVERED" | "INSTALLED" | "IN_REPAIR" | "RETIRED";
export type UnitEventKind =
  | "REGISTERED"
  | "SOLD"
  | "DELIVERED"
  | "INSTALLED"
  | "COMMISSIONED"
  | "OWNER_TRAINED"
  | "REPAIR_STARTED"
  | "REPAIRED"
  | "UPGRADED"
  | "TRANSFERRED"
  | "RETIRED";

/** How a serial number may be written: as makers print them, within reason. */
export const SERIAL_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const SERIAL_NUMBER_RULE = "A serial number takes 1 to 64 letters, digits and `-_./`.";

const OWNED: UnitStatus[] = ["SOLD", "DELIVERED", "INSTALLED"];

/**
 * Which statuses allow each event, and the status after it. `same` keeps the
 * status (a training changes nothing about where the unit is); `resume`
 * returns from repair to where the unit was before.
 */
const TRANSITIONS: Record<UnitEventKind, { from: readonly UnitStatus[]; to: UnitStatus | "same" | "resume" }> = {
  REGISTERED: { from: [], to: "IN_STOCK" },
  SOLD: { from: ["IN_STOCK"], to: "SOLD" },
  DELIVERED: { from: ["SOLD"], to: "DELIVERED" },
  INSTALLED: { from: ["SOLD", "DELIVERED"], to: "INSTALLED" },
  COMMISSIONED: { from: ["INSTALLED"], to: "same" },
  OWNER_TRAINED: { from: ["DELIVERED", "INSTALLED"], to: "same" },
  REPAIR_STARTED: { from: OWNED, to: "IN_REPAIR" },
  REPAIRED: { from: ["IN_REPAIR"], to: "resume" },
  UPGRADED: { from: ["DELIVERED", "INSTALLED"], to: "same" },
  TRANSFERRED: { from: OWNED, to: "same" },
  RETIRED: { from: ["IN_STOCK", "SOLD", "DELIVERED", "INSTALLED", "IN_REPAIR"], to: "RETIRED" },
};

/** The lifecycle facts of a unit that decide what may happen to it next. */
export interface UnitState {
  status: UnitStatus;
  deliveredOn: string | null;
  installedOn: string | null;
  /** The date of its latest event. */
  lastEventOn: string;
}

/** What an event changes on the unit: its status and the date column the event sets. */
export interface UnitChange {
  status: UnitStatus;
  dates: Partial<Record<"soldOn" | "deliveredOn" | "installedOn" | "retiredOn", string>>;
}

const DATE_SET_BY: Partial<Record<UnitEventKind, keyof UnitChange["dates"]>> = {
  SOLD: "soldOn",
  DELIVERED: "deliveredOn",
  INSTALLED: "installedOn",
  RETIRED: "retiredOn",
};

/** Where a mutation's input holds an event's kind (null: the mutation implies it) and date. */
export interface EventFields {
  kind: FieldPath | null;
  date: FieldPath;
}

const RECORDED_EVENT_FIELDS: EventFields = { kind: ["kind"], date: ["occurredOn"] };

/**
 * Applies an event to a unit: the new status and dates, or every reason the
 * event cannot happen (the transition and the date are checked apart, so a
 * client fixes both at once). Events are recorded in the order they
 * happened, so one dated before the unit's latest event is refused, and so is
 * one in the future (`latestPastDate` allows for time zones ahead of UTC).
 */
export function applyUnitEvent(
  unit: UnitState,
  kind: UnitEventKind,
  occurredOn: string,
  latestPastDate: string,
  fields: EventFields = RECORDED_EVENT_FIELDS,
): UnitChange | UserError<CatalogErrorCode>[] {
  const problems: UserError<CatalogErrorCode>[] = [];
  const rule = TRANSITIONS[kind];
  if (!rule.from.includes(unit.status)) {
    const allowed = rule.from.length ? rule.from.join(", ") : "no status";
    problems.push(
      userError("INVALID_TRANSITION", `A unit that is ${unit.status} cannot be ${kind.toLowerCase().replace("_", " ")}; this needs ${allowed}.`, fields.kind),
    );
  }
  if (occurredOn > latestPastDate) {
    problems.push(userError("DATE_IN_FUTURE", `${occurredOn} is in the future; record events once they happened.`, fields.date));
  } else if (occurredOn < unit.lastEventOn) {
    problems.push(
      userError(
        "BEFORE_LAST_EVENT",
        `${occurredOn} is before the unit's last event on ${unit.lastEventOn}; events are recorded in the order they happened.`,
        fields.date,
      ),
    );
  }
  if (problems.length) return problems;
  const column = DATE_SET_BY[kind];
  return { status: statusAfter(rule.to, unit), dates: column ? { [column]: occurredOn } : {} };
}

function statusAfter(to: UnitStatus | "same" | "resume", unit: UnitState): UnitStatus {
  if (to === "same") return unit.status;
  if (to !== "resume") return to;
  // Back from repair to where the unit stood: its dates say how far it got.
  if (unit.installedOn) return "INSTALLED";
  return unit.deliveredOn ? "DELIVERED" : "SOLD";
}
