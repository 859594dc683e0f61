import {
  dealerToBook,
  findByIdempotencyKey,
  inputHash,
  InputChecks,
  latestPastDate,
  mutationPayload,
  namedRecord,
  requireRole,
  userError,
} from "@aftersales/kit";
import {
  appendHistory,
  claimFailureOnce,
  emitClaimEvent,
  forgetClaim,
  insertClaim,
} from "../../db/claims.js";
import { lockUnitCoverage, nextNumber, recordContractUsage } from "../../db/contracts.js";
import { coverageOf } from "../../db/coverage.js";
import { warrantyClaims, type KnownTicketRow } from "../../db/schema.js";
import { knownUnitFacts } from "../../db/units.js";
import { adjudicateLines, claimOutcome } from "../../domain/adjudication.js";
import {
  approvedLaborHours,
  checkClaimCurrency,
  checkClaimDates,
  checkClaimLines,
  checkFailureCode,
  checkUnitReference,
  contractToCharge,
  FILES_CLAIMS,
  isDecided,
  localNoon,
  MAX_IDEMPOTENCY_KEY,
  workshopAuthorizedOn,
} from "../../domain/claims.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const fileWarrantyClaim: MutationResolvers["fileWarrantyClaim"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, FILES_CLAIMS, "file warranty claims");
  return mutationPayload(
    "claim",
    db,
    async (tx) => {
      const checks = new InputChecks<WarrantyErrorCode>();
      const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], MAX_IDEMPOTENCY_KEY);
      const errorsBeforeDealer = checks.errors.length;
      const dealerId = dealerToBook(checks, identity, input.dealerId, ["dealerId"]);
      const dealerNamed = checks.errors.length === errorsBeforeDealer;
      const reference = checkUnitReference(checks, input);
      checkClaimDates(checks, input.failureOn, input.repairOn, latestPastDate());
      const failureCode = checkFailureCode(checks, input.failureCode);
      const ticketId = checks.optionalText(input.ticketId, ["ticketId"], 64);
      const lines = checkClaimLines(checks, input.lines);
      const hash = inputHash(input);

      // A retry with the same key and input gets the first claim as it was filed;
      // the same key with another input is refused with whatever else is wrong.
      if (key && dealerNamed && !checks.errors.some((e) => e.field?.[0] === "idempotencyKey")) {
        const earlier = await findByIdempotencyKey(tx, warrantyClaims, dealerId, key);
        if (earlier && earlier.inputHash === hash) return earlier;
        if (earlier) {
          checks.add(
            "IDEMPOTENCY_KEY_REUSED",
            `This idempotency key was used for claim ${earlier.number} with another input; use a new key for a new claim.`,
            ["idempotencyKey"],
          );
        }
      }

      // Any dealer may claim for a unit it repaired, whoever sold it: units are not looked up in the caller's scope.
      const unit = reference
        ? await (reference.by === "unitId"
            ? loaders.knownUnitById.load(reference.value)
            : loaders.knownUnitBySerialNumber.load(reference.value))
        : null;
      if (reference && !unit) checks.add("UNIT_NOT_FOUND", `No unit has the ${reference.by} \`${reference.value}\`.`, [reference.by]);
      const dealer = dealerNamed ? await loaders.knownDealerById.load(dealerId) : null;
      if (dealerNamed && !dealer) checks.add("DEALER_NOT_FOUND", `No dealer has the id \`${dealerId}\`.`, ["dealerId"]);
      if (dealer) checkClaimCurrency(checks, lines, dealer.currency);
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
      if (ticket && unit && ticket.unitId !== unit.id) {
        checks.add("TICKET_OF_ANOTHER_UNIT", `Ticket ${ticket.number} is not about the unit ${unit.serialNumber}; name the ticket of this repair.`, ["ticketId"]);
      }
      checks.refuseIfAny();
      if (!unit || !dealer) throw new Error("checks passed without a unit or a dealer");

      // Coverage on the failure date, as the unit's local day: decided at noon there.
      await lockUnitCoverage(tx, unit.id);
      loaders.contractTermsByUnitId.clear(unit.id);
      const partIds = [...new Set(lines.flatMap((line) => (line.partId ? [line.partId] : [])))];
      const [seller, product, ...parts] = await Promise.all([
        loaders.knownDealerById.load(unit.dealerId),
        loaders.knownProductById.load(unit.productId),
        ...partIds.map((partId) => loaders.knownProductById.load(partId)),
      ]);
      const facts = knownUnitFacts(unit, seller?.timeZone ?? null);
      const coverage = await coverageOf(loaders, { id: unit.id, productId: unit.productId, facts }, localNoon(input.failureOn, facts.timeZone), failureCode);

      const number = await nextNumber(tx, "WC", "claim_numbers");
      const duplicateOf = await claimFailureOnce(tx, { unitId: unit.id, failureOn: input.failureOn, claimNumber: number });
      const standardHours = product?.repairStandards.find((standard) => standard.failureCode === failureCode)?.hours ?? null;
      const decisions = adjudicateLines(lines, {
        coverage,
        workshopAuthorized: workshopAuthorizedOn(dealer, input.repairOn),
        duplicateOf,
        billOfMaterials: new Set(product?.billOfMaterials.map((line) => line.partId)),
        // A list price in another currency than the claim's prices nothing: an agent does.
        partListPrices: new Map(
          parts.flatMap((part) => (part && part.currency === dealer.currency ? [[part.id, part.listPrice] as const] : [])),
        ),
        standardHours,
        laborRate: dealer.laborRate,
        currency: dealer.currency,
        // A contract's repairs happen on site: nothing rejects its travel.
        serviceMode: coverage.kind === "WARRANTY" ? (coverage.policy?.serviceMode ?? null) : null,
      });
      const decided = lines.map((line, i) => {
        const decision = decisions[i];
        if (!decision) throw new Error(`line ${i + 1} was not adjudicated`);
        return { ...line, decision };
      });
      const outcome = claimOutcome(decided, dealer.currency);

      const claim = await insertClaim(
        tx,
        {
          number,
          dealerId,
          unitId: unit.id,
          productId: unit.productId,
          ticketId,
          failureOn: input.failureOn,
          repairOn: input.repairOn,
          failureCode,
          status: outcome.status,
          currency: dealer.currency,
          claimedTotal: outcome.claimedTotal,
          approvedTotal: outcome.approvedTotal,
          coverageKind: coverage.kind,
          contractId: coverage.kind === "CONTRACT" ? (coverage.contract?.id ?? null) : null,
          policyId: coverage.policy?.id ?? null,
          duplicateOf,
          idempotencyKey: key,
          inputHash: hash,
          decidedAt: isDecided(outcome.status) ? new Date() : null,
          paidAt: null,
          paymentReference: null,
        },
        decided.map((line, i) => ({
          lineNumber: i + 1,
          dealerId,
          kind: line.kind,
          partId: line.partId,
          quantity: line.quantity,
          hours: line.hours,
          km: line.km,
          currency: dealer.currency,
          claimedAmount: line.claimedAmount,
          status: line.decision.status,
          approvedAmount: line.decision.approvedAmount,
          reason: line.decision.reason,
          explanation: line.decision.explanation,
          decidedBy: "rules",
        })),
      );
      await appendHistory(tx, claim, { action: "FILED", statusAfter: claim.status, comment: null, actor: identity.subject, actorRole: identity.role });

      const contractId = contractToCharge(claim, []);
      if (contractId) {
        const hours = approvedLaborHours(
          decided.map((line) => ({ kind: line.kind, status: line.decision.status, hours: line.hours })),
          standardHours,
        );
        await recordContractUsage(tx, contractId, unit.id, hours);
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
