import { addDays, todayUtc } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractPlanInput, create, customerInput, dealerInput, productInput, tag, ticketInput, warrantyPolicyInput } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";
import { succeed } from "./src/tenants.js";

/**
 * A change that names another subgraph's record (a customer, a unit, a
 * ticket) is checked against the copy the subgraph keeps from events, and
 * against the record's owner while the copy lacks it. These graphs hand on
 * no events at all, so every copy stays empty and each check can only pass
 * by asking the owner: what a partner meets when it uses a record in the
 * request right after the one that created it, before the event arrives.
 */

let graph: TestGraph;
let dealerId: string;
let partner: Client;
let productId: string;
let planId: string;

beforeAll(async () => {
  graph = await startGraph({ relay: false });
  // given: a dealer, a product with its warranty terms and a contract plan, all created a moment ago
  dealerId = (await create(graph, "createDealer", "dealer", dealerInput())).id;
  productId = (await create(graph, "createProduct", "product", productInput())).id;
  await create(graph, "setWarrantyPolicy", "policy", warrantyPolicyInput(productId));
  planId = (await create(graph, "createContractPlan", "plan", contractPlanInput())).id;
  partner = graph.as({ role: "DEALER", dealerId });
});
afterAll(() => graph?.stop());

const today = todayUtc();

describe("records used in the request after the one that created them", () => {
  it("sells, services, covers, claims for and hears about a unit for a customer created a moment ago", async () => {
    // when the dealer's system creates a customer, then at once registers and sells a unit to them
    const { customer } = await succeed<{ customer: { id: string } }>(partner, "createCustomer", "customer { id }", customerInput(dealerId));
    const { unit } = await succeed<{ unit: { id: string; serialNumber: string } }>(partner, "registerUnit", "unit { id serialNumber }", {
      serialNumber: `SN-${tag()}`,
      productId,
      registeredOn: addDays(today, -3),
    });
    const sold = await succeed<{ unit: { status: string; customer: { id: string; name: string } } }>(
      partner,
      "sellUnit",
      "unit { status customer { id name } }",
      { unitId: unit.id, customerId: customer.id, price: { amount: "1299.00", currency: "EUR" }, soldOn: addDays(today, -2) },
    );
    // and opens a ticket about it, makes a contract for it, files a claim for the repair and records a complaint
    const { ticket } = await succeed<{ ticket: { id: string; customer: { id: string }; unit: { id: string } } }>(
      partner,
      "openTicket",
      "ticket { id customer { id } unit { id } }",
      ticketInput(customer.id, { unitId: unit.id }),
    );
    const { contract } = await succeed<{ contract: { customer: { id: string }; units: { unit: { id: string } }[] } }>(
      partner,
      "createServiceContract",
      "contract { customer { id } units { unit { id } } }",
      { planId, customerId: customer.id, unitIds: [unit.id], startsOn: today },
    );
    const { claim } = await succeed<{ claim: { ticketId: string | null; unit: { serialNumber: string } } }>(
      partner,
      "fileWarrantyClaim",
      "claim { ticketId unit { serialNumber } }",
      {
        unitId: unit.id,
        ticketId: ticket.id,
        failureOn: addDays(today, -1),
        repairOn: today,
        failureCode: "E04-PUMP",
        lines: [{ kind: "LABOR", hours: 1, claimed: { amount: "85.00", currency: "EUR" } }],
      },
    );
    const { feedback } = await succeed<{ feedback: { ticket: { id: string } | null; customer: { id: string } | null } }>(
      partner,
      "recordFeedback",
      "feedback { ticket { id } customer { id } }",
      { kind: "COMPLAINT", ticketId: ticket.id, comment: "The pump is loud again." },
    );

    // then every step took the records at once, as the dealer's own
    expect(sold.unit).toEqual({ status: "SOLD", customer: { id: customer.id, name: expect.any(String) } });
    expect(ticket).toMatchObject({ customer: { id: customer.id }, unit: { id: unit.id } });
    expect(contract).toEqual({ customer: { id: customer.id }, units: [{ unit: { id: unit.id } }] });
    expect(claim).toEqual({ ticketId: ticket.id, unit: { serialNumber: unit.serialNumber } });
    expect(feedback).toEqual({ ticket: { id: ticket.id }, customer: { id: customer.id } });
  });

  it("refuses a customer of another dealer, created a moment ago, exactly like one that does not exist", async () => {
    // given: another dealer's customer, created a moment ago, and a unit in this dealer's stock
    const otherDealer = (await create(graph, "createDealer", "dealer", dealerInput())).id;
    const foreign = (await create(graph, "createCustomer", "customer", customerInput(otherDealer))).id;
    const madeUp = `cus_${"0".repeat(26)}`;
    const sell = async (customerId: string) => {
      const { unit } = await succeed<{ unit: { id: string } }>(partner, "registerUnit", "unit { id }", {
        serialNumber: `SN-${tag()}`,
        productId,
        registeredOn: addDays(today, -3),
      });
      const answer = await partner.request(
        graphql(`mutation ReferencesSellUnit($input: SellUnitInput!) { sellUnit(input: $input) { unit { id } errors { code message } } }`),
        { input: { unitId: unit.id, customerId, price: { amount: "10.00", currency: "EUR" }, soldOn: today } },
      );
      return JSON.parse(JSON.stringify(answer).replaceAll(customerId, "<customer>"));
    };
    // when the dealer sells a unit to each
    // then both are refused the same way
    expect(await sell(foreign)).toEqual(await sell(madeUp));
    expect(await sell(foreign)).toEqual({
      data: { sellUnit: { unit: null, errors: [{ code: "CUSTOMER_NOT_FOUND", message: "No customer has the id `<customer>`." }] } },
    });
  });
});
