import { monotonicFactory } from "ulid";

/**
 * One generator for the whole process: ids made in the same millisecond (a
 * claim's lines, a loaner lent and returned at once) take the previous id's
 * random part plus one, so they sort in the order they were made, and a
 * clock that steps back never makes an id sort before an earlier one.
 */
const nextUlid = monotonicFactory();

/**
 * Opaque ids with a type prefix (`dlr_01JD3...`): a customer id pasted where a
 * dealer id belongs is recognisable at a glance and refused by validation.
 * The body is a monotonic ULID (48-bit time + 80 bits, random at each new
 * millisecond): ids sort by creation, which keeps b-tree inserts local and
 * lets lists ordered by id show records in the order they were made.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${nextUlid(now)}`;
}

/** An id as `newId` makes them: a lower-case type prefix and a ULID. */
export const WELL_FORMED_ID = /^[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}$/;
