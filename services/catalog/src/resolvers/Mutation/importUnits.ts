import {
  checkOwnDealer,
  dealerToBook,
  InputChecks,
  latestPastDate,
  mutationPayload,
  namedCustomer,
  namedDealer,
  requireRole,
  userError,
  type FieldPath,
} from "@aftersales/kit";
import { findProductsByIds } from "../../db/products.js";
import { findTakenSerialNumbers, insertImportedUnits } from "../../db/units.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import { SERIAL_NUMBER, SERIAL_NUMBER_RULE } from "../../domain/unit.js";
import { planUnitHistory, type ImportedUnit, type PlannedStep } from "../../domain/unitImport.js";
import type { MutationResolvers } from "../../generated/graphql.js";

const MAX_UNITS = 500;
const MAX_EVENTS = 50;

type Checks = InputChecks<CatalogErrorCode>;

export const importUnits: MutationResolvers["importUnits"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "import units");
  return mutationPayload(
    "units",
    db,
    async (tx) => {
      const checks: Checks = new InputChecks();
      if (input.units.length < 1 || input.units.length > MAX_UNITS) {
        checks.add("OUT_OF_RANGE", `Import 1 to ${MAX_UNITS} units at a time; this has ${input.units.length}.`, ["units"]);
        checks.refuseIfAny();
      }
      // References to other subgraphs' records are checked together, so their copies (and owners) are asked in batches.
      const references: ((checks: Checks) => Promise<unknown>)[] = [];
      const seen = new Set<string>();
      const imports = input.units.map((given, i): ImportedUnit => {
        const at = (...path: (string | number)[]): FieldPath => ["units", i, ...path];
        const serialNumber = given.serialNumber.trim();
        if (!SERIAL_NUMBER.test(serialNumber)) checks.add("INVALID_FORMAT", SERIAL_NUMBER_RULE, at("serialNumber"));
        else if (seen.has(serialNumber)) checks.add("DUPLICATE_SERIAL_NUMBER", `\`${serialNumber}\` is imported twice.`, at("serialNumber"));
        seen.add(serialNumber);
        const dealerId = dealerToBook(checks, identity, given.dealerId, at("dealerId"));
        if (dealerId) references.push((c) => namedDealer(c, identity, dealerId, loaders.knownDealerById, at("dealerId")));
        const events = given.events ?? [];
        if (events.length > MAX_EVENTS) checks.add("OUT_OF_RANGE", `A unit's history takes at most ${MAX_EVENTS} events here.`, at("events"));
        return {
          serialNumber,
          productId: given.productId,
          dealerId,
          registeredOn: given.registeredOn,
          events: events.slice(0, MAX_EVENTS).map((event, j) => {
            const field = (name: string) => at("events", j, name);
            const customerId = event.customerId == null ? null : checks.text(event.customerId, field("customerId"), 64);
            if (customerId) references.push((c) => namedCustomer(c, identity, customerId, loaders.knownCustomerById, field("customerId")));
            const sellerId = event.dealerId == null ? null : checks.text(event.dealerId, field("dealerId"), 64);
            if (sellerId) {
              checkOwnDealer(checks, identity, sellerId, field("dealerId"));
              references.push((c) => namedDealer(c, identity, sellerId, loaders.knownDealerById, field("dealerId")));
            }
            return {
              kind: event.kind,
              occurredOn: event.occurredOn,
              customerId,
              price: event.price ? checks.money(event.price, field("price")) : null,
              sellerId,
              note: checks.optionalText(event.note, field("note"), 2000),
            };
          }),
        };
      });

      const latest = latestPastDate();
      const products = new Map((await findProductsByIds(tx, [...new Set(imports.map((u) => u.productId))])).map((p) => [p.id, p]));
      const taken = new Set(await findTakenSerialNumbers(tx, [...seen]));
      const plans: { unit: ImportedUnit; steps: PlannedStep[] }[] = [];
      imports.forEach((unit, i) => {
        const product = products.get(unit.productId);
        if (!product) checks.add("PRODUCT_NOT_FOUND", `No product has the id \`${unit.productId}\`.`, ["units", i, "productId"]);
        else if (product.kind !== "EQUIPMENT") {
          checks.add("WRONG_PRODUCT_KIND", `Only equipment is serialized; this product is ${product.kind}.`, ["units", i, "productId"]);
        }
        if (taken.has(unit.serialNumber)) {
          checks.add("DUPLICATE_SERIAL_NUMBER", `Another unit has the serial number \`${unit.serialNumber}\`.`, ["units", i, "serialNumber"]);
        }
        if (unit.registeredOn > latest) {
          checks.add("DATE_IN_FUTURE", `${unit.registeredOn} is in the future; record it once it has happened.`, ["units", i, "registeredOn"]);
        }
        const steps = planUnitHistory(checks, unit, ["units", i], latest);
        if (steps) plans.push({ unit, steps });
      });

      // Each reference answers into checks of its own, added in input order, so the list reads the same every time.
      const answers = references.map(() => new InputChecks<CatalogErrorCode>());
      await Promise.all(references.map((check, r) => check(answers[r]!)));
      for (const answer of answers) for (const error of answer.errors) checks.add(error.code, error.message, error.field);
      checks.refuseIfAny();
      return insertImportedUnits(tx, plans);
    },
    {
      // Another import taking the same serial number at the same moment.
      units_serial_number_key: () => userError("DUPLICATE_SERIAL_NUMBER", "Another unit took one of these serial numbers meanwhile.", ["units"]),
    },
  );
};
