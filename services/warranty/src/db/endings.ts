import type { PayloadIn } from "@aftersales/events";
import { addDays, anyOf, emitEvents, todayUtc, type Database } from "@aftersales/kit";
import { and, between, inArray, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { pricedOffers, WARRANTY_NOTICE_DAYS } from "../domain/ending.js";
import { listPlans } from "./contracts.js";
import { knownUnits, outbox } from "./schema.js";
import { noContractPastWarranty } from "./units.js";

/**
 * Announces the warranties that end within the notice period with no
 * contract to follow (`warranty.ending`), each end once: of `unitIds`, or of
 * every unit (the daily run, which also finds warranties coming within reach
 * and those a contract no longer follows). The plans on offer are priced for
 * each unit, as a contract made today would be; when the plans change
 * (`again`), every such warranty is told again with them. Returns how many
 * were told.
 */
export async function announceWarrantyEndings(tx: Database, unitIds: readonly string[] | null, asOf: string = todayUtc(), again = false): Promise<number> {
  if (unitIds && !unitIds.length) return 0;
  const ending = await tx
    .select()
    .from(knownUnits)
    .where(
      and(
        unitIds ? anyOf(knownUnits.id, unitIds) : undefined,
        isNotNull(knownUnits.customerId),
        between(knownUnits.warrantyEndsOn, asOf, addDays(asOf, WARRANTY_NOTICE_DAYS)),
        again ? undefined : or(isNull(knownUnits.warrantyEndingAnnouncedFor), ne(knownUnits.warrantyEndingAnnouncedFor, knownUnits.warrantyEndsOn)),
        noContractPastWarranty,
      ),
    )
    .orderBy(knownUnits.id);
  if (!ending.length) return 0;
  const plans = await listPlans(tx, false);
  await emitEvents<PayloadIn<"warrantyEnding">>(
    tx,
    outbox,
    ending.map((unit) => ({
      type: "warranty.ending",
      aggregate: "warranty",
      aggregateId: unit.id,
      dealerId: unit.dealerId,
      payload: {
        unitId: unit.id,
        unitVersion: unit.sourceVersion,
        serialNumber: unit.serialNumber,
        productId: unit.productId,
        dealerId: unit.dealerId,
        customerId: unit.customerId!,
        warrantyEndsOn: unit.warrantyEndsOn!,
        offers: pricedOffers(plans, unit.purchasePrice && unit.currency ? { amount: unit.purchasePrice, currency: unit.currency } : null),
      },
    })),
  );
  await tx
    .update(knownUnits)
    .set({ warrantyEndingAnnouncedFor: sql`${knownUnits.warrantyEndsOn}` })
    .where(
      inArray(
        knownUnits.id,
        ending.map((unit) => unit.id),
      ),
    );
  return ending.length;
}
