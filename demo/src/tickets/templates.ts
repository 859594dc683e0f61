/** The tickets the demo opens, in order: whose, about what unit, and what happens to each after it is opened. */
import type { DemoPriority, DemoTicketChannel, DemoTicketKind } from "./types.js";

/** Where a ticket's unit comes from. */
export type Pool =
  /** A unit the world has in repair: the ticket is about the failure it recorded. */
  | "repairing"
  /** A unit in use (installed or delivered). */
  | "inUse"
  /** A unit sold and not yet delivered (else delivered and not yet installed). */
  | "newlySold"
  /** A unit covered by a service contract today. */
  | "contract"
  /** The customer whose location was never recorded, and their unit. */
  | "unlocated"
  /** The customer who moved out of every service center's radius, and their unit. */
  | "faraway"
  /** No unit. */
  | "none";

/** What happens to the ticket after it is opened. */
export type Path =
  | "stayNew"
  | "assigned"
  | "inProgress"
  | "waitingParts"
  | "waitingCustomer"
  | "resolved"
  | "closed"
  | "reopened"
  | "cancelled"
  | "override"
  | "loanerOut"
  | "loanerReturned"
  | "escalated"
  | "answered";

export interface Template {
  dealer: string | null;
  kind: DemoTicketKind;
  channel: DemoTicketChannel;
  priority: DemoPriority;
  pool: Pool;
  path: Path;
  /** Records parts taken from the service center's shelf (when the fix replaces one it stocks well). */
  parts?: boolean;
  /** Prefers a business customer. */
  business?: boolean;
}

/** In the order they are opened; the contract tickets come last (see `DemoTicket.late`). */
export const TEMPLATES: readonly Template[] = [
  // Berlin: two qualified service centers (Spreeland's own workshop nearby, Isar Service in Munich), so dispatch weighs open work.
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "repairing", path: "waitingParts" },
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "PORTAL", priority: "P3", pool: "inUse", path: "closed", parts: true },
  { dealer: "dealer-berlin", kind: "INSTALLATION", channel: "DEALER_API", priority: "P4", pool: "newlySold", path: "assigned" },
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "PHONE", priority: "P1", pool: "repairing", path: "override", business: true },
  { dealer: "dealer-berlin", kind: "COMPLAINT", channel: "EMAIL", priority: "P2", pool: "none", path: "stayNew" },
  { dealer: "dealer-berlin", kind: "MAINTENANCE", channel: "FIELD", priority: "P3", pool: "inUse", path: "inProgress" },
  { dealer: "dealer-berlin", kind: "QUESTION", channel: "CHAT", priority: "P4", pool: "none", path: "answered" },
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "EMAIL", priority: "P3", pool: "inUse", path: "waitingCustomer" },
  // London: the dealer only sells; Northern Appliance Repairs in Manchester covers London.
  { dealer: "dealer-london", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "repairing", path: "resolved", parts: true },
  { dealer: "dealer-london", kind: "REPAIR", channel: "EMAIL", priority: "P3", pool: "inUse", path: "waitingCustomer" },
  { dealer: "dealer-london", kind: "REPAIR", channel: "PORTAL", priority: "P3", pool: "unlocated", path: "stayNew" },
  { dealer: "dealer-london", kind: "INSTALLATION", channel: "PHONE", priority: "P3", pool: "newlySold", path: "cancelled" },
  { dealer: "dealer-london", kind: "REPAIR", channel: "PHONE", priority: "P3", pool: "inUse", path: "reopened" },
  { dealer: "dealer-london", kind: "TRAINING", channel: "CHAT", priority: "P4", pool: "inUse", path: "stayNew", business: true },
  { dealer: "dealer-london", kind: "MAINTENANCE", channel: "PORTAL", priority: "P4", pool: "inUse", path: "assigned" },
  // New York: Hudson repairs itself; Great Lakes in Chicago would reach, but its authorization has ended.
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "DEALER_API", priority: "P1", pool: "repairing", path: "loanerOut" },
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "inUse", path: "loanerReturned" },
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "EMAIL", priority: "P3", pool: "faraway", path: "stayNew" },
  { dealer: "dealer-newyork", kind: "MAINTENANCE", channel: "PORTAL", priority: "P4", pool: "inUse", path: "assigned" },
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "FIELD", priority: "P3", pool: "repairing", path: "waitingParts" },
  { dealer: "dealer-newyork", kind: "COMPLAINT", channel: "PHONE", priority: "P3", pool: "inUse", path: "escalated" },
  { dealer: "dealer-newyork", kind: "INSTALLATION", channel: "DEALER_API", priority: "P3", pool: "newlySold", path: "inProgress" },
  // Tokyo: the dealer only sells; Kansai Technical Service in Osaka covers Tokyo.
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "repairing", path: "closed", parts: true },
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "PORTAL", priority: "P3", pool: "inUse", path: "assigned" },
  { dealer: "dealer-tokyo", kind: "INSTALLATION", channel: "DEALER_API", priority: "P3", pool: "newlySold", path: "waitingCustomer" },
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "CHAT", priority: "P1", pool: "repairing", path: "inProgress" },
  { dealer: "dealer-tokyo", kind: "QUESTION", channel: "EMAIL", priority: "P4", pool: "none", path: "stayNew" },
  { dealer: "dealer-tokyo", kind: "RETURN", channel: "PORTAL", priority: "P3", pool: "newlySold", path: "cancelled" },
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "FIELD", priority: "P2", pool: "inUse", path: "resolved", parts: true },
  // Units under a service contract, wherever they are: the contract's targets apply.
  { dealer: null, kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "contract", path: "inProgress" },
  { dealer: null, kind: "MAINTENANCE", channel: "PORTAL", priority: "P3", pool: "contract", path: "assigned" },
];
