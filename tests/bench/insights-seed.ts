/**
 * A database for the insights benchmark: the whole graph's schemas, migrated
 * the way the graph migrates them, and the feedback subgraph's projections
 * filled as three years of a large network would leave them: 400 dealers and
 * service centers, 250 products, 600k customers, 1.5M units sold, 1M+
 * tickets, their CSAT surveys, NPS and post-sale surveys, and 120k warranty
 * claims (sizes scale with INSIGHTS_TICKETS). The dealers are also written to
 * the partners subgraph, so a DEALER identity names a dealer the graph knows.
 *
 *   npm run seed:insights                          # tsx tests/bench/insights-seed.ts
 *   npm run seed:insights -- --fresh               # drop and recreate the database first
 *   INSIGHTS_TICKETS=20000 npm run seed:insights   # a small database, for a quick run
 *   INSIGHTS_DATABASE_URL=postgres://... npm run seed:insights
 *
 * Everything is generated in PostgreSQL with set-based statements
 * (`insert ... select ... from generate_series(...)`), in chunks spread over
 * two connections. Values are pseudo-random but deterministic: each comes
 * from a hash of the row's number and a salt (`pg_temp.rnd`), never from
 * random(). Dates count back from the moment the seed runs, so "the last 12
 * months" always has data (a later run shifts them, and counts that depend on
 * dates move by a handful). Customers, units and tickets are numbered in the
 * order they happened, so their ids sort by time as the app's do. A run
 * without `--fresh` empties the projections and fills them again.
 *
 * Prints the row counts per table, how long each step took, and the dealer
 * with the most tickets (the benchmark's DEALER).
 */
import { parseArgs } from "node:util";
import { executeRows, openDatabase, type DatabaseHandle, type DatabaseTarget } from "@aftersales/kit";
import { subgraphs } from "@aftersales/schema";
import { sql } from "drizzle-orm";

const DEFAULT_INSIGHTS_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aftersales_insights";

// ---------------------------------------------------------------------------
// Sizes: everything but dealers, products and technicians scales with the tickets.
// ---------------------------------------------------------------------------

const TICKETS = Number(process.env.INSIGHTS_TICKETS ?? 1_000_000);
if (!Number.isInteger(TICKETS) || TICKETS < 1000) throw new Error("INSIGHTS_TICKETS must be a whole number of at least 1000.");
const scaled = (n: number) => Math.max(1000, Math.round((n * TICKETS) / 1_000_000));

/** Dealers 1..SELLERS sell (1, 5, 9, ... are BOTH, so also service centers: the biggest dealers run a workshop); the rest are service centers only. */
const DEALERS = 400;
const SELLERS = 320;
const SERVICE_CENTERS_ONLY = DEALERS - SELLERS;
/** Per service center (BOTH or SERVICE_CENTER, 160 of them): about 3000 technicians in all. */
const TECHNICIANS_PER_CENTER = 19;
const PRODUCTS = 250;
const CUSTOMERS = scaled(600_000);
const UNITS = scaled(1_500_000);
/** Repairs resolved that a second repair on the same unit follows (a fix that did not hold): about 6% more tickets. */
const FOLLOW_UP_SHARE = 0.1;
/** Of the repairs under the unit's two-year warranty (and no contract), those a warranty claim covered: about 120k claims per 1M tickets. */
const WARRANTY_CLAIM_SHARE = 0.23;
/** Customers sent an NPS survey (one each): about 300k of 600k. */
const NPS_CUSTOMER_SHARE = 0.51;
/** Delivered units whose owner got a post-sale survey: about 400k of 1.5M. */
const POST_SALE_UNIT_SHARE = 0.28;
/** Share of surveys answered, by kind; the rest expire (or are still open or scheduled, for recent ones). */
const ANSWER_RATE = { CSAT: 0.35, NPS: 0.28, POST_SALE: 0.4 } as const;
/** Answers with a comment. */
const COMMENT_SHARE = 0.3;
/** The feedback subgraph's default survey timings. */
const CSAT_DELAY_HOURS = 24;
const POST_SALE_DELAY_DAYS = 7;
const NPS_FIRST_AFTER_DAYS = 30;
const NPS_INTERVAL_DAYS = 180;
const ANSWER_WITHIN_DAYS = 14;
/** Rows per statement for the big tables; two statements run at a time. */
const CHUNK = 250_000;
const CONNECTIONS = 2;

/** The moment the data ends: every date counts back from it. */
const NOW = `'${new Date().toISOString()}'::timestamptz`;
/** Units are sold over three years, tickets opened over the last 27 months. */
const UNITS_FROM = `(${NOW} - interval '3 years')::date`;
const TICKETS_FROM = `(${NOW} - interval '27 months')`;

// ---------------------------------------------------------------------------
// SQL helpers, created in each connection's temporary schema.
// ---------------------------------------------------------------------------

const HELPERS = [
  // A uniform number in [0, 1) from a row number and a salt: the same every run.
  `create function pg_temp.rnd(n bigint, salt bigint) returns float8 language sql immutable parallel safe
     as $$ select ((hashint8extended(n, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`,
  // A standard normal number (Box-Muller).
  `create function pg_temp.normal(n bigint, salt bigint) returns float8 language sql immutable parallel safe
     as $$ select sqrt(-2 * ln(1 - pg_temp.rnd(n, salt))) * cos(2 * pi() * pg_temp.rnd(n, salt + 1000)) $$`,
  // Ids shaped like the app's: a type prefix and 26 characters (a zero-padded counter).
  `create function pg_temp.id(prefix text, n bigint) returns text language sql immutable parallel safe
     as $$ select prefix || '_' || lpad(n::text, 26, '0') $$`,
  `create function pg_temp.no(id text) returns bigint language sql immutable parallel safe
     as $$ select right(id, 26)::bigint $$`,
  // A product's failure modes, most frequent first: 6 to 14 per product, Pareto-like (the first is ~40%).
  `create function pg_temp.failure_code(product_no bigint, r float8) returns text language sql immutable parallel safe
     as $$ select (array['E01-NO-POWER','E02-NO-HEAT','E03-NO-DRAIN','E04-PUMP','E05-HEATER','E06-SENSOR','E07-LEAK','E08-DOOR-SEAL',
       'E09-GRINDER','E10-PAPER-JAM','E11-BOARD','E12-FUSER','E13-MOTOR','E14-NOISE','E15-DISPLAY','E16-FAN','E17-VALVE','E18-HOSE',
       'E19-BEARING','E20-SOFTWARE','E21-BATTERY','E22-THERMOSTAT','E23-FILTER','E24-CONNECTOR'])
       [1 + (product_no * 7 + floor((6 + product_no % 9) * power(r, 2.5))::int * 5) % 24] $$`,
];

// ---------------------------------------------------------------------------
// What is generated, step by step. Each statement of a step may run beside
// the step's others; steps run in order.
// ---------------------------------------------------------------------------

interface Step {
  name: string;
  statements: string[];
}

/** `[lo, hi]` ranges of 1..total, CHUNK long. */
function chunks(total: number, size = CHUNK): [number, number][] {
  const ranges: [number, number][] = [];
  for (let lo = 1; lo <= total; lo += size) ranges.push([lo, Math.min(total, lo + size - 1)]);
  return ranges;
}

const CITIES = [
  ["Hamburg", "DE"],
  ["Berlin", "DE"],
  ["Munich", "DE"],
  ["Cologne", "DE"],
  ["Frankfurt", "DE"],
  ["Stuttgart", "DE"],
  ["Leipzig", "DE"],
  ["Dresden", "DE"],
  ["Hanover", "DE"],
  ["Nuremberg", "DE"],
  ["Vienna", "AT"],
  ["Graz", "AT"],
  ["Zurich", "CH"],
  ["Geneva", "CH"],
  ["Basel", "CH"],
  ["Paris", "FR"],
  ["Lyon", "FR"],
  ["Marseille", "FR"],
  ["Toulouse", "FR"],
  ["Lille", "FR"],
  ["Nantes", "FR"],
  ["Bordeaux", "FR"],
  ["Brussels", "BE"],
  ["Antwerp", "BE"],
  ["Liege", "BE"],
  ["Amsterdam", "NL"],
  ["Rotterdam", "NL"],
  ["Utrecht", "NL"],
  ["London", "GB"],
  ["Manchester", "GB"],
  ["Leeds", "GB"],
  ["Bristol", "GB"],
  ["Glasgow", "GB"],
  ["Dublin", "IE"],
  ["Cork", "IE"],
  ["Luxembourg", "LU"],
  ["Strasbourg", "FR"],
  ["Salzburg", "AT"],
  ["Bern", "CH"],
  ["Bremen", "DE"],
] as const;
const cityArray = `array[${CITIES.map(([city]) => `'${city}'`).join(",")}]`;
const countryArray = `array[${CITIES.map(([, country]) => `'${country}'`).join(",")}]`;
const CATEGORIES = [
  "Espresso machines",
  "Dishwashers",
  "Washing machines",
  "Dryers",
  "Printers",
  "Ovens",
  "Refrigerators",
  "Air conditioners",
  "Heat pumps",
  "Water heaters",
];
const categoryArray = `array[${CATEGORIES.map((c) => `'${c}'`).join(",")}]`;

/** Comments customers leave, by how they scored: low (1-2, NPS 0-6), mid (3, NPS 7-8), high (4-5, NPS 9-10). */
const COMMENTS: { band: "low" | "mid" | "high"; language: string; comment: string; themes: string[]; sentiment: string }[] = [
  { band: "high", language: "en", comment: "Technician was friendly and fixed it quickly.", themes: ["STAFF", "REPAIR_SPEED"], sentiment: "POSITIVE" },
  { band: "high", language: "en", comment: "Great service, the machine works perfectly again.", themes: ["REPAIR_QUALITY"], sentiment: "POSITIVE" },
  { band: "high", language: "de", comment: "Schnelle Reparatur, sehr freundlicher Techniker.", themes: ["REPAIR_SPEED", "STAFF"], sentiment: "POSITIVE" },
  { band: "high", language: "fr", comment: "Service rapide et technicien très aimable.", themes: ["REPAIR_SPEED", "STAFF"], sentiment: "POSITIVE" },
  { band: "high", language: "en", comment: "Delivery on time and the installation was tidy.", themes: ["DELIVERY", "INSTALLATION"], sentiment: "POSITIVE" },
  { band: "mid", language: "en", comment: "Fixed in the end, but it took two visits.", themes: ["REPAIR_SPEED"], sentiment: "MIXED" },
  {
    band: "mid",
    language: "en",
    comment: "Good repair, but nobody told me when the part would arrive.",
    themes: ["COMMUNICATION", "SPARE_PARTS"],
    sentiment: "MIXED",
  },
  {
    band: "mid",
    language: "de",
    comment: "Reparatur ok, aber die Ersatzteile haben lange gedauert.",
    themes: ["SPARE_PARTS", "REPAIR_SPEED"],
    sentiment: "MIXED",
  },
  { band: "mid", language: "fr", comment: "Correct, mais le prix du déplacement est élevé.", themes: ["PRICE"], sentiment: "MIXED" },
  { band: "mid", language: "en", comment: "It works. Still a bit noisy.", themes: ["NOISE"], sentiment: "NEUTRAL" },
  {
    band: "low",
    language: "en",
    comment: "Waited three weeks for a spare part and nobody called back.",
    themes: ["SPARE_PARTS", "COMMUNICATION"],
    sentiment: "NEGATIVE",
  },
  {
    band: "low",
    language: "en",
    comment: "Still leaking after the repair. Call me on +44 20 7946 0958.",
    themes: ["LEAK", "REPAIR_QUALITY"],
    sentiment: "NEGATIVE",
  },
  { band: "low", language: "de", comment: "Gerät ist wieder kaputt, sehr enttäuschend.", themes: ["PRODUCT_QUALITY", "REPAIR_QUALITY"], sentiment: "NEGATIVE" },
  { band: "low", language: "fr", comment: "Technicien en retard et machine toujours bruyante.", themes: ["STAFF", "NOISE"], sentiment: "NEGATIVE" },
  {
    band: "low",
    language: "en",
    comment: "Far too expensive for a simple repair. Write to me at jane.doe@example.com",
    themes: ["PRICE"],
    sentiment: "NEGATIVE",
  },
];
const commentValues = `(values ${COMMENTS.map((c) => {
  const index = COMMENTS.filter((other) => other.band === c.band).indexOf(c);
  const themes = `array[${c.themes.map((t) => `'${t}'`).join(",")}]::text[]`;
  return `('${c.band}', ${index}, '${c.language}', '${c.comment.replace(/'/g, "''")}', ${themes}, '${c.sentiment}')`;
}).join(", ")}) as c(band, i, language, comment, themes, sentiment)`;
const commentsPerBand = (band: string) => COMMENTS.filter((c) => c.band === band).length;

const seedSteps = (): Step[] => [
  {
    name: "dealers and products",
    statements: [
      `insert into feedback.known_dealers (id, source_version, name, kind)
       select pg_temp.id('dlr', n), 1 + n % 3,
              case when n <= ${SELLERS} then 'Dealer ' else 'Service Center ' end || (${cityArray})[1 + n % ${CITIES.length}] || ' ' || lpad(n::text, 3, '0'),
              case when n > ${SELLERS} then 'SERVICE_CENTER' when n % 4 = 1 then 'BOTH' else 'DEALER' end
       from generate_series(1, ${DEALERS}) n`,
      // The same dealers in the partners subgraph: the benchmark's DEALER is one the graph knows.
      `insert into partners.dealers (id, name, kind, region, city, country, latitude, longitude, service_radius_km, labor_rate,
                                     labor_rate_currency, workshop_authorized_from, time_zone)
       select pg_temp.id('dlr', n),
              case when n <= ${SELLERS} then 'Dealer ' else 'Service Center ' end || (${cityArray})[1 + n % ${CITIES.length}] || ' ' || lpad(n::text, 3, '0'),
              (case when n > ${SELLERS} then 'SERVICE_CENTER' when n % 4 = 1 then 'BOTH' else 'DEALER' end)::partners.dealer_kind,
              'EU-' || (${countryArray})[1 + n % ${CITIES.length}], (${cityArray})[1 + n % ${CITIES.length}], (${countryArray})[1 + n % ${CITIES.length}],
              45 + 10 * pg_temp.rnd(n, 1), 10 * pg_temp.rnd(n, 2), case when n > ${SELLERS} or n % 4 = 1 then 80 else 0 end,
              55 + (n % 30), 'EUR', case when n > ${SELLERS} or n % 4 = 1 then date '2020-01-01' end, 'Europe/Berlin'
       from generate_series(1, ${DEALERS}) n
       on conflict (id) do update set name = excluded.name, kind = excluded.kind, service_radius_km = excluded.service_radius_km,
                                      workshop_authorized_from = excluded.workshop_authorized_from`,
      `insert into feedback.known_products (id, source_version, name, kind, category)
       select pg_temp.id('prd', n), 1 + n % 4,
              (${categoryArray})[1 + n % ${CATEGORIES.length}] || ' ' || chr(65 + n % 26) || chr(65 + (n / 26) % 26) || '-' || (100 + n),
              'EQUIPMENT', (${categoryArray})[1 + n % ${CATEGORIES.length}]
       from generate_series(1, ${PRODUCTS}) n`,
    ],
  },
  {
    // Customers over four years, in the order they became customers (so ids sort by time, like the app's); they belong to
    // the selling dealers, skewed: a few big dealers have many.
    name: "customers",
    statements: chunks(CUSTOMERS).map(
      ([lo, hi]) => `insert into feedback.known_customers (id, source_version, home_dealer_id, known_since, nps_due_at)
       select pg_temp.id('cus', n), 1 + (n % 3 = 0)::int,
              pg_temp.id('dlr', 1 + floor(${SELLERS} * power(pg_temp.rnd(n, 101), 1.7))::int),
              known_since,
              -- Their next NPS turn: the first after now on their schedule.
              case when first_due > ${NOW} then first_due
                   else first_due + interval '${NPS_INTERVAL_DAYS} days' * (1 + floor(extract(epoch from ${NOW} - first_due) / 86400 / ${NPS_INTERVAL_DAYS})) end
       from (select n, known_since, known_since + interval '${NPS_FIRST_AFTER_DAYS} days' as first_due
             from (select n, ${NOW} - interval '4 years' + interval '4 years' * ((n - 1 + pg_temp.rnd(n, 102)) / ${CUSTOMERS}) as known_since
                   from generate_series(${lo}, ${hi}) n) created) scheduled`,
    ),
  },
  {
    // Units sold evenly over the last three years, in order, each to a customer who was one by then; most through the
    // customer's home dealer. Popular products sell far more.
    name: "units",
    statements: chunks(UNITS).map(
      ([lo, hi]) => `insert into feedback.known_units (id, source_version, product_id, dealer_id, customer_id, status, sold_on, delivered_on, installed_on)
       select pg_temp.id('unt', n), 1 + (delivered_on is not null)::int + (installed_on is not null)::int, product_id, dealer_id, customer_id,
              case when pg_temp.rnd(n, 115) < 0.01 and sold_on < ${NOW}::date - 700 then 'RETIRED'
                   when pg_temp.rnd(n, 115) < 0.015 then 'IN_REPAIR'
                   when installed_on is not null then 'INSTALLED' when delivered_on is not null then 'DELIVERED' else 'SOLD' end,
              sold_on, delivered_on, installed_on
       from (select n, product_id, dealer_id, customer_id, sold_on, delivered_on,
                    case when pg_temp.no(product_id) % 3 = 0 and delivered_on + floor(6 * pg_temp.rnd(n, 117))::int <= ${NOW}::date
                         then delivered_on + floor(6 * pg_temp.rnd(n, 117))::int end as installed_on
             from (select n, product_id, dealer_id, customer_id, sold_on,
                          case when sold_on + 1 + floor(9 * pg_temp.rnd(n, 116))::int <= ${NOW}::date
                               then sold_on + 1 + floor(9 * pg_temp.rnd(n, 116))::int end as delivered_on
                   from (select n, c.id as customer_id,
                                pg_temp.id('prd', 1 + floor(${PRODUCTS} * power(pg_temp.rnd(n, 111), 2.2))::int) as product_id,
                                case when pg_temp.rnd(n, 112) < 0.9 then c.home_dealer_id
                                     else pg_temp.id('dlr', 1 + floor(${SELLERS} * power(pg_temp.rnd(n, 113), 1.7))::int) end as dealer_id,
                                sold_on
                         from (select n, sold_on,
                                      -- The customers there were on the day: those of the first year, and a share of the three since.
                                      1 + floor(${CUSTOMERS} * greatest(0, (1 + 3 * x) / 4 - 2.0 / 1461) * pg_temp.rnd(n, 110))::bigint as customer_no
                               from (select n, (n - 1 + pg_temp.rnd(n, 114)) / ${UNITS} as x,
                                            ${UNITS_FROM} + floor((${NOW}::date - ${UNITS_FROM}) * (n - 1 + pg_temp.rnd(n, 114)) / ${UNITS})::int as sold_on
                                     from generate_series(${lo}, ${hi}) n) sold) u
                         join feedback.known_customers c on c.id = pg_temp.id('cus', u.customer_no)) drawn) delivered) installed`,
    ),
  },
  {
    // Tickets over the last 27 months, in order, as many as the units sold by then call for (four times as many at the
    // end as at the start), each about a unit sold before it was opened: most are repairs.
    name: "tickets",
    statements: chunks(TICKETS).map(([lo, hi]) =>
      ticketInsert(`
        select g as n, u.dealer_id, u.customer_id, u.sold_on, null::bigint as center_no, kind,
               case when kind in ('QUESTION', 'TRAINING') then null else u.id end as unit_id,
               case when kind in ('QUESTION', 'TRAINING') then null else u.product_id end as product_id,
               opened_at,
               case when kind = 'REPAIR' and pg_temp.rnd(g, 5) >= 0.03 then pg_temp.failure_code(pg_temp.no(u.product_id), pg_temp.rnd(g, 4)) end as failure_code
        from (select g, opened_at,
                     case when r < 0.72 then 'REPAIR' when r < 0.82 then 'MAINTENANCE' when r < 0.87 then 'INSTALLATION'
                          when r < 0.92 then 'COMPLAINT' when r < 0.97 then 'QUESTION' when r < 0.99 then 'RETURN' else 'TRAINING' end as kind,
                     1 + floor(${UNITS} * extract(epoch from opened_at - ${UNITS_FROM}::timestamp at time zone 'UTC')
                                         / extract(epoch from ${NOW} - ${UNITS_FROM}::timestamp at time zone 'UTC') * pg_temp.rnd(g, 1))::bigint as unit_no
              from (select g, pg_temp.rnd(g, 2) as r,
                           -- Ticket density grows linearly, 1 to 4: the inverse of its distribution function.
                           ${TICKETS_FROM} + (${NOW} - ${TICKETS_FROM}) * ((sqrt(1 + 15 * (g - 1 + pg_temp.rnd(g, 3)) / ${TICKETS}) - 1) / 3) as opened_at
                    from generate_series(${lo}, ${hi}) g) timed) t
        join feedback.known_units u on u.id = pg_temp.id('unt', t.unit_no)`),
    ),
  },
  {
    // A second repair on the same unit some days after the first was resolved, at the same service center mostly.
    name: "repeat repairs",
    statements: chunks(TICKETS).map(([lo, hi]) =>
      ticketInsert(`
        select n, dealer_id, customer_id, sold_on, center_no, 'REPAIR' as kind, unit_id, product_id, opened_at, failure_code
        from (select ${TICKETS} + pg_temp.no(p.id) as n, p.dealer_id, p.customer_id, u.sold_on, p.unit_id, p.product_id,
                     case when pg_temp.rnd(pg_temp.no(p.id), 62) < 0.7 then pg_temp.no(p.service_center_id) end as center_no,
                     p.resolved_at + interval '1 day' * (1 + 44 * pg_temp.rnd(pg_temp.no(p.id), 61)) as opened_at,
                     case when pg_temp.rnd(pg_temp.no(p.id), 63) < 0.6 then p.failure_code
                          else pg_temp.failure_code(pg_temp.no(p.product_id), pg_temp.rnd(pg_temp.no(p.id), 64)) end as failure_code
              from feedback.ticket_facts p
              join feedback.known_units u on u.id = p.unit_id
              where p.id between pg_temp.id('tkt', ${lo}) and pg_temp.id('tkt', ${hi})
                and p.kind = 'REPAIR' and p.resolved_at is not null and pg_temp.rnd(pg_temp.no(p.id), 60) < ${FOLLOW_UP_SHARE}) follow_up
        where opened_at <= ${NOW}`),
    ),
  },
  {
    // Each repair's next repair on the unit, as the feedback subgraph's projection keeps it (`next_repair_opened_at`).
    name: "next repairs",
    statements: chunks(2 * TICKETS).map(
      ([lo, hi]) => `
      update feedback.ticket_facts p set next_repair_opened_at = (
        select min(n.opened_at) from feedback.ticket_facts n
        where n.unit_id = p.unit_id and n.kind = 'REPAIR' and n.id <> p.id and n.opened_at > p.resolved_at)
      where p.id between pg_temp.id('tkt', ${lo}) and pg_temp.id('tkt', ${hi})
        and p.kind = 'REPAIR' and p.unit_id is not null and p.resolved_at is not null`,
    ),
  },
  {
    name: "surveys and claims",
    statements: [
      // One CSAT survey per resolved, never reopened ticket, with the ticket's dimensions.
      ...chunks(2 * TICKETS).map(([lo, hi]) =>
        surveyInsert(
          "CSAT",
          `
          select pg_temp.no(t.id) as n, t.dealer_id, t.customer_id, t.id as ticket_id, t.unit_id, t.product_id, t.service_center_id,
                 t.technician_id, t.sla_breached, not t.waited_for_parts as first_time_fix, t.coverage,
                 t.resolved_at + interval '${CSAT_DELAY_HOURS} hours' as due_at, t.resolved_at as created_at,
                 -- Breaches, second visits and paying cost satisfaction; so do some dealers and technicians.
                 0.25 * t.sla_breached::int + 0.2 * t.waited_for_parts::int
                   + case t.coverage when 'NONE' then 0.08 when 'CONTRACT' then -0.05 else 0 end
                   + 0.03 * (pg_temp.no(t.dealer_id) % 7 - 3) + 0.02 * (coalesce(pg_temp.no(t.technician_id), 0) % 5 - 2) as penalty
          from feedback.ticket_facts t
          where t.id between pg_temp.id('tkt', ${lo}) and pg_temp.id('tkt', ${hi}) and t.resolved_at is not null and t.reopen_count = 0`,
        ),
      ),
      // NPS: one survey per customer asked, at one of their schedule's dates.
      ...chunks(CUSTOMERS).map(([lo, hi]) =>
        surveyInsert(
          "NPS",
          `
          select pg_temp.no(c.id) as n, c.home_dealer_id as dealer_id, c.id as customer_id, null::text as ticket_id, null::text as unit_id,
                 null::text as product_id, null::text as service_center_id, null::text as technician_id, null::boolean as sla_breached,
                 null::boolean as first_time_fix, null::text as coverage, due_at, due_at as created_at,
                 0.04 * (pg_temp.no(c.home_dealer_id) % 7 - 3) as penalty
          from (select c.*, first_due + interval '${NPS_INTERVAL_DAYS} days'
                       * floor(pg_temp.rnd(pg_temp.no(c.id), 140) * (1 + floor(extract(epoch from ${NOW} - first_due) / 86400 / ${NPS_INTERVAL_DAYS}))) as due_at
                from (select c.*, c.known_since + interval '${NPS_FIRST_AFTER_DAYS} days' as first_due from feedback.known_customers c
                      where c.id between pg_temp.id('cus', ${lo}) and pg_temp.id('cus', ${hi})) c
                where c.first_due <= ${NOW} and pg_temp.rnd(pg_temp.no(c.id), 141) < ${NPS_CUSTOMER_SHARE}) c`,
        ),
      ),
      // Post-sale: the owner of a delivered unit, a week after delivery (or installation).
      ...chunks(UNITS).map(([lo, hi]) =>
        surveyInsert(
          "POST_SALE",
          `
          select pg_temp.no(u.id) as n, u.dealer_id, u.customer_id, null::text as ticket_id, u.id as unit_id, u.product_id,
                 null::text as service_center_id, null::text as technician_id, null::boolean as sla_breached, null::boolean as first_time_fix,
                 null::text as coverage, coalesce(u.installed_on, u.delivered_on)::timestamp at time zone 'UTC' + interval '${POST_SALE_DELAY_DAYS} days' as due_at,
                 coalesce(u.installed_on, u.delivered_on)::timestamp at time zone 'UTC' as created_at,
                 0.1 * (pg_temp.no(u.product_id) % 5 - 2) / 2 + 0.03 * (pg_temp.no(u.dealer_id) % 7 - 3) as penalty
          from feedback.known_units u
          where u.id between pg_temp.id('unt', ${lo}) and pg_temp.id('unt', ${hi}) and u.delivered_on is not null and u.customer_id is not null
            and pg_temp.rnd(pg_temp.no(u.id), 150) < ${POST_SALE_UNIT_SHARE}`,
        ),
      ),
      // A warranty claim for each resolved repair the warranty covered, filed by the workshop that repaired it.
      ...chunks(2 * TICKETS).map(
        ([lo, hi]) => `insert into feedback.claim_facts (id, source_version, dealer_id, unit_id, product_id, failure_code, failure_on, repair_on, status,
                                                       claimed_total, approved_total, currency, coverage_kind)
          select pg_temp.id('wcl', n), case when status in ('SUBMITTED') then 1 when status = 'PAID' then 4 else 3 end, dealer_id, unit_id, product_id,
                 failure_code, failure_on, repair_on, status, claimed,
                 case when status in ('APPROVED', 'PAID') then claimed when status = 'PARTIALLY_APPROVED' then round(claimed * (0.4 + 0.4 * pg_temp.rnd(n, 174))::numeric, 2)
                      else 0 end,
                 'EUR', 'WARRANTY'
          from (select pg_temp.no(t.id) as n, coalesce(t.service_center_id, t.dealer_id) as dealer_id, t.unit_id, t.product_id,
                       coalesce(t.failure_code, 'E00-OTHER') as failure_code,
                       (t.opened_at at time zone 'UTC')::date - floor(3 * pg_temp.rnd(pg_temp.no(t.id), 170))::int as failure_on,
                       (t.resolved_at at time zone 'UTC')::date as repair_on,
                       round(exp(ln(220) + 0.6 * pg_temp.normal(pg_temp.no(t.id), 171))::numeric, 2) as claimed,
                       case when t.resolved_at > ${NOW} - interval '10 days' then case when pg_temp.rnd(pg_temp.no(t.id), 172) < 0.5 then 'SUBMITTED' else 'IN_REVIEW' end
                            else (array['PAID','PAID','PAID','PAID','PAID','PAID','PAID','PAID','PAID','PAID','PAID','PAID',
                                        'APPROVED','APPROVED','APPROVED','PARTIALLY_APPROVED','PARTIALLY_APPROVED','REJECTED','REJECTED','SENT_BACK'])
                                 [1 + floor(20 * pg_temp.rnd(pg_temp.no(t.id), 173))::int] end as status
                from feedback.ticket_facts t
                where t.id between pg_temp.id('tkt', ${lo}) and pg_temp.id('tkt', ${hi}) and t.coverage = 'WARRANTY' and t.resolved_at is not null) c`,
      ),
    ],
  },
  {
    // Surveys come due while another is open for the same customer: one opens, the rest wait (SCHEDULED).
    name: "open surveys",
    statements: [
      `update feedback.surveys s set status = 'OPEN'
       from (select distinct on (customer_id) id from feedback.surveys where status = 'SCHEDULED' and due_at <= ${NOW}
             order by customer_id, due_at, id) first_due
       where s.id = first_due.id`,
    ],
  },
  {
    name: "waiting surveys",
    statements: [
      `update feedback.surveys set opened_at = null, expires_at = null where status = 'SCHEDULED' and opened_at is not null`,
      // A customer whose NPS survey is scheduled has no next turn until it opens.
      `update feedback.known_customers set nps_due_at = null
       where id in (select customer_id from feedback.surveys where kind = 'NPS' and status = 'SCHEDULED')`,
    ],
  },
];

/**
 * Tickets from `draws` (one row per ticket: n, dealer_id, customer_id,
 * sold_on, center_no, kind, unit_id, product_id, opened_at, failure_code),
 * carried through their life: priority, service center and technician, how
 * long they took (lognormal, longer when waiting for parts or reopened),
 * SLA breaches, status, coverage.
 */
function ticketInsert(draws: string): string {
  return `insert into feedback.ticket_facts (id, source_version, number, dealer_id, customer_id, unit_id, product_id, service_center_id,
            technician_id, kind, priority, status, failure_code, sla_source, sla_breached, opened_at, resolved_at, closed_at, reopen_count,
            waited_for_parts, coverage)
    with d as (${draws}),
    drawn as (
      select d.*,
             case when pg_temp.rnd(n, 20) < 0.05 then 'P1' when pg_temp.rnd(n, 20) < 0.25 then 'P2' when pg_temp.rnd(n, 20) < 0.75 then 'P3' else 'P4' end as priority,
             kind = 'REPAIR' and pg_temp.rnd(n, 21) < 0.14 as waited_for_parts,
             case when kind = 'REPAIR' and pg_temp.rnd(n, 22) < 0.05 then case when pg_temp.rnd(n, 23) < 0.15 then 2 else 1 end else 0 end as reopen_count,
             pg_temp.rnd(n, 24) < 0.04 as cancelled,
             -- Stuck: still open however long ago it was opened (with the recent ones still open anyway, ~85% get resolved).
             pg_temp.rnd(n, 25) < 0.09 as stuck,
             case when pg_temp.rnd(n, 28) < 0.15 then 'CONTRACT' when pg_temp.rnd(n, 28) < 0.45 then 'DEALER_POLICY' else 'STANDARD' end as sla_source,
             coalesce(center_no, case when pg_temp.no(dealer_id) % 4 = 1 and pg_temp.rnd(n, 31) < 0.7 then pg_temp.no(dealer_id)
                                      else ${SELLERS + 1} + (pg_temp.no(dealer_id) * 7 + floor(2 * pg_temp.rnd(n, 31))::int) % ${SERVICE_CENTERS_ONLY} end) as center
      from d),
    timed as (
      select drawn.*,
             exp(ln(case priority when 'P1' then 6 when 'P2' then 14 when 'P3' then 30 else 50 end) + 0.85 * pg_temp.normal(n, 26))
               + case when waited_for_parts then 48 + 96 * pg_temp.rnd(n, 29) else 0 end
               + reopen_count * (24 + 120 * pg_temp.rnd(n, 30)) as hours,
             case priority when 'P1' then 48 when 'P2' then 96 when 'P3' then 144 else 200 end as sla_hours
      from drawn),
    resolved as (
      select timed.*,
             case when not cancelled and not stuck and opened_at + interval '1 hour' * hours <= ${NOW} then opened_at + interval '1 hour' * hours end as resolved_at
      from timed),
    lived as (
      select resolved.*,
             case when cancelled then 'CANCELLED'
                  when resolved_at is null then
                    case when waited_for_parts and pg_temp.rnd(n, 32) < 0.6 then 'WAITING_PARTS'
                         when pg_temp.rnd(n, 33) < 0.15 then 'NEW' when pg_temp.rnd(n, 33) < 0.4 then 'ASSIGNED'
                         when pg_temp.rnd(n, 33) < 0.85 then 'IN_PROGRESS' else 'WAITING_CUSTOMER' end
                  when resolved_at + interval '1 day' * (2 + 5 * pg_temp.rnd(n, 34)) <= ${NOW} then 'CLOSED'
                  else 'RESOLVED' end as status
      from resolved)
    select pg_temp.id('tkt', n),
           case when status = 'NEW' then 1 when resolved_at is null then 3 else 5 + 2 * reopen_count end + (status = 'CLOSED')::int,
           'T-' || to_char(opened_at at time zone 'UTC', 'YYYY') || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end,
           dealer_id, customer_id, unit_id, product_id,
           case when status = 'NEW' or (cancelled and pg_temp.rnd(n, 35) < 0.5) then null else pg_temp.id('dlr', center) end,
           case when status in ('NEW', 'ASSIGNED') or (cancelled and pg_temp.rnd(n, 35) < 0.5) then null
                else pg_temp.id('tec', center * 100 + floor(${TECHNICIANS_PER_CENTER} * power(pg_temp.rnd(n, 36), 1.4))::int) end,
           kind, priority, status, failure_code, sla_source,
           case when resolved_at is not null then hours > sla_hours or pg_temp.rnd(n, 37) < 0.01
                else not cancelled and ${NOW} - opened_at > interval '1 hour' * sla_hours end,
           opened_at, resolved_at,
           case when status = 'CLOSED' then resolved_at + interval '1 day' * (2 + 5 * pg_temp.rnd(n, 34)) end,
           reopen_count, waited_for_parts,
           case when sla_source = 'CONTRACT' then 'CONTRACT'
                when kind = 'REPAIR' and opened_at < sold_on + interval '2 years' and pg_temp.rnd(n, 38) < ${WARRANTY_CLAIM_SHARE} then 'WARRANTY'
                else 'NONE' end
    from lived`;
}

const SURVEY_ID_OFFSET = { CSAT: 0, NPS: 10_000_000_000, POST_SALE: 20_000_000_000 } as const;

/**
 * Surveys of `kind` from `source` (one row per survey: n, the dimensions,
 * due_at, created_at, and a penalty that lowers its score): answered within
 * their two weeks (most on the first days), expired, or open or scheduled
 * when recent. Scores lean high, lower with the penalty; some answers carry
 * a comment read for themes and sentiment.
 */
function surveyInsert(kind: keyof typeof SURVEY_ID_OFFSET, source: string): string {
  // q in [0, 1): 0 the happiest customer; a penalty pushes it up.
  const score =
    kind === "NPS"
      ? `case when q < 0.25 then 10 when q < 0.47 then 9 when q < 0.65 then 8 when q < 0.77 then 7 when q < 0.84 then 6 when q < 0.89 then 5
              when q < 0.93 then 4 when q < 0.955 then 3 when q < 0.975 then 2 when q < 0.99 then 1 else 0 end`
      : `case when q < 0.45 then 5 when q < 0.73 then 4 when q < 0.85 then 3 when q < 0.92 then 2 else 1 end`;
  const band =
    kind === "NPS"
      ? `case when score >= 9 then 'high' when score >= 7 then 'mid' else 'low' end`
      : `case when score >= 4 then 'high' when score = 3 then 'mid' else 'low' end`;
  return `insert into feedback.surveys (id, kind, status, dealer_id, customer_id, ticket_id, unit_id, product_id, service_center_id, technician_id,
            sla_breached, first_time_fix, coverage, token, due_at, opened_at, expires_at, answered_at, score, comment, language, themes, sentiment, created_at)
    with s as (select ${SURVEY_ID_OFFSET[kind]} + src.n as id_no, src.* from (${source}) src),
    fate as (
      select s.*, due_at <= ${NOW} and pg_temp.rnd(id_no, 130) < ${ANSWER_RATE[kind]} as answered,
             1 - power(1 - pg_temp.rnd(id_no, 131), 1 + 2 * greatest(penalty, -0.4)) as q
      from s),
    scored as (
      select fate.*, case when answered then ${score} end as score,
             answered and pg_temp.rnd(id_no, 132) < ${COMMENT_SHARE} as commented
      from fate),
    banded as (select scored.*, ${band} as band from scored)
    select pg_temp.id('svy', id_no), '${kind}',
           case when answered then 'ANSWERED' when due_at > ${NOW} then 'SCHEDULED'
                when due_at + interval '${ANSWER_WITHIN_DAYS} days' < ${NOW} then 'EXPIRED' else 'SCHEDULED' end,
           dealer_id, customer_id, ticket_id, unit_id, product_id, service_center_id, technician_id, sla_breached, first_time_fix, coverage,
           translate(encode(sha256(convert_to('insights-seed:' || pg_temp.id('svy', id_no), 'UTF8')), 'base64'), '+/=', '-_'),
           due_at,
           case when due_at <= ${NOW} then due_at end,
           case when due_at <= ${NOW} then due_at + interval '${ANSWER_WITHIN_DAYS} days' end,
           case when answered then due_at + least(interval '${ANSWER_WITHIN_DAYS} days', ${NOW} - due_at) * power(pg_temp.rnd(id_no, 133), 2) end,
           score,
           case when commented then c.comment end, case when commented then c.language end,
           case when commented then c.themes else '{}'::text[] end, case when commented then c.sentiment end,
           created_at
    from banded
    left join ${commentValues}
      on commented and c.band = banded.band
     and c.i = floor(pg_temp.rnd(id_no, 134) * case banded.band when 'low' then ${commentsPerBand("low")} when 'mid' then ${commentsPerBand("mid")} else ${commentsPerBand("high")} end)`;
}

// ---------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------

const SEEDED_TABLES = ["known_dealers", "known_products", "known_customers", "known_units", "ticket_facts", "claim_facts", "surveys"];
/** What the insights read, rebuilt from the seeded facts. */
const ROLLUP_TABLES = ["satisfaction_rollups", "resolution_rollups", "failure_rollups", "claim_rollups", "unit_sale_rollups"];

const seconds = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** A connection of its own (temporary functions live per session), tuned for bulk loading. */
async function openSession(url: string): Promise<DatabaseHandle> {
  const handle = openDatabase({ kind: "postgres", url, poolSize: 1 });
  for (const statement of [
    "set synchronous_commit = off",
    "set work_mem = '256MB'",
    "set maintenance_work_mem = '512MB'",
    "set jit = off",
    // The insight rollups' triggers stay off while rows arrive by the hundred thousand: the rollups are rebuilt
    // from the finished facts in one pass at the end instead (replica mode skips ordinary triggers; a superuser's).
    "set session_replication_role = replica",
    ...HELPERS,
  ]) {
    await handle.db.execute(sql.raw(statement));
  }
  return handle;
}

/** Runs `statements` on the sessions, each taking the next as soon as it is free. */
async function runConcurrently(sessions: DatabaseHandle[], statements: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    sessions.map(async (session) => {
      while (next < statements.length) {
        const statement = statements[next++]!;
        await session.db.execute(sql.raw(statement));
      }
    }),
  );
}

/** Creates the database when missing (dropping it first with `fresh`). */
async function ensureDatabase(url: string, fresh: boolean): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Use a plain database name in INSIGHTS_DATABASE_URL, not "${name}".`);
  target.pathname = "/postgres";
  const admin = openDatabase({ kind: "postgres", url: target.toString(), poolSize: 1 });
  try {
    if (fresh) await admin.db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
    const [exists] = await executeRows<{ n: number }>(admin.db, sql`select count(*)::int as n from pg_database where datname = ${name}`);
    if (!exists?.n) {
      await admin.db.execute(sql.raw(`create database "${name}"`));
      console.log(`created database ${name}`);
    }
  } finally {
    await admin.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fresh: { type: "boolean", default: false } } });
  const url = process.env.INSIGHTS_DATABASE_URL ?? DEFAULT_INSIGHTS_DATABASE_URL;
  const started = performance.now();
  console.log(
    `seeding ${TICKETS.toLocaleString("en")} tickets, ${UNITS.toLocaleString("en")} units, ${CUSTOMERS.toLocaleString("en")} customers into ${url.replace(/\/\/[^@]*@/, "//")}`,
  );

  let stepStarted = performance.now();
  await ensureDatabase(url, values.fresh);
  const target: DatabaseTarget = { kind: "postgres", url };
  for (const subgraph of subgraphs) await subgraph.migrate(target);
  console.log(`  migrate every subgraph        ${seconds(stepStarted)}`);

  const sessions = await Promise.all(Array.from({ length: CONNECTIONS }, () => openSession(url)));
  try {
    stepStarted = performance.now();
    await sessions[0]!.db.execute(sql.raw(`truncate ${SEEDED_TABLES.map((table) => `feedback.${table}`).join(", ")}`));
    console.log(`  empty the projections         ${seconds(stepStarted)}`);

    for (const step of seedSteps()) {
      stepStarted = performance.now();
      await runConcurrently(sessions, step.statements);
      console.log(`  ${step.name.padEnd(29)} ${seconds(stepStarted)}`);
    }

    // Vacuumed too, as autovacuum would leave them: index-only scans need the visibility map. The tickets are
    // rewritten whole: setting every repair's next repair above left half the table's pages as free space, which a
    // live table reuses for its next updates but a benchmark would read on every scan.
    stepStarted = performance.now();
    await runConcurrently(sessions, [
      "vacuum (full, analyze) feedback.ticket_facts",
      ...["surveys", "known_units", "known_customers", "claim_facts", "known_dealers", "known_products"].map((table) => `vacuum (analyze) feedback.${table}`),
    ]);
    await sessions[0]!.db.execute(sql.raw("analyze partners.dealers"));
    console.log(`  vacuum and analyze            ${seconds(stepStarted)}`);

    stepStarted = performance.now();
    await sessions[0]!.db.execute(sql.raw("select feedback.rebuild_insight_rollups()"));
    await runConcurrently(
      sessions,
      ROLLUP_TABLES.map((table) => `vacuum (analyze) feedback.${table}`),
    );
    console.log(`  rebuild the insight rollups   ${seconds(stepStarted)}`);

    console.log(`done in ${seconds(started)}\n`);
    const db = sessions[0]!.db;
    console.log("table | rows");
    for (const table of [...SEEDED_TABLES, ...ROLLUP_TABLES]) {
      const [row] = await executeRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from feedback.${table}`));
      console.log(`feedback.${table} | ${row!.n.toLocaleString("en")}`);
    }
    const kinds = await executeRows<{ kind: string; status: string; n: number }>(
      db,
      sql`select kind::text, status::text, count(*)::int as n from feedback.surveys group by 1, 2 order by 1, 2`,
    );
    for (const { kind, status, n } of kinds) console.log(`  surveys ${kind} ${status} | ${n.toLocaleString("en")}`);
    const [dealer] = await executeRows<{ dealer_id: string; name: string; tickets: number }>(
      db,
      sql`select t.dealer_id, d.name, count(*)::int as tickets from feedback.ticket_facts t
          join feedback.known_dealers d on d.id = t.dealer_id group by 1, 2 order by 3 desc, 1 limit 1`,
    );
    console.log(`\nDEALER with the most tickets: ${dealer!.dealer_id} (${dealer!.name}, ${dealer!.tickets.toLocaleString("en")} tickets)`);
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
  }
}

await main();
