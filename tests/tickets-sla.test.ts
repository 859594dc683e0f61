import { addDays, todayUtc } from "@aftersales/kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createContractPlan, createCustomer, createDealer, createProduct, localInstant, soldUnit, tag, WEEKDAYS_9_TO_5 } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type {
  CreateServiceContractInput,
  SetSlaPolicyInput,
  SlaTargetInput,
  TicketsSlaClockFragment,
  TicketsSlaTicketFragment,
} from "./src/generated/graphql.js";
import { startGraph, type Caller, type Client, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { refusals, ticketMutations } from "./src/tickets.js";

/**
 * Tickets' service levels end to end, through the gateway: the targets a
 * ticket is held to (standard, the dealer's policy, or the unit's service
 * contract), its two clocks (first response, resolution) counted in the
 * business hours of whoever works it, pauses, priority changes, breaches and
 * the job that records them, and the lists built on the deadlines.
 *
 * Every subgraph takes `graph.clock` as now, so each test stops the clock at
 * fixed local times in 2026 before opening a ticket and moves it before each
 * change. Expected instants are local times turned into instants with
 * `localInstant`; expected seconds are worked out from the calendar in the
 * comments, so a reader can check them.
 *
 * Unless a test says otherwise a dealer works Monday to Friday, 09:00–17:00,
 * Europe/Berlin; 2026-03-02 is a Monday. Tickets are QUESTIONs about no unit,
 * so no dispatch runs: the ticket's dealer's calendar applies until the
 * ticket is assigned, and the tests assign it to the dealer itself (a
 * service center too) unless they say otherwise.
 */

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());
// The clock is the graph's: no test leaves it stopped for the next.
afterEach(() => graph?.clock.release());

// --- helpers ------------------------------------------------------------------

graphql(`fragment TicketsSlaClock on SlaClock {
  targetMinutes state dueAt elapsedBusinessSeconds pausedBusinessSeconds metAt breachedAt }`);
const TICKET = graphql(`fragment TicketsSlaTicket on Ticket {
  id status priority version openedAt serviceCenter { id } timeline { kind description actor at }
  sla { source contractNumber pausesOnWaitingParts calendarOf { id } timeZone
    response { ...TicketsSlaClock } resolution { ...TicketsSlaClock } breached events { clock kind at } } }`);
const TICKET_BY_ID = graphql(`query TicketsSlaTicketById($id: ID) { ticket(id: $id) { ...TicketsSlaTicket } }`);
type Ticket = TicketsSlaTicketFragment;
type SlaClock = TicketsSlaClockFragment;

graphql(`fragment TicketsSlaPolicy on SlaPolicy {
  dealer { id } source targets { priority responseMinutes resolutionMinutes } pausesOnWaitingParts version }`);

const AGENT: Caller = { role: "AGENT", subject: "agent-anna" };

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";

/** The instant Berlin's clocks read `date` `time`. */
const berlin = (date: string, time: string) => localInstant(date, time, BERLIN);

const HOUR = 3600;

const { succeed } = ticketMutations<Ticket>("...TicketsSlaTicket", TICKET);

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((e) => e.extensions?.["code"]);

interface CalendarOptions {
  timeZone?: string;
  weeklyWindows?: { day: string; opens: string; closes: string }[];
  holidays?: { date: string; name: string }[];
}

/**
 * A dealer (kind BOTH: its own service center) with the given business hours
 * (Monday to Friday 09:00–17:00 in Berlin unless told otherwise), a customer,
 * and a client acting as it; settled, so the tickets subgraph knows them.
 */
async function shop(calendar: CalendarOptions = {}, on: TestGraph = graph) {
  const dealer = await createDealer(on, {
    calendar: { timeZone: calendar.timeZone ?? BERLIN, weeklyWindows: calendar.weeklyWindows ?? WEEKDAYS_9_TO_5, holidays: calendar.holidays ?? [] },
  });
  const customer = await createCustomer(on, dealer.id);
  await on.settle();
  const caller: Caller = { role: "DEALER", dealerId: dealer.id, subject: `dealer-${tag()}` };
  return { dealer: dealer.id, customer: customer.id, caller, as: on.as(caller) };
}
type Shop = Awaited<ReturnType<typeof shop>>;

/** Opens a QUESTION (no unit: nothing to dispatch) for the shop's customer, at the graph clock's now. */
const open = (s: Shop, priority: string, extra: Record<string, unknown> = {}) =>
  succeed(s.as, "openTicket", { customerId: s.customer, kind: "QUESTION", channel: "PHONE", subject: `SLA ${tag()}`, priority, ...extra });

/** Gives the ticket to a service center: the shop itself unless told otherwise. */
const assign = (s: Shop, t: Ticket, serviceCenterId = s.dealer) => succeed(s.as, "assignTicket", { id: t.id, version: t.version, serviceCenterId });

/** Moves the ticket to `status` (saying how, when it is RESOLVED). */
const move = (s: Shop, t: Ticket, status: string) =>
  succeed(s.as, "changeTicketStatus", { id: t.id, version: t.version, status, ...(status === "RESOLVED" ? { resolution: "Answered" } : {}) });

const reprioritize = (s: Shop, t: Ticket, priority: string) =>
  succeed(s.as, "changeTicketPriority", { id: t.id, version: t.version, priority, reason: "Customer called again" });

/** The ticket as `client` reads it now. */
async function read(client: Client, id: string): Promise<Ticket> {
  const { ticket } = await client.query(TICKET_BY_ID, { id });
  if (!ticket) throw new Error(`No ticket ${id}.`);
  return ticket;
}

/** A clock that is running: nothing met, paused, or breached. */
const running = (targetMinutes: number, dueAt: string, elapsedBusinessSeconds: number, pausedBusinessSeconds = 0): SlaClock => ({
  targetMinutes,
  state: "RUNNING",
  dueAt,
  elapsedBusinessSeconds,
  pausedBusinessSeconds,
  metAt: null,
  breachedAt: null,
});

/** Events as [clock, kind, at], in the order the API lists them. */
const eventsOf = (t: Ticket) => t.sla.events.map((e) => [e.clock, e.kind, e.at]);

const idsOf = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

const POLICY_MUTATION = graphql(`mutation TicketsSlaSetPolicy($input: SetSlaPolicyInput!) {
  setSlaPolicy(input: $input) { slaPolicy { ...TicketsSlaPolicy } errors { code field message } } }`);
const POLICY_OF = graphql(`query TicketsSlaDealerPolicy($id: ID!) { dealer(id: $id) { id slaPolicy { ...TicketsSlaPolicy } } }`);

async function setPolicy(client: Client, input: SetSlaPolicyInput) {
  const { setSlaPolicy } = await client.query(POLICY_MUTATION, { input });
  return setSlaPolicy;
}

/** The dealer's SLA policy as `client` reads it through partners' `dealer`, the field contributed by tickets. */
async function policyOf(client: Client, dealerId: string) {
  const { dealer } = await client.query(POLICY_OF, { id: dealerId });
  if (!dealer) throw new Error(`No dealer ${dealerId}.`);
  return dealer.slaPolicy;
}

const STANDARD_TARGETS: SlaTargetInput[] = [
  { priority: "P1", responseMinutes: 60, resolutionMinutes: 480 },
  { priority: "P2", responseMinutes: 240, resolutionMinutes: 960 },
  { priority: "P3", responseMinutes: 480, resolutionMinutes: 2400 },
  { priority: "P4", responseMinutes: 960, resolutionMinutes: 4800 },
];

/** Targets a dealer may set: shorter than the standard ones. */
const OWN_TARGETS: SlaTargetInput[] = [
  { priority: "P1", responseMinutes: 30, resolutionMinutes: 240 },
  { priority: "P2", responseMinutes: 90, resolutionMinutes: 600 },
  { priority: "P3", responseMinutes: 240, resolutionMinutes: 1440 },
  { priority: "P4", responseMinutes: 480, resolutionMinutes: 2880 },
];

// --- targets ------------------------------------------------------------------

describe("SLA targets", () => {
  it("holds a dealer without a policy to the standard targets, in its own calendar, from the instant the ticket was opened", async () => {
    // given a dealer that set no SLA policy
    const s = await shop();
    // when it opens a ticket of each priority on Monday 2026-03-02 at 09:00
    const opened = berlin("2026-03-02", "09:00");
    graph.clock.set(opened);
    const tickets: Ticket[] = [];
    for (const priority of ["P1", "P2", "P3", "P4"]) tickets.push(await open(s, priority));

    // then each has the standard targets
    expect(
      tickets.map((t) => ({ priority: t.priority, responseMinutes: t.sla.response.targetMinutes, resolutionMinutes: t.sla.resolution.targetMinutes })),
    ).toEqual(STANDARD_TARGETS);
    // and is due, in business hours from Monday 09:00:
    //   P1  1 h → Mon 10:00;  8 h = all of Monday → Mon 17:00 (at closing, not at Tuesday's opening)
    //   P2  4 h → Mon 13:00; 16 h = Mon + Tue → Tue 17:00
    //   P3  8 h → Mon 17:00; 40 h = Mon..Fri → Fri 2026-03-06 17:00
    //   P4 16 h → Tue 17:00; 80 h = two weeks → Fri 2026-03-13 17:00
    expect(tickets.map((t) => [t.sla.response.dueAt, t.sla.resolution.dueAt])).toEqual([
      [berlin("2026-03-02", "10:00"), berlin("2026-03-02", "17:00")],
      [berlin("2026-03-02", "13:00"), berlin("2026-03-03", "17:00")],
      [berlin("2026-03-02", "17:00"), berlin("2026-03-06", "17:00")],
      [berlin("2026-03-03", "17:00"), berlin("2026-03-13", "17:00")],
    ]);
    // and both clocks started when it was opened, in the dealer's calendar
    const [p1] = tickets;
    expect(p1!.openedAt).toBe(opened);
    expect(p1!.sla).toEqual({
      source: "STANDARD",
      contractNumber: null,
      pausesOnWaitingParts: false,
      calendarOf: { id: s.dealer },
      timeZone: BERLIN,
      response: running(60, berlin("2026-03-02", "10:00"), 0),
      resolution: running(480, berlin("2026-03-02", "17:00"), 0),
      breached: false,
      events: [
        { clock: "RESPONSE", kind: "STARTED", at: opened },
        { clock: "RESOLUTION", kind: "STARTED", at: opened },
      ],
    });
    // and the dealer's policy reads as the standard targets, never changed
    expect(await policyOf(s.as, s.dealer)).toEqual({
      dealer: { id: s.dealer },
      source: "STANDARD",
      targets: STANDARD_TARGETS,
      pausesOnWaitingParts: false,
      version: 0,
    });
  });

  it("lets a DEALER set its own policy, which holds for the tickets it opens from then on", async () => {
    // given a dealer with a P2 ticket opened under the standard targets
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    const before = await open(s, "P2");

    // when the dealer sets its own targets, and WAITING_PARTS to pause the resolution clock
    const set = await setPolicy(s.as, { dealerId: s.dealer, version: 0, targets: OWN_TARGETS, pausesOnWaitingParts: true });

    // then the policy is saved, version 1, and reads back through the dealer
    const saved = { dealer: { id: s.dealer }, source: "DEALER_POLICY", targets: OWN_TARGETS, pausesOnWaitingParts: true, version: 1 };
    expect(set).toEqual({ slaPolicy: saved, errors: [] });
    expect(await policyOf(s.as, s.dealer)).toEqual(saved);
    expect(await policyOf(graph.as(AGENT), s.dealer)).toEqual(saved);

    // and a P2 ticket opened now is held to it: 90 min → Mon 10:30; 600 min = 10 h = Mon 8 h + Tue 09:00–11:00 → Tue 11:00
    const after = await open(s, "P2");
    expect(after.sla).toMatchObject({
      source: "DEALER_POLICY",
      contractNumber: null,
      pausesOnWaitingParts: true,
      response: running(90, berlin("2026-03-02", "10:30"), 0),
      resolution: running(600, berlin("2026-03-03", "11:00"), 0),
    });
    // while the ticket opened before keeps the standard targets it was opened with
    expect((await read(s.as, before.id)).sla).toMatchObject({
      source: "STANDARD",
      pausesOnWaitingParts: false,
      response: { targetMinutes: 240 },
      resolution: { targetMinutes: 960 },
    });

    // and a change at the version read is saved as version 2
    const longer = OWN_TARGETS.map((t) => ({ ...t, resolutionMinutes: t.resolutionMinutes * 2 }));
    const changed = await setPolicy(s.as, { dealerId: s.dealer, version: 1, targets: longer, pausesOnWaitingParts: false });
    expect(changed).toEqual({ slaPolicy: { ...saved, targets: longer, pausesOnWaitingParts: false, version: 2 }, errors: [] });
  });

  it("refuses another dealer's policy, incomplete targets, a response after its resolution and targets out of range", async () => {
    // given two dealers, the first with a policy at version 1
    const s = await shop();
    const other = await shop();
    const valid = { dealerId: s.dealer, version: 0, targets: OWN_TARGETS, pausesOnWaitingParts: false };
    expect((await setPolicy(s.as, valid)).errors).toEqual([]);
    const attempt = async (input: Partial<SetSlaPolicyInput>) => {
      const payload = await setPolicy(s.as, { ...valid, version: 1, ...input });
      expect(payload.slaPolicy).toBeNull();
      return refusals(payload.errors);
    };

    // when the first sets the other's policy
    expect(await attempt({ dealerId: other.dealer, version: 0 })).toEqual([{ code: "NOT_YOUR_DEALER", field: ["dealerId"] }]);
    // when P4 is left out, or P1 given twice (for P4)
    expect(await attempt({ targets: OWN_TARGETS.slice(0, 3) })).toEqual([{ code: "INCOMPLETE_TARGETS", field: ["targets"] }]);
    expect(await attempt({ targets: [...OWN_TARGETS.slice(0, 3), { ...OWN_TARGETS[0]!, priority: "P1" }] })).toEqual([
      { code: "INCOMPLETE_TARGETS", field: ["targets"] },
    ]);
    // when P2's response (601 min) is longer than its resolution (600 min)
    const late = OWN_TARGETS.map((t) => (t.priority === "P2" ? { ...t, responseMinutes: 601 } : t));
    expect(await attempt({ targets: late })).toEqual([{ code: "RESPONSE_AFTER_RESOLUTION", field: ["targets", "1", "responseMinutes"] }]);
    // when P1 must respond in 0 minutes and P3 resolve in 43201 (30 days of minutes is the most)
    const outOfRange = OWN_TARGETS.map((t) =>
      t.priority === "P1" ? { ...t, responseMinutes: 0 } : t.priority === "P3" ? { ...t, resolutionMinutes: 43_201 } : t,
    );
    expect(await attempt({ targets: outOfRange })).toEqual([
      { code: "OUT_OF_RANGE", field: ["targets", "0", "responseMinutes"] },
      { code: "OUT_OF_RANGE", field: ["targets", "2", "resolutionMinutes"] },
    ]);
    // then the first dealer's policy is as it was, and the other's untouched; nor may a dealer read another's
    expect(await policyOf(s.as, s.dealer)).toMatchObject({ source: "DEALER_POLICY", targets: OWN_TARGETS, version: 1 });
    expect(await policyOf(other.as, other.dealer)).toMatchObject({ source: "STANDARD", version: 0 });
    expect(await policyOf(s.as, other.dealer)).toBeNull();
    // and an ANALYST may not set one at all
    const analyst = await graph.as({ role: "ANALYST" }).request(POLICY_MUTATION, { input: valid });
    expect(codesOf(analyst)).toEqual(["FORBIDDEN"]);
  });

  it("refuses a policy change made on a stale version as STALE_VERSION, changing nothing", async () => {
    // given a dealer whose policy is at version 1
    const s = await shop();
    expect((await setPolicy(s.as, { dealerId: s.dealer, version: 0, targets: OWN_TARGETS, pausesOnWaitingParts: false })).errors).toEqual([]);
    // when it writes over it as if there were none (version 0), or with a version that never was (2)
    for (const version of [0, 2]) {
      const payload = await setPolicy(s.as, { dealerId: s.dealer, version, targets: STANDARD_TARGETS, pausesOnWaitingParts: true });
      // then it is refused like any other change made on a stale version
      expect(payload.slaPolicy, String(version)).toBeNull();
      expect(refusals(payload.errors), String(version)).toEqual([{ code: "STALE_VERSION", field: ["version"] }]);
    }
    // and the policy is as it was
    expect(await policyOf(s.as, s.dealer)).toMatchObject({ targets: OWN_TARGETS, pausesOnWaitingParts: false, version: 1 });
  });
});

// --- business time ------------------------------------------------------------

describe("business time", () => {
  it("counts only business hours: a P2 opened Friday 16:00 is due for a response Monday 12:00", async () => {
    // given a P2 ticket (4 h / 16 h) opened on Friday 2026-03-06 at 16:00
    const s = await shop();
    graph.clock.set(berlin("2026-03-06", "16:00"));
    let ticket = await open(s, "P2");
    // then the response is due after Fri 16:00–17:00 (1 h) + Mon 09:00–12:00 (3 h): Monday 12:00,
    // and the resolution after Fri 1 h + Mon 8 h + Tue 09:00–16:00 (7 h): Tuesday 16:00
    const responseDue = berlin("2026-03-09", "12:00");
    const resolutionDue = berlin("2026-03-10", "16:00");
    expect(ticket.sla.response.dueAt).toBe(responseDue);
    expect(ticket.sla.resolution.dueAt).toBe(resolutionDue);

    // when read on Saturday noon: Friday's last hour counted, the weekend not
    graph.clock.set(berlin("2026-03-07", "12:00"));
    ticket = await read(s.as, ticket.id);
    expect(ticket.sla.response).toEqual(running(240, responseDue, 1 * HOUR));
    expect(ticket.sla.resolution).toEqual(running(960, resolutionDue, 1 * HOUR));

    // when read on Monday 10:30: Fri 1 h + Mon 09:00–10:30 (1.5 h) = 2.5 h = 9000 s
    graph.clock.set(berlin("2026-03-09", "10:30"));
    ticket = await read(s.as, ticket.id);
    expect(ticket.sla.response).toEqual(running(240, responseDue, 9000));

    // when work starts then: the response is met, in time
    ticket = await assign(s, ticket);
    ticket = await move(s, ticket, "IN_PROGRESS");
    expect(ticket.sla.response).toEqual({
      targetMinutes: 240,
      state: "MET",
      dueAt: null,
      elapsedBusinessSeconds: 9000,
      pausedBusinessSeconds: 0,
      metAt: berlin("2026-03-09", "10:30"),
      breachedAt: null,
    });

    // then on Tuesday 15:00 the response clock has stopped where it was met, while the resolution runs on:
    // Fri 1 h + Mon 8 h + Tue 09:00–15:00 (6 h) = 15 h
    graph.clock.set(berlin("2026-03-10", "15:00"));
    ticket = await read(s.as, ticket.id);
    expect(ticket.sla.response).toMatchObject({ state: "MET", elapsedBusinessSeconds: 9000 });
    expect(ticket.sla.resolution).toEqual(running(960, resolutionDue, 15 * HOUR));
    expect(ticket.sla.breached).toBe(false);
  });

  it("skips the calendar's holidays: Easter moves the deadlines from Friday and Monday to Tuesday and Wednesday", async () => {
    // given two dealers, one closed on Good Friday (2026-04-03) and Easter Monday (2026-04-06)
    const easter = await shop({
      holidays: [
        { date: "2026-04-03", name: "Karfreitag" },
        { date: "2026-04-06", name: "Ostermontag" },
      ],
    });
    const noHolidays = await shop();
    // when each opens a P2 ticket (4 h / 16 h) on Thursday 2026-04-02 at 15:00
    graph.clock.set(berlin("2026-04-02", "15:00"));
    const closed = await open(easter, "P2");
    const working = await open(noHolidays, "P2");
    // then the dealer without holidays counts Thu 15:00–17:00 (2 h), then Friday:
    //   response 2 h + Fri 09:00–11:00 → Fri 11:00; resolution 2 h + Fri 8 h + Mon 09:00–15:00 (6 h) → Mon 15:00
    expect([working.sla.response.dueAt, working.sla.resolution.dueAt]).toEqual([berlin("2026-04-03", "11:00"), berlin("2026-04-06", "15:00")]);
    // and the one closed at Easter skips Friday, the weekend and Monday:
    //   response 2 h + Tue 09:00–11:00 → Tue 11:00; resolution 2 h + Tue 8 h + Wed 09:00–15:00 (6 h) → Wed 15:00
    expect([closed.sla.response.dueAt, closed.sla.resolution.dueAt]).toEqual([berlin("2026-04-07", "11:00"), berlin("2026-04-08", "15:00")]);

    // and on Easter Monday at noon it has counted Thursday's 2 hours only
    graph.clock.set(berlin("2026-04-06", "12:00"));
    expect((await read(easter.as, closed.id)).sla.resolution.elapsedBusinessSeconds).toBe(2 * HOUR);
    // while the other has counted Thu 2 h + Fri 8 h + Mon 09:00–12:00 (3 h) = 13 h
    expect((await read(noHolidays.as, working.id)).sla.resolution.elapsedBusinessSeconds).toBe(13 * HOUR);
  });

  it("keeps business hours in local time across the change to summer time (Berlin, 2026-03-29)", async () => {
    // given a P2 ticket (4 h / 16 h) opened on Friday 2026-03-27 at 16:00 in Berlin, still in winter time (UTC+1)
    const s = await shop();
    graph.clock.set(berlin("2026-03-27", "16:00"));
    const ticket = await open(s, "P2");
    // then the response is due Fri 16:00–17:00 (1 h) + Mon 09:00–12:00 (3 h): Monday 12:00 local, now summer time (UTC+2).
    // Counting in UTC with Friday's offset (business hours 08:00–16:00 UTC) would answer Monday 11:00 UTC, i.e. 13:00 local: an hour late.
    expect(ticket.sla.response.dueAt).toBe(berlin("2026-03-30", "12:00"));
    // and the resolution after Fri 1 h + Mon 8 h + Tue 09:00–16:00 (7 h): Tuesday 16:00 local (not 17:00)
    expect(ticket.sla.resolution.dueAt).toBe(berlin("2026-03-31", "16:00"));

    // and on Monday 12:00 local exactly the 4 hours have been counted, the response clock running out just then
    graph.clock.set(berlin("2026-03-30", "12:00"));
    expect((await read(s.as, ticket.id)).sla.response).toEqual(running(240, berlin("2026-03-30", "12:00"), 4 * HOUR));
  });

  it("counts the 23 real hours of the day summer time starts in a calendar open around the clock", async () => {
    // given a dealer open every day 00:00–24:00 in Berlin
    const days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
    const s = await shop({ weeklyWindows: days.map((day) => ({ day, opens: "00:00", closes: "24:00" })) });
    // when it opens a P3 ticket (8 h / 40 h) on Saturday 2026-03-28 at 12:00 and starts work at 13:00
    graph.clock.set(berlin("2026-03-28", "12:00"));
    let ticket = await open(s, "P3");
    graph.clock.set(berlin("2026-03-28", "13:00"));
    ticket = await move(s, await assign(s, ticket), "IN_PROGRESS");
    // then the resolution is due after Sat 12:00–24:00 (12 h) + all of Sunday, which lasts 23 hours (02:00 becomes 03:00),
    // + Mon 00:00–05:00 (5 h): Monday 2026-03-30 05:00 local. Adding 40 hours to the local wall clock would answer 04:00.
    expect(ticket.sla.resolution.dueAt).toBe(berlin("2026-03-30", "05:00"));

    // and on Sunday at noon it has counted Sat 12 h + Sun 00:00–12:00, which is 11 real hours: 23 h, not 24
    graph.clock.set(berlin("2026-03-29", "12:00"));
    expect((await read(s.as, ticket.id)).sla.resolution).toEqual(running(2400, berlin("2026-03-30", "05:00"), 23 * HOUR));
  });

  it("counts the 25 real hours of the day summer time ends in a calendar open around the clock (New York, 2026-11-01)", async () => {
    // given a dealer open every day 00:00–24:00 in New York
    const days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
    const s = await shop({ timeZone: NEW_YORK, weeklyWindows: days.map((day) => ({ day, opens: "00:00", closes: "24:00" })) });
    const newYork = (date: string, time: string) => localInstant(date, time, NEW_YORK);
    // when it opens a P3 ticket (8 h / 40 h) on Saturday 2026-10-31 at 12:00
    graph.clock.set(newYork("2026-10-31", "12:00"));
    const ticket = await open(s, "P3");
    // then the resolution is due after Sat 12:00–24:00 (12 h) + all of Sunday, which lasts 25 hours (02:00 becomes 01:00 again),
    // + Mon 00:00–03:00 (3 h): Monday 2026-11-02 03:00 local. Adding 40 hours to the local wall clock would answer 04:00.
    expect(ticket.sla.timeZone).toBe(NEW_YORK);
    expect(ticket.sla.resolution.dueAt).toBe(newYork("2026-11-02", "03:00"));

    // and on Sunday at noon it has counted Sat 12 h + Sun 00:00–12:00, which is 13 real hours: 25 h, not 24
    graph.clock.set(newYork("2026-11-01", "12:00"));
    expect((await read(s.as, ticket.id)).sla.resolution.elapsedBusinessSeconds).toBe(25 * HOUR);
  });

  it("runs in the assigned service center's calendar once assigned, recomputed from the opening", async () => {
    // given a dealer in Berlin and a service center in New York, both open Monday to Friday 09:00–17:00 local
    const s = await shop();
    const center = await shop({ timeZone: NEW_YORK });
    const newYork = (date: string, time: string) => localInstant(date, time, NEW_YORK);
    // when an agent opens a P2 ticket (4 h / 16 h) for the dealer's customer on Monday 2026-03-02 at 09:00 Berlin time (03:00 in New York)
    const agent = graph.as(AGENT);
    graph.clock.set(berlin("2026-03-02", "09:00"));
    const opened = await succeed(agent, "openTicket", { customerId: s.customer, kind: "QUESTION", channel: "EMAIL", subject: "Descaling", priority: "P2" });
    // then until it is assigned it runs in the dealer's hours: response Mon 13:00, resolution Tue 17:00, Berlin time
    expect(opened.sla).toMatchObject({ calendarOf: { id: s.dealer }, timeZone: BERLIN });
    expect([opened.sla.response.dueAt, opened.sla.resolution.dueAt]).toEqual([berlin("2026-03-02", "13:00"), berlin("2026-03-03", "17:00")]);

    // when the agent gives it to the New York service center at 10:00 Berlin time (04:00 there, before it opens)
    graph.clock.set(berlin("2026-03-02", "10:00"));
    const assigned = await succeed(agent, "assignTicket", { id: opened.id, version: opened.version, serviceCenterId: center.dealer });
    // then it runs in New York's hours from the opening, where nothing has counted yet:
    // response Mon 09:00–13:00 → Mon 13:00 New York time; resolution Mon 8 h + Tue 8 h → Tue 17:00 New York time
    expect(assigned.sla).toMatchObject({
      calendarOf: { id: center.dealer },
      timeZone: NEW_YORK,
      response: running(240, newYork("2026-03-02", "13:00"), 0),
      resolution: running(960, newYork("2026-03-03", "17:00"), 0),
    });
  });
});

// --- pauses -------------------------------------------------------------------

describe("pauses", () => {
  it("pauses the resolution clock while waiting for the customer, over a night and a weekend in business hours only, and moves the deadline on resume", async () => {
    // given a P3 ticket (8 h / 40 h) opened and assigned on Thursday 2026-03-05 at 09:00
    const s = await shop();
    const opened = berlin("2026-03-05", "09:00");
    graph.clock.set(opened);
    let ticket = await assign(s, await open(s, "P3"));
    // (unpaused, the resolution is due after Thu, Fri, Mon, Tue, Wed: Wednesday 2026-03-11 17:00)
    expect(ticket.sla.resolution.dueAt).toBe(berlin("2026-03-11", "17:00"));

    // when work starts at 10:00: the response is met, after 1 h
    graph.clock.set(berlin("2026-03-05", "10:00"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    expect(ticket.sla.response).toMatchObject({ state: "MET", metAt: berlin("2026-03-05", "10:00"), elapsedBusinessSeconds: 1 * HOUR, dueAt: null });

    // when the customer is asked something at 16:00: the resolution clock pauses after 7 h, with no deadline
    graph.clock.set(berlin("2026-03-05", "16:00"));
    ticket = await move(s, ticket, "WAITING_CUSTOMER");
    const paused: SlaClock = {
      targetMinutes: 2400,
      state: "PAUSED",
      dueAt: null,
      elapsedBusinessSeconds: 7 * HOUR,
      pausedBusinessSeconds: 0,
      metAt: null,
      breachedAt: null,
    };
    expect(ticket.sla.resolution).toEqual(paused);

    // then on Monday 10:00 it still stands at 7 h, paused for Thu 16:00–17:00 (1 h) + Fri (8 h) + Mon 09:00–10:00 (1 h) = 10 h:
    // the night and the weekend count for nothing
    graph.clock.set(berlin("2026-03-09", "10:00"));
    expect((await read(s.as, ticket.id)).sla.resolution).toEqual({ ...paused, pausedBusinessSeconds: 10 * HOUR });

    // when the customer answers and work resumes at 11:00: paused 11 h in all, and 40 − 7 = 33 h to go from Mon 11:00:
    // Mon 11:00–17:00 (6 h) + Tue, Wed, Thu (24 h) + Fri 09:00–12:00 (3 h) → Friday 2026-03-13 12:00,
    // which is the unpaused deadline (Wed 17:00) moved on by the 11 paused business hours
    graph.clock.set(berlin("2026-03-09", "11:00"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    expect(ticket.sla.resolution).toEqual(running(2400, berlin("2026-03-13", "12:00"), 7 * HOUR, 11 * HOUR));

    // and the events tell it all, oldest first
    expect(eventsOf(ticket)).toEqual([
      ["RESPONSE", "STARTED", opened],
      ["RESOLUTION", "STARTED", opened],
      ["RESPONSE", "MET", berlin("2026-03-05", "10:00")],
      ["RESOLUTION", "PAUSED", berlin("2026-03-05", "16:00")],
      ["RESOLUTION", "RESUMED", berlin("2026-03-09", "11:00")],
    ]);
  });

  it("closes the pause when a ticket waiting for the customer is resolved straight away", async () => {
    // given a P3 ticket opened Monday 2026-03-02 09:00, worked from 09:30, waiting for the customer from 12:00 (3 h counted)
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let ticket = await assign(s, await open(s, "P3"));
    graph.clock.set(berlin("2026-03-02", "09:30"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    graph.clock.set(berlin("2026-03-02", "12:00"));
    ticket = await move(s, ticket, "WAITING_CUSTOMER");

    // when the customer's answer resolves it on Tuesday 10:00
    const resolvedAt = berlin("2026-03-03", "10:00");
    graph.clock.set(resolvedAt);
    ticket = await move(s, ticket, "RESOLVED");

    // then the pause ends and the clock is met at that instant: paused Mon 12:00–17:00 (5 h) + Tue 09:00–10:00 (1 h) = 6 h
    const met: SlaClock = {
      targetMinutes: 2400,
      state: "MET",
      dueAt: null,
      elapsedBusinessSeconds: 3 * HOUR,
      pausedBusinessSeconds: 6 * HOUR,
      metAt: resolvedAt,
      breachedAt: null,
    };
    expect(ticket.sla.resolution).toEqual(met);
    expect(eventsOf(ticket).slice(-3)).toEqual([
      ["RESOLUTION", "PAUSED", berlin("2026-03-02", "12:00")],
      ["RESOLUTION", "RESUMED", resolvedAt],
      ["RESOLUTION", "MET", resolvedAt],
    ]);
    // and the figures are final: a week later, and once closed, they read the same
    graph.clock.set(berlin("2026-03-09", "12:00"));
    expect((await read(s.as, ticket.id)).sla.resolution).toEqual(met);
    ticket = await move(s, ticket, "CLOSED");
    expect(ticket.sla.resolution).toEqual(met);
    expect(ticket.sla.events).toHaveLength(6);
  });

  it("pauses for WAITING_PARTS only where the dealer's policy says so", async () => {
    // given a dealer with the standard targets (WAITING_PARTS does not pause), and one whose policy, the same targets, says it does
    const plain = await shop();
    const pausing = await shop();
    expect((await setPolicy(pausing.as, { dealerId: pausing.dealer, version: 0, targets: STANDARD_TARGETS, pausesOnWaitingParts: true })).errors).toEqual([]);
    // and a P3 ticket (8 h / 40 h) of each, opened Monday 2026-03-02 09:00, worked from 10:00, waiting for parts from 13:00 (4 h counted)
    const tickets: Ticket[] = [];
    for (const s of [plain, pausing]) {
      graph.clock.set(berlin("2026-03-02", "09:00"));
      let ticket = await assign(s, await open(s, "P3"));
      graph.clock.set(berlin("2026-03-02", "10:00"));
      ticket = await move(s, ticket, "IN_PROGRESS");
      graph.clock.set(berlin("2026-03-02", "13:00"));
      tickets.push(await move(s, ticket, "WAITING_PARTS"));
    }
    const [plainTicket, pausingTicket] = tickets as [Ticket, Ticket];
    expect(plainTicket.sla).toMatchObject({ source: "STANDARD", pausesOnWaitingParts: false });
    expect(pausingTicket.sla).toMatchObject({ source: "DEALER_POLICY", pausesOnWaitingParts: true });

    // when both are read on Tuesday 13:00, still waiting
    graph.clock.set(berlin("2026-03-03", "13:00"));
    // then the first has run on: Mon 8 h + Tue 09:00–13:00 (4 h) = 12 h, still due Friday 2026-03-06 17:00
    expect((await read(plain.as, plainTicket.id)).sla.resolution).toEqual(running(2400, berlin("2026-03-06", "17:00"), 12 * HOUR));
    // and the second stands paused at 4 h, for Mon 13:00–17:00 (4 h) + Tue 09:00–13:00 (4 h) = 8 h
    expect((await read(pausing.as, pausingTicket.id)).sla.resolution).toMatchObject({
      state: "PAUSED",
      dueAt: null,
      elapsedBusinessSeconds: 4 * HOUR,
      pausedBusinessSeconds: 8 * HOUR,
    });

    // when the parts arrive then and work resumes
    const resumed = [await move(plain, plainTicket, "IN_PROGRESS"), await move(pausing, pausingTicket, "IN_PROGRESS")];
    // then the first is due as before, with no pause among its events; the second 8 business hours later: Monday 2026-03-09 17:00
    expect(resumed[0]!.sla.resolution.dueAt).toBe(berlin("2026-03-06", "17:00"));
    expect(eventsOf(resumed[0]!).filter(([clock]) => clock === "RESOLUTION")).toEqual([["RESOLUTION", "STARTED", berlin("2026-03-02", "09:00")]]);
    expect(resumed[1]!.sla.resolution).toEqual(running(2400, berlin("2026-03-09", "17:00"), 4 * HOUR, 8 * HOUR));
    expect(eventsOf(resumed[1]!).filter(([clock]) => clock === "RESOLUTION")).toEqual([
      ["RESOLUTION", "STARTED", berlin("2026-03-02", "09:00")],
      ["RESOLUTION", "PAUSED", berlin("2026-03-02", "13:00")],
      ["RESOLUTION", "RESUMED", berlin("2026-03-03", "13:00")],
    ]);
  });
});

// --- priority -----------------------------------------------------------------

describe("a change of priority", () => {
  it("recomputes the deadlines from the original opening, keeping the pause time already earned", async () => {
    // given a P3 ticket (8 h / 40 h) opened Monday 2026-03-02 09:00, worked from 10:00, waiting for the customer 11:00–14:00
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let ticket = await assign(s, await open(s, "P3"));
    for (const [time, status] of [
      ["10:00", "IN_PROGRESS"],
      ["11:00", "WAITING_CUSTOMER"],
      ["14:00", "IN_PROGRESS"],
    ] as const) {
      graph.clock.set(berlin("2026-03-02", time));
      ticket = await move(s, ticket, status);
    }

    // when it is raised to P1 (1 h / 8 h) at 15:00
    graph.clock.set(berlin("2026-03-02", "15:00"));
    ticket = await reprioritize(s, ticket, "P1");

    // then the resolution has run 09:00–11:00 + 14:00–15:00 = 3 h of 8, paused 3 h, with 5 h to go:
    // Mon 15:00–17:00 (2 h) + Tue 09:00–12:00 (3 h) → Tuesday 12:00
    expect(ticket.priority).toBe("P1");
    expect(ticket.sla.resolution).toEqual(running(480, berlin("2026-03-03", "12:00"), 3 * HOUR, 3 * HOUR));
    // and the response, met at 10:00 after 1 h, is held to the new 1 h: met in time
    expect(ticket.sla.response).toMatchObject({ targetMinutes: 60, state: "MET", metAt: berlin("2026-03-02", "10:00"), breachedAt: null });
    expect(ticket.sla.breached).toBe(false);
  });

  it("breaches a clock at the instant it ran out when the new target has already passed, and the breach stays when the priority is lowered again", async () => {
    // given a P3 ticket opened and assigned Monday 2026-03-02 09:00, with no response yet at noon
    const s = await shop();
    const opened = berlin("2026-03-02", "09:00");
    graph.clock.set(opened);
    let ticket = await assign(s, await open(s, "P3"));

    // when it is raised to P1 at 12:00
    graph.clock.set(berlin("2026-03-02", "12:00"));
    ticket = await reprioritize(s, ticket, "P1");

    // then its 1 h response ran out at 10:00: breached then
    const ranOut = berlin("2026-03-02", "10:00");
    expect(ticket.sla.response).toEqual({
      targetMinutes: 60,
      state: "BREACHED",
      dueAt: ranOut,
      elapsedBusinessSeconds: 3 * HOUR,
      pausedBusinessSeconds: 0,
      metAt: null,
      breachedAt: ranOut,
    });
    // while the 8 h resolution runs on (3 h counted, due Mon 17:00)
    expect(ticket.sla.resolution).toEqual(running(480, berlin("2026-03-02", "17:00"), 3 * HOUR));
    expect(ticket.sla.breached).toBe(true);
    // and the breach is on record, at the instant it happened, by no one
    expect(eventsOf(ticket)).toEqual([
      ["RESPONSE", "STARTED", opened],
      ["RESOLUTION", "STARTED", opened],
      ["RESPONSE", "BREACHED", ranOut],
    ]);
    expect(ticket.timeline.map(({ kind, description, actor, at }) => ({ kind, description, actor, at })).slice(-2)).toEqual([
      { kind: "SLA_BREACHED", description: "The first response target was breached.", actor: "system", at: ranOut },
      { kind: "PRIORITY", description: "Priority raised from P3 to P1.", actor: s.caller.subject, at: berlin("2026-03-02", "12:00") },
    ]);

    // when it is lowered to P3 again (8 h response, which would not have run out yet) and work starts
    graph.clock.set(berlin("2026-03-02", "12:30"));
    ticket = await reprioritize(s, ticket, "P3");
    ticket = await move(s, ticket, "IN_PROGRESS");
    // then the response stays breached at 10:00
    expect(ticket.sla.response).toMatchObject({ targetMinutes: 480, state: "BREACHED", breachedAt: ranOut, metAt: berlin("2026-03-02", "12:30") });
    expect(ticket.sla.breached).toBe(true);
  });
});

// --- breaches -----------------------------------------------------------------

describe("breaches", () => {
  it("keeps a breach through resolution and reopening", async () => {
    // given a P1 ticket (1 h / 8 h) opened Monday 2026-03-02 09:00 and worked from 09:30: its resolution runs out Mon 17:00
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let ticket = await assign(s, await open(s, "P1"));
    graph.clock.set(berlin("2026-03-02", "09:30"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    const ranOut = berlin("2026-03-02", "17:00");

    // when it is resolved on Tuesday 10:00, too late
    graph.clock.set(berlin("2026-03-03", "10:00"));
    ticket = await move(s, ticket, "RESOLVED");
    // then it is met, but breached at Mon 17:00, after Mon 8 h + Tue 09:00–10:00 (1 h) = 9 h
    expect(ticket.sla.resolution).toEqual({
      targetMinutes: 480,
      state: "BREACHED",
      dueAt: ranOut,
      elapsedBusinessSeconds: 9 * HOUR,
      pausedBusinessSeconds: 0,
      metAt: berlin("2026-03-03", "10:00"),
      breachedAt: ranOut,
    });
    // and the breach is on the timeline at Monday 17:00, before the resolution
    expect(ticket.timeline.map(({ kind, at }) => [kind, at]).slice(-2)).toEqual([
      ["SLA_BREACHED", ranOut],
      ["STATUS", berlin("2026-03-03", "10:00")],
    ]);

    // when it is reopened at 11:00 and resolved again at 12:00
    graph.clock.set(berlin("2026-03-03", "11:00"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    expect(ticket.sla.resolution).toMatchObject({ state: "BREACHED", breachedAt: ranOut, metAt: null, pausedBusinessSeconds: 1 * HOUR });
    graph.clock.set(berlin("2026-03-03", "12:00"));
    ticket = await move(s, ticket, "RESOLVED");

    // then it stays breached: 9 h + 11:00–12:00 (1 h) counted, the hour it stood resolved paused
    expect(ticket.sla.resolution).toEqual({
      targetMinutes: 480,
      state: "BREACHED",
      dueAt: ranOut,
      elapsedBusinessSeconds: 10 * HOUR,
      pausedBusinessSeconds: 1 * HOUR,
      metAt: berlin("2026-03-03", "12:00"),
      breachedAt: ranOut,
    });
    expect(ticket.sla.breached).toBe(true);
    // and its clocks' history, in time order
    const byTime = [...eventsOf(ticket)].sort((x, y) => x[2]!.localeCompare(y[2]!));
    expect(byTime).toEqual([
      ["RESPONSE", "STARTED", berlin("2026-03-02", "09:00")],
      ["RESOLUTION", "STARTED", berlin("2026-03-02", "09:00")],
      ["RESPONSE", "MET", berlin("2026-03-02", "09:30")],
      ["RESOLUTION", "BREACHED", ranOut],
      ["RESOLUTION", "MET", berlin("2026-03-03", "10:00")],
      ["RESOLUTION", "RESUMED", berlin("2026-03-03", "11:00")],
      ["RESOLUTION", "MET", berlin("2026-03-03", "12:00")],
    ]);
  });

  it("lists the SLA events oldest first when a change finds a breach that happened before it", async () => {
    // given a P1 ticket opened Monday 2026-03-02 09:00, worked from 09:30, its resolution running out Mon 17:00
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let ticket = await assign(s, await open(s, "P1"));
    graph.clock.set(berlin("2026-03-02", "09:30"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    // when it is resolved on Tuesday 10:00, before any breach run recorded the breach
    graph.clock.set(berlin("2026-03-03", "10:00"));
    ticket = await move(s, ticket, "RESOLVED");
    // then the breach (Mon 17:00) comes before the resolution (Tue 10:00): `events` are "oldest first"
    expect(eventsOf(ticket).slice(-2)).toEqual([
      ["RESOLUTION", "BREACHED", berlin("2026-03-02", "17:00")],
      ["RESOLUTION", "MET", berlin("2026-03-03", "10:00")],
    ]);
  });

  it("counts a clock met at the very instant its target runs out as met in time, with no due time", async () => {
    // given a P1 ticket (1 h response) opened and assigned on Monday 2026-03-02 09:00
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let ticket = await assign(s, await open(s, "P1"));
    // when work starts at 10:00, just as the hour runs out
    graph.clock.set(berlin("2026-03-02", "10:00"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    // then the response is met in time: not breached, and, as `SlaClock.dueAt` says of a clock met in time, with no due time
    expect(ticket.sla.response).toEqual({
      targetMinutes: 60,
      state: "MET",
      dueAt: null,
      elapsedBusinessSeconds: 1 * HOUR,
      pausedBusinessSeconds: 0,
      metAt: berlin("2026-03-02", "10:00"),
      breachedAt: null,
    });
    expect(ticket.sla.breached).toBe(false);
  });

  it("runs a clock met in time again when the ticket is reopened, the time it stood resolved paused", async () => {
    // given a P3 ticket (8 h / 40 h) opened Monday 2026-03-02 09:00, worked from 09:30, resolved at 13:00 after 4 h
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let ticket = await assign(s, await open(s, "P3"));
    graph.clock.set(berlin("2026-03-02", "09:30"));
    ticket = await move(s, ticket, "IN_PROGRESS");
    graph.clock.set(berlin("2026-03-02", "13:00"));
    ticket = await move(s, ticket, "RESOLVED");
    expect(ticket.sla.resolution).toMatchObject({ state: "MET", dueAt: null, elapsedBusinessSeconds: 4 * HOUR, metAt: berlin("2026-03-02", "13:00") });

    // when it is reopened on Wednesday 11:00
    graph.clock.set(berlin("2026-03-04", "11:00"));
    ticket = await move(s, ticket, "IN_PROGRESS");

    // then the resolution runs again from 4 h, the resolved time paused: Mon 13:00–17:00 (4 h) + Tue (8 h) + Wed 09:00–11:00 (2 h) = 14 h;
    // 36 h to go from Wed 11:00: Wed 6 h + Thu 8 + Fri 8 + Mon 8 (30 h) + Tue 09:00–15:00 (6 h) → Tuesday 2026-03-10 15:00
    // (the first deadline, Fri 2026-03-06 17:00, moved on by the 14 paused hours)
    expect(ticket.sla.resolution).toEqual(running(2400, berlin("2026-03-10", "15:00"), 4 * HOUR, 14 * HOUR));
    // and the response stays met
    expect(ticket.sla.response).toMatchObject({ state: "MET", metAt: berlin("2026-03-02", "09:30") });
    expect(eventsOf(ticket).slice(-2)).toEqual([
      ["RESOLUTION", "MET", berlin("2026-03-02", "13:00")],
      ["RESOLUTION", "RESUMED", berlin("2026-03-04", "11:00")],
    ]);
  });

  it("stops the clocks not yet met when a ticket is cancelled, and they never breach", async () => {
    // given two P1 tickets (1 h / 8 h) opened Monday 2026-03-02 09:00: one never touched, one worked from 09:30
    const s = await shop();
    const opened = berlin("2026-03-02", "09:00");
    graph.clock.set(opened);
    let untouched = await open(s, "P1");
    let waiting = await assign(s, await open(s, "P1"));
    graph.clock.set(berlin("2026-03-02", "09:30"));
    waiting = await move(s, waiting, "IN_PROGRESS");

    // when the first is cancelled at 09:45, and the second at 11:00, having waited for the customer from 10:00
    graph.clock.set(berlin("2026-03-02", "09:45"));
    untouched = await move(s, untouched, "CANCELLED");
    graph.clock.set(berlin("2026-03-02", "10:00"));
    waiting = await move(s, waiting, "WAITING_CUSTOMER");
    const cancelledAt = berlin("2026-03-02", "11:00");
    graph.clock.set(cancelledAt);
    waiting = await move(s, waiting, "CANCELLED");

    // then the untouched ticket's clocks both stopped at 09:45, after 45 minutes
    const stopped = (targetMinutes: number, elapsed: number, paused = 0): SlaClock => ({
      targetMinutes,
      state: "STOPPED",
      dueAt: null,
      elapsedBusinessSeconds: elapsed,
      pausedBusinessSeconds: paused,
      metAt: null,
      breachedAt: null,
    });
    expect(untouched.sla.response).toEqual(stopped(60, 45 * 60));
    expect(untouched.sla.resolution).toEqual(stopped(480, 45 * 60));
    expect(eventsOf(untouched).slice(-2)).toEqual([
      ["RESPONSE", "STOPPED", berlin("2026-03-02", "09:45")],
      ["RESOLUTION", "STOPPED", berlin("2026-03-02", "09:45")],
    ]);
    // and the other's response stays met, its resolution stopped after 1 h, the 10:00–11:00 pause closed first
    expect(waiting.sla.response).toMatchObject({ state: "MET", metAt: berlin("2026-03-02", "09:30") });
    expect(waiting.sla.resolution).toEqual(stopped(480, 1 * HOUR, 1 * HOUR));
    expect(eventsOf(waiting).slice(-2)).toEqual([
      ["RESOLUTION", "RESUMED", cancelledAt],
      ["RESOLUTION", "STOPPED", cancelledAt],
    ]);

    // and a week later, long past both deadlines, nothing is breached
    graph.clock.set(berlin("2026-03-09", "12:00"));
    for (const t of [untouched, waiting]) {
      const later = await read(s.as, t.id);
      expect(later.sla).toMatchObject({ breached: false, response: { breachedAt: null }, resolution: { state: "STOPPED", breachedAt: null } });
    }
  });
});

// --- lists --------------------------------------------------------------------

describe("lists by deadline", () => {
  const TICKETS_BREACHED = graphql(`query TicketsSlaBreached($breached: Boolean) {
    tickets(filter: { breached: $breached }, first: 50) { edges { node { id } } } }`);
  const TICKETS_AT_RISK = graphql(`query TicketsSlaAtRisk($within: Int!) { ticketsAtRisk(within: $within, first: 50) { edges { node { id } } } }`);
  const TICKETS_BY_RESOLUTION_DUE = graphql(`query TicketsSlaByResolutionDue { tickets(orderBy: RESOLUTION_DUE, first: 50) { edges { node { id } } } }`);

  it("tells breached tickets from the rest, recorded or not, and stopped or paused ones are not breached", async () => {
    // given on Monday 2026-03-02, all opened at 09:00 and assigned:
    //   overdue:   P1 worked from 09:30; its 8 h resolution runs out Mon 17:00, and no one records it
    //   escalated: P3 raised to P1 at 12:00, after its new 1 h response ran out (10:00): recorded by that change
    //   onTime:    P3 worked from 09:30, due Fri 17:00
    //   paused:    P1 worked from 09:30, waiting for the customer from 10:00
    //   cancelled: P1 cancelled at 09:45
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let overdue = await assign(s, await open(s, "P1"));
    let escalated = await assign(s, await open(s, "P3"));
    let onTime = await assign(s, await open(s, "P3"));
    let paused = await assign(s, await open(s, "P1"));
    let cancelled = await open(s, "P1");
    graph.clock.set(berlin("2026-03-02", "09:30"));
    overdue = await move(s, overdue, "IN_PROGRESS");
    onTime = await move(s, onTime, "IN_PROGRESS");
    paused = await move(s, paused, "IN_PROGRESS");
    graph.clock.set(berlin("2026-03-02", "09:45"));
    cancelled = await move(s, cancelled, "CANCELLED");
    graph.clock.set(berlin("2026-03-02", "10:00"));
    paused = await move(s, paused, "WAITING_CUSTOMER");
    graph.clock.set(berlin("2026-03-02", "12:00"));
    escalated = await reprioritize(s, escalated, "P1");
    const list = async (breached: boolean) => idsOf((await s.as.query(TICKETS_BREACHED, { breached })).tickets).sort();

    // when the dealer lists them at 17:30
    graph.clock.set(berlin("2026-03-02", "17:30"));
    // then the breached are the overdue one (not yet recorded) and the escalated one (recorded), and the others are not
    expect(await list(true)).toEqual([overdue.id, escalated.id].sort());
    expect(await list(false)).toEqual([onTime.id, paused.id, cancelled.id].sort());

    // when the overdue one is resolved on Tuesday: it stays breached
    graph.clock.set(berlin("2026-03-03", "10:00"));
    overdue = await move(s, overdue, "RESOLVED");
    expect(await list(true)).toEqual([overdue.id, escalated.id].sort());
  });

  it("lists the tickets at risk within N minutes by either clock, soonest first, never a paused or breached one", async () => {
    // given on Monday 2026-03-02, all assigned:
    //   soon:      P1 (1 h / 8 h) opened 09:00, worked from 09:30: resolution due Mon 17:00
    //   later:     P2 (4 h / 16 h) opened 09:00, worked from 09:30: resolution due Tue 17:00
    //   paused:    P1 opened 09:00, worked from 09:30, waiting for the customer from 10:00
    //   breached:  P1 opened 09:00, never answered: response ran out 10:00
    //   unanswered: P2 opened 11:00, no response yet: response due 15:00 (resolution Wed 11:00)
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    let soon = await assign(s, await open(s, "P1"));
    let later = await assign(s, await open(s, "P2"));
    let paused = await assign(s, await open(s, "P1"));
    await assign(s, await open(s, "P1"));
    graph.clock.set(berlin("2026-03-02", "09:30"));
    soon = await move(s, soon, "IN_PROGRESS");
    later = await move(s, later, "IN_PROGRESS");
    paused = await move(s, paused, "IN_PROGRESS");
    graph.clock.set(berlin("2026-03-02", "10:00"));
    paused = await move(s, paused, "WAITING_CUSTOMER");
    graph.clock.set(berlin("2026-03-02", "11:00"));
    const unanswered = await assign(s, await open(s, "P2"));
    expect(unanswered.sla.response.dueAt).toBe(berlin("2026-03-02", "15:00"));

    // when the dealer asks at 14:30
    graph.clock.set(berlin("2026-03-02", "14:30"));
    const atRisk = async (within: number) => idsOf((await s.as.query(TICKETS_AT_RISK, { within })).ticketsAtRisk);
    // then within 30 minutes (to 15:00, inclusive) only the unanswered one, by its response clock; within 29 none
    expect(await atRisk(30)).toEqual([unanswered.id]);
    expect(await atRisk(29)).toEqual([]);
    // and within 150 minutes (to 17:00) the soon one as well, after it; within the week the later one too, never the paused or breached one
    expect(await atRisk(150)).toEqual([unanswered.id, soon.id]);
    expect(await atRisk(7 * 24 * 60)).toEqual([unanswered.id, soon.id, later.id]);
    // and `within` must be 1 to 10080
    for (const within of [0, 10_081]) {
      const response = await s.as.request(TICKETS_AT_RISK, { within });
      expect(codesOf(response), String(within)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("orders tickets by their running resolution deadline, those without one last", async () => {
    // given on Monday 2026-03-02, all assigned:
    //   a P2 opened 11:00: resolution Mon 11:00–17:00 (6 h) + Tue 8 h + Wed 09:00–11:00 (2 h) → Wed 11:00
    //   a P1 opened 09:00: resolution → Mon 17:00
    //   a P1 opened 09:00, waiting for the customer from 10:00: none while paused
    //   a P2 opened 09:00: resolution → Tue 17:00
    const s = await shop();
    graph.clock.set(berlin("2026-03-02", "09:00"));
    const monday = await assign(s, await open(s, "P1"));
    let paused = await assign(s, await open(s, "P1"));
    const tuesday = await assign(s, await open(s, "P2"));
    graph.clock.set(berlin("2026-03-02", "10:00"));
    paused = await move(s, await move(s, paused, "IN_PROGRESS"), "WAITING_CUSTOMER");
    graph.clock.set(berlin("2026-03-02", "11:00"));
    const wednesday = await assign(s, await open(s, "P2"));
    expect(wednesday.sla.resolution.dueAt).toBe(berlin("2026-03-04", "11:00"));
    // when listed by resolution deadline at noon
    graph.clock.set(berlin("2026-03-02", "12:00"));
    const { tickets } = await s.as.query(TICKETS_BY_RESOLUTION_DUE);
    // then
    expect(idsOf(tickets)).toEqual([monday.id, tuesday.id, wednesday.id, paused.id]);
  });
});

// --- targets from a service contract -----------------------------------------

describe("a service contract's targets", () => {
  it("hold for a unit under an active contract, whatever the priority, from the day the contract starts", async () => {
    // given a plan promising a response within 2 business hours and a resolution within 12
    const plan = await createContractPlan(graph, { responseHours: 2, resolutionHours: 12 });
    const s = await shop();
    const product = (await createProduct(graph, { name: `Espresso ${tag()}` })).id;
    await graph.settle();
    const soldOn = addDays(todayUtc(), -90);
    const covered = await soldUnit(graph, { productId: product, dealerId: s.dealer, customerId: s.customer, soldOn });
    const uncovered = await soldUnit(graph, { productId: product, dealerId: s.dealer, customerId: s.customer, soldOn });
    await graph.settle();
    // and an active contract on one unit from 30 days ago (the warranty subgraph dates contracts by the real calendar,
    // so these dates follow today rather than the stopped clock)
    const startsOn = addDays(todayUtc(), -30);
    const contract = await activeContract(s, { planId: plan.id, customerId: s.customer, unitIds: [covered.id], startsOn });
    await graph.settle();

    // when tickets about both units are opened at 09:00 on the contract's first Monday
    const monday = mondayOnOrAfter(startsOn);
    graph.clock.set(berlin(monday, "09:00"));
    let underContract = await open(s, "P4", { unitId: covered.id });
    const withoutContract = await open(s, "P4", { unitId: uncovered.id });

    // then the covered unit's is held to the plan: 2 h → Mon 11:00; 12 h = Mon 8 h + Tue 09:00–13:00 → Tue 13:00
    const contractTargets = {
      source: "CONTRACT",
      contractNumber: contract.number,
      response: running(120, berlin(monday, "11:00"), 0),
      resolution: running(720, berlin(addDays(monday, 1), "13:00"), 0),
    };
    expect(underContract.sla).toMatchObject(contractTargets);
    // and the other unit's to the standard P4 targets
    expect(withoutContract.sla).toMatchObject({
      source: "STANDARD",
      contractNumber: null,
      response: { targetMinutes: 960 },
      resolution: { targetMinutes: 4800 },
    });

    // when the covered unit's ticket is raised to P1
    underContract = await reprioritize(s, underContract, "P1");
    // then the contract's targets still hold
    expect(underContract.sla).toMatchObject(contractTargets);

    // and a ticket opened the day before the contract started is held to the standard targets
    graph.clock.set(berlin(addDays(startsOn, -1), "12:00"));
    const before = await open(s, "P4", { unitId: covered.id });
    expect(before.sla).toMatchObject({ source: "STANDARD", contractNumber: null, response: { targetMinutes: 960 } });
  });
});

/** Drafts a service contract as the shop and activates it. */
graphql(`fragment TicketsSlaContract on ServiceContract { id version number status }`);
const CREATE_CONTRACT = graphql(`mutation TicketsSlaCreateContract($input: CreateServiceContractInput!) {
  createServiceContract(input: $input) { contract { ...TicketsSlaContract } errors { code message } } }`);
const ACTIVATE_CONTRACT = graphql(`mutation TicketsSlaActivateContract($input: ActivateServiceContractInput!) {
  activateServiceContract(input: $input) { contract { ...TicketsSlaContract } errors { code message } } }`);
async function activeContract(s: Shop, input: CreateServiceContractInput) {
  const { createServiceContract: draft } = await s.as.query(CREATE_CONTRACT, { input });
  expect(draft.errors).toEqual([]);
  const { activateServiceContract: active } = await s.as.query(ACTIVATE_CONTRACT, {
    input: { id: draft.contract!.id, version: draft.contract!.version },
  });
  expect(active.errors).toEqual([]);
  expect(active.contract!.status).toBe("ACTIVE");
  return active.contract!;
}

/** The first Monday on or after `date` (YYYY-MM-DD). */
function mondayOnOrAfter(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday, 1 = Monday
  return addDays(date, (8 - weekday) % 7);
}

// --- the breach run -----------------------------------------------------------

describe("recordSlaBreaches", () => {
  // The run records every dealer's breaches: on a graph of its own, the counts are this test's alone.
  let own: TestGraph;
  beforeAll(async () => {
    own = await startGraph();
  });
  afterAll(() => own?.stop());
  afterEach(() => own?.clock.release());

  const RUN = graphql(`mutation TicketsSlaRecordBreaches { recordSlaBreaches { recorded errors { code message } } }`);

  it("shows a breach as soon as the deadline passes, and records it once, on the clock's events and the timeline", async () => {
    // given a P1 ticket (8 h resolution: due Mon 17:00) and a P3 ticket (40 h: due Fri 17:00),
    // opened Monday 2026-03-02 09:00 and worked from 09:30
    const s = await shop({}, own);
    const agent = own.as(AGENT);
    own.clock.set(berlin("2026-03-02", "09:00"));
    let late = await assign(s, await open(s, "P1"));
    let onTime = await assign(s, await open(s, "P3"));
    own.clock.set(berlin("2026-03-02", "09:30"));
    late = await move(s, late, "IN_PROGRESS");
    onTime = await move(s, onTime, "IN_PROGRESS");
    const ranOut = berlin("2026-03-02", "17:00");
    const record = async () => (await agent.query(RUN)).recordSlaBreaches;

    // when read at 17:30, before any run
    own.clock.set(berlin("2026-03-02", "17:30"));
    late = await read(s.as, late.id);
    // then the resolution is breached at 17:00, after the 8 hours of Monday (nothing counts after closing)
    expect(late.sla.resolution).toEqual({
      targetMinutes: 480,
      state: "BREACHED",
      dueAt: ranOut,
      elapsedBusinessSeconds: 8 * HOUR,
      pausedBusinessSeconds: 0,
      metAt: null,
      breachedAt: ranOut,
    });
    expect(late.sla.breached).toBe(true);
    // though nothing is recorded yet
    expect(late.sla.events.map((e) => e.kind)).not.toContain("BREACHED");
    expect(late.timeline.map((e) => e.kind)).not.toContain("SLA_BREACHED");

    // when an AGENT runs the breach job, twice
    const first = await record();
    const second = await record();
    // then the first records the one breach, the second nothing
    expect(first).toEqual({ recorded: 1, errors: [] });
    expect(second).toEqual({ recorded: 0, errors: [] });

    // and the breach is on the clock's events and the timeline, once, at the instant it happened, by no one
    late = await read(s.as, late.id);
    expect(eventsOf(late).filter(([, kind]) => kind === "BREACHED")).toEqual([["RESOLUTION", "BREACHED", ranOut]]);
    expect(late.timeline.filter((e) => e.kind === "SLA_BREACHED")).toEqual([
      { kind: "SLA_BREACHED", description: "The resolution target was breached.", actor: "system", at: ranOut },
    ]);
    expect(late.sla.resolution).toMatchObject({ state: "BREACHED", breachedAt: ranOut });
    // (time running out is no change a client made: the version stays)
    expect(late.version).toBe(3);

    // when it runs again on Tuesday morning: nothing new
    own.clock.set(berlin("2026-03-03", "09:00"));
    expect(await record()).toEqual({ recorded: 0, errors: [] });
    // and just after the other ticket's 40 hours ran out (Fri 2026-03-06 17:00): that one breach
    own.clock.set(berlin("2026-03-06", "17:01"));
    expect(await record()).toEqual({ recorded: 1, errors: [] });
    onTime = await read(s.as, onTime.id);
    expect(eventsOf(onTime).filter(([, kind]) => kind === "BREACHED")).toEqual([["RESOLUTION", "BREACHED", berlin("2026-03-06", "17:00")]]);
  });

  it("is FORBIDDEN to a DEALER and an ANALYST", async () => {
    const s = await shop({}, own);
    for (const caller of [s.caller, { role: "ANALYST" } as Caller]) {
      const response = await own.as(caller).request(RUN);
      expect(codesOf(response), caller.role).toEqual(["FORBIDDEN"]);
      expect(response.errors![0]!.path).toEqual(["recordSlaBreaches"]);
    }
  });
});
