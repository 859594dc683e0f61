/** The tickets part of the demo world, as the seed and the tests read it. */
import type { Priority, SlaSource, TicketChannel, TicketKind, TicketStatus } from "@aftersales/tickets/domain";
import { SLA_SOURCES, STATUSES } from "@aftersales/tickets/domain";
import type { DemoWarranty } from "../warranty.js";
import type { DemoAddress, DemoCustomer, DemoDealer, DemoGeoPoint, DemoPartStock, DemoProduct, DemoTechnician, DemoUnit } from "../world.js";

// The tickets subgraph's own lists, under the demo's names.
export type DemoTicketKind = TicketKind;
export type DemoTicketChannel = TicketChannel;
export type DemoPriority = Priority;
export type DemoTicketStatus = TicketStatus;
export type DemoSlaSource = SlaSource;
export const DEMO_TICKET_STATUSES = STATUSES;
export const DEMO_SLA_SOURCES = SLA_SOURCES;

/** A dealer's default SLA targets, in business minutes, P1 first. */
export interface DemoSlaPolicy {
  dealer: string;
  targets: { priority: DemoPriority; responseMinutes: number; resolutionMinutes: number }[];
  pausesOnWaitingParts: boolean;
}

/** Something done on a ticket after it was opened, in order. Keys name dealers, technicians and units by serial number. */
export type DemoTicketStep =
  | { kind: "STATUS"; status: DemoTicketStatus; resolution: string | null; note: string | null }
  | { kind: "ASSIGN"; serviceCenter: string; technician: string | null; reason: string | null; note: string | null }
  | { kind: "PRIORITY"; priority: DemoPriority; reason: string }
  | { kind: "NOTE"; note: string }
  | { kind: "PARTS"; serviceCenter: string; parts: { partSku: string; quantity: number }[]; note: string | null }
  | { kind: "LEND"; serialNumber: string; note: string | null }
  | { kind: "RETURN_LOANER"; note: string | null };

/** What dispatch makes of a ticket when it is opened. */
export interface DemoDispatch {
  /** Key of the service center it chooses; null when none qualifies. */
  serviceCenter: string | null;
  /** Why none qualified. */
  none: "NO_LOCATION" | "OUT_OF_RANGE" | "NO_SKILLED_TECHNICIAN" | null;
  /** Keys of the service centers in range, the winner first. */
  candidates: string[];
}

export interface DemoTicket {
  key: string;
  /** Key of the customer who opened it (through the dealer or an agent). */
  customer: string;
  /** Key of the customer's home dealer, whose ticket it is. */
  dealer: string;
  serialNumber: string | null;
  productSku: string | null;
  kind: DemoTicketKind;
  channel: DemoTicketChannel;
  /** The priority it is opened with. */
  openedWith: DemoPriority;
  subject: string;
  description: string | null;
  failureCode: string | null;
  /**
   * Opened after every other ticket and its work: its unit's service
   * contract, from the warranty subgraph's events, has had the longest to
   * reach the tickets subgraph by then.
   */
  late: boolean;
  /** Null when the ticket is not dispatched (no unit, or work that needs no visit). */
  dispatch: DemoDispatch | null;
  steps: DemoTicketStep[];
  /** Where the ticket stands after every step. */
  status: DemoTicketStatus;
  priority: DemoPriority;
  /** Key of the service center working it at the end; null when none. */
  serviceCenter: string | null;
  slaSource: DemoSlaSource;
  pausesOnWaitingParts: boolean;
  /** Whether an agent sent it elsewhere than dispatch chose. */
  overridden: boolean;
  reopened: boolean;
  /** Parts used, with the service center whose shelf they came from. */
  parts: { serviceCenter: string; partSku: string; quantity: number }[];
  /** OUT: a loaner is with the customer; RETURNED: one was lent and came back. */
  loaner: "OUT" | "RETURNED" | null;
  /** What the ticket shows, in a sentence. */
  story: string;
}

/** A customer the tickets part placed out of dispatch's reach. */
export interface DemoCustomerMove {
  customer: string;
  address: DemoAddress;
  location: DemoGeoPoint | null;
  why: string;
}

export interface DemoTickets {
  policies: DemoSlaPolicy[];
  /** In the order they are opened: the `late` ones last. */
  tickets: DemoTicket[];
  /** Applied to the world's customers before they are created. */
  moves: DemoCustomerMove[];
}

/** What of the world the tickets are made from. */
export interface TicketsWorldPart {
  seed: number;
  today: string;
  dealers: readonly DemoDealer[];
  technicians: readonly DemoTechnician[];
  customers: readonly DemoCustomer[];
  products: readonly DemoProduct[];
  units: readonly DemoUnit[];
  partStocks: readonly DemoPartStock[];
  warranty: DemoWarranty;
}
