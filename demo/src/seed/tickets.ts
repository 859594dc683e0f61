/** Dealers' SLA policies, and the service tickets with the work done on each (tickets subgraph). */
import type { Logger } from "@aftersales/kit";
import type { DemoTicket, DemoTicketStep } from "../tickets/index.js";
import type { DemoWorld } from "../world.js";
import type { BatchClient } from "./client.js";
import { customer, dealer, given, product, technician, ticket, type Operation, type Refs } from "./operations.js";

export function slaPolicyOps(world: DemoWorld): Operation[] {
  return world.tickets.policies.map((policy) => ({
    label: `SLA policy of ${policy.dealer}`,
    mutation: "setSlaPolicy",
    inputType: "SetSlaPolicyInput",
    needs: [dealer(policy.dealer)],
    // A dealer has no policy of its own until now: version 0.
    input: (refs: Refs) => ({
      dealerId: refs.id(dealer(policy.dealer)),
      version: 0,
      targets: policy.targets,
      pausesOnWaitingParts: policy.pausesOnWaitingParts,
    }),
  }));
}

/** What the seed keeps of a ticket after each change: enough to say when the subgraph decided otherwise than the world. */
const TICKET_FIELDS = ["number", "status", "priority", "serviceCenter { id }", "sla { source }", "dispatch { serviceCenter { id } }"] as const;

export function openTicketOp(t: DemoTicket): Operation {
  return {
    label: `${t.key} (${t.kind} for ${t.customer}${t.serialNumber ? ` about ${t.serialNumber}` : ""})`,
    mutation: "openTicket",
    inputType: "OpenTicketInput",
    needs: [customer(t.customer)],
    input: (refs) =>
      given({
        // The seed never runs twice into the same data, but a ticket's key says which demo ticket it is.
        idempotencyKey: `demo-${t.key}`,
        customerId: refs.id(customer(t.customer)),
        serialNumber: t.serialNumber,
        kind: t.kind,
        channel: t.channel,
        priority: t.openedWith,
        subject: t.subject,
        description: t.description,
        failureCode: t.failureCode,
      }),
    creates: { field: "ticket", as: ticket(t.key), also: TICKET_FIELDS },
  };
}

/** A ticket's steps in order; each names the version the one before it left. */
export function ticketStepOps(t: DemoTicket): Operation[] {
  const current = (refs: Refs) => ({ id: refs.id(ticket(t.key)), version: refs.get(ticket(t.key)).version });
  return t.steps.map((step: DemoTicketStep, i): Operation => {
    const label = `${t.key} step ${i + 1} (${step.kind}${step.kind === "STATUS" ? ` ${step.status}` : ""})`;
    const creates = { field: "ticket", as: ticket(t.key), also: TICKET_FIELDS };
    switch (step.kind) {
      case "STATUS":
        return {
          label,
          mutation: "changeTicketStatus",
          inputType: "ChangeTicketStatusInput",
          needs: [ticket(t.key)],
          input: (refs) => given({ ...current(refs), status: step.status, resolution: step.resolution, note: step.note }),
          creates,
        };
      case "ASSIGN":
        return {
          label,
          mutation: "assignTicket",
          inputType: "AssignTicketInput",
          needs: [ticket(t.key), dealer(step.serviceCenter), ...(step.technician ? [technician(step.technician)] : [])],
          input: (refs) =>
            given({
              ...current(refs),
              serviceCenterId: refs.id(dealer(step.serviceCenter)),
              technicianId: step.technician ? refs.id(technician(step.technician)) : null,
              reason: step.reason,
              note: step.note,
            }),
          creates,
        };
      case "PRIORITY":
        return {
          label,
          mutation: "changeTicketPriority",
          inputType: "ChangeTicketPriorityInput",
          needs: [ticket(t.key)],
          input: (refs) => ({ ...current(refs), priority: step.priority, reason: step.reason }),
          creates,
        };
      case "NOTE":
        return {
          label,
          mutation: "addTicketNote",
          inputType: "AddTicketNoteInput",
          needs: [ticket(t.key)],
          input: (refs) => ({ ...current(refs), note: step.note }),
          creates,
        };
      case "PARTS":
        return {
          label,
          mutation: "recordTicketParts",
          inputType: "RecordTicketPartsInput",
          needs: [ticket(t.key), dealer(step.serviceCenter), ...step.parts.map((p) => product(p.partSku))],
          input: (refs) =>
            given({
              ...current(refs),
              serviceCenterId: refs.id(dealer(step.serviceCenter)),
              parts: step.parts.map((p) => ({ partId: refs.id(product(p.partSku)), quantity: p.quantity })),
              note: step.note,
            }),
          creates,
        };
      case "LEND":
        return {
          label,
          mutation: "issueLoaner",
          inputType: "IssueLoanerInput",
          needs: [ticket(t.key)],
          input: (refs) => given({ ...current(refs), serialNumber: step.serialNumber, note: step.note }),
          creates,
        };
      case "RETURN_LOANER":
        return {
          label,
          mutation: "returnLoaner",
          inputType: "ReturnLoanerInput",
          needs: [ticket(t.key)],
          input: (refs) => given({ ...current(refs), note: step.note }),
          creates,
        };
    }
    // Every kind of step is written above; one the world gains fails here rather than being left out.
    throw new Error(`No operation writes a ${(step satisfies never as DemoTicketStep).kind} step.`);
  });
}

/**
 * Dispatch and SLA terms are the tickets subgraph's to decide: a ticket it
 * places or holds to other targets than the world expects is said in the log
 * (the demo test fails on it), not refused, since the ticket was opened.
 */
export function warnAboutUnexpectedTickets(world: DemoWorld, client: BatchClient, logger: Logger | undefined): void {
  const idOf = (key: string | null) => (key ? client.refs.id(dealer(key)) : null);
  for (const t of world.tickets.tickets) {
    const saved = client.refs.get(ticket(t.key)).also ?? {};
    const centerOf = (value: unknown) => (value as { id?: string } | null | undefined)?.id ?? null;
    const actual = {
      status: saved["status"],
      priority: saved["priority"],
      slaSource: (saved["sla"] as { source?: string } | undefined)?.source,
      serviceCenter: centerOf(saved["serviceCenter"]),
      dispatchedTo: centerOf((saved["dispatch"] as { serviceCenter?: unknown } | null | undefined)?.serviceCenter),
    };
    const expected = {
      status: t.status,
      priority: t.priority,
      slaSource: t.slaSource,
      serviceCenter: idOf(t.serviceCenter),
      dispatchedTo: idOf(t.dispatch?.serviceCenter ?? null),
    };
    const differ = (Object.keys(expected) as (keyof typeof expected)[]).filter((field) => actual[field] !== expected[field]);
    if (differ.length) {
      logger?.warn(
        { ticket: saved["number"], expected, actual },
        `demo: ticket ${t.key} came out otherwise than the world expects (${differ.join(", ")}): ${t.story}`,
      );
    }
  }
}
