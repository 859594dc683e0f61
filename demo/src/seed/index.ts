/**
 * Writes the demo world through the public API: GraphQL mutations sent to the
 * gateway, many per request (aliased), in an order that respects what each
 * one needs (dealers before customers, parts before the equipment that lists
 * them, a unit's events in the order they happened). Any refusal stops the
 * seed: a demo mutation the API refuses is a bug in the world or the API.
 *
 * The warranty part comes next: the warranty subgraph keeps copies of the
 * catalog's products and units (and the partners' dealers), which the event
 * relay applies shortly after they are written, so the seed first waits
 * until the warranty subgraph has heard of the last unit written.
 *
 * Tickets come last, for the same reason: the tickets subgraph keeps copies
 * of the partners' customers, dealers and technicians, the catalog's units
 * and products and the warranty's service contracts. The seed waits until it
 * knows the last customer and the last unit written (each producer's events
 * are applied in order, so those are the last of the partners' and the
 * catalog's), opens the tickets about units under contract last, and says in
 * the log when the subgraph decided otherwise than the world expects.
 *
 * The past comes before today's tickets (see `history.ts`): eighteen
 * months of tickets with their lifecycle at their own times, imported like a
 * dealer's migration (`importTickets`), and, once the feedback subgraph has
 * scheduled their CSAT surveys, the answers with their dates
 * (`importSurveyAnswers`).
 *
 * Feedback comes after the tickets (see `feedback.ts`): the feedback
 * subgraph schedules a CSAT survey as it hears of each resolution, so the
 * seed waits until it has them all, then opens the due surveys and answers
 * them as the world says, round after round (one open survey per customer at
 * a time), and records a handful of complaints, suggestions and praise.
 */
import { todayUtc, type Logger } from "@aftersales/kit";
import { seedFeedback, setDemoSurveyTimings } from "../feedback.js";
import { historyOf } from "../history.js";
import { buildDemoWorld, DEFAULT_DEMO_SEED } from "../world.js";
import { discontinuationOps, productOps, purchaseOps, stockOps, unitImportOps } from "./catalog.js";
import { BatchClient, DemoSeedError, feedbackClientOf } from "./client.js";
import { historyAnswerOps, historyTicketOps } from "./history.js";
import { seedPastRelationships } from "./relationships.js";
import { ticket } from "./operations.js";
import { customerOps, dealerOps, technicianOps } from "./partners.js";
import { countEvents, summarize, type DemoSummary } from "./summary.js";
import { openTicketOp, slaPolicyOps, ticketStepOps, warnAboutUnexpectedTickets } from "./tickets.js";
import { claimOps, contractOps, planningOp, planOps, policyOps, warnAboutUnexpectedClaims } from "./warranty.js";

export { DemoSeedError } from "./client.js";
export type { DemoSummary } from "./summary.js";

export interface SeedDemoOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** An ADMIN token: the seed writes dealers and products, which only admins may. */
  token: string;
  /** The reference date (`YYYY-MM-DD`); today in UTC when left out. Must not be in the future. */
  today?: string;
  seed?: number;
  logger?: Logger;
  /** Mutations per request (each is an alias, so at most the gateway's alias limit); 15 when left out. */
  batchSize?: number;
  /**
   * Waits until every event committed so far has been applied by the
   * subgraphs that consume it (the graph's in-process relay): the warranty
   * and tickets subgraphs take the demo's contracts, claims and tickets from
   * their copies of the other subgraphs' data.
   */
  settle: () => Promise<void>;
  /** How long to wait for those copies (then for the feedback subgraph's surveys); 120 s when left out (a busy machine applies the demo's events slowly). */
  warrantyWaitMs?: number;
}

/**
 * Waits until `settle` (every event applied), failing with what the copies
 * lacked when that takes longer than `timeoutMs`: a relay that does not run
 * would otherwise leave contracts, claims and tickets decided on copies
 * without the demo's data.
 */
async function settled(settle: () => Promise<void>, timeoutMs: number, copies: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 1000);
      reject(
        new DemoSeedError(
          `The demo's events had not reached ${copies} after ${seconds} s. Is the event relay running (see the log for \`event delivery failed\`)?`,
          [],
        ),
      );
    }, timeoutMs);
  });
  try {
    // The relay's own wait may give up sooner on a busy machine: asked again until this one's deadline.
    for (;;) {
      try {
        await Promise.race([settle(), late]);
        return;
      } catch (error) {
        if (error instanceof DemoSeedError) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

export async function seedDemo(options: SeedDemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const today = options.today ?? todayUtc();
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const logger = options.logger;
  const world = buildDemoWorld({ seed, today });
  const batchSize = options.batchSize ?? 15;
  const client = new BatchClient(options.url, options.token, batchSize);
  const waitMs = options.warrantyWaitMs ?? 120_000;
  logger?.info({ seed, today, url: options.url }, "seeding the demo data");
  // Each progress line says how long its step took (waits for the relay included), so a slow first start shows where.
  let stepStarted = performance.now();
  const step = () => {
    const now = performance.now();
    const ms = Math.round(now - stepStarted);
    stepStarted = now;
    return { ms };
  };

  await client.run([...dealerOps(world), ...technicianOps(world), ...customerOps(world)]);
  logger?.info(
    { ...step(), dealers: world.dealers.length, technicians: world.technicians.length, customers: world.customers.length },
    "demo: partners and customers created",
  );

  await client.run([...productOps(world), ...discontinuationOps(world)]);
  logger?.info({ ...step(), products: world.products.length }, "demo: catalog created");

  await client.run(unitImportOps(world));
  logger?.info({ ...step(), units: world.units.length, events: countEvents(world.units) }, "demo: installed base recorded");

  await client.runStreams([...purchaseOps(world).map((operation) => [operation]), ...stockOps(world)]);
  logger?.info({ ...step(), purchases: world.purchases.length, partStocks: world.partStocks.length }, "demo: purchases and parts stock recorded");

  // The warranty subgraph prices contracts and decides claims from its copies of the catalog's units and products.
  await settled(options.settle, waitMs, "the warranty subgraph's copies of the catalog's products and units");
  await client.run([...policyOps(world), ...planOps(world), ...contractOps(world), planningOp, ...claimOps(world)]);
  warnAboutUnexpectedClaims(world, client, logger);
  logger?.info(
    { ...step(), policies: world.warranty.policies.length, contracts: world.warranty.contracts.length, claims: world.warranty.claims.length },
    "demo: warranty terms, service contracts and claims recorded",
  );

  // The tickets subgraph dispatches from its copies of customers and dealers, and takes SLA targets from its copies of contracts.
  await settled(options.settle, waitMs, "the tickets subgraph's copies of customers, units and contracts");
  // Before the tickets: the feedback subgraph fixes a CSAT survey's due time when it hears of the ticket's resolution.
  await setDemoSurveyTimings(feedbackClientOf(client));
  const { tickets } = world;
  const early = tickets.tickets.filter((t) => !t.late);
  const late = tickets.tickets.filter((t) => t.late);
  await client.run(slaPolicyOps(world));
  // The past before today's tickets, as a dealer migrating from a previous system brings it in: under the policies just set.
  const history = historyOf(world);
  for (const operation of historyTicketOps(history)) await client.run([operation]);
  // Feedback schedules each past ticket's CSAT survey as it hears of the resolution; the answers need them.
  // A few thousand events for every consumer: more time than the other waits.
  const waitStarted = performance.now();
  await settled(options.settle, 3 * waitMs, "the feedback subgraph's copies of the past tickets");
  const waitedMs = Math.round(performance.now() - waitStarted);
  for (const operation of historyAnswerOps(history)) await client.run([operation]);
  logger?.info(
    { ...step(), waitedMs, from: history.from, to: history.to, tickets: history.tickets.length, csatAnswers: history.tickets.filter((t) => t.csat).length },
    "demo: eighteen months of past tickets and their CSAT answers imported",
  );
  // Beside the tickets' past, the customers': NPS rounds, post-sale answers, and the outreach contacts they led to.
  const relationships = await seedPastRelationships(world, history, client, () =>
    settled(options.settle, 3 * waitMs, "the outreach subgraph's copies of the past answers"),
  );
  logger?.info(
    {
      ...step(),
      waitedMs: relationships.waitedMs,
      npsAnswers: relationships.npsAnswers,
      postSaleAnswers: relationships.postSaleAnswers,
      outreachContacts: relationships.contacts,
    },
    "demo: eighteen months of NPS rounds, post-sale answers and outreach contacts imported",
  );
  await client.run(early.map(openTicketOp));
  await client.runStreams(early.map(ticketStepOps));
  // Tickets about units under contract last: the contracts' events have had the whole of the above to arrive.
  await client.run(late.map(openTicketOp));
  await client.runStreams(late.map(ticketStepOps));
  warnAboutUnexpectedTickets(world, client, logger);
  logger?.info({ ...step(), slaPolicies: tickets.policies.length, tickets: tickets.tickets.length }, "demo: SLA policies and service tickets recorded");

  const pastSurveyed = new Set(history.tickets.filter((t) => t.csat).map((t) => client.refs.id(ticket(t.key))));
  const feedback = await seedFeedback(world, feedbackClientOf(client), { batchSize, waitMs, logger, pastSurveyed });
  logger?.info(
    {
      ...step(),
      answered: feedback.counts.surveysAnswered,
      open: feedback.counts.surveysOpen,
      rounds: feedback.counts.rounds,
      feedback: feedback.counts.feedbackEntries,
      ...(feedback.surveyLink ? { surveyPage: feedback.surveyLink } : {}),
    },
    "demo: surveys answered and feedback recorded",
  );

  const summary = summarize(world, history, relationships.past, client, feedback, Math.round(performance.now() - started));
  logger?.info({ durationMs: summary.durationMs, requests: summary.requests, mutations: summary.mutations }, "demo data seeded");
  return summary;
}
