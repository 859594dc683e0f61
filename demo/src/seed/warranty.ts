/** Warranty terms, contract plans, service contracts and their visits, and warranty claims (warranty subgraph). */
import type { Logger } from "@aftersales/kit";
import type { DemoClaimLine } from "../warranty.js";
import type { DemoWorld } from "../world.js";
import type { BatchClient } from "./client.js";
import { claim, contract, customer, dealer, plan, product, unit, type Operation, type Refs } from "./operations.js";

export function policyOps(world: DemoWorld): Operation[] {
  return world.warranty.policies.map(({ productSku, ...terms }) => ({
    label: `warranty policy of ${productSku}`,
    mutation: "setWarrantyPolicy",
    inputType: "SetWarrantyPolicyInput",
    needs: [product(productSku)],
    input: (refs) => ({ productId: refs.id(product(productSku)), ...terms }),
  }));
}

export function planOps(world: DemoWorld): Operation[] {
  return world.warranty.plans.map(({ key, ...input }) => ({
    label: `contract plan ${input.name}`,
    mutation: "createContractPlan",
    inputType: "CreateContractPlanInput",
    needs: [],
    input: () => input,
    creates: { field: "plan", as: plan(key) },
  }));
}

/** Every contract drafted, then every one activated (a request holds one kind of mutation). */
export function contractOps(world: DemoWorld): Operation[] {
  const { contracts } = world.warranty;
  const label = (c: (typeof contracts)[number]) => `service contract ${c.key} (${c.plan} for ${c.serialNumbers.join(", ")})`;
  return [
    ...contracts.map(
      (c): Operation => ({
        label: label(c),
        mutation: "createServiceContract",
        inputType: "CreateServiceContractInput",
        needs: [plan(c.plan), customer(c.customer), dealer(c.dealer), ...c.serialNumbers.map(unit)],
        input: (refs) => ({
          planId: refs.id(plan(c.plan)),
          customerId: refs.id(customer(c.customer)),
          dealerId: refs.id(dealer(c.dealer)),
          unitIds: c.serialNumbers.map((serialNumber) => refs.id(unit(serialNumber))),
          startsOn: c.startsOn,
        }),
        creates: { field: "contract", as: contract(c.key), also: ["number"] },
      }),
    ),
    ...contracts.map(
      (c): Operation => ({
        label: `activation of ${label(c)}`,
        mutation: "activateServiceContract",
        inputType: "ActivateServiceContractInput",
        needs: [contract(c.key)],
        input: (refs) => ({ id: refs.id(contract(c.key)), version: refs.get(contract(c.key)).version }),
        creates: { field: "contract", as: contract(c.key), also: ["number"] },
      }),
    ),
  ];
}

/** The daily planning run, once: overdue visits of contracts that started in the past are missed, the next ones created. */
export const planningOp: Operation = {
  label: "maintenance planning",
  mutation: "planMaintenance",
  inputType: "PlanMaintenanceInput",
  needs: [],
  input: () => ({}),
};

export function claimOps(world: DemoWorld): Operation[] {
  return world.warranty.claims.map((c) => {
    const parts = c.lines.flatMap((line) => (line.kind === "PART" ? [product(line.partSku)] : []));
    const lineInput = (line: DemoClaimLine, refs: Refs) => {
      switch (line.kind) {
        case "PART":
          return { kind: line.kind, partId: refs.id(product(line.partSku)), quantity: line.quantity, claimed: line.claimed };
        case "LABOR":
          return { kind: line.kind, hours: line.hours, claimed: line.claimed };
        case "TRAVEL":
          return { kind: line.kind, km: line.km, claimed: line.claimed };
      }
    };
    return {
      label: `warranty claim ${c.key} (${c.failureCode} on ${c.serialNumber} by ${c.workshop})`,
      mutation: "fileWarrantyClaim",
      inputType: "FileWarrantyClaimInput",
      needs: [dealer(c.workshop), ...parts],
      input: (refs: Refs) => ({
        serialNumber: c.serialNumber,
        dealerId: refs.id(dealer(c.workshop)),
        failureOn: c.failureOn,
        repairOn: c.repairOn,
        failureCode: c.failureCode,
        lines: c.lines.map((line) => lineInput(line, refs)),
      }),
      creates: { field: "claim", as: claim(c.key), also: ["number", "status"] },
    };
  });
}

/**
 * Adjudication is the warranty subgraph's: a claim it decides otherwise than
 * the world expects is said in the log (the demo test fails on it), not
 * refused, since the claim itself was filed.
 */
export function warnAboutUnexpectedClaims(world: DemoWorld, client: BatchClient, logger: Logger | undefined): void {
  for (const c of world.warranty.claims) {
    const filed = client.refs.get(claim(c.key)).also;
    if (filed?.["status"] !== c.status) {
      logger?.warn(
        { claim: filed?.["number"], serialNumber: c.serialNumber, expected: c.status, status: filed?.["status"] },
        `demo: warranty claim ${c.key} came out ${String(filed?.["status"])}, not ${c.status} (${c.story})`,
      );
    }
  }
}
