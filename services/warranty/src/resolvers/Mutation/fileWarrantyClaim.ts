import { findByIdempotencyKey, latestPastDate, mutationPayload, namedRecord, requireRole, userError } from "@aftersales/kit";
import { appendHistory, claimFailureOnce, emitClaimEvent, forgetClaim, insertClaim } from "../../db/claims.js";
import { lockUnitCoverage, nextNumber, recordContractUsage } from "../../db/contracts.js";
import { coverageOf } from "../../db/coverage.js";
import { warrantyClaims, type KnownTicketRow } from "../../db/schema.js";
import { knownUnitFacts } from "../../db/units.js";
import { FILES_CLAIMS, isDecided, localNoon } from "../../domain/claims.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import { checkFiling, checkKeyReuse, checkRepairTicket, checkUnitAndDealer, decideFiling, filedClaim, mayLookUpKey } from "../../domain/filing.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const fileWarrantyClaim: MutationResolvers["fileWarrantyClaim"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, FILES_CLAIMS, "file warranty claims");
  return mutationPayload(
    "claim",
    db,
    async (tx) => {
      const filing = checkFiling(identity, input, latestPastDate());
      const { checks, dealerId, dealerNamed, unit: reference, ticketId } = filing;

      // A retry with the same key and input gets the first claim as it was filed.
      if (mayLookUpKey(filing)) {
        const earlier = await findByIdempotencyKey(tx, warrantyClaims, dealerId, filing.key!);
        if (earlier && earlier.inputHash === filing.hash) return earlier;
        checkKeyReuse(filing, earlier ?? null);
      }

      // Any dealer may claim for a unit it repaired, whoever sold it: units are not looked up in the caller's scope.
      const unit = reference
        ? await (reference.by === "unitId" ? loaders.knownUnitById.load(reference.value) : loaders.knownUnitBySerialNumber.load(reference.value))
        : null;
      const dealer = dealerNamed ? await loaders.knownDealerById.load(dealerId) : null;
      checkUnitAndDealer(filing, unit, dealer);
      // The repair's ticket is the filer's: its own, or one it worked as the service center.
      const filersTicket = (t: KnownTicketRow) => t.dealerId === dealerId || t.serviceCenterId === dealerId;
      const ticket =
        ticketId && dealerNamed
          ? namedRecord(
              checks,
              { id: ticketId, row: await loaders.knownTicketById.confirmed(ticketId, (t) => filersTicket(t) && t.unitId === unit?.id), mayActOn: filersTicket },
              { code: "TICKET_NOT_FOUND", what: "ticket", field: ["ticketId"] },
            )
          : null;
      checkRepairTicket(filing, ticket, unit);
      checks.refuseIfAny();
      if (!unit || !dealer) throw new Error("checks passed without a unit or a dealer");

      // Coverage on the failure date, as the unit's local day: decided at noon there.
      await lockUnitCoverage(tx, unit.id);
      loaders.contractTermsByUnitId.clear(unit.id);
      const partIds = [...new Set(filing.lines.flatMap((line) => (line.partId ? [line.partId] : [])))];
      const [seller, product, ...parts] = await Promise.all([
        loaders.knownDealerById.load(unit.dealerId),
        loaders.knownProductById.load(unit.productId),
        ...partIds.map((partId) => loaders.knownProductById.load(partId)),
      ]);
      const facts = knownUnitFacts(unit, seller?.timeZone ?? null);
      const coverage = await coverageOf(
        loaders,
        { id: unit.id, productId: unit.productId, facts },
        localNoon(input.failureOn, facts.timeZone),
        filing.failureCode,
      );
      const number = await nextNumber(tx, "WC", "claim_numbers");
      const duplicateOf = await claimFailureOnce(tx, { unitId: unit.id, failureOn: input.failureOn, claimNumber: number });

      const decision = decideFiling(filing, { dealer, product: product ?? null, parts, coverage, duplicateOf, repairOn: input.repairOn });
      const record = filedClaim(filing, decision, { number, unit, dealer, coverage, duplicateOf, failureOn: input.failureOn, repairOn: input.repairOn });
      const claim = await insertClaim(tx, record.claim, record.lines);
      await appendHistory(tx, claim, { action: "FILED", statusAfter: claim.status, comment: null, actor: identity.subject, actorRole: identity.role });
      if (decision.contractUsage) {
        await recordContractUsage(tx, decision.contractUsage.contractId, unit.id, decision.contractUsage.hours);
        loaders.contractTermsByUnitId.clear(unit.id);
      }
      await emitClaimEvent(tx, "claim.filed", claim);
      if (isDecided(claim.status)) await emitClaimEvent(tx, "claim.adjudicated", claim);
      forgetClaim(loaders, claim);
      return claim;
    },
    {
      // Only reachable when two requests with the same key race past the key's lock (they cannot: see findByIdempotencyKey).
      warranty_claims_idempotency_key: () =>
        userError<WarrantyErrorCode>("IDEMPOTENCY_KEY_REUSED", "This idempotency key is in use by another request; retry to get its result.", [
          "idempotencyKey",
        ]),
    },
  );
};
