/**
 * The demo's past with its customers, beside its tickets (`history.ts`):
 * eighteen months of NPS rounds, the post-sale check-ins customers answered
 * after their deliveries, and the contacts dealers made from their outreach
 * worklists, with what came of them. The seed brings them in like a dealer
 * migrating from a previous system (`importSurveyAnswers`,
 * `importOutreachItems`), so the insights show:
 *
 * - NPS rising month by month (the dealers got better), and higher the more
 *   closely a customer is looked after (ACTIVE above RESPONSIBLE above
 *   REACTIVE and BASIC);
 * - post-sale answers spread over the months of the deliveries;
 * - outreach that reaches more customers and converts more refills as the
 *   months go by, with fewer unanswered calls and sooner first contacts.
 *
 * Outreach works the reasons the outreach subgraph raises from the facts,
 * as its rules give them to each level: check-ins after a delivery and call
 * backs to detractors for RESPONSIBLE and ACTIVE customers, refill offers for
 * ACTIVE ones; one contact at a time per customer, none sooner than the
 * dealer's interval after the last. A check-in the customer's post-sale
 * answer came before, or a refill bought before anyone called, was never
 * worked (the facts made it moot): it is left out.
 *
 * Like the rest of the world it is a pure function of the seed and `today`.
 */
import { addDays } from "@aftersales/kit";
import { feedbackOf, postSaleOf, type DemoCommentLanguage, type DemoSurveyAnswer } from "./feedback.js";
import type { DemoHistory } from "./history.js";
import { Random } from "./random.js";
import type { DemoCustomer, DemoWorld, RelationshipLevel } from "./world.js";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** The feedback subgraph's default timings, which the demo keeps for these kinds. */
const POST_SALE_DELAY_DAYS = 7;
const ANSWER_WITHIN_DAYS = 14;
/** Three rounds a year: the previous system asked more often than the feedback subgraph's six-monthly schedule does. */
const NPS_INTERVAL_DAYS = 121;
/** The dealers' default contact interval. */
const CONTACT_INTERVAL_DAYS = 30;

export interface DemoNpsRound {
  key: string;
  customer: string;
  /** ISO-8601 UTC: when the survey was sent, and when the customer answered. */
  askedAt: string;
  answeredAt: string;
  score: number;
  comment: string | null;
  language: DemoCommentLanguage;
}

export interface DemoPastPostSale {
  serialNumber: string;
  customer: string;
  answeredAt: string;
  answer: DemoSurveyAnswer;
}

/** What a past contact was about: the reason's subject as the seed names it. */
export type DemoOutreachSubject = { unit: string } | { purchase: number } | { nps: string } | { postSale: string } | { csat: string };

export type DemoOutreachReason = "POST_SALE_CHECK_IN" | "DETRACTOR" | "REFILL_DUE";
export type DemoOutreachOutcome = "CONTACTED" | "DECLINED" | "CONVERTED" | "NOT_APPLICABLE";

export interface DemoPastContact {
  customer: string;
  reason: DemoOutreachReason;
  subject: DemoOutreachSubject;
  openedAt: string;
  dueOn: string;
  unansweredAttempts: string[];
  outcome: DemoOutreachOutcome;
  outcomeAt: string;
  channel: "PHONE" | "EMAIL" | null;
  note: string | null;
  /** A converted refill: the index in `world.purchases` of the purchase it led to. */
  convertedTo: number | null;
}

export interface DemoRelationshipHistory {
  npsRounds: DemoNpsRound[];
  postSale: DemoPastPostSale[];
  contacts: DemoPastContact[];
}

/** How a customer at each level rates the dealer before the improvement: the more looked after, the happier. */
const NPS_BASE: Readonly<Record<RelationshipLevel, number>> = { BASIC: 5.9, REACTIVE: 6.6, RESPONSIBLE: 7.6, ACTIVE: 8.3 };

const NPS_PRAISE = {
  en: ["Always helpful when something comes up. I recommend them.", "Friendly people and quick service, I recommend them."],
  de: ["Immer hilfsbereit, wenn etwas ist. Gerne weiterempfohlen.", "Freundlich und schnell, sehr zu empfehlen."],
} as const;

const instant = (day: string, hours: number) => Date.parse(`${day}T00:00:00Z`) + hours * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

export function relationshipHistoryOf(world: DemoWorld, history: DemoHistory): DemoRelationshipHistory {
  // Its own stream of random numbers: the rest of the world and its past stay as they were.
  const random = new Random((world.seed ^ 0x5245_4c41) >>> 0);
  const from = instant(history.from, 0);
  // Nothing reaches into the last hours before the seed, as for the tickets' past.
  const latest = instant(world.today, 0) - 2 * HOUR_MS;
  const progressAt = (at: number) => Math.min(1, Math.max(0, (at - from) / (latest - from)));
  const languageOf = (c: DemoCustomer): DemoCommentLanguage => (c.address.country === "DE" || c.address.country === "AT" ? "de" : "en");

  const npsRounds: DemoNpsRound[] = [];
  for (const customer of world.customers) {
    const since = firstBoughtOn(world, customer.key);
    if (!since) continue;
    for (let asked = instant(addDays(history.from, random.int(0, NPS_INTERVAL_DAYS - 1)), random.float(7, 11)); ; ) {
      const answeredAt = asked + Math.max(0.05, random.float(0, 1) ** 2 * (ANSWER_WITHIN_DAYS - 1)) * DAY_MS;
      if (answeredAt > latest) break;
      const progress = progressAt(asked);
      if (dayOf(asked) > since && random.chance(0.75 + 0.15 * progress)) {
        const score = Math.min(10, Math.max(0, Math.round(NPS_BASE[customer.relationshipLevel] - 1.2 + 2.6 * progress + random.float(-2, 2))));
        const language = languageOf(customer);
        npsRounds.push({
          key: `nps-${npsRounds.length + 1}`,
          customer: customer.key,
          askedAt: iso(asked),
          answeredAt: iso(answeredAt),
          score,
          // Praise only: a detractor's comment would open a complaint case, which the live world tells.
          comment: score >= 9 && random.chance(0.35) ? random.pick(NPS_PRAISE[language]) : null,
          language,
        });
      }
      asked += (NPS_INTERVAL_DAYS + random.int(-5, 5)) * DAY_MS;
    }
  }

  // The post-sale answers the world plans, at their time, for the surveys whose time to answer is over.
  const plan = feedbackOf(world);
  const postSale: DemoPastPostSale[] = [];
  for (const unit of world.units) {
    const delivery = postSaleOf(unit);
    const answer = plan.postSale[unit.serialNumber];
    if (!delivery || !answer || plan.leaveOpen.includes(delivery.customer)) continue;
    // A low score with a comment opens a complaint case: the live world answers those.
    if (answer.score <= 2 && answer.comment) continue;
    const due = instant(delivery.on, 0) + POST_SALE_DELAY_DAYS * DAY_MS;
    if (due + ANSWER_WITHIN_DAYS * DAY_MS > latest) continue;
    const answeredAt = due + (0.1 + random.float(0, 1) ** 2 * (ANSWER_WITHIN_DAYS - 1)) * DAY_MS;
    postSale.push({ serialNumber: unit.serialNumber, customer: delivery.customer, answeredAt: iso(answeredAt), answer });
  }

  return { npsRounds, postSale, contacts: contactsOf(world, history, { npsRounds, postSale }, random, { from, latest, progressAt }) };
}

/** The day a customer first bought something (a unit or a consumable), or null. */
function firstBoughtOn(world: DemoWorld, customer: string): string | null {
  const days = [
    ...world.units.flatMap((u) => u.events.flatMap((e) => (e.kind === "SOLD" && e.customer === customer ? [e.occurredOn] : []))),
    ...world.purchases.filter((p) => p.customer === customer).map((p) => p.purchasedOn),
  ].sort();
  return days[0] ?? null;
}

interface Candidate {
  reason: DemoOutreachReason;
  subject: DemoOutreachSubject;
  raisedAt: number;
  dueOn: string;
  /** When the facts make it moot if nobody called before: the post-sale answer, the next purchase. */
  mootAt: number | null;
  /** A refill: the index of the purchase that follows it. */
  next: number | null;
}

function contactsOf(
  world: DemoWorld,
  history: DemoHistory,
  answers: { npsRounds: DemoNpsRound[]; postSale: DemoPastPostSale[] },
  random: Random,
  period: { from: number; latest: number; progressAt: (at: number) => number },
): DemoPastContact[] {
  const { from, latest, progressAt } = period;
  const answeredPostSale = new Map(answers.postSale.map((p) => [p.serialNumber, Date.parse(p.answeredAt)]));
  const cycleOf = new Map(world.products.map((p) => [p.sku, p.replenishmentCycleDays]));
  const contacts: DemoPastContact[] = [];

  for (const customer of world.customers) {
    const level = customer.relationshipLevel;
    if (level !== "RESPONSIBLE" && level !== "ACTIVE") continue;
    const candidates: Candidate[] = [];
    for (const unit of world.units) {
      const delivery = postSaleOf(unit);
      if (delivery?.customer !== customer.key) continue;
      const raisedAt = instant(delivery.on, 12);
      const mootAt = answeredPostSale.get(unit.serialNumber) ?? null;
      candidates.push({ reason: "POST_SALE_CHECK_IN", subject: { unit: unit.serialNumber }, raisedAt, dueOn: addDays(delivery.on, 7), mootAt, next: null });
    }
    const detractor = (subject: DemoOutreachSubject, answeredAt: string) =>
      candidates.push({ reason: "DETRACTOR", subject, raisedAt: Date.parse(answeredAt), dueOn: addDays(answeredAt.slice(0, 10), 2), mootAt: null, next: null });
    for (const round of answers.npsRounds) if (round.customer === customer.key && round.score <= 6) detractor({ nps: round.key }, round.answeredAt);
    for (const p of answers.postSale) if (p.customer === customer.key && p.answer.score <= 2) detractor({ postSale: p.serialNumber }, p.answeredAt);
    for (const t of history.tickets) if (t.customer === customer.key && t.csat && t.csat.score <= 2) detractor({ csat: t.key }, t.csat.answeredAt);
    if (level === "ACTIVE") {
      world.purchases.forEach((purchase, i) => {
        if (purchase.customer !== customer.key) return;
        const next = world.purchases.findIndex(
          (p, j) => j !== i && p.customer === purchase.customer && p.productSku === purchase.productSku && p.purchasedOn > purchase.purchasedOn,
        );
        // The last purchase's refill is today's worklist; one without a cycle is never due.
        if (next < 0 || !cycleOf.get(purchase.productSku)) return;
        // The forecast learns the customer's rhythm: the refill comes due some days before the customer did buy again.
        const boughtAgainOn = world.purchases[next]!.purchasedOn;
        const dueOn = addDays(boughtAgainOn, -random.int(4, 9));
        if (dueOn <= purchase.purchasedOn) return;
        candidates.push({
          reason: "REFILL_DUE",
          subject: { purchase: i },
          raisedAt: instant(purchase.purchasedOn, 15),
          dueOn,
          mootAt: instant(boughtAgainOn, 12),
          next,
        });
      });
    }
    candidates.sort((a, b) => a.raisedAt - b.raisedAt);

    let free = Number.NEGATIVE_INFINITY;
    let reachedOn: string | null = null;
    for (const c of candidates) {
      if (c.raisedAt < from) continue;
      const openedAt = Math.max(c.raisedAt, free + HOUR_MS);
      const allowed = reachedOn ? addDays(reachedOn, CONTACT_INTERVAL_DAYS) : c.dueOn;
      const dueOn = allowed > c.dueOn ? allowed : c.dueOn;
      const progress = progressAt(openedAt);
      // The dealers got quicker to call, and reached people at the first try more often.
      let at = Math.max(openedAt, instant(dueOn, random.float(8, 16))) + random.float(0, 3.5 - 2.8 * progress) * DAY_MS;
      const unanswered: number[] = [];
      const tries = random.weighted<number>([
        [0, 5 + 4 * progress],
        [1, 3],
        [2, 1.5 - progress],
      ]);
      for (let k = 0; k < tries; k++) {
        unanswered.push(at);
        at += random.float(18, 52) * HOUR_MS;
      }
      if (at > latest) break;
      // The facts got there first: nobody worked it.
      if (c.mootAt !== null && c.mootAt <= at) continue;
      let outcome: DemoOutreachOutcome;
      let convertedTo: number | null = null;
      let note: string | null = null;
      if (c.reason === "REFILL_DUE") {
        if (random.chance(0.2 + 0.5 * progress)) {
          outcome = "CONVERTED";
          convertedTo = c.next;
          note = "Ordered the refill on the phone.";
        } else {
          outcome = random.chance(0.55) ? "DECLINED" : "CONTACTED";
        }
      } else if (random.chance(0.72 + 0.22 * progress)) {
        outcome = "CONTACTED";
        note = c.reason === "DETRACTOR" ? "Heard the customer out and offered a visit." : "All fine, the customer is happy with it.";
      } else {
        outcome = "NOT_APPLICABLE";
        note = "The customer had called the service desk about it already.";
      }
      contacts.push({
        customer: customer.key,
        reason: c.reason,
        subject: c.subject,
        openedAt: iso(openedAt),
        dueOn,
        unansweredAttempts: unanswered.map(iso),
        outcome,
        outcomeAt: iso(at),
        channel: outcome === "NOT_APPLICABLE" ? null : random.chance(0.75) ? "PHONE" : "EMAIL",
        note,
        convertedTo,
      });
      free = at;
      if (outcome !== "NOT_APPLICABLE") reachedOn = dayOf(at);
    }
  }
  return contacts.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}
