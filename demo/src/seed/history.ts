/** The demo's eighteen months of tickets and CSAT answers (see `history.ts`), brought in through the import mutations. */
import type { DemoHistory, DemoHistoryTicket } from "../history.js";
import { customer, dealer, technician, ticket, unit, type Operation, type RefKey } from "./operations.js";

/**
 * Tickets per `importTickets` and answers per `importSurveyAnswers`, each
 * import a request of its own: a transaction well within a subgraph's time
 * to answer on a busy machine, not one of the whole past.
 */
export const HISTORY_TICKETS_PER_IMPORT = 50;
export const HISTORY_ANSWERS_PER_IMPORT = 50;

const chunked = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function historyTicketOps(history: DemoHistory): Operation[] {
  return chunked(history.tickets, HISTORY_TICKETS_PER_IMPORT).map((chunk) => {
    const needs = new Set<RefKey>();
    for (const t of chunk) {
      needs.add(customer(t.customer));
      needs.add(unit(t.serialNumber));
      needs.add(dealer(t.serviceCenter));
      if (t.technician) needs.add(technician(t.technician));
    }
    return {
      label: `past tickets ${chunk[0]!.key} to ${chunk.at(-1)!.key}`,
      mutation: "importTickets",
      inputType: "ImportTicketsInput",
      needs: [...needs],
      input: (refs) => ({
        tickets: chunk.map((t: DemoHistoryTicket) => ({
          customerId: refs.id(customer(t.customer)),
          unitId: refs.id(unit(t.serialNumber)),
          kind: t.kind,
          channel: t.channel,
          priority: t.priority,
          subject: t.subject,
          description: t.description,
          ...(t.failureCode ? { failureCode: t.failureCode } : {}),
          openedAt: t.openedAt,
          serviceCenterId: refs.id(dealer(t.serviceCenter)),
          ...(t.technician ? { technicianId: refs.id(technician(t.technician)) } : {}),
          steps: t.steps,
        })),
      }),
      createsEach: { field: "tickets", as: chunk.map((t) => ticket(t.key)) },
    };
  });
}

export function historyAnswerOps(history: DemoHistory): Operation[] {
  const answered = history.tickets.filter((t) => t.csat);
  return chunked(answered, HISTORY_ANSWERS_PER_IMPORT).map((chunk) => ({
    label: `answers to the surveys of past tickets ${chunk[0]!.key} to ${chunk.at(-1)!.key}`,
    mutation: "importSurveyAnswers",
    inputType: "ImportSurveyAnswersInput",
    needs: chunk.map((t) => ticket(t.key)),
    input: (refs) => ({
      answers: chunk.map((t) => ({
        ticketId: refs.id(ticket(t.key)),
        score: t.csat!.score,
        language: t.csat!.language,
        answeredAt: t.csat!.answeredAt,
        ...(t.csat!.comment ? { comment: t.csat!.comment } : {}),
      })),
    }),
  }));
}
