import { InputChecks, type BusinessCalendar } from "@aftersales/kit";
import type { TicketErrorCode } from "./errors.js";
import type { SlaEvent } from "@aftersales/kit";
import { slaTerms, type DealerPolicy } from "./slaPolicy.js";
import { checkTicketDraft, type Priority, type TicketChannel, type TicketDraft, type TicketKind } from "./ticket.js";

/**
 * Opening a ticket, as decisions: what the input says (checked before
 * anything is read), whether the customer and unit it names may be served
 * by the caller, and the SLA the ticket starts with. The resolver reads and
 * writes; the rules live here.
 */

export interface OpeningInput {
  idempotencyKey?: string | null;
  customerId: string;
  kind: TicketKind;
  channel: TicketChannel;
  priority?: Priority | null;
  subject: string;
  description?: string | null;
  failureCode?: string | null;
}

export interface CheckedOpening {
  checks: InputChecks<TicketErrorCode>;
  key: string | null;
  customerId: string;
  draft: TicketDraft;
}

/** Checks the input's own fields; a ticket left without a priority is P3. */
export function checkOpening(input: OpeningInput): CheckedOpening {
  const checks = new InputChecks<TicketErrorCode>();
  const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
  const customerId = checks.text(input.customerId, ["customerId"], 64);
  const draft = checkTicketDraft(checks, {
    kind: input.kind,
    channel: input.channel,
    priority: input.priority ?? "P3",
    subject: input.subject,
    description: input.description ?? null,
    failureCode: input.failureCode ?? null,
  });
  return { checks, key, customerId, draft };
}

/** Who may open tickets for whom: staff for anyone; a DEALER (`own`) for its own customers. */
export const mayServeCustomer = (own: string | null, customer: { homeDealerId: string }): boolean => own === null || customer.homeDealerId === own;

/**
 * A DEALER services its customers' units wherever they were bought (`customerId`
 * the ticket's customer); other units of other dealers stay unknown to it.
 */
export const mayServeUnit = (own: string | null, unit: { dealerId: string | null; customerId: string | null }, customerId: string | null): boolean =>
  own === null || unit.dealerId === own || (customerId !== null && unit.customerId === customerId);

/** Adds a refusal when no customer the caller may serve has the id given (one it may not is answered like an unknown one). */
export function checkCustomer(opening: CheckedOpening, customer: object | null): void {
  if (opening.customerId && !customer) opening.checks.add("CUSTOMER_NOT_FOUND", `No customer has the id \`${opening.customerId}\`.`, ["customerId"]);
}

/** Adds what is wrong with the unit named: unknown to the caller, or not the customer's. */
export function checkUnit(
  opening: CheckedOpening,
  unit: { named: string | null; field: "unitId" | "serialNumber"; row: { customerId: string | null; serialNumber: string } | null },
  customer: { id: string } | null,
): void {
  const { checks } = opening;
  if (unit.named && !unit.row) checks.add("UNIT_NOT_FOUND", `No unit has the ${unit.field} \`${unit.named}\`.`, [unit.field]);
  else if (unit.row && customer && unit.row.customerId !== customer.id) {
    checks.add("UNIT_NOT_CUSTOMERS", `The unit ${unit.row.serialNumber} does not belong to this customer.`, [unit.field]);
  }
}

/** A contract covering the unit, as warranty announced it: its promises hold only when it makes both. */
export interface CoveringContract {
  id: string;
  number: string;
  responseHours: number | null;
  resolutionHours: number | null;
}

/**
 * The SLA a ticket opens with: the targets of its contract, its dealer's
 * policy or the standard ones, counted in the business hours of the service
 * center it was dispatched to, else of its dealer; both clocks start at
 * `openedAt`.
 */
export function openingSla(
  priority: Priority,
  contract: CoveringContract | null,
  policy: DealerPolicy | null,
  calendar: { dealerId: string; calendar: BusinessCalendar },
  openedAt: Date,
) {
  const terms = slaTerms(
    priority,
    contract && contract.responseHours !== null && contract.resolutionHours !== null
      ? { id: contract.id, number: contract.number, responseHours: contract.responseHours, resolutionHours: contract.resolutionHours }
      : null,
    policy,
  );
  const settings = {
    slaSource: terms.source,
    slaContractId: terms.contractId,
    slaContractNumber: terms.contractNumber,
    slaPausesOnWaitingParts: terms.pausesOnWaitingParts,
    slaCalendarDealerId: calendar.dealerId,
    slaCalendar: calendar.calendar,
    responseTargetSeconds: terms.responseSeconds,
    resolutionTargetSeconds: terms.resolutionSeconds,
  };
  const started: SlaEvent[] = [
    { clock: "RESPONSE", kind: "STARTED", at: openedAt },
    { clock: "RESOLUTION", kind: "STARTED", at: openedAt },
  ];
  return { settings, started };
}
