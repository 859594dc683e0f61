import { createHmac, randomBytes } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { InputChecks, userError, type FieldPath } from "@aftersales/kit";
import type { PartnerErrorCode } from "./errors.js";

/**
 * Partner webhooks: a dealer's endpoints receive the dealer's domain events
 * as signed POST requests, retried with exponential backoff for a day.
 */

/** The aggregates whose events the graph writes (every subgraph's `emitEvent` calls): what an endpoint may subscribe to. */
export const EVENT_FAMILIES = [
  "unit",
  "product",
  "dealer",
  "customer",
  "technician",
  "contract",
  "visit",
  "warranty",
  "claim",
  "ticket",
  "survey",
  "feedback",
  "complaint",
  "consumable",
  "outreach",
] as const;

/** Every event fans out to each matching endpoint of its dealer: a bound on that work per event. */
export const MAX_ENDPOINTS_PER_DEALER = 10;
const MAX_EVENT_TYPES = 50;
const MAX_URL_LENGTH = 2000;

/** `*`, a family (`ticket.*`) or one type (`ticket.opened`), in lower case as the graph writes them. */
const EVENT_TYPE_PATTERN = /^(\*|[a-z]+\.(\*|[a-z][a-z0-9_]*))$/;

export interface WebhookEndpointDraft {
  url: string;
  eventTypes: readonly string[];
  description: string | null;
  active: boolean;
}

export interface CheckedWebhookEndpoint {
  /** Normalized (`URL.href`, without a fragment), so the same URL is recognised however it was written. */
  url: string;
  /** Each once, sorted. */
  eventTypes: string[];
  description: string | null;
  active: boolean;
}

/**
 * Checks an endpoint as registered or after an update. In production
 * (`production`) it must be an https URL of a public host: events carry the
 * dealer's business, and the sender must not be turned against the graph's
 * own network.
 */
export function checkWebhookEndpoint(draft: WebhookEndpointDraft, production: boolean, checks = new InputChecks<PartnerErrorCode>()): CheckedWebhookEndpoint {
  const checked = {
    url: checkWebhookUrl(checks, draft.url, production, ["url"]),
    eventTypes: checkEventTypes(checks, draft.eventTypes, ["eventTypes"]),
    description: checks.optionalText(draft.description, ["description"], 200),
    active: draft.active,
  };
  checks.refuseIfAny();
  return checked;
}

function checkWebhookUrl(checks: InputChecks<PartnerErrorCode>, given: string, production: boolean, field: FieldPath): string {
  const text = checks.text(given, field, MAX_URL_LENGTH);
  if (!text) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    checks.add("INVALID_URL", "`url` is not an absolute URL such as `https://erp.example.com/aftersales/webhooks`.", field);
    return text;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    checks.add("INVALID_URL", `\`url\` must be an https URL, not ${url.protocol.slice(0, -1)}.`, field);
  } else if (url.username || url.password) {
    // Credentials in a URL end up in logs; the signature is how an endpoint knows a request is ours.
    checks.add("INVALID_URL", "`url` must not hold a user name or password: check the `Aftersales-Signature` header instead.", field);
  } else if (production && url.protocol !== "https:") {
    checks.add("URL_NOT_ALLOWED", "`url` must use https: events carry your business data.", field);
  } else if (production && !isPublicHost(url.hostname)) {
    checks.add("URL_NOT_ALLOWED", `\`url\` must name a public host; \`${url.hostname}\` is a loopback, private or internal address.`, field);
  }
  url.hash = "";
  return url.href;
}

/** Addresses no partner's public endpoint has: loopback, private, link-local, shared, reserved and multicast ranges. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 127],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/**
 * Whether a URL's host (as `URL.hostname` writes it: IPv4 normalized, IPv6 in
 * brackets) looks public. Names are judged by their form only: local and
 * single-label names are refused; what a public name resolves to is not
 * checked here.
 */
export function isPublicHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "")
    .toLowerCase();
  const version = isIP(host);
  if (version === 4) return !NOT_PUBLIC.check(host, "ipv4");
  if (version === 6) {
    // An IPv4 address written as IPv6 (`::ffff:7f00:1`) is judged as the IPv4 address it is.
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
      return isPublicHost(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return !NOT_PUBLIC.check(host, "ipv6");
  }
  const internal = ["localhost", "local", "internal", "localdomain", "home.arpa"];
  return host.includes(".") && !internal.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

function checkEventTypes(checks: InputChecks<PartnerErrorCode>, given: readonly string[], field: FieldPath): string[] {
  if (given.length === 0) {
    checks.add("REQUIRED", "Name at least one event type: one such as `ticket.opened`, a family such as `ticket.*`, or `*` for all.", field);
  } else if (given.length > MAX_EVENT_TYPES) {
    checks.add("OUT_OF_RANGE", `An endpoint takes at most ${MAX_EVENT_TYPES} event types; use a family such as \`ticket.*\`.`, field);
  }
  const types = new Set<string>();
  given.forEach((raw, i) => {
    const type = raw.trim();
    const family = type.slice(0, type.indexOf("."));
    if (!EVENT_TYPE_PATTERN.test(type)) {
      checks.add("INVALID_EVENT_TYPE", `\`${type}\` is not an event type: write one such as \`ticket.opened\`, a family such as \`ticket.*\`, or \`*\`.`, [
        ...field,
        i,
      ]);
    } else if (type !== "*" && !(EVENT_FAMILIES as readonly string[]).includes(family)) {
      checks.add("UNKNOWN_EVENT_TYPE", `The graph writes no \`${family}\` events; the families are ${EVENT_FAMILIES.map((f) => `\`${f}\``).join(", ")}.`, [
        ...field,
        i,
      ]);
    } else {
      types.add(type);
    }
  });
  return [...types].sort();
}

/** The refusal for an endpoint the caller has none of: unknown, or (for a DEALER) another dealer's. */
export const endpointNotFound = (id: string) => userError<PartnerErrorCode>("WEBHOOK_ENDPOINT_NOT_FOUND", `No webhook endpoint has the id \`${id}\`.`, ["id"]);

/** Every secret starts with this, so a leaked one is recognisable (e.g. by secret scanners). */
const SECRET_PREFIX = "whsec_";

/** A new signing secret: shown to the dealer once; kept whole, since signing needs it. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** Enough of a secret to tell which one a partner holds, without revealing it. */
export const secretHintOf = (secret: string) => secret.slice(-4);

/** `v1=` and the hex HMAC-SHA256, keyed with the whole secret, of `<unix seconds>.<body>`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The request headers of one attempt at `at`. */
export function webhookHeaders(delivery: { id: string; eventId: string; eventType: string; body: string }, secret: string, at: Date): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "Content-Type": "application/json",
    "User-Agent": "aftersales-webhooks/1",
    "Aftersales-Delivery-Id": delivery.id,
    "Aftersales-Event-Id": delivery.eventId,
    "Aftersales-Event-Type": delivery.eventType,
    "Aftersales-Timestamp": String(timestamp),
    "Aftersales-Signature": webhookSignature(secret, timestamp, delivery.body),
  };
}

/** The first retry comes a minute after the first attempt; each wait doubles, up to an hour. */
const FIRST_RETRY_MS = 60_000;
const LONGEST_WAIT_MS = 60 * 60_000;
/** No attempt is made later than this after the first. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;

export type DeliveryStatus = "PENDING" | "RETRYING" | "DELIVERED" | "FAILED";

/** Only a 2xx answer says the endpoint took the event; a redirect is not followed. */
export const isReceived = (statusCode: number | null) => statusCode !== null && statusCode >= 200 && statusCode < 300;

/**
 * Where a delivery stands after attempt `number` (1 for the first) at `at`
 * got `statusCode` (null: no answer): delivered on any 2xx; else tried again
 * after 1, 2, 4, ... minutes (at most an hour), as long as that is within a
 * day of the first attempt, and failed after that. No jitter: the schedule
 * is the documented one, to the second.
 */
export function afterAttempt(
  attempt: { number: number; at: Date; statusCode: number | null },
  firstAttemptAt: Date,
): { status: DeliveryStatus; nextAttemptAt: Date | null } {
  if (isReceived(attempt.statusCode)) return { status: "DELIVERED", nextAttemptAt: null };
  const wait = Math.min(FIRST_RETRY_MS * 2 ** (attempt.number - 1), LONGEST_WAIT_MS);
  const next = attempt.at.getTime() + wait;
  if (next - firstAttemptAt.getTime() > RETRY_WINDOW_MS) return { status: "FAILED", nextAttemptAt: null };
  return { status: "RETRYING", nextAttemptAt: new Date(next) };
}
