/**
 * The demo's past NPS rounds, post-sale answers and outreach contacts (see
 * `relationships.ts`), brought in through the import mutations, many facts
 * per request: the answers first; then, once the outreach subgraph has heard
 * of them (it raises the call backs to detractors from them), the contacts
 * with what came of them.
 */
import type { DemoHistory } from "../history.js";
import { relationshipHistoryOf, type DemoPastContact, type DemoRelationshipHistory } from "../relationships.js";
import type { DemoWorld } from "../world.js";
import { DemoSeedError, type BatchClient } from "./client.js";
import { customer, ticket, unit } from "./operations.js";

/** Answers per `importSurveyAnswers` and contacts per `importOutreachItems`: a few hundred facts per request, well within the limit of 500. */
export const PAST_ANSWERS_PER_IMPORT = 250;
export const PAST_CONTACTS_PER_IMPORT = 250;

interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

export interface PastRelationshipsSummary {
  npsAnswers: number;
  postSaleAnswers: number;
  contacts: number;
  /** How long the seed waited for the outreach subgraph to hear of the answers. */
  waitedMs: number;
}

const chunked = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

function refuseOnErrors(what: string, errors: readonly UserError[]): void {
  if (!errors.length) return;
  const failures = errors.map((e) => `${e.code}${e.field ? ` at ${e.field.join(".")}` : ""}: ${e.message}`);
  throw new DemoSeedError(`The demo seed's ${what} was refused: ${failures.slice(0, 10).join("; ")}`, failures);
}

const IMPORT_ANSWERS = `mutation DemoSeedPastAnswers($input: ImportSurveyAnswersInput!) {
  importSurveyAnswers(input: $input) { surveys { id } errors { code message field } }
}`;
const IMPORT_CONTACTS = `mutation DemoSeedPastContacts($input: ImportOutreachItemsInput!) {
  importOutreachItems(input: $input) { items { id } errors { code message field } }
}`;
const ANSWERED_CSAT = `query DemoSeedAnsweredCsat($after: String) {
  surveys(filter: { kinds: [CSAT], statuses: [ANSWERED] }, first: 100, after: $after) {
    edges { node { id ticket { id } } } pageInfo { hasNextPage endCursor }
  }
}`;

export async function seedPastRelationships(
  world: DemoWorld,
  history: DemoHistory,
  client: BatchClient,
  settle: () => Promise<void>,
): Promise<PastRelationshipsSummary & { past: DemoRelationshipHistory }> {
  const past = relationshipHistoryOf(world, history);
  const refs = client.refs;
  const surveyOf = new Map<string, string>();
  const answers = [
    ...past.npsRounds.map((round) => ({
      key: `nps ${round.key}`,
      input: {
        customerId: refs.id(customer(round.customer)),
        askedAt: round.askedAt,
        answeredAt: round.answeredAt,
        score: round.score,
        language: round.language,
        ...(round.comment ? { comment: round.comment } : {}),
      },
    })),
    ...past.postSale.map((p) => ({
      key: `postSale ${p.serialNumber}`,
      input: {
        unitId: refs.id(unit(p.serialNumber)),
        answeredAt: p.answeredAt,
        score: p.answer.score,
        language: p.answer.language,
        ...(p.answer.comment ? { comment: p.answer.comment } : {}),
      },
    })),
  ];
  for (const chunk of chunked(answers, PAST_ANSWERS_PER_IMPORT)) {
    const data = await client.request<{ importSurveyAnswers: { surveys: { id: string }[] | null; errors: UserError[] } }>(
      "DemoSeedPastAnswers",
      IMPORT_ANSWERS,
      { input: { answers: chunk.map((answer) => answer.input) } },
      1,
    );
    refuseOnErrors("import of past NPS and post-sale answers", data.importSurveyAnswers.errors);
    for (const [i, answer] of chunk.entries()) surveyOf.set(answer.key, data.importSurveyAnswers.surveys?.[i]?.id ?? "");
  }

  // The outreach subgraph raises the call backs to detractors from the answers' events: the contacts name them.
  const waitStarted = performance.now();
  await settle();
  const waitedMs = Math.round(performance.now() - waitStarted);
  const csatSurveys = past.contacts.some((c) => "csat" in c.subject) ? await answeredCsatSurveys(client) : new Map<string, string>();
  const purchaseIds = await purchaseIdsOf(world, client, past.contacts);
  const subjectOf = (c: DemoPastContact): string => {
    const s = c.subject;
    const id =
      "unit" in s
        ? refs.id(unit(s.unit))
        : "purchase" in s
          ? purchaseIds.get(s.purchase)
          : "nps" in s
            ? surveyOf.get(`nps ${s.nps}`)
            : "postSale" in s
              ? surveyOf.get(`postSale ${s.postSale}`)
              : csatSurveys.get(refs.id(ticket(s.csat)));
    if (!id) throw new Error(`Demo seed bug: the past contact about ${JSON.stringify(s)} names nothing the seed created.`);
    return id;
  };
  for (const chunk of chunked(past.contacts, PAST_CONTACTS_PER_IMPORT)) {
    const items = chunk.map((c) => ({
      customerId: refs.id(customer(c.customer)),
      reason: c.reason,
      subjectId: subjectOf(c),
      openedAt: c.openedAt,
      dueOn: c.dueOn,
      unansweredAttempts: c.unansweredAttempts,
      outcome: c.outcome,
      outcomeAt: c.outcomeAt,
      ...(c.channel ? { channel: c.channel } : {}),
      ...(c.note ? { note: c.note } : {}),
      ...(c.convertedTo !== null ? { conversion: { kind: "PURCHASE", id: purchaseIds.get(c.convertedTo) } } : {}),
    }));
    const data = await client.request<{ importOutreachItems: { errors: UserError[] } }>("DemoSeedPastContacts", IMPORT_CONTACTS, { input: { items } }, 1);
    refuseOnErrors("import of past outreach contacts", data.importOutreachItems.errors);
  }
  return { npsAnswers: past.npsRounds.length, postSaleAnswers: past.postSale.length, contacts: past.contacts.length, waitedMs, past };
}

/** Each answered CSAT survey's id, by its ticket's id. */
async function answeredCsatSurveys(client: BatchClient): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let after: string | null = null; ; ) {
    type Page = { surveys: { edges: { node: { id: string; ticket: { id: string } | null } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const { surveys }: Page = await client.request<Page>("DemoSeedAnsweredCsat", ANSWERED_CSAT, { after });
    for (const { node } of surveys.edges) if (node.ticket) found.set(node.ticket.id, node.id);
    if (!surveys.pageInfo.hasNextPage) return found;
    after = surveys.pageInfo.endCursor;
  }
}

/**
 * The ids of the purchases the contacts name (by their index in the world),
 * read from the customers' purchase histories: a customer's purchases of a
 * product on a day, in the world's order, are the catalog's in its order.
 */
async function purchaseIdsOf(world: DemoWorld, client: BatchClient, contacts: readonly DemoPastContact[]): Promise<Map<number, string>> {
  const wanted = new Set(
    contacts.flatMap((c) => [...("purchase" in c.subject ? [c.subject.purchase] : []), ...(c.convertedTo !== null ? [c.convertedTo] : [])]),
  );
  const customers = [...new Set([...wanted].map((i) => world.purchases[i]!.customer))];
  const ids = new Map<number, string>();
  for (const chunk of chunked(customers, 6)) {
    const fields = chunk.map(
      (key, i) =>
        `c${i}: customer(id: "${client.refs.id(customer(key))}") { consumablePurchases(first: 100) { edges { node { id purchasedOn quantity product { sku } } } } }`,
    );
    type Purchases = { consumablePurchases: { edges: { node: { id: string; purchasedOn: string; quantity: number; product: { sku: string } } }[] } } | null;
    const data = await client.request<Record<string, Purchases>>("DemoSeedPurchases", `query DemoSeedPurchases {\n  ${fields.join("\n  ")}\n}`);
    chunk.forEach((key, c) => {
      const known = (data[`c${c}`]?.consumablePurchases.edges ?? []).map(({ node }) => node);
      const taken = new Set<string>();
      world.purchases.forEach((p, i) => {
        if (p.customer !== key) return;
        const match = known.find((k) => !taken.has(k.id) && k.product.sku === p.productSku && k.purchasedOn === p.purchasedOn && k.quantity === p.quantity);
        if (!match) return;
        taken.add(match.id);
        ids.set(i, match.id);
      });
    });
  }
  return ids;
}
