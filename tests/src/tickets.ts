import { expect } from "vitest";
import { graphql } from "./generated/index.js";
import type { TicketStatus } from "./generated/graphql.js";
import type { Client } from "./graph.js";

/** A refusal of a tickets mutation. */
export interface TicketError {
  code: string;
  field: string[] | null;
  message: string;
}

/**
 * Tickets mutations sent with one selection of the ticket: `run` returns the
 * payload (refusals come back in `errors`, GraphQL errors fail the test),
 * `succeed` the ticket as saved, failing the test on a refusal. A selection
 * may spread a typed fragment (``graphql(`fragment …`)``) passed as `fragment`.
 * The document is built from the mutation's name, so that one helper serves
 * every tickets mutation with each test file's own fragment of the ticket
 * (a typed document cannot take its selection as a parameter).
 */
export function ticketMutations<Ticket>(selection: string, fragment: { toString(): string } = "") {
  async function run(client: Client, mutation: string, input: Record<string, unknown>) {
    const inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
    const data = await client.query<Record<string, { ticket: Ticket | null; errors: TicketError[] }>>(
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ticket { ${selection} } errors { code field message } } } ${fragment}`,
      { input },
    );
    return data[mutation]!;
  }
  async function succeed(client: Client, mutation: string, input: Record<string, unknown>): Promise<Ticket> {
    const payload = await run(client, mutation, input);
    expect(payload.errors, `${mutation} ${JSON.stringify(input)}`).toEqual([]);
    return payload.ticket!;
  }
  return { run, succeed };
}

/** A refusal's codes and fields (as strings), in a stable order. */
export const refusals = (errors: TicketError[]) =>
  errors.map(({ code, field }) => ({ code, field: field?.map(String) ?? null })).sort((a, b) => `${a.code}${a.field}`.localeCompare(`${b.code}${b.field}`));

/** A ticket's id and version: what every change to it needs. */
export interface TicketVersion {
  id: string;
  version: number;
}

const ASSIGN = graphql(`mutation TicketStepsAssign($input: AssignTicketInput!) {
  assignTicket(input: $input) { ticket { id version } errors { code field message } } }`);
const MOVE = graphql(`mutation TicketStepsMove($input: ChangeTicketStatusInput!) {
  changeTicketStatus(input: $input) { ticket { id version } errors { code field message } } }`);

/** The ticket a change saved; a refusal fails the test. */
function saved(payload: { ticket: TicketVersion | null; errors: TicketError[] }, what: string): TicketVersion {
  expect(payload.errors, what).toEqual([]);
  return payload.ticket!;
}

/** Gives a ticket to a service center (and one of its technicians), as `client`. */
export const assignTicket = async (client: Client, ticket: TicketVersion, serviceCenterId: string, technicianId?: string) => {
  const input = { id: ticket.id, version: ticket.version, serviceCenterId, ...(technicianId ? { technicianId } : {}) };
  return saved((await client.query(ASSIGN, { input })).assignTicket, `assignTicket ${JSON.stringify(input)}`);
};

/** Every status a ticket can have, as the schema names them. */
const STATUSES: Record<TicketStatus, true> = {
  NEW: true,
  ASSIGNED: true,
  IN_PROGRESS: true,
  WAITING_CUSTOMER: true,
  WAITING_PARTS: true,
  RESOLVED: true,
  CLOSED: true,
  CANCELLED: true,
};
const isStatus = (status: string): status is TicketStatus => Object.hasOwn(STATUSES, status);

/** Moves a ticket to `status` at the graph's clock, as `client`; a resolution says "Fixed." unless `extra` says otherwise. */
export const moveTicket = async (client: Client, ticket: TicketVersion, status: string, extra: { resolution?: string; note?: string } = {}) => {
  if (!isStatus(status)) throw new Error(`No ticket status is called ${status}.`);
  const input = { id: ticket.id, version: ticket.version, status, ...(status === "RESOLVED" ? { resolution: "Fixed." } : {}), ...extra };
  return saved((await client.query(MOVE, { input })).changeTicketStatus, `changeTicketStatus ${JSON.stringify(input)}`);
};
