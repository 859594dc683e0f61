/**
 * The feedback part of the demo: what customers answer to the surveys the
 * feedback subgraph sends them, and a handful of complaints, suggestions and
 * praise given outside surveys, so the insights show satisfaction figures and
 * comments right after `npm start`.
 *
 * The surveys are the feedback subgraph's: it schedules a CSAT survey when a
 * ticket is resolved (and cancels it when the ticket is reopened), a
 * post-sale survey after a unit's delivery or installation, and opens at most
 * one survey per customer at a time. The world decides only what each
 * customer answers, by what the survey asks about (a ticket, a unit): so the
 * same seed gives the same answers whatever order the subgraph opens the
 * surveys in. A few customers leave theirs unanswered, so open survey links
 * exist to try the survey page (`/surveys/<token>`) with.
 *
 * Like the rest of the world, `feedbackOf` is a pure function of the world
 * (its seed and `today`); `setDemoSurveyTimings` and `seedFeedback` write it
 * through the gateway, for `seed.ts`.
 */
import { addDays, type Logger } from "@aftersales/kit";
import { PARTNERS, PRODUCTS, type MarketKey } from "./data.js";
import { poll } from "./poll.js";
import { Random } from "./random.js";
import type { DemoTicket } from "./tickets/index.js";
import type { DemoCustomer, DemoUnit, DemoWorld } from "./world.js";

export const DEMO_SURVEY_KINDS = ["CSAT", "POST_SALE", "NPS"] as const;
export type DemoSurveyKind = (typeof DEMO_SURVEY_KINDS)[number];
export type DemoFeedbackKind = "COMPLAINT" | "SUGGESTION" | "PRAISE";
/** The lexicon reads English, German and French; the demo's customers write English or (in Germany, mostly) German. */
export type DemoCommentLanguage = "en" | "de";

export interface DemoSurveyAnswer {
  /** 1 to 5 (CSAT, POST_SALE), 0 to 10 (NPS). */
  score: number;
  /** Null: the customer gave a score and nothing else. */
  comment: string | null;
  language: DemoCommentLanguage;
}

/** Feedback a customer gave outside a survey; keys name customers, dealers and tickets, units go by serial number. */
export interface DemoFeedbackEntry {
  kind: DemoFeedbackKind;
  /** Key of the customer who gave it; null where the API takes the unit's or ticket's customer. */
  customer: string | null;
  about: { productSku: string } | { serialNumber: string } | { ticket: string } | { dealer: string };
  comment: string;
  language: DemoCommentLanguage;
}

export interface DemoFeedback {
  /** Keys of the tickets a CSAT survey asks about: resolved or closed and never reopened (a reopen cancels the survey). */
  csatTickets: string[];
  /** The CSAT answers, by ticket key; tickets of customers in `leaveOpen` have none. */
  csat: Record<string, DemoSurveyAnswer>;
  /** The post-sale answers, by serial number: one for each unit delivered or installed to a customer not in `leaveOpen`. */
  postSale: Record<string, DemoSurveyAnswer>;
  /**
   * Customers who leave the first survey they are sent unanswered (so, with
   * one open survey per customer, the rest of theirs keep waiting): its link
   * stays open to try the survey page with. The first, when there is one, has
   * a CSAT survey about a ticket resolved and not yet closed.
   */
  leaveOpen: string[];
  entries: DemoFeedbackEntry[];
}

/** What the demo's customers answer and say, worked out from the world alone. */
export function feedbackOf(world: DemoWorld): DemoFeedback {
  // Its own stream of random numbers, like the tickets' and the warranty's: the rest of the world stays as it was.
  const random = new Random((world.seed ^ 0x4644_424b) >>> 0);
  const customerOf = new Map(world.customers.map((c) => [c.key, c]));
  const csatTickets = world.tickets.tickets.filter(surveyedTicket);
  const csatCustomers = new Set(csatTickets.map((t) => t.customer));
  const deliveries = world.units.flatMap((unit) => {
    const delivery = postSaleOf(unit);
    return delivery ? [{ unit, ...delivery }] : [];
  });

  // Whose survey stays open: a customer whose ticket was resolved and not yet closed, then three who were sent a
  // post-sale survey long ago (so it is surely due) and have no ticket survey, each of another dealer.
  const leaveOpen: string[] = [];
  const unclosed = csatTickets.filter((t) => t.status === "RESOLVED");
  if (unclosed.length) leaveOpen.push(random.pick(unclosed).customer);
  const longAgo = new Set(deliveries.filter((d) => d.on <= addDays(world.today, -30)).map((d) => d.customer));
  const dealers = new Set(leaveOpen.map((key) => customerOf.get(key)?.homeDealer));
  for (const c of random.shuffle(world.customers.filter((c) => c.kind === "CONSUMER" && longAgo.has(c.key) && !csatCustomers.has(c.key)))) {
    if (leaveOpen.length >= 4) break;
    if (dealers.has(c.homeDealer)) continue;
    leaveOpen.push(c.key);
    dealers.add(c.homeDealer);
  }
  const answers = (customer: string) => !leaveOpen.includes(customer);

  // CSAT: mostly satisfied, and at least one customer who was not (a figure of 100 % shows nothing).
  const csat: Record<string, DemoSurveyAnswer> = {};
  const answered = csatTickets.filter((t) => answers(t.customer));
  const unhappy = new Set(
    random
      .shuffle(answered)
      .slice(0, Math.max(1, Math.floor(answered.length * 0.3)))
      .map((t) => t.key),
  );
  for (const t of answered) {
    const score = unhappy.has(t.key) ? random.weighted(LOW_SCORES) : random.weighted(HIGH_SCORES);
    const unit = t.serialNumber ? world.units.find((u) => u.serialNumber === t.serialNumber) : undefined;
    csat[t.key] = surveyAnswer(random, "CSAT", score, customerOf.get(t.customer), { ticket: t, unit });
  }

  const postSale: Record<string, DemoSurveyAnswer> = {};
  for (const d of deliveries) {
    if (!answers(d.customer)) continue;
    postSale[d.unit.serialNumber] = surveyAnswer(random, "POST_SALE", random.weighted(POST_SALE_SCORES), customerOf.get(d.customer), {
      unit: d.unit,
      installed: d.installed,
    });
  }

  return { csatTickets: csatTickets.map((t) => t.key), csat, postSale, leaveOpen, entries: entriesOf(random, world) };
}

/**
 * What a customer answers to a survey the world did not plan (an NPS
 * survey, should an admin make them come due at once; a survey about
 * something the world does not know): drawn from the seed and what it is
 * about, never from the order surveys open in.
 */
export function unplannedAnswer(world: DemoWorld, kind: DemoSurveyKind, about: string, customer: DemoCustomer | undefined): DemoSurveyAnswer {
  const random = new Random(hashOf(`${world.seed} ${kind} ${about}`));
  const score = kind === "NPS" ? random.weighted(NPS_SCORES) : random.weighted(POST_SALE_SCORES);
  return surveyAnswer(random, kind, score, customer, {});
}

/** A ticket the feedback subgraph sends a CSAT survey about, as `tickets.ts` leaves it. */
const surveyedTicket = (t: DemoTicket) => (t.status === "RESOLVED" || t.status === "CLOSED") && !t.reopened;

/** Whom a unit's post-sale survey asks, and when it was delivered (or, later, installed): the owner at that moment. */
export function postSaleOf(unit: DemoUnit): { customer: string; on: string; installed: boolean } | null {
  let owner: string | null = null;
  let found: { customer: string; on: string } | null = null;
  let installed = false;
  for (const event of unit.events) {
    if (event.kind === "SOLD" || event.kind === "TRANSFERRED") owner = event.customer;
    if ((event.kind === "DELIVERED" || event.kind === "INSTALLED") && owner) {
      found = { customer: owner, on: event.occurredOn };
      installed ||= event.kind === "INSTALLED";
    }
  }
  return found && { ...found, installed };
}

const LOW_SCORES: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 2],
  [3, 3],
];
const HIGH_SCORES: readonly (readonly [number, number])[] = [
  [4, 2],
  [5, 3],
];
const POST_SALE_SCORES: readonly (readonly [number, number])[] = [
  [5, 40],
  [4, 35],
  [3, 12],
  [2, 8],
  [1, 5],
];
const NPS_SCORES: readonly (readonly [number, number])[] = [
  [10, 22],
  [9, 22],
  [8, 18],
  [7, 12],
  [6, 8],
  [5, 6],
  [4, 4],
  [3, 3],
  [2, 2],
  [1, 2],
  [0, 1],
];

// ---------------------------------------------------------------------------
// Comments

type Band = "good" | "mixed" | "bad";
/** A comment's wording per language and band; `{thing}` is the product in English (German says "das Gerät"). */
type Wording = Record<DemoCommentLanguage, Record<Band, readonly string[]>>;

/**
 * What customers write, by theme. Each line is read by the feedback
 * subgraph's lexicon (services/feedback/LEXICON.md) for the theme it is
 * filed under and a sentiment that fits its band: good ones POSITIVE, bad
 * ones NEGATIVE, mixed ones MIXED.
 */
const CSAT_COMMENTS = {
  speed: {
    en: {
      good: [
        "The technician came the next day and the {thing} works again. Quick and painless, thank you!",
        "Fixed within two days of my call. Very happy with how fast it went.",
      ],
      mixed: ["Works fine again, but the visit was delayed twice."],
      bad: [
        "It took two weeks until someone came. Far too slow for a machine we use every day.",
        "Nobody came on the agreed day and we waited for days. Very disappointing.",
      ],
    },
    de: {
      good: [
        "Der Techniker kam schon am nächsten Tag, das Gerät läuft wieder. Schnell erledigt, vielen Dank!",
        "Schnell repariert, innerhalb von zwei Tagen. Sehr zufrieden.",
      ],
      mixed: ["Die Reparatur war gut, aber leider eine Woche Wartezeit auf den Termin."],
      bad: ["Zwei Wochen hat es gedauert, bis jemand kam. Viel zu langsam für ein Gerät, das wir täglich brauchen."],
    },
  },
  staff: {
    en: {
      good: ["Friendly, professional technician who explained what he replaced.", "The technician was polite and knew exactly what to do."],
      mixed: ["Friendly technician, but I had to explain the fault three times on the phone."],
      bad: ["The technician was in a hurry and rather rude."],
    },
    de: {
      good: ["Sehr freundlicher und kompetenter Techniker, hat alles gut erklärt."],
      mixed: ["Der Techniker war freundlich, aber an der Hotline wurde ich leider dreimal weiterverbunden."],
      bad: ["Der Techniker war unfreundlich und hatte es sehr eilig."],
    },
  },
  leak: {
    en: {
      good: ["No more water under the {thing} since the repair. Great job."],
      mixed: ["Good that the leak is fixed, but the invoice was higher than the quote."],
      bad: ["Still leaking after the repair, there is a puddle on the floor every morning. Very disappointed."],
    },
    de: {
      good: ["Seit der Reparatur tropft nichts mehr, alles trocken. Super!"],
      mixed: ["Gut, dass die Undichtigkeit behoben ist, aber die Rechnung war höher als gedacht."],
      bad: ["Immer noch undicht nach der Reparatur, jeden Morgen steht eine Pfütze auf dem Boden. Sehr enttäuschend."],
    },
  },
  parts: {
    en: {
      good: ["The spare part was in stock, so it was fixed in one visit. Excellent."],
      mixed: ["Good repair, but the spare part was expensive."],
      bad: ["The spare part had to be ordered first and we were without the {thing} all that time. Disappointing."],
    },
    de: {
      good: ["Das Ersatzteil war vorrätig, nach einem Besuch war alles repariert. Hervorragend."],
      mixed: ["Gute Reparatur, aber das Ersatzteil war ganz schön teuer."],
      bad: ["Das Ersatzteil musste erst bestellt werden, und keiner hat uns Bescheid gegeben. Enttäuschend."],
    },
  },
  price: {
    en: {
      good: ["Great service, a fair price and a clear invoice."],
      mixed: ["Good work, but far too expensive for half an hour."],
      bad: ["Far too expensive for a half-hour repair, and the invoice came without any explanation."],
    },
    de: {
      good: ["Top Service, faire Preise und eine verständliche Rechnung."],
      mixed: ["Gute Arbeit, aber die Anfahrtspauschale ist zu teuer."],
      bad: ["Viel zu teuer für eine halbe Stunde Arbeit, und die Rechnung kam ohne Erklärung."],
    },
  },
  noise: {
    en: {
      good: ["Runs nice and quiet again after the repair."],
      mixed: ["Good that it works again, but it is louder than before."],
      bad: ["Since the repair the {thing} makes a loud rattling noise. Not happy."],
    },
    de: {
      good: ["Läuft nach der Reparatur wieder schön leise."],
      mixed: ["Gut, dass es wieder läuft, aber es ist leider lauter als vorher."],
      bad: ["Seit der Reparatur klappert das Gerät und ist viel zu laut. Sehr ärgerlich."],
    },
  },
  loaner: {
    en: { good: ["Thanks to the loaner we were never without a machine, and the technician was very helpful."], mixed: [], bad: [] },
    de: { good: ["Dank des Leihgeräts waren wir nie ohne Maschine, und der Techniker war sehr hilfsbereit."], mixed: [], bad: [] },
  },
  answer: {
    en: {
      good: ["Quick and helpful answer in the chat, thank you."],
      mixed: ["Helpful answer in the end, but having to ask twice was annoying."],
      bad: ["I had to ask three times before anyone answered. Poor communication."],
    },
    de: {
      good: ["Schnelle Antwort im Chat, danke!"],
      mixed: ["Am Ende eine gute Antwort, aber ich musste leider zweimal nachfragen."],
      bad: ["Ich musste dreimal nachfragen, bis jemand geantwortet hat. Schlechte Kommunikation."],
    },
  },
} satisfies Record<string, Wording>;

const POST_SALE_COMMENTS = {
  delivery: {
    en: {
      good: ["Delivered as promised and well packaged. Very pleased."],
      mixed: ["Nice {thing}, but the delivery came two days late."],
      bad: ["The delivery was late twice and the box was damaged."],
    },
    de: {
      good: ["Wie versprochen geliefert und gut verpackt. Sehr zufrieden."],
      mixed: ["Tolles Gerät, aber die Lieferung kam leider zwei Tage zu spät."],
      bad: ["Die Lieferung hat sich zweimal verspätet und der Karton war beschädigt."],
    },
  },
  installation: {
    en: {
      good: ["The installer was punctual and set everything up neatly. Great first impression."],
      mixed: ["Installation went fine, but the installer left the packaging behind, which was annoying."],
      bad: ["The installation took three attempts and the water connection was leaking on the first day. Frustrating."],
    },
    de: {
      good: ["Die Montage war sauber und der Monteur sehr freundlich."],
      mixed: ["Die Installation hat gut geklappt, aber der Monteur kam leider zwei Stunden später als vereinbart."],
      bad: ["Der Anschluss war undicht, der Monteur musste zweimal kommen. Ärgerlich."],
    },
  },
  noise: {
    en: {
      good: ["Surprisingly quiet, we barely hear it."],
      mixed: ["Good results, but louder than we expected."],
      bad: ["Much too loud, the whole office hears it."],
    },
    de: {
      good: ["Erstaunlich leise, man hört es kaum."],
      mixed: ["Gute Ergebnisse, aber leider lauter als erwartet."],
      bad: ["Viel zu laut, das ganze Büro hört es."],
    },
  },
  taste: {
    en: {
      good: ["Delicious espresso with great crema from day one."],
      mixed: ["Great crema, but the coffee tastes a bit bitter, which is a little disappointing."],
      bad: ["The coffee comes out lukewarm and watery. Disappointed."],
    },
    de: {
      good: ["Der Kaffee schmeckt hervorragend, tolle Crema."],
      mixed: ["Tolle Crema, aber der Kaffee schmeckt leider etwas bitter."],
      bad: ["Der Kaffee ist lauwarm und wässrig. Enttäuschend."],
    },
  },
  leak: {
    en: {
      good: ["No leaks, no drips, everything dry under the {thing}."],
      mixed: ["Cleans perfectly, but it drips a little at the door, which is annoying."],
      bad: ["Leaking from the first week, water on the floor every day."],
    },
    de: {
      good: ["Alles dicht, kein Tropfen unter dem Gerät. Einwandfrei."],
      mixed: ["Funktioniert gut, aber leider tropft es an der Tür."],
      bad: ["Seit der ersten Woche undicht, jeden Tag Wasser auf dem Boden."],
    },
  },
  ease: {
    en: {
      good: ["Easy to use, the whole family got the hang of it within minutes."],
      mixed: ["Good {thing}, but the menu is confusing."],
      bad: ["Complicated to set up and the manual does not help at all."],
    },
    de: {
      good: ["Kinderleicht zu bedienen, super!"],
      mixed: ["Gutes Gerät, aber die Menüführung ist leider umständlich."],
      bad: ["Kompliziert einzurichten und die Anleitung hilft überhaupt nicht."],
    },
  },
  price: {
    en: {
      good: ["Great value for money."],
      mixed: ["Great {thing}, but a bit expensive."],
      bad: ["Far too expensive for what it does."],
    },
    de: {
      good: ["Top Preis-Leistungs-Verhältnis."],
      mixed: ["Tolles Gerät, aber ziemlich teuer."],
      bad: ["Viel zu teuer für das, was es kann."],
    },
  },
  staff: {
    en: {
      good: ["The dealer's staff were helpful and explained everything."],
      mixed: ["Friendly advice in the shop, but nobody followed up after the sale, which was disappointing."],
      bad: ["The salesperson was pushy and unhelpful."],
    },
    de: {
      good: ["Sehr kompetente Beratung beim Händler."],
      mixed: ["Freundliche Beratung im Laden, aber danach hat sich leider niemand mehr gemeldet."],
      bad: ["Der Verkäufer war unfreundlich und hat uns schlecht beraten."],
    },
  },
} satisfies Record<string, Wording>;

/** What an NPS answer says: about the dealer, its people and its prices. */
const NPS_COMMENTS: readonly Wording[] = [POST_SALE_COMMENTS.staff, POST_SALE_COMMENTS.price, CSAT_COMMENTS.speed];

/** The product in English comments. */
const THING: Readonly<Record<string, string>> = {
  "espresso-machines": "machine",
  dishwashers: "dishwasher",
  printers: "printer",
  tablets: "tablet",
  "child-car-seats": "seat",
};
const LEAKY = new Set(["E07-LEAK", "E08-DOOR-SEAL", "E03-NO-DRAIN"]);

const marketOf = (customer: DemoCustomer | undefined): MarketKey | undefined => PARTNERS.find((p) => p.key === customer?.homeDealer)?.market;
/** Germans mostly write German; everyone else English (the lexicon reads no Japanese). */
const languageOf = (random: Random, customer: DemoCustomer | undefined): DemoCommentLanguage =>
  marketOf(customer) === "de" && random.chance(0.85) ? "de" : "en";
const CATEGORIES = new Map(PRODUCTS.map((p) => [p.sku, p.category]));
const categoryOf = (sku: string | null | undefined) => (sku ? (CATEGORIES.get(sku) ?? "") : "");

interface AnswerContext {
  ticket?: DemoTicket;
  unit?: DemoUnit;
  installed?: boolean;
}

/** A score and (usually) a comment that fits it, in the customer's language, about what the survey asks. */
function surveyAnswer(random: Random, kind: DemoSurveyKind, score: number, customer: DemoCustomer | undefined, context: AnswerContext): DemoSurveyAnswer {
  const language = languageOf(random, customer);
  const band: Band = kind === "NPS" ? (score >= 9 ? "good" : score >= 7 ? "mixed" : "bad") : score >= 4 ? "good" : score === 3 ? "mixed" : "bad";
  // Unhappy customers say why; happy ones often leave the score alone.
  const comments = band === "bad" || random.chance(kind === "CSAT" ? 0.85 : 0.6);
  if (!comments) return { score, comment: null, language };
  const topics = (kind === "CSAT" ? csatTopics(context) : kind === "POST_SALE" ? postSaleTopics(context) : NPS_COMMENTS).filter(
    (w) => w[language][band].length > 0,
  );
  const first = random.pick(topics);
  const lines = [random.pick(first[language][band])];
  const others = topics.filter((w) => w !== first);
  // Some say two things.
  if (others.length && random.chance(0.3)) lines.push(random.pick(random.pick(others)[language][band]));
  const thing = THING[categoryOf(context.unit?.productSku ?? context.ticket?.productSku)] ?? "machine";
  return { score, comment: lines.join(" ").replaceAll("{thing}", thing), language };
}

function csatTopics({ ticket, unit }: AnswerContext): Wording[] {
  const c = CSAT_COMMENTS;
  if (!ticket || ticket.kind === "QUESTION") return [c.answer, c.staff];
  const topics: Wording[] = [c.speed, c.staff, c.price];
  if (ticket.failureCode && LEAKY.has(ticket.failureCode)) topics.push(c.leak, c.leak);
  if (ticket.parts.length) topics.push(c.parts, c.parts);
  if (ticket.loaner) topics.push(c.loaner, c.loaner);
  const category = categoryOf(unit?.productSku ?? ticket.productSku);
  if (category === "espresso-machines" || category === "dishwashers" || category === "printers") topics.push(c.noise);
  return topics;
}

function postSaleTopics({ unit, installed }: AnswerContext): Wording[] {
  const c = POST_SALE_COMMENTS;
  const topics: Wording[] = [c.delivery, c.ease, c.price, c.staff];
  const category = categoryOf(unit?.productSku);
  if (installed && category !== "tablets") topics.push(c.installation);
  if (category === "espresso-machines" || category === "dishwashers" || category === "printers") topics.push(c.noise);
  if (category === "espresso-machines") topics.push(c.taste, c.taste);
  if (category === "espresso-machines" || category === "dishwashers") topics.push(c.leak);
  return topics;
}

/** FNV-1a: a seed for a `Random` from a text. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

// ---------------------------------------------------------------------------
// Feedback outside surveys

const UNIT_COMPLAINTS: Readonly<Record<string, Record<DemoCommentLanguage, string>>> = {
  dishwashers: {
    en: "Since the repair the dishwasher leaks at the door again; there is water on the floor after every cycle. The third time I have to complain.",
    de: "Seit der Reparatur tropft die Spülmaschine an der Tür, nach jedem Spülgang steht Wasser auf dem Boden. Schon wieder! Sehr ärgerlich.",
  },
  "espresso-machines": {
    en: "Since the repair the espresso machine rattles loudly and drips under the brew group again. Really disappointed.",
    de: "Seit der Reparatur klappert die Espressomaschine laut und tropft schon wieder unter der Brühgruppe. Sehr enttäuschend.",
  },
  printers: {
    en: "Shortly after the repair the printer jams at the tray again. Same problem as before, and we depend on it every day.",
    de: "Kurz nach der Reparatur gibt es wieder Papierstau. Dasselbe Problem wie vorher, sehr ärgerlich.",
  },
  tablets: {
    en: "The battery drains within hours again, a month after the repair. Same issue as before.",
    de: "Der Akku ist einen Monat nach der Reparatur wieder nach ein paar Stunden leer. Dasselbe Problem wie vorher.",
  },
  "child-car-seats": {
    en: "The buckle fault came back after the repair: the harness does not latch. For a child seat that is a serious problem.",
    de: "Das Gurtschloss ist nach der Reparatur schon wieder defekt und rastet nicht ein. Bei einem Kindersitz ist das schlimm.",
  },
};

/**
 * A handful of things customers said outside surveys: a complaint about a
 * repaired unit whose fault came back, a complaint about a ticket waiting for
 * parts, two suggestions (about a machine and about a consumable, from
 * customers who own or buy them) and praise for two dealers.
 */
function entriesOf(random: Random, world: DemoWorld): DemoFeedbackEntry[] {
  const entries: DemoFeedbackEntry[] = [];
  const customerOf = new Map(world.customers.map((c) => [c.key, c]));
  const language = (key: string | null | undefined) => languageOf(random, key ? customerOf.get(key) : undefined);

  const repaired = world.units.filter((u) => u.owner && (u.status === "INSTALLED" || u.status === "DELIVERED") && u.events.some((e) => e.kind === "REPAIRED"));
  const wet = repaired.filter((u) => ["dishwashers", "espresso-machines"].includes(categoryOf(u.productSku)));
  const pool = wet.length ? wet : repaired;
  if (pool.length) {
    const unit = random.pick(pool);
    const lang = language(unit.owner);
    entries.push({
      kind: "COMPLAINT",
      customer: null,
      about: { serialNumber: unit.serialNumber },
      comment: UNIT_COMPLAINTS[categoryOf(unit.productSku)]![lang],
      language: lang,
    });
  }

  const waiting = world.tickets.tickets.find((t) => t.status === "WAITING_PARTS");
  if (waiting) {
    const lang = language(waiting.customer);
    entries.push({
      kind: "COMPLAINT",
      customer: null,
      about: { ticket: waiting.key },
      comment:
        lang === "de"
          ? "Ich warte auf das Ersatzteil, und niemand meldet sich, wann es kommt. Sehr frustrierend."
          : "Still waiting for the spare part, and nobody calls me back to say when it comes. Very frustrating.",
      language: lang,
    });
  }

  const espressoOwners = world.units.filter((u) => u.owner && u.productSku === "ESP-300" && u.status !== "RETIRED");
  if (espressoOwners.length) {
    const owner = random.pick(espressoOwners).owner!;
    const lang = language(owner);
    entries.push({
      kind: "SUGGESTION",
      customer: owner,
      about: { productSku: "ESP-300" },
      comment:
        lang === "de"
          ? "Bitte eine Erinnerung in der App, wenn das Entkalken fällig ist. Ein größerer Wassertank wäre super."
          : "Please add a reminder in the app when descaling is due. A bigger water tank would be great too.",
      language: lang,
    });
  }

  const descalerBuyers = [...new Set(world.purchases.filter((p) => p.productSku === "CON-DESCALER").map((p) => p.customer))];
  if (descalerBuyers.length) {
    const buyer = random.pick(descalerBuyers);
    const lang = language(buyer);
    entries.push({
      kind: "SUGGESTION",
      customer: buyer,
      about: { productSku: "CON-DESCALER" },
      comment:
        lang === "de"
          ? "Bitte das Entkalkungsmittel auch als Literflasche anbieten; die kleine Flasche reicht nur für zwei Anwendungen und kostet pro Liter mehr."
          : "Please offer the descaling liquid in a one-litre bottle; the small one lasts for two uses only and costs more per litre.",
      language: lang,
    });
  }

  // Praise for a German dealer in German, and for one of the others in English.
  const sellers = world.dealers.filter((d) => d.kind !== "SERVICE_CENTER");
  const german = sellers.filter((d) => PARTNERS.find((p) => p.key === d.key)?.market === "de");
  const praised = [german[0], random.pick(sellers.filter((d) => !german.includes(d)))];
  for (const dealer of praised) {
    if (!dealer) continue;
    const customers = world.customers.filter((c) => c.homeDealer === dealer.key && c.kind === "CONSUMER");
    if (!customers.length) continue;
    const customer = random.pick(customers);
    const lang: DemoCommentLanguage = german.includes(dealer) ? "de" : "en";
    entries.push({
      kind: "PRAISE",
      customer: customer.key,
      about: { dealer: dealer.key },
      comment:
        lang === "de"
          ? "Sehr freundliche und kompetente Beratung im Laden, und die Lieferung kam pünktlich. Gerne wieder!"
          : "The team in the store were helpful and professional, and the technician came the same day. Highly recommended.",
      language: lang,
    });
  }
  return entries;
}

// ---------------------------------------------------------------------------
// Writing it through the gateway

/** What `seed.ts` remembers a demo object by (see its `Refs`). */
export type DemoFeedbackRef = `${"dealer" | "customer" | "product" | "unit" | "ticket"}:${string}`;

/** The part of the seed's client the feedback step uses. */
export interface FeedbackSeedClient {
  /** One request as the seed's ADMIN: its data; GraphQL errors throw. `mutations` is how many it sends, for the summary. */
  request<T>(operationName: string, query: string, variables?: Record<string, unknown>, mutations?: number): Promise<T>;
  /** The id the API gave a demo object. */
  id(ref: DemoFeedbackRef): string;
  /** Throws the seed's error: a refused demo mutation is a bug in the world or the API. */
  fail(message: string, failures: string[]): never;
}

export interface FeedbackSeedOptions {
  /** Mutations per request (aliases). */
  batchSize: number;
  /** How long to wait for the feedback subgraph to hear of the tickets' resolutions. */
  waitMs: number;
  logger?: Logger;
  /** The past tickets whose CSAT surveys were answered on import: surveys the wait finds about them are expected too. */
  pastSurveyed?: ReadonlySet<string>;
}

export interface DemoFeedbackCounts {
  /** Survey answers the seed gave, by kind. */
  surveysAnswered: Record<DemoSurveyKind, number>;
  /** Surveys left open: their links can be answered on the survey page. */
  surveysOpen: number;
  /** Complaints, suggestions and praise recorded outside surveys. */
  feedbackEntries: number;
  /** Rounds of opening due surveys and answering them (one open survey per customer at a time). */
  rounds: number;
}

export interface DemoFeedbackResult {
  counts: DemoFeedbackCounts;
  /** The link (a path on the gateway, `/surveys/<token>`) of a survey left open: a CSAT survey's where there is one. */
  surveyLink: string | null;
}

/** Rounds of opening and answering at most: the busiest demo customer has about a dozen surveys waiting. */
const MAX_ROUNDS = 40;

/**
 * Makes CSAT surveys come due as soon as a ticket is resolved, for surveys
 * scheduled from then on. The demo's tickets are all resolved while it is
 * seeded, and a data analyst opening the insights page right after
 * `npm start` should see their answers, not wait a day for them; so this runs
 * before the tickets are written, since the feedback subgraph fixes a
 * survey's due time when it hears of the resolution.
 */
export async function setDemoSurveyTimings(client: FeedbackSeedClient): Promise<void> {
  const data = await client.request<{ setSurveyTimings: { errors: UserError[] } }>(
    "DemoSeedSurveyTimings",
    "mutation DemoSeedSurveyTimings { setSurveyTimings(input: { csatDelayHours: 0 }) { timings { csatDelayHours } errors { code message field } } }",
    {},
    1,
  );
  const { errors } = data.setSurveyTimings;
  if (errors.length)
    client.fail(
      `The demo's survey timings were refused: ${describe(errors)}`,
      errors.map((e) => `${e.code}: ${e.message}`),
    );
}

/**
 * Waits until the feedback subgraph has a CSAT survey about every demo
 * ticket that should have one, then opens the due surveys and answers them as
 * the world says, round after round (each run opens one survey per customer),
 * and records the feedback given outside surveys.
 */
export async function seedFeedback(world: DemoWorld, client: FeedbackSeedClient, options: FeedbackSeedOptions): Promise<DemoFeedbackResult> {
  const { logger } = options;
  const plan = feedbackOf(world);
  const byId = <T>(items: readonly T[], ref: (item: T) => DemoFeedbackRef) => new Map(items.map((item) => [client.id(ref(item)), item]));
  const tickets = byId(world.tickets.tickets, (t) => `ticket:${t.key}`);
  const units = byId(world.units, (u) => `unit:${u.serialNumber}`);
  const customers = byId(world.customers, (c) => `customer:${c.key}`);

  const expected = new Set(plan.csatTickets.map((key) => client.id(`ticket:${key}`)));
  const wait = await waitForCsatSurveys(client, expected, options.pastSurveyed ?? new Set(), options.waitMs);
  if (wait.missing || wait.unexpected) {
    logger?.warn(
      { waitedMs: wait.waitedMs, expected: expected.size, missing: wait.missing, unexpected: wait.unexpected },
      "demo: the feedback subgraph's CSAT surveys are not about the tickets the world expects (resolved or closed, never reopened); answering the surveys it has",
    );
  } else {
    logger?.debug({ waitedMs: wait.waitedMs, csatSurveys: expected.size }, "demo: the feedback subgraph has the tickets' CSAT surveys");
  }

  const leaveOpen = new Set(plan.leaveOpen);
  const answered = Object.fromEntries(DEMO_SURVEY_KINDS.map((kind) => [kind, 0])) as Record<DemoSurveyKind, number>;
  let rounds = 0;
  let open: OpenSurvey[] = [];
  for (let round = 1; ; round++) {
    await runSchedule(client);
    open = await openSurveys(client);
    const due = open.filter((s) => !leaveOpen.has(customers.get(s.customer?.id ?? "")?.key ?? ""));
    if (!due.length) break;
    if (round > MAX_ROUNDS) {
      logger?.warn({ rounds: MAX_ROUNDS, stillOpen: due.length }, "demo: surveys kept opening; leaving the rest unanswered");
      break;
    }
    const answers = due.map((survey) => {
      const customer = customers.get(survey.customer?.id ?? "");
      const ticket = tickets.get(survey.ticket?.id ?? "");
      const unit = units.get(survey.unit?.id ?? "");
      const planned = survey.kind === "CSAT" ? plan.csat[ticket?.key ?? ""] : survey.kind === "POST_SALE" ? plan.postSale[unit?.serialNumber ?? ""] : undefined;
      const answer = planned ?? unplannedAnswer(world, survey.kind, ticket?.key ?? unit?.serialNumber ?? customer?.key ?? survey.id, customer);
      return { survey, answer };
    });
    await mutateAll(
      client,
      "answerSurvey",
      "AnswerSurveyInput",
      answers.map(({ survey, answer }) => ({
        label: `${survey.kind} survey ${survey.id}`,
        input: { token: tokenOf(survey), score: answer.score, language: answer.language, ...(answer.comment ? { comment: answer.comment } : {}) },
      })),
      options.batchSize,
    );
    for (const { survey } of answers) answered[survey.kind]++;
    rounds = round;
  }

  const entries = plan.entries.map((entry) => {
    const about = entry.about;
    const subject =
      "serialNumber" in about
        ? { unitId: client.id(`unit:${about.serialNumber}`) }
        : "ticket" in about
          ? { ticketId: client.id(`ticket:${about.ticket}`) }
          : "dealer" in about
            ? { dealerId: client.id(`dealer:${about.dealer}`) }
            : { productId: client.id(`product:${about.productSku}`) };
    return {
      label: `${entry.kind.toLowerCase()} about ${Object.values(about)[0]}`,
      input: {
        kind: entry.kind,
        ...(entry.customer ? { customerId: client.id(`customer:${entry.customer}`) } : {}),
        ...subject,
        comment: entry.comment,
        language: entry.language,
      },
    };
  });
  await mutateAll(client, "recordFeedback", "RecordFeedbackInput", entries, options.batchSize);

  // A CSAT survey's link where one was left open (the first customer of `leaveOpen`), else the first in the world's order.
  const order = new Map(world.customers.map((c, i) => [c.key, i]));
  const rank = (s: OpenSurvey) => (s.kind === "CSAT" ? 0 : 1) * 1e6 + (order.get(customers.get(s.customer?.id ?? "")?.key ?? "") ?? 1e5);
  const shown = [...open].sort((a, b) => rank(a) - rank(b))[0];
  return {
    counts: { surveysAnswered: answered, surveysOpen: open.length, feedbackEntries: entries.length, rounds },
    surveyLink: shown?.link ?? null,
  };
}

interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

interface OpenSurvey {
  id: string;
  kind: DemoSurveyKind;
  link: string | null;
  customer: { id: string } | null;
  ticket: { id: string } | null;
  unit: { id: string } | null;
}

interface SurveyPage<T> {
  surveys: { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const describe = (errors: readonly UserError[]) => errors.map((e) => `${e.code}${e.field ? ` at ${e.field.join(".")}` : ""}: ${e.message}`).join("; ");

/** A survey's token: the last path segment of its link. */
function tokenOf(survey: OpenSurvey): string {
  const token = survey.link?.split("/").filter(Boolean).at(-1);
  if (!token) throw new Error(`Demo seed bug: open survey ${survey.id} came without a link.`);
  return token;
}

async function allPages<T>(client: FeedbackSeedClient, operationName: string, query: string): Promise<T[]> {
  const nodes: T[] = [];
  for (let after: string | null = null; ; ) {
    const { surveys }: SurveyPage<T> = await client.request<SurveyPage<T>>(operationName, query, { after });
    nodes.push(...surveys.edges.map((edge) => edge.node));
    if (!surveys.pageInfo.hasNextPage) return nodes;
    after = surveys.pageInfo.endCursor;
  }
}

const openSurveys = (client: FeedbackSeedClient) =>
  allPages<OpenSurvey>(
    client,
    "DemoSeedOpenSurveys",
    `query DemoSeedOpenSurveys($after: String) { surveys(filter: { statuses: [OPEN] }, first: 100, after: $after) {
      edges { node { id kind link customer { id } ticket { id } unit { id } } } pageInfo { hasNextPage endCursor } } }`,
  );

async function runSchedule(client: FeedbackSeedClient): Promise<void> {
  const data = await client.request<{ openDueSurveys: { opened: number; errors: UserError[] } }>(
    "DemoSeedOpenDueSurveys",
    "mutation DemoSeedOpenDueSurveys { openDueSurveys { opened cancelled expired errors { code message field } } }",
    {},
    1,
  );
  const { errors } = data.openDueSurveys;
  if (errors.length)
    client.fail(
      `Opening the due surveys failed: ${describe(errors)}`,
      errors.map((e) => `${e.code}: ${e.message}`),
    );
}

/**
 * Polls (short sleeps) until the feedback subgraph has a CSAT survey, not
 * cancelled, about exactly the tickets `expected` names: it schedules them as
 * it applies the tickets' events. Returns how long that took and, when
 * `timeoutMs` ran out first, how many were missing or not expected: the
 * demo goes on with the surveys there are.
 */
async function waitForCsatSurveys(
  client: FeedbackSeedClient,
  expected: ReadonlySet<string>,
  past: ReadonlySet<string>,
  timeoutMs: number,
): Promise<{ waitedMs: number; missing: number; unexpected: number }> {
  const query = `query DemoSeedCsatWait($after: String) {
    surveys(filter: { kinds: [CSAT], statuses: [SCHEDULED, OPEN, ANSWERED, EXPIRED] }, first: 100, after: $after) {
      edges { node { ticket { id } } } pageInfo { hasNextPage endCursor } } }`;
  let missing = expected.size;
  let unexpected = 0;
  const { waitedMs } = await poll(async () => {
    const surveyed = (await allPages<{ ticket: { id: string } | null }>(client, "DemoSeedCsatWait", query)).map((s) => s.ticket?.id ?? "");
    missing = [...expected].filter((id) => !surveyed.includes(id)).length;
    // The reopened ticket's survey is scheduled at its resolution and cancelled at its reopening: not done until it is.
    unexpected = surveyed.filter((id) => !expected.has(id) && !past.has(id)).length;
    return missing === 0 && unexpected === 0 ? true : undefined;
  }, timeoutMs);
  return { waitedMs, missing, unexpected };
}

/** Sends one kind of mutation in aliased batches; any refusal fails the seed. */
async function mutateAll(
  client: FeedbackSeedClient,
  mutation: string,
  inputType: string,
  items: readonly { label: string; input: Record<string, unknown> }[],
  batchSize: number,
): Promise<void> {
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize);
    const variables = Object.fromEntries(batch.map((item, i) => [`v${i}`, item.input]));
    const declarations = batch.map((_, i) => `$v${i}: ${inputType}!`).join(", ");
    const fields = batch.map((_, i) => `m${i}: ${mutation}(input: $v${i}) { errors { code message field } }`).join("\n  ");
    const data = await client.request<Record<string, { errors: UserError[] } | null>>(
      "DemoSeedFeedback",
      `mutation DemoSeedFeedback(${declarations}) {\n  ${fields}\n}`,
      variables,
      batch.length,
    );
    const failures = batch.flatMap((item, i) => {
      const payload = data[`m${i}`];
      if (!payload) return [`${item.label} [m${i}: ${mutation}]: no payload came back`];
      return payload.errors.length ? [`${item.label} [m${i}: ${mutation}] refused: ${describe(payload.errors)}`] : [];
    });
    if (failures.length) {
      client.fail(`The demo seed failed on ${failures.length} of ${batch.length} mutations in one request:\n  ${failures.slice(0, 10).join("\n  ")}`, failures);
    }
  }
}
