import type { DispatchCandidateResolvers, DispatchOverrideResolvers, TicketDispatchResolvers } from "../generated/graphql.js";

export const TicketDispatch: TicketDispatchResolvers = {
  decidedAt: (decision) => new Date(decision.decidedAt),
  serviceCenter: (decision) => (decision.serviceCenterId ? { id: decision.serviceCenterId } : null),
  technician: (decision) => (decision.technicianId ? { id: decision.technicianId } : null),
};

export const DispatchCandidate: DispatchCandidateResolvers = {
  serviceCenter: (candidate) => ({ id: candidate.serviceCenterId }),
};

export const DispatchOverride: DispatchOverrideResolvers = {
  serviceCenter: (override) => ({ id: override.serviceCenterId }),
  at: (override) => new Date(override.at),
};
