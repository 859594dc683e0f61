/** Dealers and service centers, their technicians, and the customers (partners subgraph). */
import type { DemoDealer, DemoWorld } from "../world.js";
import { customer, dealer, technician, type Operation } from "./operations.js";

export function dealerOps(world: DemoWorld): Operation[] {
  return world.dealers.map((d: DemoDealer) => {
    const { key, warrantyWorkshop, ...input } = d;
    return {
      label: `dealer ${key} (${d.name})`,
      mutation: "createDealer",
      inputType: "CreateDealerInput",
      needs: [],
      input: () => ({
        ...input,
        ...(warrantyWorkshop
          ? { warrantyWorkshop: { authorizedFrom: warrantyWorkshop.authorizedFrom, authorizedUntil: warrantyWorkshop.authorizedUntil } }
          : {}),
      }),
      creates: { field: "dealer", as: dealer(key) },
    };
  });
}

export function technicianOps(world: DemoWorld): Operation[] {
  return world.technicians.map(({ key, serviceCenter, ...input }) => ({
    label: `technician ${key} (${input.name})`,
    mutation: "createTechnician",
    inputType: "CreateTechnicianInput",
    needs: [dealer(serviceCenter)],
    input: (refs) => ({ ...input, serviceCenterId: refs.id(dealer(serviceCenter)) }),
    creates: { field: "technician", as: technician(key) },
  }));
}

export function customerOps(world: DemoWorld): Operation[] {
  return world.customers.map(({ key, homeDealer, profile: _profile, location, ...input }) => ({
    label: `customer ${key} (${input.companyName ?? input.name})`,
    mutation: "createCustomer",
    inputType: "CreateCustomerInput",
    needs: [dealer(homeDealer)],
    input: (refs) => ({ ...input, ...(location ? { location } : {}), homeDealerId: refs.id(dealer(homeDealer)) }),
    creates: { field: "customer", as: customer(key) },
  }));
}
