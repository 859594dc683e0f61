import { Refusal } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { afterAttempt, checkWebhookEndpoint, isPublicHost, webhookHeaders, webhookSignature, type WebhookEndpointDraft } from "../src/domain/webhook.js";

/** The codes (and fields) a check refuses with; none when it passes. */
function refusalsOf(check: () => unknown): { code: string; field: string | null }[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof Refusal) return error.errors.map((e) => ({ code: e.code, field: e.field?.join(".") ?? null }));
    throw error;
  }
}

const draft = (overrides: Partial<WebhookEndpointDraft> = {}): WebhookEndpointDraft => ({
  url: "https://erp.example.com/aftersales/webhooks",
  eventTypes: ["ticket.*"],
  description: null,
  active: true,
  ...overrides,
});

describe("checkWebhookEndpoint: the URL", () => {
  it.each<{ url: string; development: string | null; production: string | null }>([
    { url: "https://erp.example.com/hooks", development: null, production: null },
    { url: "https://203.0.113.7:8443/hooks", development: null, production: null },
    { url: "http://erp.example.com/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "http://127.0.0.1:3000/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://127.0.0.1/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://2130706433/hooks", development: null, production: "URL_NOT_ALLOWED" }, // 127.0.0.1 as one number
    { url: "https://localhost/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://api.localhost/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://10.1.2.3/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://172.20.0.5/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://192.168.1.10/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://169.254.169.254/latest/meta-data", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://100.64.0.1/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://0.0.0.0/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://[::1]/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://[::ffff:127.0.0.1]/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://[fd00::1]/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://[fe80::1]/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://[2001:db8::1]/hooks", development: null, production: null },
    { url: "https://erp/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://erp.internal/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "https://printer.local/hooks", development: null, production: "URL_NOT_ALLOWED" },
    { url: "ftp://erp.example.com/hooks", development: "INVALID_URL", production: "INVALID_URL" },
    { url: "erp.example.com/hooks", development: "INVALID_URL", production: "INVALID_URL" },
    { url: "https://user:pw@erp.example.com/hooks", development: "INVALID_URL", production: "INVALID_URL" },
    { url: "  ", development: "REQUIRED", production: "REQUIRED" },
    { url: `https://erp.example.com/${"a".repeat(2000)}`, development: "TOO_LONG", production: "TOO_LONG" },
  ])("$url: $development in development, $production in production", ({ url, development, production }) => {
    const codes = (isProduction: boolean) => refusalsOf(() => checkWebhookEndpoint(draft({ url }), isProduction)).map((e) => e.code);
    expect(codes(false)).toEqual(development ? [development] : []);
    expect(codes(true)).toEqual(production ? [production] : []);
  });

  it("keeps the URL normalized and without its fragment", () => {
    expect(checkWebhookEndpoint(draft({ url: " HTTPS://ERP.Example.com:443/Hooks#top " }), true).url).toBe("https://erp.example.com/Hooks");
  });
});

describe("checkWebhookEndpoint: the event types", () => {
  it.each<{ eventTypes: string[]; refusals: { code: string; field: string | null }[]; kept?: string[] }>([
    { eventTypes: ["ticket.opened"], refusals: [], kept: ["ticket.opened"] },
    { eventTypes: ["unit.*", "ticket.sla_breached", "unit.*", " claim.paid "], refusals: [], kept: ["claim.paid", "ticket.sla_breached", "unit.*"] },
    { eventTypes: ["*"], refusals: [], kept: ["*"] },
    { eventTypes: [], refusals: [{ code: "REQUIRED", field: "eventTypes" }] },
    { eventTypes: ["invoice.paid"], refusals: [{ code: "UNKNOWN_EVENT_TYPE", field: "eventTypes.0" }] },
    { eventTypes: ["ticket.*", "invoice.*"], refusals: [{ code: "UNKNOWN_EVENT_TYPE", field: "eventTypes.1" }] },
    { eventTypes: ["survey.answered", "feedback.*"], refusals: [], kept: ["feedback.*", "survey.answered"] },
    { eventTypes: ["ticket"], refusals: [{ code: "INVALID_EVENT_TYPE", field: "eventTypes.0" }] },
    { eventTypes: ["Ticket.Opened"], refusals: [{ code: "INVALID_EVENT_TYPE", field: "eventTypes.0" }] },
    { eventTypes: ["ticket.*.x"], refusals: [{ code: "INVALID_EVENT_TYPE", field: "eventTypes.0" }] },
    { eventTypes: ["*.opened"], refusals: [{ code: "INVALID_EVENT_TYPE", field: "eventTypes.0" }] },
    { eventTypes: Array.from({ length: 51 }, (_, i) => `ticket.kind_${i}`), refusals: [{ code: "OUT_OF_RANGE", field: "eventTypes" }] },
  ])("$eventTypes", ({ eventTypes, refusals, kept }) => {
    expect(refusalsOf(() => checkWebhookEndpoint(draft({ eventTypes }), false))).toEqual(refusals);
    if (kept) expect(checkWebhookEndpoint(draft({ eventTypes }), false).eventTypes).toEqual(kept);
  });

  it("reports every problem of the input at once", () => {
    const problems = refusalsOf(() => checkWebhookEndpoint(draft({ url: "nope", eventTypes: ["nope"], description: "x".repeat(201) }), false));
    expect(problems.map((p) => p.code)).toEqual(["INVALID_URL", "INVALID_EVENT_TYPE", "TOO_LONG"]);
  });
});

describe("isPublicHost", () => {
  it.each([
    ["erp.example.com", true],
    ["8.8.8.8", true],
    ["[2606:4700::1111]", true],
    ["127.0.0.1", false],
    ["[::]", false],
    ["[::ffff:a00:1]", false], // 10.0.0.1
    ["[::ffff:808:808]", true], // 8.8.8.8
    ["localhost.", false],
    ["224.0.0.1", false],
  ])("%s: %s", (host, expected) => {
    expect(isPublicHost(host)).toBe(expected);
  });
});

describe("webhookSignature", () => {
  it("is the hex HMAC-SHA256 of `<timestamp>.<body>` keyed with the secret, as openssl computes it", () => {
    // printf '%s.' 1700000000 | cat - body.json | openssl dgst -sha256 -hmac whsec_abc   (body.json: {"a":"ü"})
    expect(webhookSignature("whsec_abc", 1_700_000_000, '{"a":"ü"}')).toBe("v1=dab17eccfdb03b260f36b077d1619bb1f1c0024dacf09e8f0f520bea230c9fda");
  });

  it("signs at the attempt's second, in the headers that name the delivery and its event", () => {
    const delivery = { id: "whd_1", eventId: "e-1", eventType: "ticket.opened", body: '{"a":"ü"}' };
    expect(webhookHeaders(delivery, "whsec_abc", new Date("2023-11-14T22:13:20.999Z"))).toEqual({
      "Content-Type": "application/json",
      "User-Agent": "aftersales-webhooks/1",
      "Aftersales-Delivery-Id": "whd_1",
      "Aftersales-Event-Id": "e-1",
      "Aftersales-Event-Type": "ticket.opened",
      "Aftersales-Timestamp": "1700000000",
      "Aftersales-Signature": "v1=dab17eccfdb03b260f36b077d1619bb1f1c0024dacf09e8f0f520bea230c9fda",
    });
  });
});

describe("afterAttempt", () => {
  const first = new Date("2026-03-01T00:00:00Z");
  const minutes = (n: number) => new Date(first.getTime() + n * 60_000);

  it.each<{ name: string; number: number; at: number; statusCode: number | null; status: string; next: number | null }>([
    { name: "a 200", number: 1, at: 0, statusCode: 200, status: "DELIVERED", next: null },
    { name: "a 204 on the fifth attempt", number: 5, at: 15, statusCode: 204, status: "DELIVERED", next: null },
    { name: "a 500 first", number: 1, at: 0, statusCode: 500, status: "RETRYING", next: 1 },
    { name: "no answer second", number: 2, at: 1, statusCode: null, status: "RETRYING", next: 3 },
    { name: "a redirect third", number: 3, at: 3, statusCode: 302, status: "RETRYING", next: 7 },
    { name: "a 404 sixth", number: 6, at: 31, statusCode: 404, status: "RETRYING", next: 63 },
    { name: "seventh: the wait stops growing at an hour", number: 7, at: 63, statusCode: 500, status: "RETRYING", next: 123 },
    { name: "twentieth", number: 20, at: 843, statusCode: 500, status: "RETRYING", next: 903 },
    { name: "an attempt whose next would fall exactly a day after the first", number: 28, at: 1380, statusCode: 500, status: "RETRYING", next: 1440 },
    { name: "an attempt whose next would fall past the day", number: 29, at: 1383, statusCode: 500, status: "FAILED", next: null },
  ])("$name: $status", ({ number, at, statusCode, status, next }) => {
    expect(afterAttempt({ number, at: minutes(at), statusCode }, first)).toEqual({ status, nextAttemptAt: next === null ? null : minutes(next) });
  });

  it("tries 29 times within the day, the first waits doubling from a minute up to an hour", () => {
    const waits: number[] = [];
    let at = first;
    for (let number = 1; ; number++) {
      const { status, nextAttemptAt } = afterAttempt({ number, at, statusCode: 503 }, first);
      if (status === "FAILED") break;
      waits.push((nextAttemptAt!.getTime() - at.getTime()) / 60_000);
      at = nextAttemptAt!;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, ...Array<number>(22).fill(60)]);
    expect(waits.length + 1).toBe(29);
  });
});
