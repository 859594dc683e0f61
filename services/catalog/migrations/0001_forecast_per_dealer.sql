ALTER TABLE "catalog"."replenishment_forecasts" DROP CONSTRAINT "replenishment_forecasts_customer_id_product_id_pk";--> statement-breakpoint
ALTER TABLE "catalog"."replenishment_forecasts" ADD CONSTRAINT "replenishment_forecasts_customer_id_product_id_dealer_id_pk" PRIMARY KEY("customer_id","product_id","dealer_id");--> statement-breakpoint
-- Written by hand, after drizzle-kit's two statements above (which keep every
-- row: (customer, product) was unique, so (customer, product, dealer) is too).
--
-- A forecast used to be computed from the customer's purchases at every
-- dealer and held by the dealer of the latest one. Each row is kept under its
-- key, as that dealer's forecast, but recomputed from that dealer's own
-- purchases only (else it would go on showing the dealer counts and rhythms
-- taken from another dealer's sales); and every other dealer that sold the
-- product to the customer gets its own forecast, so that every purchase has
-- its dealer's forecast (`ConsumablePurchase.forecast` is non-null).
--
-- The rule is `forecastRunOut` (src/domain/replenishment.ts): purchases on
-- the same day count as one; from three purchases on, the median of (days
-- until the next purchase / quantity bought), else the product's cycle; times
-- the quantity last bought, rounded half up. The median is taken as
-- (lower middle + upper middle) / 2 in double precision, as the function does.
--
-- Both tables force row-level security, which binds the tables' owner too:
-- lifted for this statement, restored after it (the tenancy that runs after
-- every migration restores it as well).
ALTER TABLE "catalog"."consumable_purchases" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "catalog"."replenishment_forecasts" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
WITH days AS (
  SELECT customer_id, product_id, dealer_id, purchased_on, sum(quantity)::integer AS quantity
  FROM "catalog"."consumable_purchases"
  GROUP BY customer_id, product_id, dealer_id, purchased_on
), history AS (
  SELECT customer_id, product_id, dealer_id, purchased_on, quantity,
    count(*) OVER (PARTITION BY customer_id, product_id, dealer_id) AS purchase_count,
    row_number() OVER (PARTITION BY customer_id, product_id, dealer_id ORDER BY purchased_on DESC) AS from_last,
    (lead(purchased_on) OVER (PARTITION BY customer_id, product_id, dealer_id ORDER BY purchased_on) - purchased_on)::double precision
      / quantity AS per_unit
  FROM days
), rates AS (
  SELECT customer_id, product_id, dealer_id, per_unit,
    row_number() OVER (PARTITION BY customer_id, product_id, dealer_id ORDER BY per_unit) AS rank,
    count(*) OVER (PARTITION BY customer_id, product_id, dealer_id) AS rates
  FROM history
  WHERE per_unit IS NOT NULL
), medians AS (
  SELECT customer_id, product_id, dealer_id, (min(per_unit) + max(per_unit)) / 2 AS median
  FROM rates
  WHERE rank IN ((rates + 1) / 2, (rates + 2) / 2)
  GROUP BY customer_id, product_id, dealer_id
), forecasts AS (
  SELECT h.customer_id, h.product_id, h.dealer_id, h.purchased_on AS last_purchased_on, h.quantity AS last_quantity,
    h.purchase_count::integer AS purchase_count,
    CASE WHEN h.purchase_count >= 3 THEN m.median ELSE p.replenishment_cycle_days END AS days_per_unit,
    CASE WHEN h.purchase_count >= 3 THEN 'CUSTOMER_HISTORY' ELSE 'PRODUCT_CYCLE' END::"catalog"."forecast_method" AS method
  FROM history h
  JOIN "catalog"."products" p ON p.id = h.product_id
  LEFT JOIN medians m ON (m.customer_id, m.product_id, m.dealer_id) = (h.customer_id, h.product_id, h.dealer_id)
  WHERE h.from_last = 1 AND (h.purchase_count >= 3 OR p.replenishment_cycle_days IS NOT NULL)
)
INSERT INTO "catalog"."replenishment_forecasts"
  ("customer_id", "product_id", "dealer_id", "last_purchased_on", "last_quantity", "purchase_count", "days_per_unit", "method", "runs_out_on", "updated_at")
SELECT customer_id, product_id, dealer_id, last_purchased_on, last_quantity, purchase_count, days_per_unit, method,
  last_purchased_on + floor(days_per_unit * last_quantity + 0.5)::integer, now()
FROM forecasts
ON CONFLICT ("customer_id", "product_id", "dealer_id") DO UPDATE SET
  "last_purchased_on" = excluded."last_purchased_on",
  "last_quantity" = excluded."last_quantity",
  "purchase_count" = excluded."purchase_count",
  "days_per_unit" = excluded."days_per_unit",
  "method" = excluded."method",
  "runs_out_on" = excluded."runs_out_on",
  "updated_at" = excluded."updated_at";--> statement-breakpoint
ALTER TABLE "catalog"."consumable_purchases" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "catalog"."replenishment_forecasts" FORCE ROW LEVEL SECURITY;
