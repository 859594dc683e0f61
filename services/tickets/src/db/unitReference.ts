import type { InputChecks } from "@aftersales/kit";
import type { TicketErrorCode } from "../domain/errors.js";
import type { Loaders } from "./loaders.js";
import type { KnownUnitRow } from "./schema.js";

/**
 * A unit named by `unitId` or by `serialNumber` (at most one of them; the
 * ambiguity is refused), as the tickets subgraph knows it, or as the catalog
 * has it now when the copy's is not `acceptable`. Returns the unit
 * (null when none was named or none has that reference) and the field that
 * named it, for the refusal the caller words.
 */
export async function unitByReference(
  checks: InputChecks<TicketErrorCode>,
  loaders: Loaders,
  input: { unitId?: string | null; serialNumber?: string | null },
  what: string,
  acceptable: (unit: KnownUnitRow) => boolean,
): Promise<{ named: string | null; field: "unitId" | "serialNumber"; unit: KnownUnitRow | null }> {
  const unitId = input.unitId?.trim() || null;
  const serialNumber = input.serialNumber?.trim() || null;
  if (unitId && serialNumber) checks.add("UNIT_REFERENCE_AMBIGUOUS", `Give the ${what} by \`unitId\` or by \`serialNumber\`, not both.`, ["unitId"]);
  const field = unitId ? "unitId" : "serialNumber";
  // One the copy has but the change cannot take is asked of the catalog first: the copy may be behind.
  const unit = unitId
    ? await loaders.knownUnitById.confirmed(unitId, acceptable)
    : serialNumber
      ? await loaders.knownUnitBySerialNumber.confirmed(serialNumber, acceptable)
      : null;
  return { named: unitId ?? serialNumber, field, unit };
}
