import { versionColumns } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgSchema,
  primaryKey,
  smallint,
  text,
} from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `partners` Postgres schema. */
export const partners = pgSchema("partners");

export const dealerKind = partners.enum("dealer_kind", ["DEALER", "SERVICE_CENTER", "BOTH"]);
export const customerKind = partners.enum("customer_kind", ["CONSUMER", "BUSINESS"]);
export const relationshipLevel = partners.enum("relationship_level", ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"]);

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
    laborRate: numeric({ precision: 12, scale: 2 }).notNull(),
    laborRateCurrency: text().notNull(),
    /** Null: not an authorized warranty workshop. */
    workshopAuthorizedFrom: date(),
    /** Null with a start date: authorized without end. */
    workshopAuthorizedUntil: date(),
    timeZone: text().notNull(),
    ...versionColumns(),
  },
  (t) => [
    index("dealers_name_idx").on(t.name, t.id),
    check("dealers_radius_not_negative", sql`${t.serviceRadiusKm} >= 0`),
    check(
      "dealers_workshop_dates_ordered",
      sql`${t.workshopAuthorizedUntil} is null or ${t.workshopAuthorizedUntil} >= ${t.workshopAuthorizedFrom}`,
    ),
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
    ...versionColumns(),
  },
  (t) => [index("technicians_service_center_idx").on(t.serviceCenterId, t.name, t.id)],
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
    ...versionColumns(),
  },
  (t) => [
    index("customers_name_idx").on(t.name, t.id),
    index("customers_home_dealer_idx").on(t.homeDealerId, t.name, t.id),
    index("customers_email_idx").on(sql`lower(${t.email})`),
  ],
);

export type DealerRow = typeof dealers.$inferSelect;
export type BusinessHoursRow = typeof dealerBusinessHours.$inferSelect;
export type HolidayRow = typeof dealerHolidays.$inferSelect;
export type TechnicianRow = typeof technicians.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
