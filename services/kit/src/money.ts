/** Money amounts are decimal strings; arithmetic on them runs in integer cents, never in floats. */

const toCents = (amount: string): bigint => {
  const [whole = "0", fraction = ""] = amount.replace(/^-/, "").split(".");
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
  return amount.startsWith("-") ? -cents : cents;
};

const fromCents = (cents: bigint): string => {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};

/** `amount` × a whole number, e.g. a part's price times the quantity on the shelf. */
export function multiplyAmount(amount: string, times: number): string {
  return fromCents(toCents(amount) * BigInt(Math.trunc(times)));
}

/** Amount and currency columns as the shared GraphQL `Money` type. */
export const moneyOf = (amount: string, currency: string) => ({ amount, currency });
