import { describe, expect, it } from "vitest";
import { masked } from "../src/domain/access.js";

describe("masked: a comment as an ANALYST reads it", () => {
  it.each([
    ["masks an e-mail address", "Write to anna.berg@example.com please", "Write to [email] please"],
    ["masks an international phone number", "Ruf an: +49 30 1234567", "Ruf an: [phone]"],
    ["masks a phone number written with dashes and brackets", "call (555) 123-4567 after six", "call ([phone] after six"],
    ["masks both in one comment", "anna@example.com / 0171 2345678", "[email] / [phone]"],
    ["keeps ISO and European dates", "Broke on 2026-03-02, again on 14.03.2026", "Broke on 2026-03-02, again on 14.03.2026"],
    ["keeps short numbers: prices, model numbers, counts", "Paid 129.90 for the BX-2291, third time", "Paid 129.90 for the BX-2291, third time"],
  ])("%s", (_, comment, expected) => {
    expect(masked(comment)).toBe(expected);
  });
});
