import type { InputChecks } from "@aftersales/kit";
import { isReopen, type TicketStatus } from "./lifecycle.js";

/**
 * The rules of a service ticket that need no database: what an opened
 * ticket's input must look like, its readable number, and how its timeline
 * reads.
 */

export const KINDS = ["REPAIR", "INSTALLATION", "MAINTENANCE", "COMPLAINT", "QUESTION", "TRAINING", "RETURN"] as const;
export const CHANNELS = ["PHONE", "EMAIL", "CHAT", "PORTAL", "DEALER_API", "FIELD"] as const;
/** Most urgent first. */
export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;

export type TicketKind = (typeof KINDS)[number];
export type TicketChannel = (typeof CHANNELS)[number];
/** P1 is the most urgent. */
export type Priority = (typeof PRIORITIES)[number];

// ---------------------------------------------------------------------------
// Opening: the input
// ---------------------------------------------------------------------------

export const MAX_SUBJECT = 200;
export const MAX_DESCRIPTION = 5000;

/** The same form as warranty's failure codes, so a ticket's code can go onto a claim unchanged. */
export const FAILURE_CODE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

export interface TicketDraft {
  kind: TicketKind;
  channel: TicketChannel;
  priority: Priority;
  subject: string;
  description: string | null;
  failureCode: string | null;
}

/**
 * Checks an opened ticket's texts: a subject of at most 200 characters, a
 * description of at most 5000 (blank becomes null), a failure code of 1 to
 * 32 upper-case letters, digits and `-_.` (blank becomes null). A REPAIR
 * needs no unit: the caller often cannot name it yet, and the unit is added
 * once someone has looked. Returns the trimmed values, the code upper-cased.
 */
export function checkTicketDraft<Code extends string>(checks: InputChecks<Code | "INVALID_FORMAT">, draft: TicketDraft): TicketDraft {
  const subject = checks.text(draft.subject, ["subject"], MAX_SUBJECT);
  const description = checks.optionalText(draft.description, ["description"], MAX_DESCRIPTION);
  const failureCode = draft.failureCode?.trim().toUpperCase() || null;
  if (failureCode !== null && !FAILURE_CODE.test(failureCode)) {
    checks.add("INVALID_FORMAT", "A failure code is 1 to 32 upper-case letters, digits and `-_.`, e.g. E42-PUMP.", ["failureCode"]);
  }
  return { kind: draft.kind, channel: draft.channel, priority: draft.priority, subject, description, failureCode };
}

// ---------------------------------------------------------------------------
// Its number
// ---------------------------------------------------------------------------

/**
 * A ticket's readable number from a sequence value and the year it was
 * opened: `T-2026-000042`. The year is the UTC one, like every date the
 * services compute, so the server's time zone never changes a number. Six
 * digits keep numbers the same width; a seventh is added, not cut, should a
 * sequence ever pass 999999.
 */
export function ticketNumber(sequence: number, openedAt: Date): string {
  // A sequence hands out positive whole numbers; anything else is a bug.
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`a ticket sequence value is a positive whole number, not ${sequence}`);
  return `T-${openedAt.getUTCFullYear()}-${String(sequence).padStart(6, "0")}`;
}

// ---------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------

/** What a timeline entry records, as a sentence for people: e.g. status ASSIGNED → IN_PROGRESS, priority P3 → P1, a note. */
export type TimelineChange =
  | { kind: "OPENED" }
  | { kind: "STATUS"; from: TicketStatus; to: TicketStatus }
  | { kind: "PRIORITY"; from: Priority; to: Priority }
  | { kind: "ASSIGNED"; serviceCenterId: string | null; technicianId: string | null; overridesDispatch?: boolean }
  | { kind: "DISPATCHED"; serviceCenterId: string | null; technicianId: string | null; explanation: string }
  | { kind: "PARTS"; serviceCenterId: string; parts: { partId: string; quantity: number }[] }
  | { kind: "LOANER_ISSUED"; unitId: string; serialNumber: string }
  | { kind: "LOANER_RETURNED"; unitId: string; serialNumber: string }
  | { kind: "SLA_BREACHED"; clock: "RESPONSE" | "RESOLUTION" }
  | { kind: "NOTE" };

/** A timeline entry as one sentence; a reopen and a priority's direction are named, as agents speak of them. */
export function describeChange(change: TimelineChange): string {
  switch (change.kind) {
    case "OPENED":
      return "Ticket opened.";
    case "STATUS":
      return isReopen(change.from, change.to)
        ? `Ticket reopened: status changed from ${change.from} to ${change.to}.`
        : `Status changed from ${change.from} to ${change.to}.`;
    case "PRIORITY": {
      // P1 is the most urgent, so a smaller number is a raise.
      const direction = change.to < change.from ? "raised" : change.to > change.from ? "lowered" : "kept";
      return direction === "kept" ? `Priority kept at ${change.to}.` : `Priority ${direction} from ${change.from} to ${change.to}.`;
    }
    case "ASSIGNED": {
      const to = [
        change.serviceCenterId ? `service center ${change.serviceCenterId}` : null,
        change.technicianId ? `technician ${change.technicianId}` : null,
      ].filter((part) => part !== null);
      if (!to.length) return "Unassigned: no service center or technician has the ticket.";
      return `Assigned to ${to.join(", ")}${change.overridesDispatch ? ", overriding dispatch" : ""}.`;
    }
    case "DISPATCHED":
      return change.serviceCenterId
        ? `Dispatched to service center ${change.serviceCenterId}${change.technicianId ? `, technician ${change.technicianId}` : ""}: ${change.explanation}`
        : `Not dispatched: ${change.explanation}`;
    case "PARTS":
      return `Parts used from service center ${change.serviceCenterId}'s stock: ${change.parts.map((p) => `${p.quantity} × ${p.partId}`).join(", ")}.`;
    case "LOANER_ISSUED":
      return `Loaner ${change.serialNumber} lent to the customer.`;
    case "LOANER_RETURNED":
      return `Loaner ${change.serialNumber} returned.`;
    case "SLA_BREACHED":
      return `The ${change.clock === "RESPONSE" ? "first response" : "resolution"} target was breached.`;
    case "NOTE":
      return "Note added.";
  }
}
