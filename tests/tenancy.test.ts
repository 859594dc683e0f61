import { addDays, openDatabase, openRequestTransaction, todayUtc, type Database, type DatabaseHandle, type Identity } from "@aftersales/kit";
import { eventConsumers, subgraphs } from "@aftersales/schema";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, registerUnit } from "./src/factories.js";
import { surveyToken } from "./src/feedback.js";
import { assignTicket, moveTicket } from "./src/tickets.js";
import { graphql } from "./src/generated/index.js";
import { identityOf, startGraph, type TestGraph } from "./src/graph.js";

/**
 * Row-level security is the backstop under every subgraph's own dealer
 * filters: these tests go beneath the API and run queries that forget the
 * filter, as the application role, on the test database (PostgreSQL in CI).
 */

let graph: TestGraph;
let handle: DatabaseHandle;
const dealers: string[] = [];

beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
  const equipment = await createProduct(graph);
  const consumable = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" });
  const part = await createProduct(graph, { kind: "SPARE_PART", category: "parts" });
  await graph.settle();
  await graph.query(graphql(`mutation TenancySetWarrantyPolicy($input: SetWarrantyPolicyInput!) { setWarrantyPolicy(input: $input) { errors { code } } }`), {
    input: {
      productId: equipment.id,
      effectiveFrom: "2024-01-01",
      months: 24,
      startBasis: "PURCHASE",
      partsShare: 100,
      laborShare: 100,
      serviceMode: "CARRY_IN",
      transferable: true,
    },
  });
  const plan = await create(graph, "createContractPlan", "plan", {
    name: "Monthly care",
    priceSharePercent: 6,
    responseHours: 8,
    resolutionHours: 24,
    visitsPerYear: 12,
    partsCovered: true,
    laborCovered: true,
  });
  for (let d = 0; d < 2; d++) {
    // Responsible follow-up, so that a low survey answer below puts the customer on the dealer's outreach worklist.
    const dealer = await createDealer(graph, { outreach: { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 30 } });
    dealers.push(dealer.id);
    // A webhook endpoint, so the customers below give it deliveries (and their sending, attempts).
    await create(graph, "registerWebhookEndpoint", "endpoint", {
      dealerId: dealer.id,
      url: `http://127.0.0.1:9/dealer-${d}`,
      eventTypes: ["customer.created"],
    });
    await create(graph, "createTechnician", "technician", { serviceCenterId: dealer.id, name: `Tech ${d}`, skills: ["espresso-machines"] });
    let inStock = null;
    for (let c = 0; c < 2; c++) {
      const customer = await createCustomer(graph, dealer.id);
      inStock = await registerUnit(graph, equipment.id, dealer.id);
      await graph.query(
        graphql(
          `mutation TenancyRecordConsumablePurchase($input: RecordConsumablePurchaseInput!) { recordConsumablePurchase(input: $input) { errors { code } } }`,
        ),
        {
          input: { customerId: customer.id, productId: consumable.id, dealerId: dealer.id, quantity: 2, purchasedOn: "2025-03-01" },
        },
      );
    }
    await graph.query(graphql(`mutation TenancyCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { errors { code } } }`), {
      input: { name: `Dealer ${d}'s ERP`, role: "DEALER", dealerId: dealer.id },
    });
    await graph
      .as({ role: "DEALER", dealerId: dealer.id })
      .query(graphql(`mutation TenancyRegisterOperation($input: RegisterOperationInput!) { registerOperation(input: $input) { errors { code } } }`), {
        // The document registered is data the mutation takes, named per dealer: a string.
        input: { name: "Own", document: `query Own${d} { dealers(first: 1) { edges { cursor } } }` },
      });
    await graph.query(graphql(`mutation TenancySetPartStock($input: SetPartStockInput!) { setPartStock(input: $input) { errors { code } } }`), {
      input: { serviceCenterId: dealer.id, partId: part.id, onHand: 5, reorderPoint: 1, maxLevel: 10 },
    });
    // A sold unit with a contract (and its first visits) and a warranty claim, so every warranty table holds this dealer's rows.
    const owner = await createCustomer(graph, dealer.id);
    const sold = await registerUnit(graph, equipment.id, dealer.id);
    await graph.query(graphql(`mutation TenancySellUnit($input: SellUnitInput!) { sellUnit(input: $input) { errors { code } } }`), {
      input: { unitId: sold.id, customerId: owner.id, price: { amount: "1000.00", currency: "EUR" }, soldOn: "2025-02-01" },
    });
    await graph.settle();
    const contract = await create(graph, "createServiceContract", "contract", {
      planId: plan.id,
      customerId: owner.id,
      dealerId: dealer.id,
      unitIds: [sold.id],
      startsOn: addDays(todayUtc(), -20),
    });
    await graph.query(
      graphql(`mutation TenancyActivateServiceContract($input: ActivateServiceContractInput!) { activateServiceContract(input: $input) { errors { code } } }`),
      {
        input: { id: contract.id, version: contract.version },
      },
    );
    // A ticket with its SLA events, a part used and a loaner lent, and the dealer's own SLA policy: every tickets table.
    const ticket = await create(graph, "openTicket", "ticket", {
      customerId: owner.id,
      unitId: sold.id,
      kind: "REPAIR",
      channel: "PHONE",
      subject: "Pump noise",
      failureCode: "E01-LEAK",
    });
    await graph.settle();
    const parts = await create(graph, "recordTicketParts", "ticket", {
      id: ticket.id,
      version: ticket.version,
      serviceCenterId: dealer.id,
      parts: [{ partId: part.id, quantity: 1 }],
    });
    await create(graph, "issueLoaner", "ticket", { id: ticket.id, version: parts.version, unitId: inStock?.id });
    // A ticket resolved: the insights' resolution rollups.
    const quick = await create(graph, "openTicket", "ticket", { customerId: owner.id, kind: "QUESTION", channel: "PHONE", subject: "Descaling" });
    await moveTicket(graph, await moveTicket(graph, await assignTicket(graph, quick, dealer.id), "IN_PROGRESS"), "RESOLVED");
    await graph.query(graphql(`mutation TenancyRecordFeedback($input: RecordFeedbackInput!) { recordFeedback(input: $input) { errors { code } } }`), {
      input: { kind: "COMPLAINT", ticketId: ticket.id, comment: "Still noisy after the visit." },
    });
    await graph.query(graphql(`mutation TenancySetSlaPolicy($input: SetSlaPolicyInput!) { setSlaPolicy(input: $input) { errors { code } } }`), {
      input: {
        dealerId: dealer.id,
        version: 0,
        pausesOnWaitingParts: true,
        targets: (["P1", "P2", "P3", "P4"] as const).map((priority, i) => ({ priority, responseMinutes: 60 * (i + 1), resolutionMinutes: 480 * (i + 1) })),
      },
    });
    await create(graph, "fileWarrantyClaim", "claim", {
      unitId: sold.id,
      dealerId: dealer.id,
      failureOn: "2025-06-01",
      repairOn: "2025-06-02",
      failureCode: "E01-LEAK",
      lines: [{ kind: "LABOR", hours: 1, claimed: { amount: "85.00", currency: "EUR" } }],
    });
  }
  await graph.settle();
  // A survey for every customer (NPS surveys come due at once here): the feedback subgraph's surveys.
  await graph.query(graphql(`mutation TenancySetSurveyTimings { setSurveyTimings(input: { npsFirstAfterDays: 0 }) { errors { code } } }`));
  await graph.query(graphql(`mutation TenancyOpenDueSurveys { openDueSurveys { opened errors { code } } }`));
  // Each dealer's first survey answered low, with a comment: the satisfaction rollups' cells and a complaint case.
  for (const dealerId of dealers) {
    const { surveys } = await graph
      .as({ role: "DEALER", dealerId })
      .query(graphql(`query TenancySurveys { surveys(first: 1, filter: { statuses: [OPEN] }) { edges { node { link } } } }`));
    const link = surveys.edges[0]?.node.link;
    if (!link) throw new Error(`Dealer ${dealerId} has no open survey to answer.`);
    await graph.query(graphql(`mutation TenancyAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { errors { code } } }`), {
      input: { token: surveyToken(link), score: 2, comment: "Nobody called back about the noise." },
    });
  }
  // The answers reach outreach's copies of them.
  await graph.settle();
  // Nothing listens there: each attempt is recorded as failed, and retried.
  await graph.sendWebhooks();
  // An event each consumer set aside, as the relay parks one it keeps failing on.
  for (const consumer of eventConsumers) {
    await handle.db.execute(
      sql.raw(`insert into "${consumer.name}".event_dead_letters (event_id, producer, type, event, error, attempts)
      values (gen_random_uuid(), 'catalog', 'unit.sold', '{}', 'the handler failed', 10)`),
    );
  }
});

afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

/** Both drivers' raw results as plain rows. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** Runs `work` in a request transaction as `identity`, the way a subgraph runs a request. */
async function asCaller<T>(identity: Identity, work: (tx: Database) => Promise<T>): Promise<T> {
  const request = await openRequestTransaction(handle, identity);
  let result: T;
  try {
    result = await work(request.tx);
  } catch (error) {
    // A failed statement dooms the transaction: its end fails too, but the statement's error is the news.
    await request.end().catch(() => {});
    throw error;
  }
  await request.end();
  return result;
}

const dealer = (index: number) => identityOf({ role: "DEALER", dealerId: dealers[index]! });
const tenantTables = subgraphs.flatMap((subgraph) => Object.entries(subgraph.scopes.tenant).map(([table, scope]) => ({ schema: subgraph.name, table, scope })));

describe("row-level security", () => {
  it("runs requests as a role that neither owns the tables nor bypasses row-level security", async () => {
    const [role] = rowsOf(await handle.db.execute(sql`select rolsuper, rolbypassrls from pg_roles where rolname = 'aftersales_app'`));
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owners = rowsOf(await handle.db.execute(sql`select distinct tableowner from pg_tables where schemaname in ('partners', 'catalog')`));
    expect(owners.map((o) => o.tableowner)).not.toContain("aftersales_app");
  });

  it("forces row-level security on every tenant table", async () => {
    expect(tenantTables.length).toBeGreaterThan(5);
    for (const { schema, table } of tenantTables) {
      const [flags] = rowsOf(
        await handle.db.execute(sql`
          select c.relrowsecurity, c.relforcerowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = ${schema} and c.relname = ${table}`),
      );
      expect(flags, `${schema}.${table}`).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    }
  });

  it("returns only the caller's rows from a query that forgets the dealer filter, in every tenant table", async () => {
    for (const { schema, table, scope } of tenantTables) {
      const all = await asCaller(
        identityOf({ role: "AGENT" }),
        async (tx) => rowsOf(await tx.execute(sql.raw(`select count(*)::int as n from "${schema}"."${table}"`)))[0]!.n as number,
      );
      const own = await asCaller(dealer(0), async (tx) => rowsOf(await tx.execute(sql.raw(`select * from "${schema}"."${table}"`))));
      if (typeof scope === "string") {
        const column = scope.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
        const owners = new Set(own.map((row) => row[scope] ?? row[column]));
        expect([...owners], `${schema}.${table}`).toEqual(own.length ? [dealers[0]] : []);
      }
      if (typeof scope === "object" && scope.visibleWhen === "false" && (scope.writableWhen ?? "false") === "false") {
        // The event relay's own tables: no dealer sees a row of them.
        expect(own.length, `${schema}.${table}`).toBe(0);
        expect(all, `${schema}.${table}`).toBeGreaterThan(0);
        continue;
      }
      // Each dealer holds rows of every tenant table here, so the other's are really left out.
      expect.soft(own.length, `${schema}.${table}`).toBeGreaterThan(0);
      expect.soft(own.length, `${schema}.${table}`).toBeLessThan(all);
    }
  });

  it("keeps a dealer from changing another dealer's rows, even with a statement that names them", async () => {
    const touched = await asCaller(dealer(0), async (tx) =>
      rowsOf(await tx.execute(sql`update partners.customers set phone = '+49 1' where home_dealer_id = ${dealers[1]!} returning id`)),
    );
    expect(touched).toEqual([]);
    await expect(
      asCaller(dealer(0), (tx) =>
        tx.execute(sql`insert into catalog.part_stock (service_center_id, part_id) select ${dealers[1]!}, id from catalog.products limit 1`),
      ),
    ).rejects.toSatisfy((error: Error) => /row-level security/.test(`${error.message} ${String(error.cause)}`));
  });

  it("shows no tenant rows to the application role when no caller was set", async () => {
    const count = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local role aftersales_app`);
      return rowsOf(await tx.execute(sql`select count(*)::int as n from catalog.units`))[0]!.n;
    });
    expect(count).toBe(0);
  });

  it("lets an ANALYST read every dealer's rows but write none", async () => {
    const analyst = identityOf({ role: "ANALYST" });
    const units = await asCaller(analyst, async (tx) => rowsOf(await tx.execute(sql`select distinct dealer_id from catalog.units`)));
    expect(units.map((u) => u.dealer_id)).toEqual(expect.arrayContaining(dealers));
    const changed = await asCaller(analyst, async (tx) => rowsOf(await tx.execute(sql`update catalog.units set dealer_id = dealer_id returning id`)));
    expect(changed).toEqual([]);
  });
});

describe("tenant context", () => {
  it("never leaks from one request to the next on pooled connections, under concurrent requests", async () => {
    // given: far more concurrent requests than the subgraphs have connections, alternating dealers
    const QUERY = graphql(`query TenancyCustomersUnits {
      customers(first: 100) { edges { node { homeDealer { id } } } }
      units(first: 100) { edges { node { dealer { id } } } }
    }`);
    const callers = Array.from({ length: 60 }, (_, i) => i % 2);
    // when
    const answers = await Promise.all(callers.map((d) => graph.as({ role: "DEALER", dealerId: dealers[d]! }).query(QUERY)));
    // then
    answers.forEach((answer, i) => {
      const mine = dealers[callers[i]!];
      expect(answer.customers.edges).toHaveLength(3);
      expect(answer.units.edges).toHaveLength(3);
      expect(new Set([...answer.customers.edges.map((e) => e.node.homeDealer.id), ...answer.units.edges.map((e) => e.node.dealer.id)])).toEqual(
        new Set([mine]),
      );
    });
    // and a connection back in the pool carries no caller
    const settings = rowsOf(await handle.db.execute(sql`select coalesce(current_setting('aftersales.dealer_id', true), '') as dealer, current_user as role`));
    expect(settings[0]).toEqual({ dealer: "", role: expect.not.stringMatching(/^aftersales_app$/) });
  });
});
