import { expect } from "vitest";
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

const versions = ticketMutations<TicketVersion>("id version");

/** Gives a ticket to a service center (and one of its technicians), as `client`. */
export const assignTicket = (client: Client, ticket: TicketVersion, serviceCenterId: string, technicianId?: string) =>
  versions.succeed(client, "assignTicket", { id: ticket.id, version: ticket.version, serviceCenterId, ...(technicianId ? { technicianId } : {}) });

/** Moves a ticket to `status` at the graph's clock, as `client`; a resolution says "Fixed." unless `extra` says otherwise. */
export const moveTicket = (client: Client, ticket: TicketVersion, status: string, extra: Record<string, unknown> = {}) =>
  versions.succeed(client, "changeTicketStatus", {
    id: ticket.id,
    version: ticket.version,
    status,
    ...(status === "RESOLVED" ? { resolution: "Fixed." } : {}),
    ...extra,
  });
