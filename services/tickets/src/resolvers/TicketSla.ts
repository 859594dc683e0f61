import { isBreached } from "../db/sla.js";
import type { SlaClockResolvers, SlaPolicyResolvers, TicketSlaResolvers } from "../generated/graphql.js";

export const TicketSla: TicketSlaResolvers = {
  source: ({ ticket }) => ticket.slaSource,
  contractNumber: ({ ticket }) => ticket.slaContractNumber,
  pausesOnWaitingParts: ({ ticket }) => ticket.slaPausesOnWaitingParts,
  calendarOf: ({ ticket }) => ({ id: ticket.slaCalendarDealerId }),
  timeZone: ({ ticket }) => ticket.slaCalendar.timeZone,
  response: ({ readings }) => readings.response,
  resolution: ({ readings }) => readings.resolution,
  breached: ({ readings }) => isBreached(readings),
  events: ({ events }) => events,
};

export const SlaClock: SlaClockResolvers = {
  targetMinutes: (reading) => Math.round(reading.targetSeconds / 60),
  elapsedBusinessSeconds: (reading) => reading.elapsedSeconds,
  pausedBusinessSeconds: (reading) => reading.pausedSeconds,
};

export const SlaPolicy: SlaPolicyResolvers = {
  dealer: (policy) => ({ id: policy.dealerId }),
};
