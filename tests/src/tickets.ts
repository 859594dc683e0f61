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
 * `succeed` the ticket as saved, failing the test on a refusal.
 */
export function ticketMutations<Ticket>(selection: string) {
  async function run(client: Client, mutation: string, input: Record<string, unknown>) {
    const inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
    const data = await client.query<Record<string, { ticket: Ticket | null; errors: TicketError[] }>>(
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ticket { ${selection} } errors { code field message } } }`,
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
  errors
    .map(({ code, field }) => ({ code, field: field?.map(String) ?? null }))
    .sort((a, b) => `${a.code}${a.field}`.localeCompare(`${b.code}${b.field}`));
