import type { Role } from "@aftersales/kit";

/** Who runs the survey schedule: staff, as a scheduler does every minute. */
export const STAFF: readonly Role[] = ["AGENT", "ADMIN"];
/** Who records an answer or feedback: staff, and a DEALER for its own customers. ANALYSTs change nothing. */
export const RECORDS_FEEDBACK: readonly Role[] = ["DEALER", "AGENT", "ADMIN"];
/** Who reads surveys and feedback: everyone; ANALYSTs without the customer (see `masked`). */
export const READS_FEEDBACK: readonly Role[] = ["DEALER", "AGENT", "ANALYST", "ADMIN"];

const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/gi;
/** A run of 7 or more digits, allowing spaces, dots, dashes, slashes and brackets between them, optionally after `+`. */
const PHONE = /\+?\d(?:[\s./()-]*\d){6,}/g;
/** Dates look like phone numbers to PHONE, and are kept: `2026-03-02`, `02.03.2026`, `3/2/2026`. */
const DATE = /^(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})$/;

/**
 * A comment as an ANALYST reads it: e-mail addresses and phone numbers a
 * customer typed into it are masked, so figures never lead back to a person.
 */
export function masked(comment: string): string {
  return comment.replace(EMAIL, "[email]").replace(PHONE, (digits) => (DATE.test(digits) ? digits : "[phone]"));
}

/** Who gives a complaint case its owner: the dealer whose case it is, or an ADMIN. */
export const ASSIGNS_CASES: readonly Role[] = ["DEALER", "ADMIN"];
