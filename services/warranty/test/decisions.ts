import type { ContractTerms, CoverageDecision } from "../src/domain/coverage.js";

/** Coverage decisions as adjudication and quotes receive them, for their tables of cases. */

/** A unit under warranty on 2025-03-01, installed 2024-06-15, covered for two years. */
export const warranty = (partsShare = 100, laborShare = 100): CoverageDecision => ({
  kind: "WARRANTY",
  onDate: "2025-03-01",
  partsShare,
  laborShare,
  policy: null,
  contract: null,
  startsOn: "2024-06-15",
  endsOn: "2026-06-14",
  reason: null,
  explanation: "The warranty runs from installation on 2024-06-15.",
  warranty: null,
});

/** A service contract's terms, a year from the day after that warranty ends; parts and labor covered unless said. */
export const contractTerms = (overrides: Partial<ContractTerms> = {}): ContractTerms => ({
  id: "SC-1",
  number: "SC-1",
  status: "ACTIVE",
  startsOn: "2026-06-15",
  endsOn: "2027-06-14",
  cancelledFrom: null,
  partsCovered: true,
  laborCovered: true,
  casesLeft: null,
  laborHoursLeft: null,
  ...overrides,
});

/** The same unit on 2026-08-01, under such a contract. */
export const underContract = (overrides: Partial<ContractTerms>): CoverageDecision => {
  const contract = contractTerms(overrides);
  return {
    ...warranty(contract.partsCovered ? 100 : 0, contract.laborCovered ? 100 : 0),
    kind: "CONTRACT",
    onDate: "2026-08-01",
    contract,
    startsOn: contract.startsOn,
    endsOn: contract.endsOn,
  };
};

/** The same unit on 2026-08-01 with nothing covering it. */
export const uncovered: CoverageDecision = {
  ...warranty(0, 0),
  kind: "NONE",
  onDate: "2026-08-01",
  reason: "EXPIRED",
  explanation: "The warranty expired: its last covered day was 2026-06-14.",
};
