import type { TicketKind } from "./ticket.js";

/**
 * Dispatch, with no database: which service center (and technician) a
 * ticket that needs a visit goes to, and a record of why, so an agent can
 * check the choice or override it.
 */

/** Kinds of work done at the customer's unit. */
export const VISIT_KINDS: readonly TicketKind[] = ["REPAIR", "INSTALLATION", "MAINTENANCE"];

/** A ticket is dispatched when its work is done at a unit it names. */
export const needsVisit = (kind: TicketKind, unitId: string | null): boolean => unitId !== null && VISIT_KINDS.includes(kind);

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface ServiceCenterFacts extends GeoPoint {
  id: string;
  name: string;
  serviceRadiusKm: number;
}

export interface TechnicianFacts {
  id: string;
  serviceCenterId: string;
  skills: readonly string[];
  active: boolean;
}

export const DISPATCH_OUTCOMES = ["CHOSEN", "MORE_OPEN_WORK", "FARTHER", "TIE", "NO_SKILLED_TECHNICIAN"] as const;
export type DispatchOutcome = (typeof DISPATCH_OUTCOMES)[number];

export interface DispatchCandidate {
  serviceCenterId: string;
  distanceKm: number;
  openTickets: number;
  skilledTechnicians: number;
  outcome: DispatchOutcome;
}

export interface DispatchOverride {
  serviceCenterId: string;
  reason: string;
  actor: string;
  at: string;
}

/** What dispatch decided, as stored on the ticket (times as ISO strings). */
export interface DispatchDecision {
  decidedAt: string;
  actor: string;
  serviceCenterId: string | null;
  technicianId: string | null;
  explanation: string;
  candidates: DispatchCandidate[];
  override: DispatchOverride | null;
}

export interface DispatchQuestion {
  /** The customer's area; null when partners knows none. */
  area: GeoPoint | null;
  /** The unit's product category; technicians' skills name categories. */
  category: string;
  /** Authorized service centers (the caller filters kind and authorization). */
  centers: readonly ServiceCenterFacts[];
  technicians: readonly TechnicianFacts[];
  openTicketsByCenter: ReadonlyMap<string, number>;
  openTicketsByTechnician: ReadonlyMap<string, number>;
  at: Date;
  actor: string;
}

const EARTH_RADIUS_KM = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine), in km. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const tenth = (km: number) => Math.round(km * 10) / 10;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Among the centers whose radius covers the customer's area and that have
 * an active technician trained on the category: the least open work, then
 * the nearest, then the lowest id (so the same facts always give the same
 * answer). Its least busy skilled technician (then lowest id) gets the work.
 */
export function decideDispatch(question: DispatchQuestion): DispatchDecision {
  const { area, category, at, actor } = question;
  const decided = (fields: Pick<DispatchDecision, "serviceCenterId" | "technicianId" | "explanation" | "candidates">): DispatchDecision => ({
    decidedAt: at.toISOString(),
    actor,
    override: null,
    ...fields,
  });
  if (!area) {
    return decided({
      serviceCenterId: null,
      technicianId: null,
      explanation: "The customer has no location on file, so no service center can be chosen by distance: add the customer's location, or assign the ticket.",
      candidates: [],
    });
  }

  const skilledAt = (centerId: string) => question.technicians.filter((t) => t.serviceCenterId === centerId && t.active && t.skills.includes(category));
  const inRange = question.centers
    .map((center) => ({ center, distance: distanceKm(center, area) }))
    .filter(({ center, distance }) => center.serviceRadiusKm > 0 && distance <= center.serviceRadiusKm)
    .map(({ center, distance }) => ({
      center,
      distanceKm: tenth(distance),
      exactDistance: distance,
      openTickets: question.openTicketsByCenter.get(center.id) ?? 0,
      skilled: skilledAt(center.id),
    }));
  if (inRange.length === 0) {
    return decided({
      serviceCenterId: null,
      technicianId: null,
      explanation: "No authorized service center's radius covers the customer's area.",
      candidates: [],
    });
  }

  const qualified = inRange
    .filter((c) => c.skilled.length > 0)
    .sort((a, b) => a.openTickets - b.openTickets || a.exactDistance - b.exactDistance || (a.center.id < b.center.id ? -1 : 1));
  const unqualified = inRange.filter((c) => c.skilled.length === 0).sort((a, b) => a.exactDistance - b.exactDistance);
  const [winner] = qualified;
  const outcomeOf = (c: (typeof inRange)[number]): DispatchOutcome => {
    if (c.skilled.length === 0) return "NO_SKILLED_TECHNICIAN";
    if (!winner || c === winner) return "CHOSEN";
    if (c.openTickets > winner.openTickets) return "MORE_OPEN_WORK";
    return c.exactDistance > winner.exactDistance ? "FARTHER" : "TIE";
  };
  const candidates = [...qualified, ...unqualified].map((c) => ({
    serviceCenterId: c.center.id,
    distanceKm: c.distanceKm,
    openTickets: c.openTickets,
    skilledTechnicians: c.skilled.length,
    outcome: outcomeOf(c),
  }));
  if (!winner) {
    const names = unqualified.map((c) => c.center.name).join(", ");
    return decided({
      serviceCenterId: null,
      technicianId: null,
      explanation: `In range: ${names}; none has an active technician trained on \`${category}\`.`,
      candidates,
    });
  }

  const technician = [...winner.skilled].sort(
    (a, b) => (question.openTicketsByTechnician.get(a.id) ?? 0) - (question.openTicketsByTechnician.get(b.id) ?? 0) || (a.id < b.id ? -1 : 1),
  )[0];
  const runnerUp = qualified[1];
  const why = !runnerUp
    ? `the only one of ${plural(inRange.length, "service center")} in range with a technician trained on \`${category}\``
    : runnerUp.openTickets > winner.openTickets
      ? `the least open work of ${plural(qualified.length, "qualified service center")} (next: ${runnerUp.center.name} with ${runnerUp.openTickets})`
      : runnerUp.exactDistance > winner.exactDistance
        ? `as little open work as ${runnerUp.center.name}, and nearer (${runnerUp.distanceKm} km)`
        : `as busy and as near as ${runnerUp.center.name}; the lower id decides`;
  return decided({
    serviceCenterId: winner.center.id,
    technicianId: technician?.id ?? null,
    explanation: `${winner.center.name}: ${plural(winner.openTickets, "open ticket")}, ${winner.distanceKm} km away; ${why}.`,
    candidates,
  });
}
