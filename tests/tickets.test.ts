import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, setWarrantyPolicy, soldUnit, tag, ticketInput, type SoldUnit } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { TicketsTicketFieldsFragment } from "./src/generated/graphql.js";
import { startGraph, type Caller, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { refusals, ticketMutations } from "./src/tickets.js";

/**
 * The tickets subgraph end to end, through the gateway: opening a ticket for
 * a customer (and one of their units), its lifecycle from NEW to CLOSED with
 * every change in its timeline, and who sees and changes which tickets.
 *
 * The tickets subgraph keeps copies of the partners' customers and dealers
 * and of the catalog's units, filled from their events: after creating or
 * selling those, `graph.settle()` waits for the copies before opening tickets.
 */

let graph: TestGraph;
beforeAll(async () => {
  // The N+1 setup opens its tickets in requests of many aliases, past what clients may send.
  graph = await startGraph({ limits: { maxAliases: 1_000, maxCost: 1_000_000 } });
});
afterAll(() => graph?.stop());

// --- helpers ------------------------------------------------------------------

const TICKET = graphql(`fragment TicketsTicketFields on Ticket {
  id number kind channel priority status subject description failureCode customer { id } unit { id } product { id }
  dealer { id } serviceCenter { id } openedAt resolvedAt closedAt resolution timeline { kind description note actor at } version }`);
const TICKET_BY_ID = graphql(`query TicketsTicketById($id: ID) { ticket(id: $id) { ...TicketsTicketFields } }`);
type Ticket = TicketsTicketFieldsFragment;

const AGENT: Caller = { role: "AGENT", subject: "agent-anna" };

// The shared helper writes each mutation from its name; the ticket is read through the typed fragment.
const { run, succeed } = ticketMutations<Ticket>("...TicketsTicketFields", TICKET);

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((e) => e.extensions?.["code"]);

/** A dealer (kind BOTH: a service center too) with two customers, a unit sold to each, and a client acting as it. */
async function shop(product: string, subject = `dealer-${tag()}`) {
  const dealer = await createDealer(graph);
  const customer = await createCustomer(graph, dealer.id);
  const otherCustomer = await createCustomer(graph, dealer.id);
  const unit = await soldUnit(graph, { productId: product, dealerId: dealer.id, customerId: customer.id, soldOn: "2025-03-01" });
  const otherUnit = await soldUnit(graph, { productId: product, dealerId: dealer.id, customerId: otherCustomer.id, soldOn: "2025-03-01" });
  const caller: Caller = { role: "DEALER", dealerId: dealer.id, subject };
  return { dealer: dealer.id, customer: customer.id, otherCustomer: otherCustomer.id, unit, otherUnit, caller, as: graph.as(caller) };
}
type Shop = Awaited<ReturnType<typeof shop>>;

let product: string;
let a: Shop;
let b: Shop;
beforeAll(async () => {
  product = (await createProduct(graph, { name: `Espresso ${tag()}` })).id;
  a = await shop(product, "dealer-a-clerk");
  b = await shop(product, "dealer-b-clerk");
  // The tickets subgraph learns customers, units and dealers from the partners' and catalog's events.
  await graph.settle();
});

const ticketIdsOf = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

// --- opening ------------------------------------------------------------------

describe("openTicket", () => {
  it("opens a NEW P3 ticket for a dealer's own customer about their unit, listed under the unit and the customer", async () => {
    // given a dealer's customer with a unit sold to them
    // when the dealer opens a ticket naming the unit by its serial number
    const before = new Date();
    const ticket = await succeed(a.as, "openTicket", ticketInput(a.customer, { serialNumber: a.unit.serialNumber, subject: "Pump noisy" }));
    // then it is NEW, P3, numbered for this year, the customer's dealer's, about the unit and its product
    expect(ticket.number).toMatch(new RegExp(`^T-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(ticket).toMatchObject({
      kind: "REPAIR",
      channel: "PHONE",
      status: "NEW",
      priority: "P3",
      subject: "Pump noisy",
      failureCode: "E04-PUMP",
      customer: { id: a.customer },
      unit: { id: a.unit.id },
      product: { id: product },
      dealer: { id: a.dealer },
      serviceCenter: null,
      resolvedAt: null,
      closedAt: null,
      resolution: null,
      version: 1,
    });
    expect(new Date(ticket.openedAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    // (a repair of a unit is dispatched; no service center here takes field work, so it stays NEW and says why)
    expect(ticket.timeline).toEqual([
      expect.objectContaining({ kind: "OPENED", actor: "dealer-a-clerk", note: null }),
      expect.objectContaining({ kind: "DISPATCHED", description: expect.stringMatching(/^Not dispatched: /), actor: "dealer-a-clerk" }),
    ]);
    // and the unit's and the customer's tickets list it
    const seen = await a.as.query(
      graphql(`query TicketsUnitCustomer($unit: ID, $customer: ID!) {
        unit(id: $unit) { tickets { edges { node { id } } } }
        customer(id: $customer) { tickets { edges { node { id } } } } }`),
      { unit: a.unit.id, customer: a.customer },
    );
    expect(ticketIdsOf(seen.unit!.tickets)).toContain(ticket.id);
    expect(ticketIdsOf(seen.customer!.tickets)).toContain(ticket.id);
    // and by id and by number it reads the same
    const read = await a.as.query(
      graphql(`query TicketsTicketByIdAndNumber($id: ID, $number: String) {
        byId: ticket(id: $id) { ...TicketsTicketFields } byNumber: ticket(number: $number) { ...TicketsTicketFields } }`),
      { id: ticket.id, number: ticket.number },
    );
    expect(read).toEqual({ byId: ticket, byNumber: ticket });
  });

  it("refuses a blank subject, a malformed failure code, another dealer's customer and an ambiguous unit, all at once", async () => {
    // given input with every mistake, naming dealer B's customer (and, for comparison, a customer nobody has)
    const bad = (customerId: string) =>
      ticketInput(customerId, { subject: "   ", failureCode: "pump broke!", unitId: a.unit.id, serialNumber: a.unit.serialNumber });
    // when dealer A opens it
    const foreign = await run(a.as, "openTicket", bad(b.customer));
    const unknown = await run(a.as, "openTicket", bad("cus_01J0000000000000000000000Z"));
    // then it is refused with every reason, each naming its field
    expect(foreign.ticket).toBeNull();
    expect(refusals(foreign.errors)).toEqual(
      refusals([
        { code: "REQUIRED", field: ["subject"], message: "" },
        { code: "INVALID_FORMAT", field: ["failureCode"], message: "" },
        { code: "CUSTOMER_NOT_FOUND", field: ["customerId"], message: "" },
        { code: "UNIT_REFERENCE_AMBIGUOUS", field: ["unitId"], message: "" },
      ]),
    );
    // and another dealer's customer is answered exactly like an unknown one
    const placeholders = (payload: unknown, id: string) => JSON.parse(JSON.stringify(payload).replaceAll(id, "<id>"));
    expect(placeholders(foreign, b.customer)).toEqual(placeholders(unknown, "cus_01J0000000000000000000000Z"));
  });

  it("refuses a unit that is not the customer's", async () => {
    // when dealer A opens a ticket for its customer about its other customer's unit
    const payload = await run(a.as, "openTicket", ticketInput(a.customer, { unitId: a.otherUnit.id }));
    // then
    expect(payload.ticket).toBeNull();
    expect(refusals(payload.errors)).toEqual([{ code: "UNIT_NOT_CUSTOMERS", field: ["unitId"] }]);
  });

  it("opens a ticket about a unit the dealer's customer bought from another dealer, which that dealer does not see", async () => {
    // given dealer B's unit sold to a customer of dealer A
    const bought = await soldUnit(graph, { productId: product, dealerId: b.dealer, customerId: a.customer, soldOn: "2025-04-01" });
    await graph.settle();
    // when dealer A opens a ticket about it
    const ticket = await succeed(a.as, "openTicket", ticketInput(a.customer, { unitId: bought.id }));
    // then the ticket is dealer A's, about that unit, and dealer B sees nothing of it
    expect(ticket).toMatchObject({ dealer: { id: a.dealer }, unit: { id: bought.id }, customer: { id: a.customer } });
    const seenByB = await b.as.query(graphql(`query TicketsUnit($id: ID!) { unit(id: $id) { tickets { edges { node { id } } } } }`), {
      id: bought.id,
    });
    expect(seenByB.unit?.tickets.edges).toEqual([]);
    // and a unit of dealer B's own customer stays unknown to dealer A
    const foreign = await run(a.as, "openTicket", ticketInput(a.customer, { unitId: b.unit.id }));
    expect(refusals(foreign.errors)).toEqual([{ code: "UNIT_NOT_FOUND", field: ["unitId"] }]);
  });

  it("tells what covered the ticket's unit when it was opened, from the warranty subgraph, and nothing for a ticket about no unit", async () => {
    // given a product with a 24-month warranty from purchase, and a unit of it sold in March 2025 (so covered until February 2027)
    const covered = (await createProduct(graph, { name: `Grinder ${tag()}` })).id;
    await graph.settle();
    await setWarrantyPolicy(graph, covered, { effectiveFrom: "2024-01-01", months: 24, partsShare: 100, laborShare: 50 });
    const unit = await soldUnit(graph, { productId: covered, dealerId: a.dealer, customerId: a.customer, soldOn: "2025-03-01" });
    await graph.settle();
    // when tickets are opened about the unit and about nothing
    const aboutUnit = await succeed(a.as, "openTicket", ticketInput(a.customer, { unitId: unit.id }));
    const aboutNothing = await succeed(a.as, "openTicket", ticketInput(a.customer, { kind: "QUESTION" }));
    const { unitTicket, questionTicket } = await a.as.query(
      graphql(`query TicketsTicket($unitTicket: ID!, $questionTicket: ID!) {
        unitTicket: ticket(id: $unitTicket) { coverage { kind partsShare laborShare startsOn endsOn } }
        questionTicket: ticket(id: $questionTicket) { coverage { kind } } }`),
      { unitTicket: aboutUnit.id, questionTicket: aboutNothing.id },
    );
    // then
    expect(unitTicket?.coverage).toEqual({ kind: "WARRANTY", partsShare: 100, laborShare: 50, startsOn: "2025-03-01", endsOn: "2027-02-28" });
    expect(questionTicket!.coverage).toBeNull();
  });

  it("is forbidden to an ANALYST", async () => {
    // when an analyst opens a ticket
    const response = await graph
      .as({ role: "ANALYST" })
      .request(graphql(`mutation TicketsOpenTicket($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id } errors { code } } }`), {
        input: ticketInput(a.customer),
      });
    // then the field is an error
    expect(codesOf(response)).toEqual(["FORBIDDEN"]);
    expect(response.errors![0]!.path).toEqual(["openTicket"]);
  });

  it("returns the first ticket for a repeated idempotency key, and refuses the key with other input", async () => {
    // given a customer of its own with no tickets
    const customer = (await createCustomer(graph, a.dealer)).id;
    await graph.settle();
    const input = ticketInput(customer, { idempotencyKey: `retry-${tag()}`, subject: "Display dark" });
    // when the same input is sent twice
    const first = await succeed(a.as, "openTicket", input);
    const second = await succeed(a.as, "openTicket", input);
    // then both answer the one ticket
    expect(second.id).toBe(first.id);
    expect(second.number).toBe(first.number);
    const { tickets } = await a.as.query(
      graphql(`query TicketsTickets($customer: ID) { tickets(filter: { customerId: $customer }) { edges { node { id } } } }`),
      { customer },
    );
    expect(ticketIdsOf(tickets)).toEqual([first.id]);
    // and the key with another subject is refused
    const reused = await run(a.as, "openTicket", { ...input, subject: "Display flickers" });
    expect(reused.ticket).toBeNull();
    expect(reused.errors.map((e) => e.code)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
  });
});

// --- lifecycle ----------------------------------------------------------------

describe("a ticket's lifecycle", () => {
  it("goes NEW → ASSIGNED → IN_PROGRESS → WAITING_CUSTOMER → IN_PROGRESS → RESOLVED → reopened → RESOLVED → CLOSED, every change in the timeline", async () => {
    // given a NEW ticket
    let ticket = await succeed(a.as, "openTicket", ticketInput(a.customer, { unitId: a.unit.id }));
    const move = (status: string, extra: Record<string, unknown> = {}) =>
      run(a.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status, ...extra });

    // when work starts before anyone has the ticket: refused, NEW goes through ASSIGNED
    const early = await move("IN_PROGRESS");
    expect(early.ticket).toBeNull();
    expect(refusals(early.errors)).toEqual([{ code: "INVALID_TRANSITION", field: ["status"] }]);

    // when the dealer gives it to itself as the service center: ASSIGNED
    ticket = await succeed(a.as, "assignTicket", { id: ticket.id, version: ticket.version, serviceCenterId: a.dealer, note: "We take it" });
    expect(ticket).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: a.dealer } });

    for (const status of ["IN_PROGRESS", "WAITING_CUSTOMER", "IN_PROGRESS"]) {
      ticket = await succeed(a.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status });
      expect(ticket.status).toBe(status);
    }

    // when resolved without saying how: refused
    const unexplained = await move("RESOLVED");
    expect(unexplained.ticket).toBeNull();
    expect(refusals(unexplained.errors)).toEqual([{ code: "REQUIRED", field: ["resolution"] }]);

    // when resolved with a resolution
    ticket = await succeed(a.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status: "RESOLVED", resolution: "Pump replaced" });
    expect(ticket).toMatchObject({ status: "RESOLVED", resolution: "Pump replaced", closedAt: null });
    expect(ticket.resolvedAt).not.toBeNull();

    // when reopened (the fix did not hold), resolved again and closed
    ticket = await succeed(a.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status: "IN_PROGRESS", note: "Still noisy" });
    expect(ticket).toMatchObject({ status: "IN_PROGRESS", resolvedAt: null, resolution: null });
    ticket = await succeed(a.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status: "RESOLVED", resolution: "Mount fixed" });
    ticket = await succeed(a.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status: "CLOSED" });
    expect(ticket).toMatchObject({ status: "CLOSED", resolution: "Mount fixed" });
    expect(ticket.closedAt).not.toBeNull();
    expect(ticket.resolvedAt).not.toBeNull();

    // then a CLOSED ticket is final: no status, assignment or priority changes
    for (const status of ["IN_PROGRESS", "CANCELLED", "CLOSED"]) {
      const answer = await move(status);
      expect(answer.ticket, status).toBeNull();
      expect(refusals(answer.errors), status).toEqual([{ code: "INVALID_TRANSITION", field: ["status"] }]);
    }
    const reassigned = await run(a.as, "assignTicket", { id: ticket.id, version: ticket.version, serviceCenterId: a.dealer });
    expect(reassigned.errors.map((e) => e.code)).toEqual(["INVALID_TRANSITION"]);
    const reprioritized = await run(a.as, "changeTicketPriority", { id: ticket.id, version: ticket.version, priority: "P1", reason: "Urgent" });
    expect(reprioritized.errors.map((e) => e.code)).toEqual(["INVALID_TRANSITION"]);

    // and the timeline has every change, oldest first, with who made it
    const { ticket: read } = await a.as.query(TICKET_BY_ID, { id: ticket.id });
    expect(read?.version).toBe(ticket.version);
    expect(read!.timeline.map(({ kind, description, note, actor }) => ({ kind, description, note, actor }))).toEqual(
      [
        { kind: "OPENED", description: "Ticket opened.", note: null },
        { kind: "DISPATCHED", description: expect.stringMatching(/^Not dispatched: /) as unknown as string, note: null },
        { kind: "ASSIGNED", description: `Assigned to service center ${a.dealer}.`, note: "We take it" },
        { kind: "STATUS", description: "Status changed from NEW to ASSIGNED.", note: null },
        { kind: "STATUS", description: "Status changed from ASSIGNED to IN_PROGRESS.", note: null },
        { kind: "STATUS", description: "Status changed from IN_PROGRESS to WAITING_CUSTOMER.", note: null },
        { kind: "STATUS", description: "Status changed from WAITING_CUSTOMER to IN_PROGRESS.", note: null },
        { kind: "STATUS", description: "Status changed from IN_PROGRESS to RESOLVED.", note: "Pump replaced" },
        { kind: "STATUS", description: "Ticket reopened: status changed from RESOLVED to IN_PROGRESS.", note: "Still noisy" },
        { kind: "STATUS", description: "Status changed from IN_PROGRESS to RESOLVED.", note: "Mount fixed" },
        { kind: "STATUS", description: "Status changed from RESOLVED to CLOSED.", note: null },
      ].map((entry) => ({ ...entry, actor: "dealer-a-clerk" })),
    );
    const times = read!.timeline.map((entry) => new Date(entry.at).getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it("refuses a change made on a stale version", async () => {
    // given two writers who read the same version of a ticket
    const ticket = await succeed(a.as, "openTicket", ticketInput(a.customer));
    const agent = graph.as(AGENT);
    // when the first adds a note and the second then changes the priority with the version it read
    const first = await succeed(a.as, "addTicketNote", { id: ticket.id, version: ticket.version, note: "Called the customer" });
    const second = await run(agent, "changeTicketPriority", { id: ticket.id, version: ticket.version, priority: "P1", reason: "Escalated" });
    // then the second is refused, and the ticket keeps the first change only
    expect(first.version).toBe(ticket.version + 1);
    expect(second.ticket).toBeNull();
    expect(second.errors.map((e) => e.code)).toEqual(["STALE_VERSION"]);
    const { ticket: read } = await graph.query(TICKET_BY_ID, { id: ticket.id });
    expect(read).toMatchObject({ priority: "P3", version: first.version });
    expect(read?.timeline.map((e) => e.kind)).toEqual(["OPENED", "NOTE"]);
  });
});

// --- assigning ----------------------------------------------------------------

describe("assignTicket", () => {
  it("refuses a DEALER assigning its ticket to another dealer's service center", async () => {
    // given dealer A's NEW ticket
    const ticket = await succeed(a.as, "openTicket", ticketInput(a.customer));
    // when A gives it to dealer B (a service center too)
    const payload = await run(a.as, "assignTicket", { id: ticket.id, version: ticket.version, serviceCenterId: b.dealer });
    // then
    expect(payload.ticket).toBeNull();
    expect(refusals(payload.errors)).toEqual([{ code: "NOT_YOUR_DEALER", field: ["serviceCenterId"] }]);
  });

  it("refuses an AGENT assigning to a dealer that is no service center, and lets it assign to one that is", async () => {
    // given a dealer of kind DEALER (sales only) and a NEW ticket
    const salesOnly = await createDealer(graph, { kind: "DEALER" });
    await graph.settle();
    const agent = graph.as(AGENT);
    const ticket = await succeed(agent, "openTicket", ticketInput(a.customer));
    // when an agent assigns it to the sales-only dealer
    const refused = await run(agent, "assignTicket", { id: ticket.id, version: ticket.version, serviceCenterId: salesOnly.id });
    // then it is no service center
    expect(refused.ticket).toBeNull();
    expect(refusals(refused.errors)).toEqual([{ code: "SERVICE_CENTER_NOT_FOUND", field: ["serviceCenterId"] }]);
    // and another dealer's service center may work dealer A's ticket when an agent dispatches it
    const assigned = await succeed(agent, "assignTicket", { id: ticket.id, version: ticket.version, serviceCenterId: b.dealer });
    expect(assigned).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: b.dealer }, dealer: { id: a.dealer } });
    expect(assigned.timeline.map((e) => [e.kind, e.actor])).toEqual([
      ["OPENED", "agent-anna"],
      ["ASSIGNED", "agent-anna"],
      ["STATUS", "agent-anna"],
    ]);
  });
});

// --- priority and notes -------------------------------------------------------

describe("changeTicketPriority and addTicketNote", () => {
  it("record a PRIORITY entry with the reason and a NOTE entry, each moving the version", async () => {
    // given a NEW P3 ticket
    const opened = await succeed(a.as, "openTicket", ticketInput(a.customer));
    // when its priority is raised, then a note added
    const raised = await succeed(a.as, "changeTicketPriority", { id: opened.id, version: opened.version, priority: "P1", reason: "Café cannot serve" });
    const noted = await succeed(a.as, "addTicketNote", { id: raised.id, version: raised.version, note: "Technician on the way" });
    // then
    expect(raised).toMatchObject({ priority: "P1", version: opened.version + 1 });
    expect(noted).toMatchObject({ priority: "P1", status: "NEW", version: opened.version + 2 });
    expect(noted.timeline.map(({ kind, description, note, actor }) => ({ kind, description, note, actor }))).toEqual([
      { kind: "OPENED", description: "Ticket opened.", note: null, actor: "dealer-a-clerk" },
      { kind: "PRIORITY", description: "Priority raised from P3 to P1.", note: "Café cannot serve", actor: "dealer-a-clerk" },
      { kind: "NOTE", description: "Note added.", note: "Technician on the way", actor: "dealer-a-clerk" },
    ]);
  });

  it("refuse a blank reason and a blank note", async () => {
    const ticket = await succeed(a.as, "openTicket", ticketInput(a.customer));
    const priority = await run(a.as, "changeTicketPriority", { id: ticket.id, version: ticket.version, priority: "P2", reason: " " });
    const note = await run(a.as, "addTicketNote", { id: ticket.id, version: ticket.version, note: "" });
    expect(refusals(priority.errors)).toEqual([{ code: "REQUIRED", field: ["reason"] }]);
    expect(refusals(note.errors)).toEqual([{ code: "REQUIRED", field: ["note"] }]);
  });
});

// --- listing ------------------------------------------------------------------

describe("tickets", () => {
  const LIST = graphql(`query TicketsTicketsEdges($filter: TicketFilter, $first: Int) { tickets(filter: $filter, first: $first) { edges { node { id } } } }`);

  it("lists a dealer's own tickets newest first, narrowed by status, priority, customer, unit and opening time", async () => {
    // given a fresh dealer's three tickets, one of them assigned, and another dealer's ticket
    const c = await shop(product);
    await graph.settle();
    const t1 = await succeed(c.as, "openTicket", ticketInput(c.customer, { unitId: c.unit.id }));
    const t2 = await succeed(c.as, "openTicket", ticketInput(c.customer, { priority: "P1" }));
    const t3 = await succeed(c.as, "openTicket", ticketInput(c.otherCustomer, { serialNumber: c.otherUnit.serialNumber, priority: "P2" }));
    await succeed(c.as, "assignTicket", { id: t3.id, version: t3.version, serviceCenterId: c.dealer });
    const foreign = await succeed(b.as, "openTicket", ticketInput(b.customer));
    const list = async (filter: Record<string, unknown>) => ticketIdsOf((await c.as.query(LIST, { filter, first: 50 })).tickets);
    // when / then
    expect(await list({})).toEqual([t3.id, t2.id, t1.id]);
    expect(await list({ statuses: ["ASSIGNED"] })).toEqual([t3.id]);
    expect(await list({ statuses: ["NEW", "IN_PROGRESS"] })).toEqual([t2.id, t1.id]);
    expect(await list({ priorities: ["P1", "P2"] })).toEqual([t3.id, t2.id]);
    expect(await list({ customerId: c.customer })).toEqual([t2.id, t1.id]);
    expect(await list({ unitId: c.unit.id })).toEqual([t1.id]);
    expect(await list({ openedFrom: t2.openedAt })).toEqual([t3.id, t2.id]);
    expect(await list({ customerId: c.customer, priorities: ["P3"] })).toEqual([t1.id]);
    // and nothing of another dealer's, whatever the filter names
    expect(await list({ customerId: b.customer })).toEqual([]);
    expect(await list({ dealerId: b.dealer })).toEqual([]);
    // while an ADMIN sees the other dealer's
    const all = await graph.query(LIST, { filter: { dealerId: b.dealer }, first: 100 });
    expect(ticketIdsOf(all.tickets)).toContain(foreign.id);
  });

  it("answers another dealer's ticket, by id and by number, as none, and refuses to change it as TICKET_NOT_FOUND", async () => {
    // given dealer B's ticket
    const foreign = await succeed(b.as, "openTicket", ticketInput(b.customer));
    // when dealer A reads it
    const read = await a.as.request(
      graphql(`query TicketsTicketId($id: ID, $number: String) { byId: ticket(id: $id) { id } byNumber: ticket(number: $number) { id } }`),
      {
        id: foreign.id,
        number: foreign.number,
      },
    );
    // then it is not there
    expect(read).toEqual({ data: { byId: null, byNumber: null } });
    // and every change of it is refused as if it did not exist
    const changes: [string, Record<string, unknown>][] = [
      ["changeTicketStatus", { status: "CANCELLED" }],
      ["assignTicket", { serviceCenterId: a.dealer }],
      ["changeTicketPriority", { priority: "P1", reason: "Mine now" }],
      ["addTicketNote", { note: "Hello" }],
    ];
    for (const [mutation, extra] of changes) {
      const payload = await run(a.as, mutation, { id: foreign.id, version: foreign.version, ...extra });
      expect(payload.ticket, mutation).toBeNull();
      expect(refusals(payload.errors), mutation).toEqual([{ code: "TICKET_NOT_FOUND", field: ["id"] }]);
    }
    // and the ticket is as it was
    const { ticket } = await graph.query(TICKET_BY_ID, { id: foreign.id });
    expect(ticket).toEqual(foreign);
  });
});

// --- no N+1 -------------------------------------------------------------------

describe("no N+1", () => {
  const TICKETS = 105;

  beforeAll(async () => {
    // given 105 tickets of three dealers' customers, about their units, opened in one request
    const shops = [a, b, await shop(product)];
    await graph.settle();
    const inputs = Array.from({ length: TICKETS }, (_, i) => {
      const at = shops[i % 3]!;
      const unit: SoldUnit = i % 2 ? at.unit : at.otherUnit;
      return ticketInput(i % 2 ? at.customer : at.otherCustomer, { unitId: unit.id, priority: (["P1", "P2", "P3", "P4"] as const)[i % 4]! });
    });
    // One request of 105 aliased mutations, then one of 105 assignments: documents built at run time, so strings.
    const variables = Object.fromEntries(inputs.map((input, i) => [`i${i}`, input]));
    const declarations = inputs.map((_, i) => `$i${i}: OpenTicketInput!`).join(", ");
    const fields = inputs.map((_, i) => `m${i}: openTicket(input: $i${i}) { ticket { id version } errors { code field } }`).join("\n");
    const data = await graph.query<Record<string, { ticket: { id: string; version: number }; errors: unknown[] }>>(
      `mutation(${declarations}) { ${fields} }`,
      variables,
    );
    for (const payload of Object.values(data)) expect(payload.errors).toEqual([]);
    // and each given to its dealer's service center and one of its technicians
    const technicians: { id: string }[] = [];
    for (const at of shops) {
      technicians.push(
        await create(graph, "createTechnician", "technician", { serviceCenterId: at.dealer, name: `Tech ${tag()}`, skills: ["espresso-machines"] }),
      );
    }
    await graph.settle();
    const assignments = Object.values(data).map(({ ticket }, i) => ({
      id: ticket.id,
      version: ticket.version,
      serviceCenterId: shops[i % 3]!.dealer,
      technicianId: technicians[i % 3]!.id,
      reason: "Our own",
    }));
    const assigned = await graph.query<Record<string, { errors: unknown[] }>>(
      `mutation(${assignments.map((_, i) => `$i${i}: AssignTicketInput!`).join(", ")}) {
        ${assignments.map((_, i) => `m${i}: assignTicket(input: $i${i}) { errors { code field } }`).join("\n")} }`,
      Object.fromEntries(assignments.map((input, i) => [`i${i}`, input])),
    );
    for (const payload of Object.values(assigned)) expect(payload.errors).toEqual([]);
  });

  const PAGE = graphql(`query TicketsPage($first: Int) { tickets(first: $first) { edges { node {
    id customer { id } unit { id } product { id } dealer { id } serviceCenter { id } technician { id name } timeline { kind actor } coverage { kind }
    sla { source calendarOf { id } response { state dueAt } resolution { state dueAt elapsedBusinessSeconds } events { kind } }
    dispatch { explanation } partsUsed { quantity } loaner { unit { id } } } } } }`);

  it("costs every subgraph the same SQL statements for 100 tickets with their customer, unit, product, dealer, technician, timeline, SLA and coverage as for 10", async () => {
    // when
    const ten = await graph.countStatements(() => graph.query(PAGE, { first: 10 }));
    const hundred = await graph.countStatements(() => graph.query(PAGE, { first: 100 }));
    // then the pages are what they claim to be
    expect(ten.result.tickets.edges).toHaveLength(10);
    expect(hundred.result.tickets.edges).toHaveLength(100);
    for (const { node } of hundred.result.tickets.edges) {
      expect(node.timeline[0]?.kind).toBe("OPENED");
      // The test's product has no warranty policy: nothing covers its units.
      expect(node.coverage).toEqual({ kind: "NONE" });
      expect(node.technician?.name).toMatch(/^Tech /);
      expect(node.sla.source).toBe("STANDARD");
    }
    // and no subgraph ran a statement per ticket
    expect(hundred.statements).toEqual(ten.statements);
    expect(hundred.statements["tickets"]).toBeGreaterThan(0);
    expect(hundred.statements["warranty"]).toBeGreaterThan(0);
  });

  it("costs the same SQL statements for the tickets of 100 units and customers as of 10", async () => {
    const UNITS = graphql(`query TicketsUnitsOfTickets($first: Int) { tickets(first: $first) { edges { node { id
      unit { id tickets(first: 3) { edges { node { id status } } } } customer { id tickets(first: 3) { edges { node { id } } } } } } } }`);
    const ten = await graph.countStatements(() => graph.query(UNITS, { first: 10 }));
    const hundred = await graph.countStatements(() => graph.query(UNITS, { first: 100 }));
    expect(hundred.statements).toEqual(ten.statements);
  });
});
