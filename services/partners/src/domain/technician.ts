import { actsFor, InputChecks } from "@aftersales/kit";
import { repairsProducts, type DealerKind } from "./dealer.js";
import type { PartnerErrorCode } from "./errors.js";

export interface TechnicianDraft {
  serviceCenterId: string;
  name: string;
  email: string | null;
  phone: string | null;
  skills: readonly string[];
  active: boolean;
}

export type CheckedTechnician = TechnicianDraft & { skills: string[] };

/**
 * Checks a technician against the service center it would belong to (null:
 * no such dealer), which a DEALER caller (`dealerScope`: its dealer; null for
 * staff) may only name when it is its own. Skills are product categories,
 * compared case-insensitively, so they are stored lower-case and once each.
 */
export function checkTechnician(
  draft: TechnicianDraft,
  serviceCenter: { id: string; kind: DealerKind } | null,
  dealerScope: string | null,
  checks = new InputChecks<PartnerErrorCode>(),
): CheckedTechnician {
  // Another dealer than a DEALER's own is refused as such whether it exists or not, so the answer tells nothing.
  if (!actsFor(dealerScope, draft.serviceCenterId)) {
    checks.add("NOT_YOUR_DEALER", "A dealer may only add technicians to its own service center.", ["serviceCenterId"]);
  } else if (!serviceCenter) {
    checks.add("DEALER_NOT_FOUND", `No dealer has the id \`${draft.serviceCenterId}\`.`, ["serviceCenterId"]);
  } else if (!repairsProducts(serviceCenter.kind)) {
    checks.add("NOT_A_SERVICE_CENTER", "Technicians belong to a SERVICE_CENTER or BOTH; this dealer only sells.", ["serviceCenterId"]);
  }
  const skills: string[] = [];
  draft.skills.forEach((skill, i) => {
    const normalized = checks.text(skill, ["skills", i], 60).toLowerCase();
    if (normalized && !skills.includes(normalized)) skills.push(normalized);
  });
  const checked: CheckedTechnician = {
    serviceCenterId: draft.serviceCenterId,
    name: checks.text(draft.name, ["name"]),
    email: checks.email(draft.email, ["email"]),
    phone: checks.optionalText(draft.phone, ["phone"], 40),
    skills: skills.sort(),
    active: draft.active,
  };
  checks.refuseIfAny();
  return checked;
}
