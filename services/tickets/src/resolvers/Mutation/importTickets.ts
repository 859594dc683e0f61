import { ALWAYS_OPEN, InputChecks, localDate, mutationPayload, namedCustomer, namedServiceCenter, requireRole, type FieldPath } from "@aftersales/kit";
import { recordImportedTickets, type ImportedTicketDraft } from "../../db/importing.js";
import { findContractCoveringUnit } from "../../db/projections.js";
import { settleSla } from "../../db/sla.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { planTicketHistory, type ImportedHistory } from "../../domain/importing.js";
import { checkOpening, openingSla, type CheckedOpening } from "../../domain/opening.js";
import type { MutationResolvers } from "../../generated/graphql.js";

const MAX_TICKETS = 200;

type Checks = InputChecks<TicketErrorCode>;

/** A row whose own fields passed, waiting for its references to be read. */
interface Row {
  index: number;
  opening: CheckedOpening;
  unitId: string | null;
  serviceCenterId: string | null;
  technicianId: string | null;
  history: ImportedHistory | null;
}

export const importTickets: MutationResolvers["importTickets"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, ["ADMIN"], "import tickets");
  return mutationPayload("tickets", db, async (tx) => {
    const checks: Checks = new InputChecks();
    if (input.tickets.length < 1 || input.tickets.length > MAX_TICKETS) {
      checks.add("OUT_OF_RANGE", `Import 1 to ${MAX_TICKETS} tickets at a time; this has ${input.tickets.length}.`, ["tickets"]);
      checks.refuseIfAny();
    }
    const importedAt = now();
    const rows: Row[] = input.tickets.map((given, index) => {
      const path: FieldPath = ["tickets", index];
      // The opening's own checks name bare fields: they are moved under the row's path.
      const opening = checkOpening({ ...given, idempotencyKey: null });
      const unitId = given.unitId == null ? null : opening.checks.text(given.unitId, ["unitId"], 64);
      const serviceCenterId = given.serviceCenterId == null ? null : opening.checks.text(given.serviceCenterId, ["serviceCenterId"], 64);
      const technicianId = given.technicianId?.trim() || null;
      if (technicianId && !serviceCenterId) opening.checks.add("REQUIRED", "A technician works for a service center: name it too.", ["serviceCenterId"]);
      for (const error of opening.checks.errors) checks.add(error.code, error.message, [...path, ...(error.field ?? [])]);
      const history = planTicketHistory(
        checks,
        {
          openedAt: new Date(given.openedAt),
          assigned: serviceCenterId !== null,
          steps: (given.steps ?? []).map((step) => ({ ...step, at: new Date(step.at) })),
        },
        path,
        importedAt,
      );
      return { index, opening, unitId, serviceCenterId, technicianId, history };
    });

    // References are read together, so the copies (and their owners) are asked in batches; their errors follow in input order.
    const found = await Promise.all(
      rows.map(async (row) => {
        const own = new InputChecks<TicketErrorCode>();
        const at = (field: string): FieldPath => ["tickets", row.index, field];
        const customer = row.opening.customerId
          ? await namedCustomer(own, identity, row.opening.customerId, loaders.knownCustomerById, at("customerId"))
          : null;
        // Only the customer's own units: another's is answered like an id that names nothing.
        const customers = (u: { customerId: string | null }) => customer !== null && u.customerId === customer.id;
        const found = row.unitId ? await loaders.knownUnitById.confirmed(row.unitId, customers) : null;
        const unit = found && customers(found) ? found : null;
        if (row.unitId && customer && !unit) own.add("UNIT_NOT_FOUND", `No unit of this customer has the id \`${row.unitId}\`.`, at("unitId"));
        const center = row.serviceCenterId
          ? await namedServiceCenter(own, identity, row.serviceCenterId, loaders.knownDealerById, at("serviceCenterId"))
          : null;
        const works = (t: { active: boolean; serviceCenterId: string }) => t.active && t.serviceCenterId === row.serviceCenterId;
        const technician = row.technicianId ? await loaders.knownTechnicianById.confirmed(row.technicianId, works) : null;
        if (row.technicianId && (!technician || !works(technician))) {
          own.add("TECHNICIAN_NOT_FOUND", `No active technician of this service center has the id \`${row.technicianId}\`.`, at("technicianId"));
        }
        return { own, customer, unit, center };
      }),
    );
    for (const { own } of found) for (const error of own.errors) checks.add(error.code, error.message, error.field);
    checks.refuseIfAny();

    const drafts: ImportedTicketDraft[] = [];
    for (const row of rows) {
      const { customer, unit, center } = found[row.index]!;
      const history = row.history;
      if (!customer || !history) throw new Error("checks passed without a customer or a history");
      const { openedAt } = history;
      const dealer = await loaders.knownDealerById.load(customer.homeDealerId);
      const dealerCalendar = dealer?.calendar ?? ALWAYS_OPEN;
      const { settings: sla, started } = openingSla(
        row.opening.draft.priority,
        unit ? await findContractCoveringUnit(tx, unit.id, localDate(openedAt, dealerCalendar.timeZone)) : null,
        await loaders.slaPolicyByDealerId.load(customer.homeDealerId),
        center ? { dealerId: center.id, calendar: center.calendar } : { dealerId: customer.homeDealerId, calendar: dealerCalendar },
        openedAt,
      );
      drafts.push({
        values: {
          dealerId: customer.homeDealerId,
          customerId: customer.id,
          unitId: unit?.id ?? null,
          productId: unit?.productId ?? null,
          ...row.opening.draft,
          status: center ? "ASSIGNED" : "NEW",
          serviceCenterId: center?.id ?? null,
          technicianId: center ? row.technicianId : null,
          openedAt,
          resolvedAt: null,
          closedAt: null,
          resolution: null,
          idempotencyKey: null,
          inputHash: null,
          ...sla,
          ...settleSla(sla, started, openedAt).columns,
          dispatch: null,
        },
        started,
        reached: center ? { kind: "ASSIGNED", serviceCenterId: center.id, technicianId: row.technicianId, overridesDispatch: false } : null,
        // Each change at its time, as it was made then: a deadline that ran out before it is recorded as breached then.
        steps: history.steps,
      });
    }
    return recordImportedTickets(tx, identity, drafts, importedAt);
  });
};
