/**
 * The work done on a ticket since it was opened: the steps of its template's
 * path (started, waiting, resolved, reopened, sent elsewhere, a loaner lent),
 * each path a function of its own, and where those steps leave the ticket.
 */
import type { FailureMode } from "../data.js";
import type { Random } from "../random.js";
import type { DemoCustomer, DemoProduct, DemoUnit } from "../world.js";
import { loanerFor } from "./loaners.js";
import { partName, quantityOf, safeStock } from "./parts.js";
import type { Path, Template } from "./templates.js";
import { COMPLAINTS, QUESTIONS } from "./texts.js";
import type { DemoTicket, DemoTicketStatus, DemoTicketStep, TicketsWorldPart } from "./types.js";

export interface WorkContext {
  world: TicketsWorldPart;
  random: Random;
  customer: DemoCustomer;
  unit: DemoUnit | null;
  product: DemoProduct | undefined;
  failure: FailureMode | null;
  loanersLent: Set<string>;
}

/** A ticket being worked: what every path does with it. */
interface Work extends WorkContext {
  ticket: DemoTicket;
  template: Template;
  /** Records a step and what it changes on the ticket. */
  step(s: DemoTicketStep): void;
  status(to: DemoTicketStatus, note?: string | null, resolution?: string | null): void;
  /** The technician starts: IN_PROGRESS with the visit booked. */
  start(): void;
  /** Takes the failure's part from the service center's shelf, when it stocks enough of it. */
  partsUsed(): void;
  centerName(key: string | null): string;
  /** The first active technician of a service center with the product's skill. */
  skilledAt(center: string): string | null;
  /** What the resolution says. */
  fix: string;
}

/** Paths that need a service center; a ticket dispatch could not place stays NEW instead. */
const NEEDS_CENTER: readonly Path[] = [
  "assigned",
  "inProgress",
  "waitingParts",
  "waitingCustomer",
  "resolved",
  "closed",
  "reopened",
  "override",
  "loanerOut",
  "loanerReturned",
];

/** Adds the steps of `template.path` to a freshly opened ticket, and where they leave it. */
export function workOn(ticket: DemoTicket, template: Template, context: WorkContext): void {
  // The stories aim at a ticket without a service center only for the customers out of reach.
  const path = NEEDS_CENTER.includes(template.path) && !ticket.serviceCenter ? "stayNew" : template.path;
  PATHS[path](workFor(ticket, template, context));
}

function workFor(ticket: DemoTicket, template: Template, context: WorkContext): Work {
  const { world, unit, product, failure } = context;
  const category = product?.category ?? "";
  const step = (s: DemoTicketStep) => {
    ticket.steps.push(s);
    if (s.kind === "STATUS") {
      if (ticket.status === "RESOLVED" && s.status === "IN_PROGRESS") ticket.reopened = true;
      ticket.status = s.status;
    } else if (s.kind === "ASSIGN") {
      ticket.serviceCenter = s.serviceCenter;
      if (ticket.status === "NEW") ticket.status = "ASSIGNED";
    } else if (s.kind === "PRIORITY") ticket.priority = s.priority;
    else if (s.kind === "PARTS") ticket.parts.push(...s.parts.map((p) => ({ ...p, serviceCenter: s.serviceCenter })));
    else if (s.kind === "LEND") ticket.loaner = "OUT";
    else if (s.kind === "RETURN_LOANER") ticket.loaner = "RETURNED";
  };
  const status = (to: DemoTicketStatus, note: string | null = null, resolution: string | null = null) => step({ kind: "STATUS", status: to, note, resolution });
  return {
    ...context,
    ticket,
    template,
    step,
    status,
    start: () => status("IN_PROGRESS", ticket.openedWith === "P1" ? "Technician on the way; arrival within two hours." : "Visit booked with the customer."),
    partsUsed: () => {
      const center = ticket.serviceCenter;
      const partSku = failure?.partSku;
      if (!center || !partSku || !unit) return;
      const quantity = quantityOf(unit.productSku, partSku);
      if (!safeStock(world, center, partSku, quantity)) return;
      step({ kind: "PARTS", serviceCenter: center, parts: [{ partSku, quantity }], note: `${partName(partSku)} taken from the workshop's shelf.` });
    },
    centerName: (key) => world.dealers.find((d) => d.key === key)?.name ?? key ?? "",
    skilledAt: (center) =>
      world.technicians
        .filter((t) => t.serviceCenter === center && t.active && (category === "" || t.skills.includes(category)))
        .sort((a, b) => a.key.localeCompare(b.key))[0]?.key ?? null,
    fix: failure?.fix ?? (ticket.kind === "MAINTENANCE" ? "Serviced; every check passed." : "Done as asked."),
  };
}

const beingWorked = (w: Work) => `Being worked by ${w.centerName(w.ticket.serviceCenter).replace(/\.$/, "")}.`;

const PATHS: Record<Path, (w: Work) => void> = {
  stayNew,
  assigned: (w) => {
    w.ticket.story = `Dispatched to ${w.centerName(w.ticket.serviceCenter)}, not started yet.`;
  },
  inProgress: (w) => {
    w.start();
    if (w.ticket.openedWith === "P1")
      w.step({ kind: "NOTE", note: "Remote diagnosis by phone: the fault is confirmed; the technician brings the likely parts." });
    w.ticket.story = beingWorked(w);
  },
  waitingParts: (w) => {
    w.start();
    w.status(
      "WAITING_PARTS",
      w.failure?.partSku
        ? `${partName(w.failure.partSku)} ordered from the central warehouse; expected in three days.`
        : "Spare part ordered from the central warehouse.",
    );
    w.ticket.story = `Waiting for parts; the resolution clock ${w.ticket.pausesOnWaitingParts ? "pauses (the dealer's policy says so)" : "keeps running (the dealer's policy does not pause it)"}.`;
  },
  waitingCustomer,
  resolved: (w) => resolve(w, false),
  closed: (w) => resolve(w, true),
  reopened: (w) => {
    w.start();
    w.status("RESOLVED", null, w.fix);
    w.status("IN_PROGRESS", "The fault came back the same evening; the customer called again.");
    w.step({ kind: "PRIORITY", priority: "P2", reason: "Second visit for the same fault: the customer has been without the machine twice." });
    w.ticket.story = "Resolved, then reopened when the fault came back, and its priority raised.";
  },
  cancelled: (w) => {
    w.status(
      "CANCELLED",
      w.ticket.kind === "RETURN"
        ? "The customer decided to keep it after the store suggested another place for it."
        : "The customer postponed the kitchen renovation and will call again.",
    );
    w.ticket.story = `Cancelled ${w.ticket.serviceCenter ? "after dispatch" : "before anyone worked it"}.`;
  },
  override,
  loanerOut: (w) => lend(w, false),
  loanerReturned: (w) => lend(w, true),
  escalated,
  answered,
};

function stayNew({ ticket, step }: Work): void {
  if (ticket.dispatch && !ticket.dispatch.serviceCenter) {
    const why =
      ticket.dispatch.none === "NO_LOCATION"
        ? "the customer has no location"
        : ticket.dispatch.none === "OUT_OF_RANGE"
          ? "no authorized service center's radius covers the customer"
          : "no skilled technician";
    ticket.story = `Dispatch found no service center (${why}); it waits for an agent.`;
  } else if (ticket.kind === "COMPLAINT") {
    const complaint = COMPLAINTS.find((c) => c.subject === ticket.subject);
    step({ kind: "NOTE", note: complaint?.note ?? "Called the customer back." });
    ticket.story = "A complaint with no unit: nothing to dispatch; an agent called back.";
  } else {
    ticket.story = `A ${ticket.kind.toLowerCase()} that needs no visit, waiting for an agent.`;
  }
}

function waitingCustomer(w: Work): void {
  const category = w.product?.category ?? "";
  w.start();
  w.status(
    "WAITING_CUSTOMER",
    w.ticket.kind !== "INSTALLATION"
      ? "Asked the customer for photos of the fault and a date when someone is at home."
      : category === "espresso-machines" || category === "dishwashers"
        ? "Waiting for the customer to confirm the water and power connections are ready."
        : "Waiting for the customer to name a day for the installation.",
  );
  w.ticket.story = "Waiting for the customer; the resolution clock pauses.";
}

function resolve(w: Work, close: boolean): void {
  w.start();
  if (w.template.parts) w.partsUsed();
  w.status("RESOLVED", null, w.fix);
  if (close) w.status("CLOSED", "Customer confirmed everything works.");
  w.ticket.story = `${close ? "Resolved and closed" : "Resolved, not yet closed"}${w.ticket.parts.length ? ", with parts from the service center's shelf" : ""}.`;
}

/** An agent sends the ticket to another qualified service center than dispatch chose, saying why. */
function override(w: Work): void {
  const { ticket, customer, world, centerName } = w;
  const chosen = ticket.dispatch?.serviceCenter ?? null;
  const other = ticket.dispatch?.candidates.find((c) => c !== chosen && w.skilledAt(c) !== null);
  if (!other) {
    w.start();
    ticket.story = beingWorked(w);
    return;
  }
  const near = world.dealers.find((d) => d.key === other)?.kind === "BOTH";
  const reason = near
    ? `${customer.companyName ?? "The customer"} cannot be without the machine for long: ${centerName(other)}'s workshop is in town, ${centerName(chosen)} would drive in from far away.`
    : `${centerName(chosen)}'s technician for this is on leave this week; ${centerName(other)} has one free tomorrow.`;
  w.step({ kind: "ASSIGN", serviceCenter: other, technician: w.skilledAt(other), reason, note: null });
  ticket.overridden = true;
  w.start();
  ticket.story = `Dispatch chose ${centerName(chosen)} (less open work); an agent sent it to ${centerName(other)} instead, saying why.`;
}

/** A unit from the shelf lent while the customer's is in the workshop; returned with the repair when `returned`. */
function lend(w: Work, returned: boolean): void {
  const { ticket } = w;
  const loaner = loanerFor(w.random, w.world, ticket, w.unit, w.loanersLent);
  w.start();
  if (!loaner) {
    ticket.story = beingWorked(w);
    return;
  }
  w.loanersLent.add(loaner);
  w.step({ kind: "LEND", serialNumber: loaner, note: "Loaner handed over while the customer's unit is in the workshop." });
  if (returned) {
    w.status("RESOLVED", null, w.fix);
    w.step({ kind: "RETURN_LOANER", note: "Loaner back, checked and cleaned." });
    w.status("CLOSED", "Customer has their own unit back.");
    ticket.story = "Repaired while the customer had a loaner; the loaner came back and the ticket was closed.";
  } else {
    ticket.story = "In the workshop; the customer has a loaner meanwhile.";
  }
}

/** A complaint about a unit: its priority raised, and the dealer's own workshop takes it where it has one. */
function escalated(w: Work): void {
  const { ticket, world } = w;
  w.step({ kind: "PRIORITY", priority: "P2", reason: "The customer's third call about this machine; the store manager asked for a call back today." });
  const own = world.dealers.find((d) => d.key === ticket.dealer && d.kind === "BOTH");
  if (own) {
    w.step({ kind: "ASSIGN", serviceCenter: own.key, technician: w.skilledAt(own.key), reason: null, note: "Our own workshop takes this one." });
    w.start();
  }
  w.step({ kind: "NOTE", note: "Service manager called the customer back and promised a senior technician." });
  ticket.story = "A complaint about a unit, its priority raised and handed to the dealer's own workshop.";
}

/** A question the dealer's own workshop answers and closes. */
function answered(w: Work): void {
  const { ticket, world } = w;
  const own = world.dealers.find((d) => d.key === ticket.dealer && d.kind === "BOTH");
  const question = Object.values(QUESTIONS).find((q) => q.subject === ticket.subject);
  if (!own) return;
  w.step({ kind: "ASSIGN", serviceCenter: own.key, technician: null, reason: null, note: null });
  w.status("IN_PROGRESS");
  w.status("RESOLVED", null, question?.answer ?? "Answered.");
  w.status("CLOSED", "Customer thanked us in the chat.");
  ticket.story = "A question answered by the dealer's workshop and closed.";
}
