import { amountColumn, inboxTables, outboxTable, versionColumns } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `partners` Postgres schema. */
export const partners = pgSchema("partners");

export const dealerKind = partners.enum("dealer_kind", ["DEALER", "SERVICE_CENTER", "BOTH"]);
export const customerKind = partners.enum("customer_kind", ["CONSUMER", "BUSINESS"]);
export const relationshipLevel = partners.enum("relationship_level", ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"]);
/** The roles of the graph's callers (the kit's `ROLES`), as an API key carries one. */
export const callerRole = partners.enum("caller_role", ["DEALER", "AGENT", "ANALYST", "ADMIN"]);

/** Addresses are kept as plain columns: they are read with their owner, never on their own. */
const address = {
  street: text().notNull().default(""),
  postalCode: text().notNull().default(""),
  city: text().notNull(),
  country: text().notNull(),
};

export const dealers = partners.table(
  "dealers",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    kind: dealerKind().notNull(),
    region: text().notNull(),
    email: text(),
    phone: text(),
    ...address,
    latitude: doublePrecision().notNull(),
    longitude: doublePrecision().notNull(),
    serviceRadiusKm: integer().notNull().default(0),
    laborRate: amountColumn().notNull(),
    laborRateCurrency: text().notNull(),
    /** Null: not an authorized warranty workshop. */
    workshopAuthorizedFrom: date(),
    /** Null with a start date: authorized without end. */
    workshopAuthorizedUntil: date(),
    timeZone: text().notNull(),
    /** What a customer registered without a level starts at. */
    defaultRelationshipLevel: relationshipLevel().notNull().default("BASIC"),
    /** At most one outreach contact per customer in this many days. */
    contactIntervalDays: integer().notNull().default(30),
    ...versionColumns(),
  },
  (t) => [
    index("dealers_name_idx").on(t.name, t.id),
    check("dealers_contact_interval_in_range", sql`${t.contactIntervalDays} between 1 and 365`),
    check("dealers_radius_not_negative", sql`${t.serviceRadiusKm} >= 0`),
    check("dealers_workshop_dates_ordered", sql`${t.workshopAuthorizedUntil} is null or ${t.workshopAuthorizedUntil} >= ${t.workshopAuthorizedFrom}`),
  ],
);

/** Weekly opening windows in the dealer's own time zone, as minutes since midnight (close may be 1440). */
export const dealerBusinessHours = partners.table(
  "dealer_business_hours",
  {
    dealerId: text()
      .notNull()
      .references(() => dealers.id, { onDelete: "cascade" }),
    /** ISO weekday: 1 = Monday ... 7 = Sunday. */
    weekday: smallint().notNull(),
    opensMinute: smallint().notNull(),
    closesMinute: smallint().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.dealerId, t.weekday, t.opensMinute] }),
    check("business_hours_weekday", sql`${t.weekday} between 1 and 7`),
    check("business_hours_window", sql`0 <= ${t.opensMinute} and ${t.opensMinute} < ${t.closesMinute} and ${t.closesMinute} <= 1440`),
  ],
);

export const dealerHolidays = partners.table(
  "dealer_holidays",
  {
    dealerId: text()
      .notNull()
      .references(() => dealers.id, { onDelete: "cascade" }),
    date: date().notNull(),
    name: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.dealerId, t.date] })],
);

export const technicians = partners.table(
  "technicians",
  {
    id: text().primaryKey(),
    serviceCenterId: text()
      .notNull()
      .references(() => dealers.id),
    name: text().notNull(),
    email: text(),
    phone: text(),
    /** Product categories the technician is trained on. */
    skills: text().array().notNull().default(sql`'{}'::text[]`),
    active: boolean().notNull().default(true),
    /** The key a dealer's system created the technician with: a retry finds it instead of creating another. */
    idempotencyKey: text(),
    inputHash: text(),
    ...versionColumns(),
  },
  (t) => [
    index("technicians_service_center_idx").on(t.serviceCenterId, t.name, t.id),
    uniqueIndex("technicians_idempotency_key").on(t.serviceCenterId, t.idempotencyKey),
  ],
);

export const customers = partners.table(
  "customers",
  {
    id: text().primaryKey(),
    kind: customerKind().notNull(),
    name: text().notNull(),
    companyName: text(),
    email: text(),
    phone: text(),
    ...address,
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    homeDealerId: text()
      .notNull()
      .references(() => dealers.id),
    relationshipLevel: relationshipLevel().notNull().default("BASIC"),
    /** Consent to outreach per channel: false once the customer opted out. */
    phoneConsent: boolean().notNull().default(true),
    emailConsent: boolean().notNull().default(true),
    /** When the customer last changed their consent; null: never. */
    consentChangedAt: timestamp({ withTimezone: true }),
    /** The key a dealer's system created the customer with: a retry finds it instead of creating another. */
    idempotencyKey: text(),
    inputHash: text(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("customers_idempotency_key").on(t.homeDealerId, t.idempotencyKey),
    index("customers_name_idx").on(t.name, t.id),
    index("customers_home_dealer_idx").on(t.homeDealerId, t.name, t.id),
    index("customers_email_idx").on(sql`lower(${t.email})`),
  ],
);

/**
 * API keys for partners' systems. Only the key's SHA-256 is kept: the key is
 * shown once, when it is created, and cannot be recovered from what is stored.
 */
export const apiKeys = partners.table(
  "api_keys",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    keyHash: text().notNull(),
    /** The key's first characters, so a person can tell keys apart without the key. */
    keyPrefix: text().notNull(),
    role: callerRole().notNull(),
    /** The dealer a DEALER key acts for; null for every other role. */
    dealerId: text().references(() => dealers.id),
    /** Restricted to registered operations: the gateway refuses free-form queries sent with it. */
    operationsOnly: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The subject of the ADMIN who created it. */
    createdBy: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_key").on(t.keyHash),
    index("api_keys_dealer_idx").on(t.dealerId, t.id),
    check("api_keys_dealer_iff_dealer_role", sql`(${t.role} = 'DEALER') = (${t.dealerId} is not null)`),
  ],
);

/**
 * Registered (persisted) operations, called by their SHA-256 instead of
 * their text. A dealer's own are callable only by that dealer; those staff
 * registered (no dealer) by every caller. The same document may be
 * registered once per scope.
 */
export const persistedOperations = partners.table(
  "persisted_operations",
  {
    id: text().primaryKey(),
    /** SHA-256 (hex) of `document`, exactly as stored. */
    hash: text().notNull(),
    name: text().notNull(),
    document: text().notNull(),
    /** The registering DEALER's dealer; null when staff registered it (callable by everyone). */
    dealerId: text().references(() => dealers.id),
    /** The credential that registered it (`token:<sub>` or `key:<id>`). */
    registeredBy: text().notNull(),
    registeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Staff's registrations have no dealer, and are one scope too.
    unique("persisted_operations_hash_scope_key").on(t.hash, t.dealerId).nullsNotDistinct(),
    index("persisted_operations_dealer_idx").on(t.dealerId, t.id),
  ],
);

export type DealerRow = typeof dealers.$inferSelect;
export type BusinessHoursRow = typeof dealerBusinessHours.$inferSelect;
export type HolidayRow = typeof dealerHolidays.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type PersistedOperationRow = typeof persistedOperations.$inferSelect;

/** A technician's columns that say who the person is; ANALYST callers read them as null. */
export type TechnicianPersonalColumn = "name" | "email" | "phone";
export type StoredTechnician = typeof technicians.$inferSelect;
/** A technician as the caller may see it (see `TechnicianPersonalColumn`). */
export type TechnicianRow = Nullable<StoredTechnician, TechnicianPersonalColumn>;

/** A customer's columns that say who and where the person is; ANALYST callers read them as null. */
export type CustomerPersonalColumn = "name" | "companyName" | "email" | "phone" | "street" | "latitude" | "longitude";
export type StoredCustomer = typeof customers.$inferSelect;
/** A customer as the caller may see it (see `CustomerPersonalColumn`). */
export type CustomerRow = Nullable<StoredCustomer, CustomerPersonalColumn>;

type Nullable<Row, Column extends keyof Row> = Omit<Row, Column> & { [K in Column]: Row[K] | null };

/** Domain events of partners (dealers' terms, customers' and technicians' non-personal facts), written with the change they describe. */
export const outbox = outboxTable(partners);

/** The events of every subgraph partners applied: it sends them on to dealers' webhook endpoints. */
export const { eventInbox, eventCursors, eventDeadLetters } = inboxTables(partners);

/** A dealer's HTTPS endpoint that receives its events as signed POST requests. */
export const webhookEndpoints = partners.table(
  "webhook_endpoints",
  {
    id: text().primaryKey(),
    dealerId: text()
      .notNull()
      .references(() => dealers.id),
    url: text().notNull(),
    /** Event types (`ticket.opened`), families (`ticket.*`) or `*`. */
    eventTypes: text().array().notNull(),
    description: text(),
    /** An inactive endpoint gets no new deliveries, and its pending ones wait. */
    active: boolean().notNull().default(true),
    /** The HMAC key, kept whole because signing needs it; shown only when made. */
    secret: text().notNull(),
    ...versionColumns(),
  },
  (t) => [
    // Registering the same URL twice would send every event to it twice.
    unique("webhook_endpoints_dealer_url_key").on(t.dealerId, t.url),
    index("webhook_endpoints_dealer_idx").on(t.dealerId, t.id),
  ],
);

export const webhookDeliveryStatus = partners.enum("webhook_delivery_status", ["PENDING", "RETRYING", "DELIVERED", "FAILED"]);

/** One event to send to one endpoint, until it is delivered or has failed. */
export const webhookDeliveries = partners.table(
  "webhook_deliveries",
  {
    id: text().primaryKey(),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The endpoint's dealer, here for row-level security. */
    dealerId: text().notNull(),
    eventId: uuid().notNull(),
    eventType: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    /** The exact JSON sent, so every attempt and replay sends the same bytes. */
    body: text().notNull(),
    status: webhookDeliveryStatus().notNull().default("PENDING"),
    /** Null: due at the sender's next pass (never tried yet). */
    nextAttemptAt: timestamp({ withTimezone: true }),
    /** Retries end a day after this. */
    firstAttemptAt: timestamp({ withTimezone: true }),
    attemptCount: integer().notNull().default(0),
    /** The delivery this one sends again. */
    replayOf: text().references((): AnyPgColumn => webhookDeliveries.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A redelivered event adds nothing; replays are deliveries of their own.
    uniqueIndex("webhook_deliveries_event_key").on(t.endpointId, t.eventId).where(sql`${t.replayOf} is null`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} in ('PENDING', 'RETRYING')`),
  ],
);

/** Each request the sender made for a delivery, and what came of it. */
export const webhookAttempts = partners.table(
  "webhook_attempts",
  {
    deliveryId: text()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    /** 1 for the first attempt of the delivery. */
    number: integer().notNull(),
    /** The delivery's dealer, here for row-level security. */
    dealerId: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    /** Null when no answer came. */
    statusCode: integer(),
    /** Why it did not count as delivered; null when it did. */
    error: text(),
    durationMs: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.number] })],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
