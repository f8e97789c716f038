-- Report rollups: the sums the range reports need, per shop day (in the time
-- zone recorded in report_rollup_state), written by triggers in the same
-- transaction as the sale, the return or the void. The triggers only append
-- rows (a sale never waits on another sale's rollup row); rows of the same key
-- are summed by the reports and folded into one by report_rollups_compact().
-- Each table's figures are signed: a void or a moved bill appends the negative
-- of what it had added.

CREATE TABLE "report_rollup_state" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "time_zone" TEXT NOT NULL,
    "rebuilt_at" TIMESTAMPTZ(6),
    -- Rows with an id above these were appended since the last compaction.
    "compacted_sales_id" BIGINT NOT NULL DEFAULT 0,
    "compacted_items_id" BIGINT NOT NULL DEFAULT 0,
    "compacted_payments_id" BIGINT NOT NULL DEFAULT 0,
    "compacted_last_sales_id" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "report_rollup_state_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "report_rollup_state_one_row" CHECK ("id")
);
INSERT INTO "report_rollup_state" ("time_zone") SELECT coalesce((SELECT "time_zone" FROM "stores" ORDER BY "id" LIMIT 1), 'UTC');

-- Per shop day, hour and member of staff (0: none recorded): the sale's
-- figures on the cashier, a return's on whoever made it, a void's on whoever
-- voided, an approval on the approver. Every figure is also added to its day's
-- total row (hour and staff_id -1), so a year's summary reads 365 rows.
CREATE TABLE "report_sales" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "hour" INTEGER NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "bills" INTEGER NOT NULL DEFAULT 0,
    "unpaid_bills" INTEGER NOT NULL DEFAULT 0,
    "gross" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "discounts" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "discounted_bills" INTEGER NOT NULL DEFAULT 0,
    "tax" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "total" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "revenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cost" DECIMAL(20,5) NOT NULL DEFAULT 0,
    "costed_revenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "uncosted_lines" INTEGER NOT NULL DEFAULT 0,
    "approvals_asked" INTEGER NOT NULL DEFAULT 0,
    "approvals_given" INTEGER NOT NULL DEFAULT 0,
    "returns" INTEGER NOT NULL DEFAULT 0,
    "refunded" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "return_value" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "return_tax" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "return_cost" DECIMAL(20,5) NOT NULL DEFAULT 0,
    "return_costed_value" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "voids" INTEGER NOT NULL DEFAULT 0,
    "voided" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "report_sales_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "report_sales_day_hour_staff_id_idx" ON "report_sales"("day", "hour", "staff_id");
CREATE INDEX "report_sales_day_totals_idx" ON "report_sales"("day") WHERE "hour" = -1;

-- Per item and the category and tax rate it was sold under, per shop day
-- (kind 'D') and per month (kind 'M', day = the 1st), so a month is one row per item.
-- category_bills / rate_bills count a bill once per category / rate (on its first such line).
CREATE TABLE "report_items" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "item_id" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "tax_rate_id" INTEGER,
    "tax_rate_name" TEXT,
    "tax_rate_percent" DECIMAL(6,3) NOT NULL,
    "item_name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "last_line_id" INTEGER NOT NULL,
    "lines" INTEGER NOT NULL DEFAULT 0,
    "quantity" DECIMAL(16,3) NOT NULL DEFAULT 0,
    "revenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "tax" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cost" DECIMAL(20,5) NOT NULL DEFAULT 0,
    "costed_revenue" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "uncosted_lines" INTEGER NOT NULL DEFAULT 0,
    "category_bills" INTEGER NOT NULL DEFAULT 0,
    "rate_bills" INTEGER NOT NULL DEFAULT 0,
    "returned_qty" DECIMAL(16,3) NOT NULL DEFAULT 0,
    "return_value" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "return_tax" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "return_cost" DECIMAL(20,5) NOT NULL DEFAULT 0,
    "return_costed_value" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "report_items_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "report_items_kind_valid" CHECK ("kind" IN ('D', 'M'))
);
CREATE INDEX "report_items_kind_day_item_id_idx" ON "report_items"("kind", "day", "item_id");

-- Per shop day and payment method: payments taken and refunds paid out.
CREATE TABLE "report_payments" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "method" "payment_method" NOT NULL,
    "payments" INTEGER NOT NULL DEFAULT 0,
    "bills" INTEGER NOT NULL DEFAULT 0,
    "amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "tendered" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "change" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refunds" INTEGER NOT NULL DEFAULT 0,
    "refunded" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "report_payments_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "report_payments_day_method_idx" ON "report_payments"("day", "method");

-- Each item's last sale (on a bill that stands): the largest row per item counts.
CREATE TABLE "report_last_sales" (
    "id" BIGSERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "last_sold_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "report_last_sales_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "report_last_sales_item_id_idx" ON "report_last_sales"("item_id");

-- Voids are looked up by when they happened.
CREATE INDEX "bills_voided_at_idx" ON "bills"("voided_at");

-- A line, payment, return line or refund with the document that places it in
-- time (a bill or return as it was, or as it is): the functions below take
-- arrays of these, so they never join arrays.
CREATE TYPE "report_placed_line" AS ("line" bill_items, "bill" bills);
CREATE TYPE "report_placed_payment" AS ("payment" bill_payments, "bill" bills);
CREATE TYPE "report_placed_return_line" AS ("line" bill_return_lines, "ret" bill_returns);
CREATE TYPE "report_placed_refund" AS ("payment" bill_return_payments, "ret" bill_returns);

CREATE FUNCTION "report_zone"() RETURNS TEXT LANGUAGE sql STABLE AS $$ SELECT time_zone FROM report_rollup_state $$;

-- A bill's own figures: its sale while it stands (and the discount approval),
-- or its void once voided.
CREATE FUNCTION "report_add_bills"(p bills[], sign INTEGER) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO report_sales (day, hour, staff_id, bills, unpaid_bills, gross, discounts, discounted_bills, tax, total, approvals_asked, approvals_given, voids, voided)
  SELECT (e.at AT TIME ZONE z.tz)::date, k.hour, k.staff_id,
         sign * sum(e.bills), sign * sum(e.bills), sign * sum(e.gross), sign * sum(e.discounts), sign * sum(e.discounted), sign * sum(e.tax), sign * sum(e.total),
         sign * sum(e.asked), sign * sum(e.given), sign * sum(e.voids), sign * sum(e.voided)
  FROM (
    SELECT b.created_at AS at, coalesce(b.cashier_id, 0) AS staff_id, 1 AS bills, b.subtotal AS gross, b.discount_total AS discounts,
           (b.discount_total > 0)::int AS discounted, b.tax_total AS tax, b.total_amount AS total,
           (b.discount_approved_by IS NOT NULL)::int AS asked, 0 AS given, 0 AS voids, 0 AS voided
    FROM unnest(p) b WHERE b.voided_at IS NULL
    UNION ALL
    SELECT b.created_at, b.discount_approved_by, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM unnest(p) b WHERE b.voided_at IS NULL AND b.discount_approved_by IS NOT NULL
    UNION ALL
    SELECT b.voided_at, coalesce(b.voided_by, 0), 0, 0, 0, 0, 0, 0, (b.void_approved_by IS NOT NULL)::int, 0, 1, b.total_amount FROM unnest(p) b WHERE b.voided_at IS NOT NULL
    UNION ALL
    SELECT b.voided_at, b.void_approved_by, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM unnest(p) b WHERE b.voided_at IS NOT NULL AND b.void_approved_by IS NOT NULL
  ) e CROSS JOIN (SELECT report_zone() AS tz) z CROSS JOIN LATERAL (VALUES (extract(hour FROM e.at AT TIME ZONE z.tz)::int, e.staff_id), (-1, -1)) k(hour, staff_id)
  GROUP BY 1, 2, 3
$$;

-- Lines of bills that stand, placed on their bill's day, hour and cashier.
-- Taking lines away (sign -1) finds their items' last sale again among
-- the bills that stand.
CREATE FUNCTION "report_add_lines"(p report_placed_line[], sign INTEGER) RETURNS VOID LANGUAGE sql AS $$
  WITH z AS (SELECT report_zone() AS tz), placed AS (
    SELECT (u.line).*, (u.bill).created_at AS at, coalesce((u.bill).cashier_id, 0) AS staff_id
    FROM unnest(p) AS u
    WHERE (u.bill).voided_at IS NULL
  ), l AS (
    SELECT l.*,
           NOT EXISTS (SELECT 1 FROM bill_items x WHERE x.bill_id = l.bill_id AND x.category = l.category AND x.id < l.id) AS first_of_category,
           NOT EXISTS (SELECT 1 FROM bill_items x WHERE x.bill_id = l.bill_id AND x.id < l.id AND x.tax_rate_percent = l.tax_rate_percent
                       AND x.tax_rate_id IS NOT DISTINCT FROM l.tax_rate_id AND x.tax_rate_name IS NOT DISTINCT FROM l.tax_rate_name) AS first_of_rate
    FROM placed l
  ), sales AS (
    INSERT INTO report_sales (day, hour, staff_id, revenue, cost, costed_revenue, uncosted_lines)
    SELECT (l.at AT TIME ZONE z.tz)::date, k.hour, k.staff_id,
           sign * sum(l.taxable_amount), sign * coalesce(sum(l.unit_cost * l.quantity), 0),
           sign * coalesce(sum(l.taxable_amount) FILTER (WHERE l.unit_cost IS NOT NULL), 0), sign * count(*) FILTER (WHERE l.unit_cost IS NULL)
    FROM l, z, LATERAL (VALUES (extract(hour FROM l.at AT TIME ZONE z.tz)::int, l.staff_id), (-1, -1)) k(hour, staff_id) GROUP BY 1, 2, 3
  ), items AS (
    INSERT INTO report_items (kind, day, item_id, category, tax_rate_id, tax_rate_name, tax_rate_percent, item_name, unit, last_line_id,
                              lines, quantity, revenue, tax, cost, costed_revenue, uncosted_lines, category_bills, rate_bills)
    SELECT k.kind, k.day, l.item_id, l.category, l.tax_rate_id, l.tax_rate_name, l.tax_rate_percent,
           (array_agg(l.item_name ORDER BY l.id DESC))[1], (array_agg(l.unit ORDER BY l.id DESC))[1], max(l.id),
           sign * count(*), sign * sum(l.quantity), sign * sum(l.taxable_amount), sign * sum(l.tax_amount), sign * coalesce(sum(l.unit_cost * l.quantity), 0),
           sign * coalesce(sum(l.taxable_amount) FILTER (WHERE l.unit_cost IS NOT NULL), 0), sign * count(*) FILTER (WHERE l.unit_cost IS NULL),
           sign * count(*) FILTER (WHERE l.first_of_category), sign * count(*) FILTER (WHERE l.first_of_rate)
    FROM l CROSS JOIN z
    CROSS JOIN LATERAL (VALUES ('D', (l.at AT TIME ZONE z.tz)::date), ('M', date_trunc('month', l.at AT TIME ZONE z.tz)::date)) k(kind, day)
    GROUP BY k.kind, k.day, l.item_id, l.category, l.tax_rate_id, l.tax_rate_name, l.tax_rate_percent
  ), forgotten AS (
    DELETE FROM report_last_sales WHERE sign < 0 AND item_id IN (SELECT item_id FROM l)
  )
  INSERT INTO report_last_sales (item_id, last_sold_at)
  SELECT item_id, max(at) FROM l WHERE sign > 0 GROUP BY item_id
  UNION ALL
  SELECT bi.item_id, max(b.created_at) FROM bill_items bi JOIN bills b ON b.id = bi.bill_id
  WHERE sign < 0 AND bi.item_id IN (SELECT item_id FROM l) AND b.voided_at IS NULL GROUP BY bi.item_id
$$;

-- Payments of bills that stand, on their bill's day; a bill's first payment takes it off unpaid_bills.
CREATE FUNCTION "report_add_payments"(p report_placed_payment[], sign INTEGER) RETURNS VOID LANGUAGE sql AS $$
  WITH placed AS (
    SELECT (u.payment).*, (u.bill).created_at AS at, coalesce((u.bill).cashier_id, 0) AS staff_id
    FROM unnest(p) AS u
    WHERE (u.bill).voided_at IS NULL
  ), p AS (
    SELECT p.*,
           NOT EXISTS (SELECT 1 FROM bill_payments x WHERE x.bill_id = p.bill_id AND x.method = p.method AND x.position < p.position) AS first_of_method,
           NOT EXISTS (SELECT 1 FROM bill_payments x WHERE x.bill_id = p.bill_id AND x.position < p.position) AS first_of_bill
    FROM placed p
  ), z AS (SELECT report_zone() AS tz), methods AS (
    INSERT INTO report_payments (day, method, payments, bills, amount, tendered, change)
    SELECT (p.at AT TIME ZONE z.tz)::date, p.method, sign * count(*), sign * count(*) FILTER (WHERE p.first_of_method),
           sign * sum(p.amount), sign * coalesce(sum(p.tendered), 0), sign * sum(p.change)
    FROM p, z GROUP BY 1, 2
  )
  INSERT INTO report_sales (day, hour, staff_id, unpaid_bills)
  SELECT (p.at AT TIME ZONE z.tz)::date, k.hour, k.staff_id, -sign * count(*)
  FROM p, z, LATERAL (VALUES (extract(hour FROM p.at AT TIME ZONE z.tz)::int, p.staff_id), (-1, -1)) k(hour, staff_id) WHERE p.first_of_bill GROUP BY 1, 2, 3
$$;

-- A return's own figures on whoever made it (and the approval on the approver), at the time of the return.
CREATE FUNCTION "report_add_returns"(p bill_returns[], sign INTEGER) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO report_sales (day, hour, staff_id, returns, refunded, approvals_asked, approvals_given)
  SELECT (e.at AT TIME ZONE z.tz)::date, k.hour, k.staff_id,
         sign * sum(e.returns), sign * sum(e.refunded), sign * sum(e.asked), sign * sum(e.given)
  FROM (
    SELECT r.created_at AS at, coalesce(r.actor_id, 0) AS staff_id, 1 AS returns, r.refund_total AS refunded, (r.approved_by IS NOT NULL)::int AS asked, 0 AS given
    FROM unnest(p) r
    UNION ALL
    SELECT r.created_at, r.approved_by, 0, 0, 0, 1 FROM unnest(p) r WHERE r.approved_by IS NOT NULL
  ) e CROSS JOIN (SELECT report_zone() AS tz) z CROSS JOIN LATERAL (VALUES (extract(hour FROM e.at AT TIME ZONE z.tz)::int, e.staff_id), (-1, -1)) k(hour, staff_id)
  GROUP BY 1, 2, 3
$$;

-- Returned lines at the time of their return, by the sold line's item, category, rate and cost.
CREATE FUNCTION "report_add_return_lines"(p report_placed_return_line[], sign INTEGER) RETURNS VOID LANGUAGE sql AS $$
  WITH placed AS (
    SELECT (u.line).*, (u.ret).created_at AS at, coalesce((u.ret).actor_id, 0) AS staff_id FROM unnest(p) AS u
  ), l AS (
    SELECT rl.quantity AS qty, rl.refund_amount - rl.tax_amount AS value, rl.tax_amount AS tax, bi.unit_cost * rl.quantity AS cost, bi.unit_cost IS NOT NULL AS costed,
           bi.id AS line_id, bi.item_id, bi.item_name, bi.unit, bi.category, bi.tax_rate_id, bi.tax_rate_name, bi.tax_rate_percent, rl.at, rl.staff_id
    FROM placed rl JOIN bill_items bi ON bi.id = rl.bill_item_id
  ), z AS (SELECT report_zone() AS tz), sales AS (
    INSERT INTO report_sales (day, hour, staff_id, return_value, return_tax, return_cost, return_costed_value)
    SELECT (l.at AT TIME ZONE z.tz)::date, k.hour, k.staff_id,
           sign * sum(l.value), sign * sum(l.tax), sign * coalesce(sum(l.cost), 0), sign * coalesce(sum(l.value) FILTER (WHERE l.costed), 0)
    FROM l, z, LATERAL (VALUES (extract(hour FROM l.at AT TIME ZONE z.tz)::int, l.staff_id), (-1, -1)) k(hour, staff_id) GROUP BY 1, 2, 3
  )
  INSERT INTO report_items (kind, day, item_id, category, tax_rate_id, tax_rate_name, tax_rate_percent, item_name, unit, last_line_id,
                            returned_qty, return_value, return_tax, return_cost, return_costed_value)
  SELECT k.kind, k.day, l.item_id, l.category, l.tax_rate_id, l.tax_rate_name, l.tax_rate_percent,
         (array_agg(l.item_name ORDER BY l.line_id DESC))[1], (array_agg(l.unit ORDER BY l.line_id DESC))[1], max(l.line_id),
         sign * sum(l.qty), sign * sum(l.value), sign * sum(l.tax), sign * coalesce(sum(l.cost), 0), sign * coalesce(sum(l.value) FILTER (WHERE l.costed), 0)
  FROM l CROSS JOIN z
  CROSS JOIN LATERAL (VALUES ('D', (l.at AT TIME ZONE z.tz)::date), ('M', date_trunc('month', l.at AT TIME ZONE z.tz)::date)) k(kind, day)
  GROUP BY k.kind, k.day, l.item_id, l.category, l.tax_rate_id, l.tax_rate_name, l.tax_rate_percent
$$;

-- Refunds paid out, by method, at the time of their return.
CREATE FUNCTION "report_add_return_payments"(p report_placed_refund[], sign INTEGER) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO report_payments (day, method, refunds, refunded)
  SELECT ((u.ret).created_at AT TIME ZONE report_zone())::date, (u.payment).method, sign * count(*), sign * sum((u.payment).amount)
  FROM unnest(p) AS u
  GROUP BY 1, 2
$$;

-- ---- triggers: one per statement, over the rows it wrote ----------------------

CREATE FUNCTION "report_bills_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_add_bills(ARRAY(SELECT n::bills FROM new_bills n), 1);
  RETURN NULL;
END $$;
CREATE TRIGGER "report_bills_inserted" AFTER INSERT ON "bills" REFERENCING NEW TABLE AS new_bills FOR EACH STATEMENT EXECUTE FUNCTION "report_bills_inserted"();

-- A bill's totals written after its claim, a void, or a bill moved to another
-- time or cashier: take away what the old row added and add the new row. When
-- the bill moved or was voided its lines and payments move with it.
CREATE FUNCTION "report_bills_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  olds bills[];
  news bills[];
  moved INTEGER[];
BEGIN
  SELECT array_agg(o::bills), array_agg(n::bills),
         array_agg(n.id) FILTER (WHERE (o.created_at, o.cashier_id, o.voided_at IS NULL) IS DISTINCT FROM (n.created_at, n.cashier_id, n.voided_at IS NULL))
  INTO olds, news, moved
  FROM old_bills o JOIN new_bills n USING (id)
  WHERE (o.subtotal, o.discount_total, o.tax_total, o.total_amount, o.created_at, o.cashier_id, o.discount_approved_by, o.voided_at, o.voided_by, o.void_approved_by)
        IS DISTINCT FROM (n.subtotal, n.discount_total, n.tax_total, n.total_amount, n.created_at, n.cashier_id, n.discount_approved_by, n.voided_at, n.voided_by, n.void_approved_by);
  IF olds IS NULL THEN RETURN NULL; END IF;
  PERFORM report_add_bills(olds, -1);
  PERFORM report_add_bills(news, 1);
  IF moved IS NOT NULL THEN
    PERFORM report_add_lines(array_agg(ROW(l, o::bills)::report_placed_line ORDER BY l.id), -1), report_add_lines(array_agg(ROW(l, n::bills)::report_placed_line ORDER BY l.id), 1)
    FROM bill_items l JOIN old_bills o ON o.id = l.bill_id JOIN new_bills n ON n.id = l.bill_id WHERE l.bill_id = ANY (moved);
    PERFORM report_add_payments(array_agg(ROW(p, o::bills)::report_placed_payment ORDER BY p.id), -1), report_add_payments(array_agg(ROW(p, n::bills)::report_placed_payment ORDER BY p.id), 1)
    FROM bill_payments p JOIN old_bills o ON o.id = p.bill_id JOIN new_bills n ON n.id = p.bill_id WHERE p.bill_id = ANY (moved);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "report_bills_updated" AFTER UPDATE ON "bills" REFERENCING OLD TABLE AS old_bills NEW TABLE AS new_bills FOR EACH STATEMENT EXECUTE FUNCTION "report_bills_updated"();

CREATE FUNCTION "report_lines_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_add_lines(array_agg(ROW(n::bill_items, b)::report_placed_line ORDER BY n.id), 1) FROM new_lines n JOIN bills b ON b.id = n.bill_id;
  RETURN NULL;
END $$;
CREATE TRIGGER "report_lines_inserted" AFTER INSERT ON "bill_items" REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION "report_lines_inserted"();

CREATE FUNCTION "report_payments_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_add_payments(array_agg(ROW(n::bill_payments, b)::report_placed_payment ORDER BY n.id), 1) FROM new_payments n JOIN bills b ON b.id = n.bill_id;
  RETURN NULL;
END $$;
CREATE TRIGGER "report_payments_inserted" AFTER INSERT ON "bill_payments" REFERENCING NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION "report_payments_inserted"();

CREATE FUNCTION "report_returns_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_add_returns(ARRAY(SELECT n::bill_returns FROM new_returns n), 1);
  RETURN NULL;
END $$;
CREATE TRIGGER "report_returns_inserted" AFTER INSERT ON "bill_returns" REFERENCING NEW TABLE AS new_returns FOR EACH STATEMENT EXECUTE FUNCTION "report_returns_inserted"();

-- A return's totals or time changed after it was written: the same take-away-and-add.
CREATE FUNCTION "report_returns_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  olds bill_returns[];
  news bill_returns[];
  moved INTEGER[];
BEGIN
  SELECT array_agg(o::bill_returns), array_agg(n::bill_returns), array_agg(n.id) FILTER (WHERE (o.created_at, o.actor_id) IS DISTINCT FROM (n.created_at, n.actor_id))
  INTO olds, news, moved
  FROM old_returns o JOIN new_returns n USING (id)
  WHERE (o.created_at, o.actor_id, o.approved_by, o.refund_total) IS DISTINCT FROM (n.created_at, n.actor_id, n.approved_by, n.refund_total);
  IF olds IS NULL THEN RETURN NULL; END IF;
  PERFORM report_add_returns(olds, -1);
  PERFORM report_add_returns(news, 1);
  IF moved IS NOT NULL THEN
    PERFORM report_add_return_lines(array_agg(ROW(l, o::bill_returns)::report_placed_return_line ORDER BY l.id), -1),
            report_add_return_lines(array_agg(ROW(l, n::bill_returns)::report_placed_return_line ORDER BY l.id), 1)
    FROM bill_return_lines l JOIN old_returns o ON o.id = l.return_id JOIN new_returns n ON n.id = l.return_id WHERE l.return_id = ANY (moved);
    PERFORM report_add_return_payments(array_agg(ROW(p, o::bill_returns)::report_placed_refund ORDER BY p.id), -1),
            report_add_return_payments(array_agg(ROW(p, n::bill_returns)::report_placed_refund ORDER BY p.id), 1)
    FROM bill_return_payments p JOIN old_returns o ON o.id = p.return_id JOIN new_returns n ON n.id = p.return_id WHERE p.return_id = ANY (moved);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "report_returns_updated" AFTER UPDATE ON "bill_returns" REFERENCING OLD TABLE AS old_returns NEW TABLE AS new_returns FOR EACH STATEMENT EXECUTE FUNCTION "report_returns_updated"();

CREATE FUNCTION "report_return_lines_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_add_return_lines(array_agg(ROW(n::bill_return_lines, r)::report_placed_return_line ORDER BY n.id), 1) FROM new_lines n JOIN bill_returns r ON r.id = n.return_id;
  RETURN NULL;
END $$;
CREATE TRIGGER "report_return_lines_inserted" AFTER INSERT ON "bill_return_lines" REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION "report_return_lines_inserted"();

CREATE FUNCTION "report_return_payments_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_add_return_payments(array_agg(ROW(n::bill_return_payments, r)::report_placed_refund ORDER BY n.id), 1) FROM new_payments n JOIN bill_returns r ON r.id = n.return_id;
  RETURN NULL;
END $$;
CREATE TRIGGER "report_return_payments_inserted" AFTER INSERT ON "bill_return_payments" REFERENCING NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION "report_return_payments_inserted"();

-- ---- maintenance ---------------------------------------------------------------

-- Folds the rows appended since the last run into one row per key. Safe to run
-- from several processes (one at a time, by an advisory lock) while sales go on:
-- only rows it deleted are summed back in.
CREATE FUNCTION "report_rollups_compact"() RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  s report_rollup_state;
  top BIGINT;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('report_rollups')) THEN RETURN; END IF;
  SELECT * INTO s FROM report_rollup_state FOR UPDATE;

  SELECT max(id) INTO top FROM report_sales;
  IF top > s.compacted_sales_id THEN
    WITH keys AS (SELECT DISTINCT day, hour, staff_id FROM report_sales WHERE id > s.compacted_sales_id AND id <= top),
    gone AS (DELETE FROM report_sales r USING keys k WHERE r.day = k.day AND r.hour = k.hour AND r.staff_id = k.staff_id AND r.id <= top RETURNING r.*)
    INSERT INTO report_sales (day, hour, staff_id, bills, unpaid_bills, gross, discounts, discounted_bills, tax, total, revenue, cost, costed_revenue, uncosted_lines,
                              approvals_asked, approvals_given, returns, refunded, return_value, return_tax, return_cost, return_costed_value, voids, voided)
    SELECT day, hour, staff_id, sum(bills), sum(unpaid_bills), sum(gross), sum(discounts), sum(discounted_bills), sum(tax), sum(total), sum(revenue), sum(cost),
           sum(costed_revenue), sum(uncosted_lines), sum(approvals_asked), sum(approvals_given), sum(returns), sum(refunded), sum(return_value), sum(return_tax),
           sum(return_cost), sum(return_costed_value), sum(voids), sum(voided)
    FROM gone GROUP BY day, hour, staff_id;
    UPDATE report_rollup_state SET compacted_sales_id = (SELECT coalesce(max(id), 0) FROM report_sales);
  END IF;

  SELECT max(id) INTO top FROM report_items;
  IF top > s.compacted_items_id THEN
    WITH keys AS (SELECT DISTINCT kind, day, item_id, category, tax_rate_id, tax_rate_name, tax_rate_percent FROM report_items WHERE id > s.compacted_items_id AND id <= top),
    gone AS (
      DELETE FROM report_items r USING keys k
      WHERE r.kind = k.kind AND r.day = k.day AND r.item_id = k.item_id AND r.category = k.category AND r.tax_rate_percent = k.tax_rate_percent
        AND r.tax_rate_id IS NOT DISTINCT FROM k.tax_rate_id AND r.tax_rate_name IS NOT DISTINCT FROM k.tax_rate_name AND r.id <= top
      RETURNING r.*
    )
    INSERT INTO report_items (kind, day, item_id, category, tax_rate_id, tax_rate_name, tax_rate_percent, item_name, unit, last_line_id, lines, quantity, revenue,
                              tax, cost, costed_revenue, uncosted_lines, category_bills, rate_bills, returned_qty, return_value, return_tax, return_cost, return_costed_value)
    SELECT kind, day, item_id, category, tax_rate_id, tax_rate_name, tax_rate_percent,
           (array_agg(item_name ORDER BY last_line_id DESC))[1], (array_agg(unit ORDER BY last_line_id DESC))[1], max(last_line_id),
           sum(lines), sum(quantity), sum(revenue), sum(tax), sum(cost), sum(costed_revenue), sum(uncosted_lines), sum(category_bills), sum(rate_bills),
           sum(returned_qty), sum(return_value), sum(return_tax), sum(return_cost), sum(return_costed_value)
    FROM gone GROUP BY kind, day, item_id, category, tax_rate_id, tax_rate_name, tax_rate_percent;
    UPDATE report_rollup_state SET compacted_items_id = (SELECT coalesce(max(id), 0) FROM report_items);
  END IF;

  SELECT max(id) INTO top FROM report_payments;
  IF top > s.compacted_payments_id THEN
    WITH keys AS (SELECT DISTINCT day, method FROM report_payments WHERE id > s.compacted_payments_id AND id <= top),
    gone AS (DELETE FROM report_payments r USING keys k WHERE r.day = k.day AND r.method = k.method AND r.id <= top RETURNING r.*)
    INSERT INTO report_payments (day, method, payments, bills, amount, tendered, change, refunds, refunded)
    SELECT day, method, sum(payments), sum(bills), sum(amount), sum(tendered), sum(change), sum(refunds), sum(refunded) FROM gone GROUP BY day, method;
    UPDATE report_rollup_state SET compacted_payments_id = (SELECT coalesce(max(id), 0) FROM report_payments);
  END IF;

  SELECT max(id) INTO top FROM report_last_sales;
  IF top > s.compacted_last_sales_id THEN
    WITH keys AS (SELECT DISTINCT item_id FROM report_last_sales WHERE id > s.compacted_last_sales_id AND id <= top),
    gone AS (DELETE FROM report_last_sales r USING keys k WHERE r.item_id = k.item_id AND r.id <= top RETURNING r.*)
    INSERT INTO report_last_sales (item_id, last_sold_at) SELECT item_id, max(last_sold_at) FROM gone GROUP BY item_id;
    UPDATE report_rollup_state SET compacted_last_sales_id = (SELECT coalesce(max(id), 0) FROM report_last_sales);
  END IF;
END $$;

-- Recomputes every rollup from the documents, with days in p_time_zone (the
-- shop's zone changed, or rows were written with the triggers off), in batches
-- of bills. Sales wait while it runs (it locks the rollup tables). With
-- p_force false it does nothing when the rollups are already in that zone
-- (another process rebuilt them while this one waited for the lock).
CREATE FUNCTION "report_rollups_rebuild"(p_time_zone TEXT, p_force BOOLEAN DEFAULT true) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  lo INTEGER := 0;
  hi INTEGER;
  step CONSTANT INTEGER := 20000;
BEGIN
  LOCK TABLE report_sales, report_items, report_payments, report_last_sales IN EXCLUSIVE MODE;
  IF NOT p_force AND (SELECT time_zone FROM report_rollup_state) = p_time_zone THEN RETURN; END IF;
  TRUNCATE report_sales, report_items, report_payments, report_last_sales;
  UPDATE report_rollup_state SET time_zone = p_time_zone, rebuilt_at = now(), compacted_sales_id = 0, compacted_items_id = 0, compacted_payments_id = 0, compacted_last_sales_id = 0;
  SELECT coalesce(max(id), 0) INTO hi FROM bills;
  WHILE lo < hi LOOP
    PERFORM report_add_bills(ARRAY(SELECT b FROM bills b WHERE b.id > lo AND b.id <= lo + step), 1);
    PERFORM report_add_lines(array_agg(ROW(l, b)::report_placed_line ORDER BY l.id), 1)
    FROM bill_items l JOIN bills b ON b.id = l.bill_id WHERE b.id > lo AND b.id <= lo + step;
    PERFORM report_add_payments(array_agg(ROW(p, b)::report_placed_payment ORDER BY p.id), 1)
    FROM bill_payments p JOIN bills b ON b.id = p.bill_id WHERE b.id > lo AND b.id <= lo + step;
    lo := lo + step;
  END LOOP;
  PERFORM report_add_returns(ARRAY(SELECT r FROM bill_returns r), 1);
  PERFORM report_add_return_lines(array_agg(ROW(l, r)::report_placed_return_line ORDER BY l.id), 1) FROM bill_return_lines l JOIN bill_returns r ON r.id = l.return_id;
  PERFORM report_add_return_payments(array_agg(ROW(p, r)::report_placed_refund ORDER BY p.id), 1) FROM bill_return_payments p JOIN bill_returns r ON r.id = p.return_id;
  PERFORM report_rollups_compact();
END $$;

-- The bills, returns and voids already written (an existing shop, or a backup
-- restored at an older level and migrated forward) go into the rollups now.
SELECT report_rollups_rebuild(time_zone) FROM report_rollup_state;
