import { openDatabase, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, customerInput, dealerInput, tag, WEEKDAYS_9_TO_5 } from "./src/factories.js";
import { outboxEvents } from "./src/events.js";
import { graphql } from "./src/generated/index.js";
import type { CreateDealerInput, PartnersDealerPageQuery } from "./src/generated/graphql.js";
import { startGraph, type TestGraph } from "./src/graph.js";

let graph: TestGraph;
/** Beneath the API, for the outbox no request may read. */
let handle: DatabaseHandle;
beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
});
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

const CREATE_DEALER = graphql(`mutation PartnersCreateDealer($input: CreateDealerInput!) {
  createDealer(input: $input) {
    dealer { id name kind version laborRate { amount currency } address { city country }
      warrantyWorkshop { authorizedFrom authorizedUntil }
      calendar { timeZone weeklyWindows { day opens closes } holidays { date name } } }
    errors { code field message }
  }
}`);

const UPDATE_DEALER = graphql(`mutation PartnersUpdateDealer($input: UpdateDealerInput!) {
  updateDealer(input: $input) {
    dealer { id name email version serviceRadiusKm kind calendar { timeZone weeklyWindows { day opens closes } } }
    errors { code field message }
  }
}`);

const countDealersIn = async (region: string) => {
  const data = await graph.query(graphql(`query PartnersDealers($region: String) { dealers(filter: { region: $region }, first: 100) { edges { cursor } } }`), {
    region,
  });
  return data.dealers.edges.length;
};

describe("dealers", () => {
  it("registers a service center with its calendar and reads it back", async () => {
    // given
    const input = dealerInput({
      kind: "SERVICE_CENTER",
      warrantyWorkshop: { authorizedFrom: "2024-01-01", authorizedUntil: "2027-12-31" },
      calendar: {
        timeZone: "America/New_York",
        weeklyWindows: [
          { day: "MONDAY", opens: "13:00", closes: "18:00" },
          { day: "MONDAY", opens: "08:00", closes: "12:00" },
        ],
        holidays: [{ date: "2026-07-04", name: "Independence Day" }],
      },
    });
    // when
    const { createDealer } = await graph.query(CREATE_DEALER, { input });
    // then
    expect(createDealer.errors).toEqual([]);
    const id = String(createDealer.dealer?.id);
    const { dealer } = await graph.query(
      graphql(`query PartnersDealer($id: ID!) { dealer(id: $id) {
        name kind version laborRate { amount currency } warrantyWorkshop { authorizedFrom authorizedUntil }
        onDay: isAuthorizedWorkshopOn(date: "2027-12-31") afterEnd: isAuthorizedWorkshopOn(date: "2028-01-01")
        calendar { timeZone weeklyWindows { day opens closes } holidays { date name } } } }`),
      { id },
    );
    expect(dealer).toEqual({
      name: input.name,
      kind: "SERVICE_CENTER",
      version: 1,
      laborRate: { amount: "85.00", currency: "EUR" },
      warrantyWorkshop: { authorizedFrom: "2024-01-01", authorizedUntil: "2027-12-31" },
      onDay: true,
      afterEnd: false,
      calendar: {
        timeZone: "America/New_York",
        weeklyWindows: [
          { day: "MONDAY", opens: "08:00", closes: "12:00" },
          { day: "MONDAY", opens: "13:00", closes: "18:00" },
        ],
        holidays: [{ date: "2026-07-04", name: "Independence Day" }],
      },
    });
  });

  it.each<{ problem: string; change: Partial<CreateDealerInput>; code: string; field: string[] }>([
    {
      problem: "a window that ends before it starts",
      change: { calendar: { timeZone: "Europe/Berlin", weeklyWindows: [{ day: "FRIDAY", opens: "17:00", closes: "09:00" }] } },
      code: "WINDOW_ENDS_BEFORE_START",
      field: ["calendar", "weeklyWindows", "0", "closes"],
    },
    {
      problem: "an unknown time zone",
      change: { calendar: { timeZone: "Europe/Atlantis", weeklyWindows: WEEKDAYS_9_TO_5 } },
      code: "UNKNOWN_TIME_ZONE",
      field: ["calendar", "timeZone"],
    },
    { problem: "a negative radius", change: { serviceRadiusKm: -1 }, code: "OUT_OF_RANGE", field: ["serviceRadiusKm"] },
    {
      problem: "overlapping windows",
      change: {
        calendar: {
          timeZone: "Europe/Berlin",
          weeklyWindows: [
            { day: "MONDAY", opens: "08:00", closes: "12:00" },
            { day: "MONDAY", opens: "11:30", closes: "16:00" },
          ],
        },
      },
      code: "OVERLAPPING_WINDOWS",
      field: ["calendar", "weeklyWindows", "1"],
    },
    {
      problem: "a time that is not HH:MM",
      change: { calendar: { timeZone: "Europe/Berlin", weeklyWindows: [{ day: "MONDAY", opens: "8am", closes: "17:00" }] } },
      code: "INVALID_TIME",
      field: ["calendar", "weeklyWindows", "0", "opens"],
    },
    {
      problem: "a service center without business hours",
      change: { kind: "SERVICE_CENTER", calendar: { timeZone: "Europe/Berlin", weeklyWindows: [] } },
      code: "NO_BUSINESS_HOURS",
      field: ["calendar", "weeklyWindows"],
    },
    {
      problem: "the same holiday twice",
      change: {
        calendar: {
          timeZone: "Europe/Berlin",
          weeklyWindows: WEEKDAYS_9_TO_5,
          holidays: [
            { date: "2026-12-25", name: "Christmas" },
            { date: "2026-12-25", name: "Christmas again" },
          ],
        },
      },
      code: "DUPLICATE_HOLIDAY",
      field: ["calendar", "holidays", "1", "date"],
    },
    {
      problem: "an authorization that ends before it starts",
      change: { warrantyWorkshop: { authorizedFrom: "2026-01-01", authorizedUntil: "2025-12-31" } },
      code: "END_BEFORE_START",
      field: ["warrantyWorkshop", "authorizedUntil"],
    },
    { problem: "a blank name", change: { name: "   " }, code: "REQUIRED", field: ["name"] },
    {
      problem: "an unknown country",
      change: { address: { street: "", postalCode: "", city: "X", country: "XX" } },
      code: "INVALID_COUNTRY",
      field: ["address", "country"],
    },
    { problem: "a latitude beyond the pole", change: { location: { latitude: 90.5, longitude: 0 } }, code: "OUT_OF_RANGE", field: ["location", "latitude"] },
    {
      problem: "an unknown currency",
      change: { laborRate: { amount: "80.00", currency: "EURO" } },
      code: "INVALID_CURRENCY",
      field: ["laborRate", "currency"],
    },
    {
      problem: "a labor rate with fractions of a cent",
      change: { laborRate: { amount: "80.001", currency: "EUR" } },
      code: "INVALID_AMOUNT",
      field: ["laborRate", "amount"],
    },
    { problem: "an invalid email", change: { email: "service-at-dealer" }, code: "INVALID_EMAIL", field: ["email"] },
  ])("refuses $problem and writes nothing", async ({ change, code, field }) => {
    // given: a region of its own, to count what was written
    const region = `Refused ${tag()}`;
    // when
    const { createDealer } = await graph.query(CREATE_DEALER, {
      input: dealerInput({ region, ...change }),
    });
    // then
    expect(createDealer.dealer).toBeNull();
    expect(createDealer.errors).toEqual([expect.objectContaining({ code, field })]);
    expect(createDealer.errors[0]?.message).toMatch(/\w+/);
    expect(await countDealersIn(region)).toBe(0);
  });

  it("reports every problem of an input at once, in the order of the input's fields", async () => {
    const { createDealer } = await graph.query(CREATE_DEALER, {
      input: dealerInput({ name: "", serviceRadiusKm: -5, calendar: { timeZone: "Nowhere", weeklyWindows: WEEKDAYS_9_TO_5 } }),
    });
    expect(createDealer.errors.map((e) => e.field)).toEqual([["name"], ["serviceRadiusKm"], ["calendar", "timeZone"]]);
    expect(createDealer.errors.map((e) => e.code)).toEqual(["REQUIRED", "OUT_OF_RANGE", "UNKNOWN_TIME_ZONE"]);
  });

  it("updates only the fields it is given and bumps the version", async () => {
    // given
    const dealer = await createDealer(graph, { email: "old@dealer.example" });
    // when
    const { updateDealer } = await graph.query(UPDATE_DEALER, {
      input: { id: dealer.id, version: dealer.version, serviceRadiusKm: 120, email: null },
    });
    // then
    expect(updateDealer.errors).toEqual([]);
    expect(updateDealer.dealer).toMatchObject({ serviceRadiusKm: 120, email: null, version: 2, kind: "BOTH" });
    expect(updateDealer.dealer?.calendar.weeklyWindows).toHaveLength(5);
  });

  it("replaces the whole calendar when one is given", async () => {
    const dealer = await createDealer(graph);
    const { updateDealer } = await graph.query(UPDATE_DEALER, {
      input: {
        id: dealer.id,
        version: dealer.version,
        calendar: { timeZone: "Asia/Tokyo", weeklyWindows: [{ day: "SATURDAY", opens: "10:00", closes: "24:00" }] },
      },
    });
    expect(updateDealer.dealer?.calendar).toEqual({
      timeZone: "Asia/Tokyo",
      weeklyWindows: [{ day: "SATURDAY", opens: "10:00", closes: "24:00" }],
    });
  });

  it("refuses an update made on a stale version and keeps the newer data", async () => {
    // given: someone else updated the dealer after we read version 1
    const dealer = await createDealer(graph);
    await graph.query(UPDATE_DEALER, { input: { id: dealer.id, version: 1, name: "Renamed by someone else" } });
    // when
    const { updateDealer } = await graph.query(UPDATE_DEALER, {
      input: { id: dealer.id, version: 1, name: "Our rename" },
    });
    // then
    expect(updateDealer).toEqual({ dealer: null, errors: [expect.objectContaining({ code: "STALE_VERSION", field: ["version"] })] });
    const { dealer: stored } = await graph.query(graphql(`query PartnersDealerNameVersion($id: ID!) { dealer(id: $id) { name version } }`), {
      id: dealer.id,
    });
    expect(stored).toEqual({ name: "Renamed by someone else", version: 2 });
  });

  it("refuses to clear a required field, and an unknown dealer", async () => {
    const dealer = await createDealer(graph);
    const cleared = await graph.query(UPDATE_DEALER, {
      input: { id: dealer.id, version: dealer.version, name: null },
    });
    expect(cleared.updateDealer.errors).toEqual([expect.objectContaining({ code: "REQUIRED", field: ["name"] })]);
    const unknown = await graph.query(UPDATE_DEALER, {
      input: { id: "dlr_unknown", version: 1, name: "x" },
    });
    expect(unknown.updateDealer.errors).toEqual([expect.objectContaining({ code: "DEALER_NOT_FOUND", field: ["id"] })]);
  });

  it("keeps a service center that has technicians from becoming a sales-only dealer", async () => {
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    await create(graph, "createTechnician", "technician", { serviceCenterId: center.id, name: "Ada" });
    const { updateDealer } = await graph.query(UPDATE_DEALER, {
      input: { id: center.id, version: center.version, kind: "DEALER" },
    });
    expect(updateDealer.errors).toEqual([expect.objectContaining({ code: "HAS_TECHNICIANS", field: ["kind"] })]);
  });

  it("pages through dealers by name without gaps or repeats", async () => {
    // given
    const group = `Paged ${tag()}`;
    const names = ["Delta", "Alpha", "Echo", "Charlie", "Bravo"].map((n) => `${group} ${n}`);
    for (const name of names) await createDealer(graph, { name });
    // when
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { dealers }: PartnersDealerPageQuery = await graph.query(
        graphql(`query PartnersDealerPage($search: String, $after: String) { dealers(filter: { search: $search }, first: 2, after: $after) {
            edges { node { name } } pageInfo { hasNextPage endCursor } } }`),
        { search: group, after },
      );
      seen.push(...dealers.edges.map((e) => e.node.name));
      after = dealers.pageInfo.hasNextPage ? dealers.pageInfo.endCursor : null;
      pages++;
    } while (after);
    // then
    expect(seen).toEqual([...names].sort());
    expect(pages).toBe(3);
  });

  it("filters dealers by kind and by warranty authorization on a date", async () => {
    const group = `Filtered ${tag()}`;
    await createDealer(graph, { name: `${group} seller`, kind: "DEALER", calendar: { timeZone: "Europe/Berlin", weeklyWindows: [] } });
    await createDealer(graph, {
      name: `${group} workshop`,
      kind: "SERVICE_CENTER",
      warrantyWorkshop: { authorizedFrom: "2025-01-01", authorizedUntil: null },
    });
    const names = async (filter: Record<string, unknown>) => {
      const { dealers } = await graph.query(
        graphql(`query PartnersDealersEdges($filter: DealerFilter) { dealers(filter: $filter) { edges { node { name } } } }`),
        { filter: { search: group, ...filter } },
      );
      return dealers.edges.map((e) => e.node.name);
    };
    expect(await names({ kinds: ["DEALER"] })).toEqual([`${group} seller`]);
    expect(await names({ authorizedWorkshopOn: "2026-06-01" })).toEqual([`${group} workshop`]);
    expect(await names({ authorizedWorkshopOn: "2024-12-31" })).toEqual([]);
  });

  it("refuses a page larger than the maximum with a clear error", async () => {
    const response = await graph.request(graphql(`query PartnersDealersTooMany { dealers(first: 101) { edges { cursor } } }`));
    expect(response.errors?.[0]?.message).toMatch(/first.*between 0 and 100/);
    expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("refuses a cursor that does not belong to the list", async () => {
    const response = await graph.request(graphql(`query PartnersDealersAfterBadCursor { dealers(after: "bm90IGEgY3Vyc29y") { edges { cursor } } }`));
    expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("technicians", () => {
  const CREATE = graphql(`mutation PartnersCreateTechnician($input: CreateTechnicianInput!) {
    createTechnician(input: $input) { technician { id name skills active serviceCenter { id } } errors { code field } } }`);

  it("adds technicians to a service center with normalized skills", async () => {
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    const { createTechnician } = await graph.query(CREATE, {
      input: { serviceCenterId: center.id, name: "Grace", skills: ["Espresso-Machines", "dishwashers", "espresso-machines "] },
    });
    expect(createTechnician.errors).toEqual([]);
    expect(createTechnician.technician).toMatchObject({
      name: "Grace",
      skills: ["dishwashers", "espresso-machines"],
      active: true,
      serviceCenter: { id: center.id },
    });
  });

  it("lists a center's technicians, optionally only the active ones", async () => {
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    await create(graph, "createTechnician", "technician", { serviceCenterId: center.id, name: "Bea" });
    await create(graph, "createTechnician", "technician", { serviceCenterId: center.id, name: "Al", active: false });
    const { dealer } = await graph.query(
      graphql(`query PartnersDealerTechnicians($id: ID!) { dealer(id: $id) { all: technicians { name } active: technicians(activeOnly: true) { name } } }`),
      { id: center.id },
    );
    expect(dealer?.all.map((t) => t.name)).toEqual(["Al", "Bea"]);
    expect(dealer?.active.map((t) => t.name)).toEqual(["Bea"]);
  });

  it.each([
    { problem: "a sales-only dealer", kind: "DEALER", code: "NOT_A_SERVICE_CENTER" },
    { problem: "an unknown dealer", kind: null, code: "DEALER_NOT_FOUND" },
  ])("refuses a technician for $problem", async ({ kind, code }) => {
    const serviceCenterId = kind ? (await createDealer(graph, { kind, calendar: { timeZone: "Europe/Berlin", weeklyWindows: [] } })).id : "dlr_unknown";
    const { createTechnician } = await graph.query(CREATE, {
      input: { serviceCenterId, name: "Nobody" },
    });
    expect(createTechnician).toEqual({ technician: null, errors: [expect.objectContaining({ code, field: ["serviceCenterId"] })] });
  });

  it("refuses to move a technician to a sales-only dealer and keeps it where it was", async () => {
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    const seller = await createDealer(graph, { kind: "DEALER", calendar: { timeZone: "Europe/Berlin", weeklyWindows: [] } });
    const technician = await create(graph, "createTechnician", "technician", { serviceCenterId: center.id, name: "Dee" });
    const { updateTechnician } = await graph.query(
      graphql(
        `mutation PartnersUpdateTechnician($input: UpdateTechnicianInput!) { updateTechnician(input: $input) { technician { id } errors { code field } } }`,
      ),
      { input: { id: technician.id, version: 1, serviceCenterId: seller.id } },
    );
    expect(updateTechnician).toEqual({
      technician: null,
      errors: [expect.objectContaining({ code: "NOT_A_SERVICE_CENTER", field: ["serviceCenterId"] })],
    });
    const { technician: stored } = await graph.query(graphql(`query PartnersTechnician($id: ID!) { technician(id: $id) { version serviceCenter { id } } }`), {
      id: technician.id,
    });
    expect(stored).toEqual({ version: 1, serviceCenter: { id: center.id } });
  });

  it("deactivates a technician, refusing a stale version", async () => {
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    const technician = await create(graph, "createTechnician", "technician", { serviceCenterId: center.id, name: "Cy" });
    const UPDATE = graphql(
      `mutation PartnersSetTechnicianActive($input: UpdateTechnicianInput!) { updateTechnician(input: $input) { technician { active version } errors { code } } }`,
    );
    const done = await graph.query(UPDATE, {
      input: { id: technician.id, version: 1, active: false },
    });
    expect(done.updateTechnician).toEqual({ technician: { active: false, version: 2 }, errors: [] });
    const stale = await graph.query(UPDATE, {
      input: { id: technician.id, version: 1, active: true },
    });
    expect(stale.updateTechnician.errors.map((e) => e.code)).toEqual(["STALE_VERSION"]);
  });
});

describe("customers", () => {
  const CREATE = graphql(`mutation PartnersCreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id name relationshipLevel homeDealer { id name } } errors { code field } } }`);

  it("registers a customer with a home dealer", async () => {
    const dealer = await createDealer(graph, { name: `Home ${tag()}` });
    const { createCustomer } = await graph.query(CREATE, {
      input: customerInput(dealer.id, { name: "Jane Roe", relationshipLevel: "RESPONSIBLE" }),
    });
    expect(createCustomer.errors).toEqual([]);
    expect(createCustomer.customer).toMatchObject({ name: "Jane Roe", relationshipLevel: "RESPONSIBLE", homeDealer: { id: dealer.id } });
  });

  it.each([
    { problem: "a business without a company name", change: { kind: "BUSINESS" as const }, code: "COMPANY_NAME_REQUIRED", field: ["companyName"] },
    { problem: "an unknown home dealer", change: { homeDealerId: "dlr_nope" }, code: "DEALER_NOT_FOUND", field: ["homeDealerId"] },
    { problem: "an invalid email", change: { email: "jane@" }, code: "INVALID_EMAIL", field: ["email"] },
  ])("refuses $problem", async ({ change, code, field }) => {
    const dealer = await createDealer(graph);
    const name = `Refused customer ${tag()}`;
    const { createCustomer } = await graph.query(CREATE, {
      input: customerInput(dealer.id, { name, ...change }),
    });
    expect(createCustomer).toEqual({ customer: null, errors: [expect.objectContaining({ code, field })] });
    const { customers } = await graph.query(graphql(`query PartnersCustomers($s: String) { customers(filter: { search: $s }) { edges { cursor } } }`), {
      s: name,
    });
    expect(customers.edges).toHaveLength(0);
  });

  it("finds customers by part of the name or email, case-insensitively, taking % literally", async () => {
    const dealer = await createDealer(graph);
    const t = tag();
    await createCustomer(graph, dealer.id, { name: `Zoe Quinn ${t}`, email: `zq-${t}@mail.example` });
    await createCustomer(graph, dealer.id, { name: `Max 100% ${t}`, email: `max-${t}@mail.example` });
    const search = async (s: string) => {
      const { customers } = await graph.query(
        graphql(`query PartnersCustomersEdges($s: String) { customers(filter: { search: $s }) { edges { node { name } } } }`),
        { s },
      );
      return customers.edges.map((e) => e.node.name);
    };
    expect(await search(`zoe quinn ${t}`)).toEqual([`Zoe Quinn ${t}`]);
    expect(await search(`ZQ-${t}@MAIL`)).toEqual([`Zoe Quinn ${t}`]);
    expect(await search(`100% ${t}`)).toEqual([`Max 100% ${t}`]);
    expect(await search(`% ${t}`)).toEqual([`Max 100% ${t}`]);
  });

  it.each([
    { problem: "an unknown home dealer", change: { homeDealerId: "dlr_nope" }, code: "DEALER_NOT_FOUND", field: ["homeDealerId"] },
    { problem: "clearing the name", change: { name: null }, code: "REQUIRED", field: ["name"] },
    { problem: "a business without a company name", change: { kind: "BUSINESS" as const }, code: "COMPANY_NAME_REQUIRED", field: ["companyName"] },
    { problem: "a stale version", change: { version: 0, name: "Too late" }, code: "STALE_VERSION", field: ["version"] },
  ])("refuses an update with $problem and keeps the customer as it was", async ({ change, code, field }) => {
    // given
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id, { name: "Unchanged Customer" });
    // when
    const { updateCustomer } = await graph.query(
      graphql(`mutation PartnersUpdateCustomer($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id } errors { code field } } }`),
      { input: { id: customer.id, version: customer.version, ...change } },
    );
    // then
    expect(updateCustomer).toEqual({ customer: null, errors: [expect.objectContaining({ code, field })] });
    const { customer: stored } = await graph.query(graphql(`query PartnersCustomer($id: ID!) { customer(id: $id) { name kind version homeDealer { id } } }`), {
      id: customer.id,
    });
    expect(stored).toEqual({ name: "Unchanged Customer", kind: "CONSUMER", version: 1, homeDealer: { id: dealer.id } });
  });

  it("clears a customer's optional contact details when set to null", async () => {
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id, { phone: "+49 30 1234567" });
    const { updateCustomer } = await graph.query(
      graphql(
        `mutation PartnersUpdateCustomerContact($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { email phone version } errors { code } } }`,
      ),
      { input: { id: customer.id, version: 1, email: null, phone: null } },
    );
    expect(updateCustomer).toEqual({ customer: { email: null, phone: null, version: 2 }, errors: [] });
  });

  it("lists a dealer's customers and moves a customer to another home dealer", async () => {
    const [first, second] = [await createDealer(graph), await createDealer(graph)];
    const customer = await createCustomer(graph, first!.id);
    const { updateCustomer } = await graph.query(
      graphql(
        `mutation PartnersMoveCustomer($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { version homeDealer { id } } errors { code } } }`,
      ),
      { input: { id: customer.id, version: 1, homeDealerId: second!.id } },
    );
    expect(updateCustomer).toEqual({ customer: { version: 2, homeDealer: { id: second!.id } }, errors: [] });
    const listOf = async (homeDealerId: string) =>
      (
        await graph.query(graphql(`query PartnersCustomersEdges2($d: ID) { customers(filter: { homeDealerId: $d }) { edges { node { id } } } }`), {
          d: homeDealerId,
        })
      ).customers.edges.map((e) => e.node.id);
    expect(await listOf(first!.id)).toEqual([]);
    expect(await listOf(second!.id)).toEqual([customer.id]);
  });
});

describe("events", () => {
  /** What partners told other subgraphs about one aggregate, oldest first. */
  const eventsOf = async (aggregateId: string) =>
    (await outboxEvents(handle.db, "partners", [aggregateId])).map(({ type, dealerId, payload }) => ({ type, dealerId, payload }));

  it("tells a technician's service center, skills and activity, and nothing personal", async () => {
    // given
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    const technician = await create(graph, "createTechnician", "technician", {
      serviceCenterId: center.id,
      name: "Ida",
      email: "ida@center.example",
      phone: "+49 30 555",
      skills: ["Dishwashers"],
    });
    // when
    await graph.query(
      graphql(`mutation PartnersUpdateTechnicianErrors($input: UpdateTechnicianInput!) { updateTechnician(input: $input) { errors { code } } }`),
      {
        input: { id: technician.id, version: 1, active: false },
      },
    );
    // then
    const payload = { id: technician.id, serviceCenterId: center.id, skills: ["dishwashers"] };
    expect(await eventsOf(technician.id)).toEqual([
      { type: "technician.created", dealerId: center.id, payload: { ...payload, version: 1, active: true } },
      { type: "technician.updated", dealerId: center.id, payload: { ...payload, version: 2, active: false } },
    ]);
  });

  it("tells a customer's area, its location rounded to about a kilometre, and nothing else of where or who the customer is", async () => {
    // given
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id, { name: "Ola Nowak", location: { latitude: 52.51637, longitude: -13.37774 } });
    // when: the location is forgotten
    await graph.query(graphql(`mutation PartnersUpdateCustomerErrors($input: UpdateCustomerInput!) { updateCustomer(input: $input) { errors { code } } }`), {
      input: { id: customer.id, version: 1, location: null },
    });
    // then
    const payload = { id: customer.id, kind: "CONSUMER", homeDealerId: dealer.id, relationshipLevel: "BASIC", contactConsent: { phone: true, email: true } };
    expect(await eventsOf(customer.id)).toEqual([
      { type: "customer.created", dealerId: dealer.id, payload: { ...payload, version: 1, area: { latitude: 52.52, longitude: -13.38 } } },
      { type: "customer.updated", dealerId: dealer.id, payload: { ...payload, version: 2, area: null } },
    ]);
  });
});
