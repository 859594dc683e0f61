import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Opaque ids with a type prefix (`dlr_01JD3...`): a customer id pasted where a
 * dealer id belongs is recognisable at a glance and refused by validation.
 * The body is a ULID (48-bit time + 80 random bits): ids created together sort
 * together, which keeps b-tree inserts local.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = "";
  for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i]! % 32];
  return `${prefix}_${time}${random}`;
}

/** An id as `newId` makes them: a lower-case type prefix and a ULID. */
export const WELL_FORMED_ID = /^[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}$/;
