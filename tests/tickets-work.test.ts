import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, registerUnit, soldUnit, tag, ticketInput, type SoldUnit } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { TicketOrder, TicketsWorkTicketFieldsFragment } from "./src/generated/graphql.js";
import { startGraph, type Caller, type Client, type TestGraph } from "./src/graph.js";
import { refusals, ticketMutations } from "./src/tickets.js";

/**
 * The work on a ticket, end to end through the gateway: dispatch (which
 * service center and technician a visit goes to, and why), an agent's
 * override of it, the parts a repair used (which the catalog takes off the
 * service center's stock), and the loaner lent to the customer meanwhile.
 *
 * The tickets subgraph learns dealers (location, radius, warranty workshop
 * authorization), technicians and customers' areas from the partners'
 * events, and products and units from the catalog's: after creating or
 * changing those, `graph.settle()` waits for its copies.
 *
 * Dispatch weighs every authorized service center of the database, so each
 * dispatch test works in a city of its own, at least ~95 km from any other
 * test's: no service center here reaches further than 50 km from its city.
 */

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

// --- helpers ------------------------------------------------------------------

const TICKET = graphql(`fragment TicketsWorkTicketFields on Ticket {
  id number status dealer { id } serviceCenter { id } technician { id }
  timeline { kind description note actor at }
  dispatch { decidedAt actor serviceCenter { id } technician { id } explanation
    candidates { serviceCenter { id } distanceKm openTickets skilledTechnicians outcome }
    override { serviceCenter { id } reason actor at } }
  partsUsed { part { id } quantity serviceCenter { id } usedAt actor }
  loaner { ...TicketsWorkLoaner } loaners { ...TicketsWorkLoaner } version }`);
graphql(`fragment TicketsWorkLoaner on Loaner { unit { id } issuedAt issuedBy returnedAt returnedBy }`);
type Ticket = TicketsWorkTicketFieldsFragment;

const AGENT: Caller = { role: "AGENT", subject: "agent-anna" };
const agent = () => graph.as(AGENT);

// The shared helper writes each mutation from its name; the ticket is read through the typed fragment.
const { run, succeed } = ticketMutations<Ticket>("...TicketsWorkTicketFields", TICKET);

/** Runs a mutation that must be refused and returns its refusals. */
async function refused(client: Client, mutation: string, input: Record<string, unknown>) {
  const payload = await run(client, mutation, input);
  expect(payload.ticket, `${mutation} ${JSON.stringify(input)}`).toBeNull();
  return refusals(payload.errors);
}

/** A ticket as the caller reads it (null: not there for the caller). */
async function read(client: Client, id: string): Promise<Ticket | null> {
  return (await client.query(graphql(`query TicketsWorkTicket($id: ID) { ticket(id: $id) { ...TicketsWorkTicketFields } }`), { id })).ticket;
}

interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** Cities the dispatch tests work in, as customers' areas (2 decimals, as partners announce them); each ≥ 95 km from the others. */
const CITY = {
  berlin: { latitude: 52.52, longitude: 13.4 },
  hamburg: { latitude: 53.55, longitude: 10.0 },
  munich: { latitude: 48.14, longitude: 11.58 },
  stuttgart: { latitude: 48.78, longitude: 9.18 },
  cologne: { latitude: 50.94, longitude: 6.96 },
  vienna: { latitude: 48.21, longitude: 16.37 },
  zurich: { latitude: 47.37, longitude: 8.54 },
  /** Out at sea: no service center reaches it. */
  northSea: { latitude: 55.0, longitude: 4.0 },
} satisfies Record<string, GeoPoint>;

const KM_PER_DEGREE = 111.195;

/** The point `northKm` north and `eastKm` east of `from`. */
const offset = (from: GeoPoint, northKm: number, eastKm: number): GeoPoint => ({
  latitude: Number((from.latitude + northKm / KM_PER_DEGREE).toFixed(5)),
  longitude: Number((from.longitude + eastKm / (KM_PER_DEGREE * Math.cos((from.latitude * Math.PI) / 180))).toFixed(5)),
});

/** Great-circle distance in km (haversine), as dispatch measures it. */
function distance(a: GeoPoint, b: GeoPoint): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/** Authorized as a warranty workshop since long ago, without end. */
const AUTHORIZED = { authorizedFrom: "2024-01-01" };

interface Center {
  id: string;
  name: string;
  location: GeoPoint;
}

/** A service center (kind SERVICE_CENTER) at `location` sending technicians up to `radiusKm`, an authorized warranty workshop unless told otherwise. */
async function serviceCenter(label: string, location: GeoPoint, radiusKm: number, overrides: Record<string, unknown> = {}): Promise<Center> {
  const name = `${label} ${tag()}`;
  const { id } = await createDealer(graph, { name, kind: "SERVICE_CENTER", location, serviceRadiusKm: radiusKm, warrantyWorkshop: AUTHORIZED, ...overrides });
  return { id, name, location };
}

/** A technician of a service center trained on `skills` (product categories). */
const technician = (serviceCenterId: string, skills: string[], active = true) =>
  create(graph, "createTechnician", "technician", { serviceCenterId, name: `Tech ${tag()}`, skills, active });

/**
 * A sales-only dealer with a customer living at `area` (null: no location
 * on file) who owns a unit of a product of `category`: what a dispatch
 * question starts from. Settle before opening tickets.
 */
async function household(area: GeoPoint | null, category: string) {
  const product = (await createProduct(graph, { name: `Boiler ${tag()}`, category })).id;
  const dealer = (await createDealer(graph, { kind: "DEALER", serviceRadiusKm: 0 })).id;
  const customer = (await createCustomer(graph, dealer, area ? { location: area } : {})).id;
  const unit = await soldUnit(graph, { productId: product, dealerId: dealer, customerId: customer, soldOn: "2025-03-01" });
  return { product, dealer, customer, unit };
}

/** A product category no other test uses, so technicians' skills keep to their test. */
const category = (name: string) => `${name}-${tag()}`;

const candidateOf = (center: Center, from: GeoPoint, fields: { openTickets: number; skilledTechnicians: number; outcome: string }) => ({
  serviceCenter: { id: center.id },
  distanceKm: expect.closeTo(distance(center.location, from), 0) as unknown as number,
  ...fields,
});

const ticketIdsOf = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

/** A stock level the catalog keeps for a part at a service center (null: no row). */
async function onHand(serviceCenterId: string, partId: string): Promise<number | null> {
  const { dealer } = await graph.query(
    graphql(`query TicketsWorkDealer($id: ID!) { dealer(id: $id) { partsStock(first: 100) { edges { node { part { id } onHand } } } } }`),
    { id: serviceCenterId },
  );
  return dealer!.partsStock.edges.find((e) => e.node.part.id === partId)?.node.onHand ?? null;
}

async function setPartStock(serviceCenterId: string, partId: string, quantity: number) {
  const { setPartStock } = await graph.query(
    graphql(`mutation TicketsWorkSetPartStock($input: SetPartStockInput!) { setPartStock(input: $input) { stock { onHand } errors { code field message } } }`),
    { input: { serviceCenterId, partId, onHand: quantity } },
  );
  expect(setPartStock.errors).toEqual([]);
}

/**
 * A dealer that is its own service center (kind BOTH, no field work by
 * dispatch), a customer of it with a unit, and a client acting as it.
 * Settle before opening tickets.
 */
async function workshop(subject = `clerk-${tag()}`) {
  const product = (await createProduct(graph, { name: `Grinder ${tag()}` })).id;
  const dealer = (await createDealer(graph)).id;
  const customer = (await createCustomer(graph, dealer)).id;
  const unit = await soldUnit(graph, { productId: product, dealerId: dealer, customerId: customer, soldOn: "2025-03-01" });
  const caller: Caller = { role: "DEALER", dealerId: dealer, subject };
  return { product, dealer, customer, unit, subject, as: graph.as(caller) };
}
type Workshop = Awaited<ReturnType<typeof workshop>>;

/** Opens a repair about the workshop's unit and assigns it to the workshop itself. */
async function assignedRepair(w: Workshop): Promise<Ticket> {
  const opened = await succeed(w.as, "openTicket", ticketInput(w.customer, { unitId: w.unit.id }));
  return succeed(w.as, "assignTicket", { id: opened.id, version: opened.version, serviceCenterId: w.dealer });
}

const spareParts = async (count: number) =>
  Promise.all(
    Array.from({ length: count }, () => createProduct(graph, { kind: "SPARE_PART", name: `Gasket ${tag()}`, listPrice: { amount: "12.50", currency: "EUR" } })),
  );

// --- dispatch -----------------------------------------------------------------

describe("dispatch", () => {
  it("sends a repair to the nearest of the qualified service centers when their open work ties, passing over one out of range and one without a trained technician", async () => {
    // given a customer in Berlin with a boiler, and four authorized service centers around:
    const boilers = category("boilers");
    const home = await household(CITY.berlin, boilers);
    const near = await serviceCenter("Kreuzberg Service", offset(CITY.berlin, -2, 2), 30);
    const farther = await serviceCenter("Köpenick Service", offset(CITY.berlin, -8, 14), 30);
    const untrained = await serviceCenter("Spandau Service", offset(CITY.berlin, 1, -12), 30);
    const outOfRange = await serviceCenter("Frankfurt (Oder) Service", offset(CITY.berlin, -10, 40), 20);
    const nearTech = await technician(near.id, [boilers, "espresso-machines"]);
    const fartherTech = await technician(farther.id, [boilers.toUpperCase()]);
    await technician(untrained.id, ["espresso-machines"]);
    await technician(outOfRange.id, [boilers]);
    const { customer, unit } = home;
    await graph.settle();

    // when an agent opens a repair about the unit
    const before = Date.now();
    const ticket = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));

    // then the nearer of the two with nothing open and a trained technician has it, with that technician
    expect(ticket).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: near.id }, technician: { id: nearTech.id } });
    const dispatch = ticket.dispatch!;
    expect(dispatch).toMatchObject({ actor: "agent-anna", serviceCenter: { id: near.id }, technician: { id: nearTech.id }, override: null });
    expect(new Date(dispatch.decidedAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    // and every center in range is a candidate, the winner first, then by the rule, the untrained one last; the one out of range is not there
    expect(dispatch.candidates).toEqual([
      candidateOf(near, CITY.berlin, { openTickets: 0, skilledTechnicians: 1, outcome: "CHOSEN" }),
      candidateOf(farther, CITY.berlin, { openTickets: 0, skilledTechnicians: 1, outcome: "FARTHER" }),
      candidateOf(untrained, CITY.berlin, { openTickets: 0, skilledTechnicians: 0, outcome: "NO_SKILLED_TECHNICIAN" }),
    ]);
    // and the explanation names the winner, its work and distance, and why it beat the runner-up
    const nearKm = dispatch.candidates[0]!.distanceKm;
    const fartherKm = dispatch.candidates[1]!.distanceKm;
    expect(dispatch.explanation).toBe(`${near.name}: 0 open tickets, ${nearKm} km away; as little open work as ${farther.name}, and nearer (${fartherKm} km).`);
    // and the timeline says where it went, at once
    expect(ticket.timeline.map(({ kind, description, actor }) => ({ kind, description, actor }))).toEqual([
      { kind: "OPENED", description: "Ticket opened.", actor: "agent-anna" },
      { kind: "DISPATCHED", description: `Dispatched to service center ${near.id}, technician ${nearTech.id}: ${dispatch.explanation}`, actor: "agent-anna" },
    ]);

    // when a second repair comes in: the nearer one now has open work, the farther one none
    const second = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id, kind: "MAINTENANCE" }));
    // then the farther one, less busy, gets it
    expect(second).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: farther.id }, technician: { id: fartherTech.id } });
    expect(second.dispatch!.candidates).toEqual([
      candidateOf(farther, CITY.berlin, { openTickets: 0, skilledTechnicians: 1, outcome: "CHOSEN" }),
      candidateOf(near, CITY.berlin, { openTickets: 1, skilledTechnicians: 1, outcome: "MORE_OPEN_WORK" }),
      candidateOf(untrained, CITY.berlin, { openTickets: 0, skilledTechnicians: 0, outcome: "NO_SKILLED_TECHNICIAN" }),
    ]);
    expect(second.dispatch!.explanation).toBe(
      `${farther.name}: 0 open tickets, ${fartherKm} km away; the least open work of 2 qualified service centers (next: ${near.name} with 1).`,
    );
  });

  it("prefers the service center with less open work even when it is farther, and gives the work to its least busy trained technician", async () => {
    // given two trained service centers near a customer in Hamburg: the nearer with two open tickets, the farther with one, on one of its two technicians
    const heatPumps = category("heat-pumps");
    const home = await household(CITY.hamburg, heatPumps);
    const near = await serviceCenter("Altona Service", offset(CITY.hamburg, 1, -3), 25);
    const farther = await serviceCenter("Harburg Service", offset(CITY.hamburg, -12, 2), 25);
    const nearTech = await technician(near.id, [heatPumps]);
    const busyTech = await technician(farther.id, [heatPumps]);
    const idleTech = await technician(farther.id, [heatPumps, "espresso-machines"]);
    const { customer, unit } = home;
    await graph.settle();
    // (questions need no visit: they are not dispatched, an agent assigns them)
    const assignQuestion = async (serviceCenterId: string, technicianId: string | null) => {
      const question = await succeed(agent(), "openTicket", ticketInput(customer, { kind: "QUESTION", subject: `Question ${tag()}` }));
      expect(question.dispatch).toBeNull();
      return succeed(agent(), "assignTicket", { id: question.id, version: question.version, serviceCenterId, technicianId });
    };
    const nearWork = [await assignQuestion(near.id, nearTech.id), await assignQuestion(near.id, null)];
    await assignQuestion(farther.id, busyTech.id);

    // when a repair about the unit is opened
    const ticket = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));

    // then the farther center, with less open work, gets it, and its idle technician
    expect(ticket).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: farther.id }, technician: { id: idleTech.id } });
    expect(ticket.dispatch!.candidates).toEqual([
      candidateOf(farther, CITY.hamburg, { openTickets: 1, skilledTechnicians: 2, outcome: "CHOSEN" }),
      candidateOf(near, CITY.hamburg, { openTickets: 2, skilledTechnicians: 1, outcome: "MORE_OPEN_WORK" }),
    ]);
    expect(ticket.dispatch!.candidates[0]!.distanceKm).toBeGreaterThan(ticket.dispatch!.candidates[1]!.distanceKm);
    expect(ticket.dispatch!.explanation).toMatch(
      new RegExp(`^${farther.name}: 1 open ticket, [\\d.]+ km away; the least open work of 2 qualified service centers \\(next: ${near.name} with 2\\)\\.$`),
    );

    // when the nearer center's tickets are cancelled (only open tickets count as work)
    for (const work of nearWork) await succeed(agent(), "changeTicketStatus", { id: work.id, version: work.version, status: "CANCELLED" });
    const next = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id, kind: "INSTALLATION" }));
    // then the nearer center, now with nothing open, gets the next one
    expect(next).toMatchObject({ serviceCenter: { id: near.id }, technician: { id: nearTech.id } });
    expect(next.dispatch!.candidates.map((c) => [c.serviceCenter.id, c.openTickets, c.outcome])).toEqual([
      [near.id, 0, "CHOSEN"],
      [farther.id, 2, "MORE_OPEN_WORK"],
    ]);
  });

  it("counts neither inactive technicians nor service centers without a warranty workshop authorization today, and follows changes of either", async () => {
    // given a customer in Munich and, around, service centers each with a technician trained on the product:
    const ovens = category("ovens");
    const home = await household(CITY.munich, ovens);
    const neverAuthorized = await serviceCenter("Schwabing Service", offset(CITY.munich, 2, 0), 30, { warrantyWorkshop: null });
    const authorizationEnded = await serviceCenter("Giesing Service", offset(CITY.munich, -2, 1), 30, {
      warrantyWorkshop: { authorizedFrom: "2024-01-01", authorizedUntil: "2025-06-30" },
    });
    const notYetAuthorized = await serviceCenter("Pasing Service", offset(CITY.munich, 0, -3), 30, { warrantyWorkshop: { authorizedFrom: "2099-01-01" } });
    const onlyInactive = await serviceCenter("Bogenhausen Service", offset(CITY.munich, 1, 4), 30);
    const authorized = await serviceCenter("Freising Service", offset(CITY.munich, 18, 5), 30);
    const salesOnly = await createDealer(graph, { kind: "DEALER", location: offset(CITY.munich, 0, 1), serviceRadiusKm: 0, warrantyWorkshop: AUTHORIZED });
    await technician(neverAuthorized.id, [ovens]);
    await technician(authorizationEnded.id, [ovens]);
    await technician(notYetAuthorized.id, [ovens]);
    await technician(onlyInactive.id, [ovens], false);
    const authorizedTech = await technician(authorized.id, [ovens]);
    const { customer, unit } = home;
    await graph.settle();

    // when a repair is opened
    const ticket = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));
    // then the farthest, the only authorized one with an active trained technician, gets it
    expect(ticket).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: authorized.id }, technician: { id: authorizedTech.id } });
    expect(ticket.dispatch!.candidates).toEqual([
      candidateOf(authorized, CITY.munich, { openTickets: 0, skilledTechnicians: 1, outcome: "CHOSEN" }),
      candidateOf(onlyInactive, CITY.munich, { openTickets: 0, skilledTechnicians: 0, outcome: "NO_SKILLED_TECHNICIAN" }),
    ]);
    expect(ticket.dispatch!.candidates.map((c) => c.serviceCenter.id)).not.toContain(salesOnly.id);
    expect(ticket.dispatch!.explanation).toMatch(
      new RegExp(
        `^${authorized.name}: 0 open tickets, [\\d.]+ km away; the only one of 2 service centers in range with a technician trained on \`${ovens}\`\\.$`,
      ),
    );

    // when the chosen center's technician leaves (inactive) and the never authorized center becomes a warranty workshop
    await create(graph, "updateTechnician", "technician", { id: authorizedTech.id, version: authorizedTech.version, active: false });
    await create(graph, "updateDealer", "dealer", { id: neverAuthorized.id, version: 1, warrantyWorkshop: AUTHORIZED });
    await graph.settle();
    const next = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));
    // then the newly authorized one gets the next repair, and the center without an active trained technician is passed over
    expect(next).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: neverAuthorized.id } });
    expect(next.dispatch!.candidates.map((c) => [c.serviceCenter.id, c.skilledTechnicians, c.outcome])).toEqual([
      [neverAuthorized.id, 1, "CHOSEN"],
      [onlyInactive.id, 0, "NO_SKILLED_TECHNICIAN"],
      [authorized.id, 0, "NO_SKILLED_TECHNICIAN"],
    ]);
  });

  it("leaves a repair NEW and says why when no service center qualifies, and dispatches it on dispatchTicket once one does", async () => {
    // given a customer in Stuttgart near a service center whose only technician is not trained on the product,
    // a customer with no location on file, and a customer out at sea
    const dishwashers = category("dishwashers");
    const stuttgart = await household(CITY.stuttgart, dishwashers);
    const nowhere = await household(null, dishwashers);
    const atSea = await household(CITY.northSea, dishwashers);
    const center = await serviceCenter("Bad Cannstatt Service", offset(CITY.stuttgart, 3, 4), 30);
    await technician(center.id, ["espresso-machines"]);
    await graph.settle();

    // when repairs are opened for each
    const untrained = await succeed(agent(), "openTicket", ticketInput(stuttgart.customer, { unitId: stuttgart.unit.id }));
    const unlocated = await succeed(agent(), "openTicket", ticketInput(nowhere.customer, { unitId: nowhere.unit.id }));
    const unreached = await succeed(agent(), "openTicket", ticketInput(atSea.customer, { unitId: atSea.unit.id }));

    // then each stays NEW with no service center, its dispatch saying why
    for (const ticket of [untrained, unlocated, unreached]) {
      expect(ticket).toMatchObject({ status: "NEW", serviceCenter: null, technician: null });
      expect(ticket.dispatch).toMatchObject({ serviceCenter: null, technician: null, actor: "agent-anna", override: null });
      expect(ticket.timeline.map((e) => [e.kind, e.description])).toEqual([
        ["OPENED", "Ticket opened."],
        ["DISPATCHED", `Not dispatched: ${ticket.dispatch!.explanation}`],
      ]);
    }
    expect(untrained.dispatch!.explanation).toBe(`In range: ${center.name}; none has an active technician trained on \`${dishwashers}\`.`);
    expect(untrained.dispatch!.candidates).toEqual([
      candidateOf(center, CITY.stuttgart, { openTickets: 0, skilledTechnicians: 0, outcome: "NO_SKILLED_TECHNICIAN" }),
    ]);
    expect(unlocated.dispatch!.explanation).toMatch(/no location on file/);
    expect(unlocated.dispatch!.candidates).toEqual([]);
    expect(unreached.dispatch!.explanation).toBe("No authorized service center's radius covers the customer's area.");
    expect(unreached.dispatch!.candidates).toEqual([]);

    // when a technician trained on the product joins the center, and the agent dispatches the ticket again
    const trained = await technician(center.id, [dishwashers]);
    await graph.settle();
    const dispatched = await succeed(agent(), "dispatchTicket", { id: untrained.id, version: untrained.version });
    // then it is ASSIGNED to the center and its new technician
    expect(dispatched).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: center.id }, technician: { id: trained.id }, version: untrained.version + 1 });
    expect(dispatched.dispatch).toMatchObject({ serviceCenter: { id: center.id }, technician: { id: trained.id }, actor: "agent-anna" });
    expect(dispatched.dispatch!.candidates).toEqual([candidateOf(center, CITY.stuttgart, { openTickets: 0, skilledTechnicians: 1, outcome: "CHOSEN" })]);
    expect(dispatched.timeline.slice(2).map((e) => [e.kind, e.description])).toEqual([
      ["DISPATCHED", `Dispatched to service center ${center.id}, technician ${trained.id}: ${dispatched.dispatch!.explanation}`],
      ["STATUS", "Status changed from NEW to ASSIGNED."],
    ]);

    // when the customer with no location moves into the center's radius, and the ticket is dispatched again
    await create(graph, "updateCustomer", "customer", { id: nowhere.customer, version: 1, location: offset(CITY.stuttgart, -2, -2) });
    await graph.settle();
    const located = await succeed(agent(), "dispatchTicket", { id: unlocated.id, version: unlocated.version });
    // then it goes to the center too (which has one open ticket now)
    expect(located).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: center.id }, technician: { id: trained.id } });
    expect(located.dispatch!.candidates.map((c) => [c.openTickets, c.outcome])).toEqual([[1, "CHOSEN"]]);

    // and a ticket that is no longer NEW is not dispatched again
    expect(await refused(agent(), "dispatchTicket", { id: dispatched.id, version: dispatched.version })).toEqual([{ code: "NOT_DISPATCHABLE", field: ["id"] }]);
    // and neither is a ticket that needs no visit
    const question = await succeed(agent(), "openTicket", ticketInput(stuttgart.customer, { kind: "QUESTION" }));
    expect(question.dispatch).toBeNull();
    expect(await refused(agent(), "dispatchTicket", { id: question.id, version: question.version })).toEqual([{ code: "NOT_DISPATCHABLE", field: ["id"] }]);
    // and a ticket still undispatchable stays NEW on dispatchTicket, with a fresh explanation
    const again = await succeed(agent(), "dispatchTicket", { id: unreached.id, version: unreached.version });
    expect(again).toMatchObject({ status: "NEW", serviceCenter: null, version: unreached.version + 1 });
    expect(again.dispatch!.explanation).toBe("No authorized service center's radius covers the customer's area.");
    // and assigning a ticket dispatch found no center for overrides nothing, so needs no reason
    const assigned = await succeed(agent(), "assignTicket", { id: again.id, version: again.version, serviceCenterId: center.id });
    expect(assigned).toMatchObject({
      status: "ASSIGNED",
      serviceCenter: { id: center.id },
      technician: null,
      dispatch: { serviceCenter: null, override: null },
    });
  });

  it("lets the lower id win between qualified service centers as busy and as near as each other", async () => {
    // given two trained service centers in one building near a customer in Zurich
    const scales = category("scales");
    const { customer, unit } = await household(CITY.zurich, scales);
    const building = offset(CITY.zurich, 4, 3);
    const [one, two] = [await serviceCenter("Oerlikon Service", building, 20), await serviceCenter("Oerlikon Repairs", building, 20)];
    for (const center of [one, two]) await technician(center.id, [scales]);
    await graph.settle();
    const [lower, higher] = one.id < two.id ? [one, two] : [two, one];
    // when a repair is opened
    const ticket = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));
    // then the lower id has it, and the other tied
    expect(ticket.serviceCenter).toEqual({ id: lower.id });
    expect(ticket.dispatch!.candidates).toEqual([
      candidateOf(lower, CITY.zurich, { openTickets: 0, skilledTechnicians: 1, outcome: "CHOSEN" }),
      candidateOf(higher, CITY.zurich, { openTickets: 0, skilledTechnicians: 1, outcome: "TIE" }),
    ]);
    expect(ticket.dispatch!.explanation).toMatch(
      new RegExp(`^${lower.name}: 0 open tickets, [\\d.]+ km away; as busy and as near as ${higher.name}; the lower id decides\\.$`),
    );
  });

  it("lets an agent override dispatch only with a reason, to one of the other center's own active technicians, and keeps both on record", async () => {
    // given a repair dispatched to a center in Cologne, and another service center the customer prefers
    const fridges = category("fridges");
    const home = await household(CITY.cologne, fridges);
    const chosen = await serviceCenter("Deutz Service", offset(CITY.cologne, 0, 2), 25);
    const preferred = await serviceCenter("Ehrenfeld Service", offset(CITY.cologne, 1, -3), 25, { warrantyWorkshop: null });
    const chosenTech = await technician(chosen.id, [fridges]);
    const chosenOtherTech = await technician(chosen.id, ["espresso-machines"]);
    const preferredTech = await technician(preferred.id, [fridges]);
    const retired = await technician(preferred.id, [fridges], false);
    const { customer, unit } = home;
    await graph.settle();
    const ticket = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));
    expect(ticket).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: chosen.id }, technician: { id: chosenTech.id } });
    const assign = (fields: Record<string, unknown>) => run(agent(), "assignTicket", { id: ticket.id, version: ticket.version, ...fields });

    // when the agent assigns it elsewhere without a reason: refused
    const unexplained = await assign({ serviceCenterId: preferred.id, technicianId: preferredTech.id });
    expect(refusals(unexplained.errors)).toEqual([{ code: "OVERRIDE_REASON_REQUIRED", field: ["reason"] }]);
    // when to the other center with the chosen center's technician, or with its inactive one: refused
    const foreignTech = await assign({ serviceCenterId: preferred.id, technicianId: chosenTech.id, reason: "Customer's request" });
    expect(refusals(foreignTech.errors)).toEqual([{ code: "TECHNICIAN_NOT_FOUND", field: ["technicianId"] }]);
    const inactiveTech = await assign({ serviceCenterId: preferred.id, technicianId: retired.id, reason: "Customer's request" });
    expect(refusals(inactiveTech.errors)).toEqual([{ code: "TECHNICIAN_NOT_FOUND", field: ["technicianId"] }]);
    // (nothing of it was saved)
    expect((await read(agent(), ticket.id))!).toMatchObject({ version: ticket.version, serviceCenter: { id: chosen.id }, dispatch: { override: null } });

    // when with a reason
    const overridden = await succeed(agent(), "assignTicket", {
      id: ticket.id,
      version: ticket.version,
      serviceCenterId: preferred.id,
      technicianId: preferredTech.id,
      reason: "The customer has a service plan with Ehrenfeld",
    });
    // then the ticket is the other center's, dispatch's choice stays on record with the override beside it
    expect(overridden).toMatchObject({ status: "ASSIGNED", serviceCenter: { id: preferred.id }, technician: { id: preferredTech.id } });
    expect(overridden.dispatch).toMatchObject({
      serviceCenter: { id: chosen.id },
      technician: { id: chosenTech.id },
      override: { serviceCenter: { id: preferred.id }, reason: "The customer has a service plan with Ehrenfeld", actor: "agent-anna" },
    });
    expect(new Date(overridden.dispatch!.override!.at).getTime()).toBeGreaterThanOrEqual(new Date(ticket.dispatch!.decidedAt).getTime());
    // and the timeline says it overrides dispatch, with the reason
    expect(overridden.timeline.at(-1)).toMatchObject({
      kind: "ASSIGNED",
      description: `Assigned to service center ${preferred.id}, technician ${preferredTech.id}, overriding dispatch.`,
      note: "The customer has a service plan with Ehrenfeld",
      actor: "agent-anna",
    });

    // and on another ticket dispatched to the same center, choosing another of its technicians needs no reason
    const other = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id }));
    expect(other.serviceCenter).toEqual({ id: chosen.id });
    const sameCenter = await succeed(agent(), "assignTicket", {
      id: other.id,
      version: other.version,
      serviceCenterId: chosen.id,
      technicianId: chosenOtherTech.id,
    });
    expect(sameCenter).toMatchObject({ serviceCenter: { id: chosen.id }, technician: { id: chosenOtherTech.id }, dispatch: { override: null } });
    expect(sameCenter.timeline.at(-1)).toMatchObject({
      kind: "ASSIGNED",
      description: `Assigned to service center ${chosen.id}, technician ${chosenOtherTech.id}.`,
    });
  });

  it("lists a technician's tickets with tickets(filter: {technicianId}), in the order asked for", async () => {
    // given a center in Vienna with one trained technician, who gets two repairs by dispatch, and a second technician given a question
    const mixers = category("mixers");
    const home = await household(CITY.vienna, mixers);
    const center = await serviceCenter("Favoriten Service", offset(CITY.vienna, -3, 0), 20);
    const first = await technician(center.id, [mixers]);
    const { customer, unit, dealer } = home;
    await graph.settle();
    const urgent = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id, priority: "P1" }));
    const routine = await succeed(agent(), "openTicket", ticketInput(customer, { unitId: unit.id, priority: "P4" }));
    const second = await technician(center.id, ["espresso-machines"]);
    await graph.settle();
    const question = await succeed(agent(), "openTicket", ticketInput(customer, { kind: "QUESTION" }));
    await succeed(agent(), "assignTicket", { id: question.id, version: question.version, serviceCenterId: center.id, technicianId: second.id });
    expect([urgent.technician, routine.technician]).toEqual([{ id: first.id }, { id: first.id }]);

    const list = async (client: Client, technicianId: string, orderBy: TicketOrder = "OPENED_NEWEST") =>
      ticketIdsOf(
        (
          await client.query(
            graphql(
              `query TicketsWorkTickets($filter: TicketFilter, $orderBy: TicketOrder) { tickets(filter: $filter, orderBy: $orderBy, first: 50) { edges { node { id } } } }`,
            ),
            { filter: { technicianId }, orderBy },
          )
        ).tickets,
      );
    // then each technician's tickets are listed, newest first by default, or oldest first, or by priority
    expect(await list(agent(), first.id)).toEqual([routine.id, urgent.id]);
    expect(await list(agent(), first.id, "OPENED_OLDEST")).toEqual([urgent.id, routine.id]);
    expect(await list(agent(), first.id, "PRIORITY")).toEqual([urgent.id, routine.id]);
    expect(await list(agent(), second.id)).toEqual([question.id]);
    // and the customer's dealer sees them; another dealer, none
    expect(await list(graph.as({ role: "DEALER", dealerId: dealer }), first.id)).toEqual([routine.id, urgent.id]);
    const stranger = await createDealer(graph);
    expect(await list(graph.as({ role: "DEALER", dealerId: stranger.id }), first.id)).toEqual([]);
  });
});

// --- parts --------------------------------------------------------------------

describe("recordTicketParts", () => {
  let w: Workshop;
  let parts: { id: string }[];
  beforeAll(async () => {
    w = await workshop("parts-clerk");
    parts = await spareParts(2);
    await graph.settle();
  });

  it("records parts from the service center's stock, and the catalog takes them off its shelf, never below zero", async () => {
    // given a repair assigned to the dealer's own service center, which has 10 of one part and 3 of another
    const [pump, gasket] = [parts[0]!.id, parts[1]!.id];
    await setPartStock(w.dealer, pump, 10);
    await setPartStock(w.dealer, gasket, 3);
    const ticket = await assignedRepair(w);

    // when the dealer records 2 pumps and 5 gaskets (more than it counted)
    const before = Date.now();
    const recorded = await succeed(w.as, "recordTicketParts", {
      id: ticket.id,
      version: ticket.version,
      parts: [
        { partId: pump, quantity: 2 },
        { partId: gasket, quantity: 5 },
      ],
      note: "Pump and gaskets replaced",
    });

    // then the ticket lists them, from its service center, by the dealer's clerk
    expect(recorded.version).toBe(ticket.version + 1);
    expect(recorded.partsUsed.map(({ usedAt: _, ...use }) => use)).toEqual([
      { part: { id: pump }, quantity: 2, serviceCenter: { id: w.dealer }, actor: "parts-clerk" },
      { part: { id: gasket }, quantity: 5, serviceCenter: { id: w.dealer }, actor: "parts-clerk" },
    ]);
    for (const use of recorded.partsUsed) expect(new Date(use.usedAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    // and the timeline has a PARTS entry
    expect(recorded.timeline.at(-1)).toMatchObject({
      kind: "PARTS",
      description: `Parts used from service center ${w.dealer}'s stock: 2 × ${pump}, 5 × ${gasket}.`,
      note: "Pump and gaskets replaced",
      actor: "parts-clerk",
    });
    // and, once the catalog has the event, its stock is lower by what was used, the short part at zero
    await graph.settle();
    expect(await onHand(w.dealer, pump)).toBe(8);
    expect(await onHand(w.dealer, gasket)).toBe(0);

    // when one more pump is used, and an agent records a part taken from another service center's stock
    const lender = (await createDealer(graph, { kind: "SERVICE_CENTER" })).id;
    await graph.settle();
    await setPartStock(lender, gasket, 4);
    const more = await succeed(w.as, "recordTicketParts", { id: ticket.id, version: recorded.version, parts: [{ partId: pump, quantity: 1 }] });
    const lent = await succeed(agent(), "recordTicketParts", {
      id: ticket.id,
      version: more.version,
      serviceCenterId: lender,
      parts: [{ partId: gasket, quantity: 3 }],
    });
    // then every use is listed in the order recorded
    expect(lent.partsUsed.map((use) => [use.part.id, use.quantity, use.serviceCenter.id, use.actor])).toEqual([
      [pump, 2, w.dealer, "parts-clerk"],
      [gasket, 5, w.dealer, "parts-clerk"],
      [pump, 1, w.dealer, "parts-clerk"],
      [gasket, 3, lender, "agent-anna"],
    ]);
    expect(lent.timeline.filter((e) => e.kind === "PARTS")).toHaveLength(3);
    // and each service center's stock is lowered by its own share
    await graph.settle();
    expect(await onHand(w.dealer, pump)).toBe(7);
    expect(await onHand(w.dealer, gasket)).toBe(0);
    expect(await onHand(lender, gasket)).toBe(1);
    // and the ticket reads the same later
    expect((await read(w.as, ticket.id))!.partsUsed).toEqual(lent.partsUsed);
  });

  it("refuses what is no spare part, a part listed twice, a quantity out of range, a closed ticket and another dealer's stock, recording nothing", async () => {
    // given an assigned repair, a part with 6 on hand, an equipment product, and another dealer
    const [part, otherPart] = [parts[0]!.id, parts[1]!.id];
    const equipment = w.product;
    const other = await workshop();
    await graph.settle();
    await setPartStock(w.dealer, part, 6);
    const ticket = await assignedRepair(w);
    const record = (fields: Record<string, unknown>) => refused(w.as, "recordTicketParts", { id: ticket.id, version: ticket.version, ...fields });

    // when / then
    expect(await record({ parts: [{ partId: equipment, quantity: 1 }] })).toEqual([{ code: "PART_NOT_FOUND", field: ["parts", "0", "partId"] }]);
    expect(await record({ parts: [{ partId: "prd_01J0000000000000000000000Z", quantity: 1 }] })).toEqual([
      { code: "PART_NOT_FOUND", field: ["parts", "0", "partId"] },
    ]);
    expect(
      await record({
        parts: [
          { partId: part, quantity: 1 },
          { partId: otherPart, quantity: 1 },
          { partId: part, quantity: 2 },
        ],
      }),
    ).toEqual([{ code: "DUPLICATE_PART", field: ["parts", "2", "partId"] }]);
    expect(await record({ parts: [{ partId: part, quantity: 0 }] })).toEqual([{ code: "OUT_OF_RANGE", field: ["parts", "0", "quantity"] }]);
    expect(await record({ parts: [{ partId: part, quantity: 1001 }] })).toEqual([{ code: "OUT_OF_RANGE", field: ["parts", "0", "quantity"] }]);
    expect(await record({ parts: [] })).toEqual([{ code: "OUT_OF_RANGE", field: ["parts"] }]);
    expect(await record({ parts: [{ partId: part, quantity: 1 }], serviceCenterId: other.dealer })).toEqual([
      { code: "NOT_YOUR_DEALER", field: ["serviceCenterId"] },
    ]);
    // and a NEW ticket with no service center needs one named
    const unassigned = await succeed(w.as, "openTicket", ticketInput(w.customer, { unitId: w.unit.id }));
    expect(unassigned.status).toBe("NEW");
    expect(await refused(w.as, "recordTicketParts", { id: unassigned.id, version: unassigned.version, parts: [{ partId: part, quantity: 1 }] })).toEqual([
      { code: "REQUIRED", field: ["serviceCenterId"] },
    ]);

    // when the ticket is closed, parts are refused
    let closed = ticket;
    for (const [status, extra] of [
      ["IN_PROGRESS", {}],
      ["RESOLVED", { resolution: "Fixed" }],
      ["CLOSED", {}],
    ] as const) {
      closed = await succeed(w.as, "changeTicketStatus", { id: closed.id, version: closed.version, status, ...extra });
    }
    expect(await refused(w.as, "recordTicketParts", { id: closed.id, version: closed.version, parts: [{ partId: part, quantity: 1 }] })).toEqual([
      { code: "INVALID_TRANSITION", field: ["id"] },
    ]);

    // then nothing was recorded on either ticket, and the stock is untouched
    for (const id of [ticket.id, unassigned.id]) {
      const after = (await read(w.as, id))!;
      expect(after.partsUsed).toEqual([]);
      expect(after.timeline.map((e) => e.kind)).not.toContain("PARTS");
    }
    await graph.settle();
    expect(await onHand(w.dealer, part)).toBe(6);
    expect(await onHand(other.dealer, part)).toBeNull();
  });
});

// --- loaners ------------------------------------------------------------------

describe("loaners", () => {
  let w: Workshop;
  beforeAll(async () => {
    w = await workshop("loaner-clerk");
    await graph.settle();
  });

  /** A unit of the workshop's product on its shelf (registered, not sold). */
  const onShelf = async (dealerId = w.dealer) => {
    const serialNumber = `LOAN-${tag()}`;
    const { id } = await registerUnit(graph, w.product, dealerId, { serialNumber });
    return { id, serialNumber };
  };

  it("lends a unit of the dealer's stock, one at a time per ticket and per unit, and never a sold one or another dealer's", async () => {
    // given two repairs, units on the dealer's shelf, a unit sold, and a unit on another dealer's shelf
    const stranger = (await createDealer(graph)).id;
    const [loaner, secondLoaner, foreign] = [await onShelf(), await onShelf(), await onShelf(stranger)];
    const sold: SoldUnit = await soldUnit(graph, { productId: w.product, dealerId: w.dealer, customerId: w.customer, soldOn: "2025-05-01" });
    await graph.settle();
    const ticket = await succeed(w.as, "openTicket", ticketInput(w.customer, { unitId: w.unit.id }));
    const other = await succeed(w.as, "openTicket", ticketInput(w.customer, { unitId: w.unit.id }));

    // when the dealer lends a unit from its shelf on the first
    const before = Date.now();
    const lent = await succeed(w.as, "issueLoaner", { id: ticket.id, version: ticket.version, unitId: loaner.id, note: "Until Friday" });
    // then it is out with the customer, and the timeline says so
    expect(lent.version).toBe(ticket.version + 1);
    expect(lent.loaner).toMatchObject({ unit: { id: loaner.id }, issuedBy: "loaner-clerk", returnedAt: null, returnedBy: null });
    expect(new Date(lent.loaner!.issuedAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(lent.loaners).toEqual([lent.loaner]);
    expect(lent.timeline.at(-1)).toMatchObject({
      kind: "LOANER_ISSUED",
      description: `Loaner ${loaner.serialNumber} lent to the customer.`,
      note: "Until Friday",
      actor: "loaner-clerk",
    });

    // when a second is lent on the same ticket: refused
    expect(await refused(w.as, "issueLoaner", { id: ticket.id, version: lent.version, unitId: secondLoaner.id })).toEqual([
      { code: "LOANER_ALREADY_ISSUED", field: ["id"] },
    ]);
    // when the unit out is lent on the other ticket, by id or by serial number: refused
    expect(await refused(w.as, "issueLoaner", { id: other.id, version: other.version, unitId: loaner.id })).toEqual([
      { code: "LOANER_ALREADY_LENT", field: ["unitId"] },
    ]);
    expect(await refused(w.as, "issueLoaner", { id: other.id, version: other.version, serialNumber: loaner.serialNumber })).toEqual([
      { code: "LOANER_ALREADY_LENT", field: ["serialNumber"] },
    ]);
    // when a sold unit, another dealer's unit or no unit at all: not a loaner
    expect(await refused(w.as, "issueLoaner", { id: other.id, version: other.version, unitId: sold.id })).toEqual([
      { code: "LOANER_NOT_FOUND", field: ["unitId"] },
    ]);
    expect(await refused(w.as, "issueLoaner", { id: other.id, version: other.version, unitId: foreign.id })).toEqual([
      { code: "LOANER_NOT_FOUND", field: ["unitId"] },
    ]);
    expect(await refused(w.as, "issueLoaner", { id: other.id, version: other.version, serialNumber: "NO-SUCH-SERIAL" })).toEqual([
      { code: "LOANER_NOT_FOUND", field: ["serialNumber"] },
    ]);
    // (and none of it changed either ticket)
    expect(await read(w.as, ticket.id)).toMatchObject({ version: lent.version, loaners: lent.loaners });
    const untouched = (await read(w.as, other.id))!;
    expect(untouched).toMatchObject({ version: other.version, loaner: null, loaners: [] });
    expect(untouched.timeline.map((e) => e.kind)).not.toContain("LOANER_ISSUED");

    // when the second unit on the shelf is lent on the other ticket, by its serial number
    const second = await succeed(w.as, "issueLoaner", { id: other.id, version: other.version, serialNumber: secondLoaner.serialNumber });
    // then it is out there
    expect(second.loaner).toMatchObject({ unit: { id: secondLoaner.id }, issuedBy: "loaner-clerk" });
  });

  it("keeps a ticket from closing or being cancelled while its loaner is out, and records the return", async () => {
    // given a repair being worked with a loaner out
    const loaner = await onShelf();
    await graph.settle();
    let ticket = await assignedRepair(w);
    ticket = await succeed(w.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status: "IN_PROGRESS" });
    ticket = await succeed(w.as, "issueLoaner", { id: ticket.id, version: ticket.version, unitId: loaner.id });
    const issuedAt = ticket.loaner!.issuedAt;

    // when it is resolved: fine, the customer still has the loaner
    ticket = await succeed(w.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status: "RESOLVED", resolution: "Pump replaced" });
    // when it is closed or cancelled: refused
    for (const status of ["CLOSED", "CANCELLED"]) {
      expect(await refused(w.as, "changeTicketStatus", { id: ticket.id, version: ticket.version, status }), status).toEqual(
        status === "CLOSED" ? [{ code: "LOANER_NOT_RETURNED", field: ["status"] }] : [{ code: "INVALID_TRANSITION", field: ["status"] }],
      );
    }

    // when the loaner comes back
    const before = Date.now();
    const returned = await succeed(agent(), "returnLoaner", { id: ticket.id, version: ticket.version, note: "Returned clean" });
    // then none is out, and the loan is on record with both ends
    expect(returned.loaner).toBeNull();
    expect(returned.loaners).toEqual([
      { unit: { id: loaner.id }, issuedAt, issuedBy: "loaner-clerk", returnedAt: expect.any(String), returnedBy: "agent-anna" },
    ]);
    expect(new Date(returned.loaners[0]!.returnedAt!).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(new Date(returned.loaners[0]!.returnedAt!).getTime()).toBeGreaterThanOrEqual(new Date(issuedAt).getTime());
    expect(returned.timeline.at(-1)).toMatchObject({
      kind: "LOANER_RETURNED",
      description: `Loaner ${loaner.serialNumber} returned.`,
      note: "Returned clean",
      actor: "agent-anna",
    });
    // and it can be returned only once
    expect(await refused(w.as, "returnLoaner", { id: ticket.id, version: returned.version })).toEqual([{ code: "NO_LOANER_OUT", field: ["id"] }]);
    // and the ticket closes
    const closed = await succeed(w.as, "changeTicketStatus", { id: ticket.id, version: returned.version, status: "CLOSED" });
    expect(closed).toMatchObject({ status: "CLOSED", loaner: null });
    expect(closed.loaners).toEqual(returned.loaners);
    // and a closed ticket lends nothing more
    expect(await refused(w.as, "issueLoaner", { id: closed.id, version: closed.version, unitId: loaner.id })).toEqual([
      { code: "INVALID_TRANSITION", field: ["id"] },
    ]);

    // given a NEW ticket lent the same unit again (it is back on the shelf)
    const fresh = await succeed(w.as, "openTicket", ticketInput(w.customer, { kind: "COMPLAINT" }));
    expect(await refused(w.as, "returnLoaner", { id: fresh.id, version: fresh.version })).toEqual([{ code: "NO_LOANER_OUT", field: ["id"] }]);
    const relent = await succeed(w.as, "issueLoaner", { id: fresh.id, version: fresh.version, unitId: loaner.id });
    // when it is cancelled with the loaner out: refused; after the return: cancelled
    expect(await refused(w.as, "changeTicketStatus", { id: fresh.id, version: relent.version, status: "CANCELLED" })).toEqual([
      { code: "LOANER_NOT_RETURNED", field: ["status"] },
    ]);
    const back = await succeed(w.as, "returnLoaner", { id: fresh.id, version: relent.version });
    const cancelled = await succeed(w.as, "changeTicketStatus", { id: fresh.id, version: back.version, status: "CANCELLED" });
    expect(cancelled).toMatchObject({ status: "CANCELLED", loaner: null });
    expect(cancelled.loaners.map((l) => [l.unit.id, l.returnedBy])).toEqual([[loaner.id, "loaner-clerk"]]);
  });

  it("lends a unit of the service center's stock when another dealer's center works the ticket", async () => {
    // given the dealer's repair assigned by an agent to another dealer's service center, with a unit on that center's shelf
    const center = (await createDealer(graph, { kind: "SERVICE_CENTER" })).id;
    const atCenter = await onShelf(center);
    await graph.settle();
    const opened = await succeed(w.as, "openTicket", ticketInput(w.customer, { unitId: w.unit.id }));
    const ticket = await succeed(agent(), "assignTicket", { id: opened.id, version: opened.version, serviceCenterId: center });
    // when the agent lends the center's unit
    const lent = await succeed(agent(), "issueLoaner", { id: ticket.id, version: ticket.version, unitId: atCenter.id });
    // then it is out on the ticket, which the dealer sees
    expect(lent.loaner).toMatchObject({ unit: { id: atCenter.id }, issuedBy: "agent-anna" });
    expect((await read(w.as, ticket.id))!.loaner).toEqual(lent.loaner);
  });
});

// --- who may ------------------------------------------------------------------

describe("dealer scoping of dispatch, parts and loaners", () => {
  it("answers another dealer's ticket as none: no dispatch, parts or loaners on it, and nothing of its parts or loaners to see", async () => {
    // given dealer A's NEW repair with a part used and a loaner out, and dealer B with a part in stock and a unit on its shelf
    const a = await workshop("scope-a");
    const b = await workshop("scope-b");
    const [part] = await spareParts(1);
    const aLoaner = await registerUnit(graph, a.product, a.dealer);
    const bLoaner = await registerUnit(graph, b.product, b.dealer);
    await graph.settle();
    await setPartStock(b.dealer, part!.id, 5);
    let ticket = await succeed(a.as, "openTicket", ticketInput(a.customer, { unitId: a.unit.id }));
    expect(ticket.status).toBe("NEW");
    ticket = await succeed(a.as, "recordTicketParts", {
      id: ticket.id,
      version: ticket.version,
      serviceCenterId: a.dealer,
      parts: [{ partId: part!.id, quantity: 1 }],
    });
    ticket = await succeed(a.as, "issueLoaner", { id: ticket.id, version: ticket.version, unitId: aLoaner.id });

    // when dealer B tries to dispatch it, record its own parts on it, lend its own unit on it, or take A's loaner back
    const attempts: [string, Record<string, unknown>][] = [
      ["dispatchTicket", {}],
      ["recordTicketParts", { serviceCenterId: b.dealer, parts: [{ partId: part!.id, quantity: 1 }] }],
      ["issueLoaner", { unitId: bLoaner.id }],
      ["returnLoaner", {}],
    ];
    // then each is refused as if the ticket did not exist
    for (const [mutation, extra] of attempts) {
      expect(await refused(b.as, mutation, { id: ticket.id, version: ticket.version, ...extra }), mutation).toEqual([
        { code: "TICKET_NOT_FOUND", field: ["id"] },
      ]);
    }
    // and B reads nothing of it, by id or among tickets
    expect(await read(b.as, ticket.id)).toBeNull();
    const { tickets } = await b.as.query(graphql(`query TicketsWorkTicketsEdges { tickets(first: 100) { edges { node { id } } } }`));
    expect(ticketIdsOf(tickets)).not.toContain(ticket.id);
    // and an ANALYST may not dispatch at all
    const analyst = await graph
      .as({ role: "ANALYST" })
      .request(
        graphql(`mutation TicketsWorkDispatchTicket($input: DispatchTicketInput!) { dispatchTicket(input: $input) { ticket { id } errors { code } } }`),
        {
          input: { id: ticket.id, version: ticket.version },
        },
      );
    expect(analyst.errors?.map((e) => e.extensions?.["code"])).toEqual(["FORBIDDEN"]);

    // and the ticket, its part and loaner, and B's stock are as they were
    expect(await read(a.as, ticket.id)).toEqual(ticket);
    expect(ticket.partsUsed.map((use) => [use.part.id, use.quantity, use.serviceCenter.id])).toEqual([[part!.id, 1, a.dealer]]);
    expect(ticket.loaner).toMatchObject({ unit: { id: aLoaner.id }, issuedBy: "scope-a" });
    await graph.settle();
    expect(await onHand(b.dealer, part!.id)).toBe(5);
    // (and A's use came off A's shelf, which had none: a stock row at zero)
    expect(await onHand(a.dealer, part!.id)).toBe(0);
  });
});
