-- Cumulative item totals, so top items costs about the same over any range:
-- for every item and category it was sold under, the sums of its compacted
-- day rows (report_items kind 'D') before each boundary, the 1st, 8th, 15th
-- and 22nd of every month. A range is then the difference of two boundaries'
-- rows per item, corrected by the day rows between each bound and its nearer
-- boundary (at most 5 days), instead of a row per item for every month and
-- day in the range. Kept by report_rollups_compact() from the day rows it
-- folds (sales never touch it, so never wait on it); rows appended since the
-- last compaction are read from report_items as before. The figures are whole
-- thousandths (quantities) and hundredths (money), exact like the NUMERIC
-- columns they sum, because summing 40,000 BIGINTs is about twice as fast as
-- summing NUMERICs; the report turns them back into NUMERIC.

-- Rows run from the boundary after the key's first day row up to
-- report_rollup_state.prefix_through (the boundary after the last day row),
-- for every key: a boundary before a key's first row sums to nothing, one past
-- prefix_through equals the row at prefix_through.
CREATE TABLE "report_item_prefix" (
    "item_id" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "boundary" DATE NOT NULL,
    "lines" INTEGER NOT NULL DEFAULT 0,
    -- Sold less returned, and returned.
    "net_quantity_thousandths" BIGINT NOT NULL DEFAULT 0,
    "net_revenue_hundredths" BIGINT NOT NULL DEFAULT 0,
    "returned_thousandths" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "report_item_prefix_pkey" PRIMARY KEY ("boundary", "item_id", "category")
);
ALTER TABLE "report_rollup_state" ADD COLUMN "prefix_through" DATE;

-- The latest line of a few items in a range (top items' names), read from the index alone.
CREATE INDEX "report_items_item_id_day_idx" ON "report_items"("item_id", "day") INCLUDE ("kind", "category", "last_line_id");

-- The first boundary after a day (prefixBounds in api/src/domain/reports/range.ts places them the same way).
CREATE FUNCTION "report_prefix_boundary_after"(d DATE) RETURNS DATE LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN extract(day FROM d) < 22 THEN date_trunc('month', d)::date + (7 * (1 + (extract(day FROM d)::int - 1) / 7))
              ELSE (date_trunc('month', d) + interval '1 month')::date END
$$;

-- The boundaries in (a, b].
CREATE FUNCTION "report_prefix_boundaries"(a DATE, b DATE) RETURNS SETOF DATE LANGUAGE sql IMMUTABLE AS $$
  SELECT g::date FROM generate_series(a + 1, b, interval '1 day') g WHERE extract(day FROM g) IN (1, 8, 15, 22)
$$;

-- Adds the figures of the day rows with ids in (lo, hi] to the prefix,
-- making the rows the new keys and boundaries need.
CREATE FUNCTION "report_item_prefix_add"(lo BIGINT, hi BIGINT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  through DATE;
  newest DATE;
BEGIN
  SELECT report_prefix_boundary_after(max(u.day)) INTO newest FROM report_items u WHERE u.id > lo AND u.id <= hi AND u.kind = 'D';
  IF newest IS NULL THEN RETURN; END IF;
  SELECT prefix_through INTO through FROM report_rollup_state;
  IF through IS NULL OR newest > through THEN
    -- Every key gets the new boundaries, each equal to its row at the old last boundary.
    INSERT INTO report_item_prefix (item_id, category, boundary, lines, net_quantity_thousandths, net_revenue_hundredths, returned_thousandths)
    SELECT x.item_id, x.category, g.b, x.lines, x.net_quantity_thousandths, x.net_revenue_hundredths, x.returned_thousandths
    FROM report_item_prefix x CROSS JOIN report_prefix_boundaries(through, newest) g(b)
    WHERE through IS NOT NULL AND x.boundary = through
    ORDER BY g.b, x.item_id, x.category;
    UPDATE report_rollup_state SET prefix_through = newest;
    through := newest;
  END IF;
  -- Per key, the running sum of its new figures at every boundary after its earliest new day.
  WITH d AS (
    SELECT u.item_id, u.category, report_prefix_boundary_after(u.day) AS boundary, sum(u.lines) AS lines, (sum(u.quantity - u.returned_qty) * 1000)::bigint AS q,
           (sum(u.revenue - u.return_value) * 100)::bigint AS r, (sum(u.returned_qty) * 1000)::bigint AS rq
    FROM report_items u WHERE u.id > lo AND u.id <= hi AND u.kind = 'D' GROUP BY 1, 2, 3
  ), grid AS (
    SELECT k.item_id, k.category, g.b AS boundary
    FROM (SELECT item_id, category, min(boundary) AS first FROM d GROUP BY 1, 2) k
    CROSS JOIN report_prefix_boundaries(k.first - 1, through) g(b)
  ), cum AS (
    SELECT grid.item_id, grid.category, grid.boundary,
           coalesce(sum(d.lines) OVER w, 0) AS lines, coalesce(sum(d.q) OVER w, 0) AS q, coalesce(sum(d.r) OVER w, 0) AS r, coalesce(sum(d.rq) OVER w, 0) AS rq
    FROM grid LEFT JOIN d USING (item_id, category, boundary)
    WINDOW w AS (PARTITION BY grid.item_id, grid.category ORDER BY grid.boundary)
  )
  INSERT INTO report_item_prefix AS x (item_id, category, boundary, lines, net_quantity_thousandths, net_revenue_hundredths, returned_thousandths)
  SELECT * FROM cum
  ORDER BY boundary, item_id, category   -- a boundary's rows together on disk: the report reads them by boundary
  ON CONFLICT (boundary, item_id, category) DO UPDATE
  SET lines = x.lines + EXCLUDED.lines, net_quantity_thousandths = x.net_quantity_thousandths + EXCLUDED.net_quantity_thousandths,
      net_revenue_hundredths = x.net_revenue_hundredths + EXCLUDED.net_revenue_hundredths, returned_thousandths = x.returned_thousandths + EXCLUDED.returned_thousandths;
END $$;

-- The day rows appended since the last compaction (not yet in the prefix).
-- The bound is put in the query text so the planner reads only the newest ids.
CREATE FUNCTION "report_items_pending_days"() RETURNS SETOF report_items LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format('SELECT * FROM report_items WHERE id > %s AND kind = ''D''', (SELECT compacted_items_id FROM report_rollup_state));
END $$;

-- Compaction also carries the day rows it folds into the prefix (before folding them).
CREATE OR REPLACE FUNCTION "report_rollups_compact"() RETURNS VOID LANGUAGE plpgsql AS $$
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
    PERFORM report_item_prefix_add(s.compacted_items_id, top);
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

-- A rebuild starts the prefix afresh too (its compaction fills it).
CREATE OR REPLACE FUNCTION "report_rollups_rebuild"(p_time_zone TEXT, p_force BOOLEAN DEFAULT true) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  lo INTEGER := 0;
  hi INTEGER;
  step CONSTANT INTEGER := 20000;
BEGIN
  LOCK TABLE report_sales, report_items, report_payments, report_last_sales, report_item_prefix IN EXCLUSIVE MODE;
  IF NOT p_force AND (SELECT time_zone FROM report_rollup_state) = p_time_zone THEN RETURN; END IF;
  TRUNCATE report_sales, report_items, report_payments, report_last_sales, report_item_prefix;
  UPDATE report_rollup_state SET time_zone = p_time_zone, rebuilt_at = now(), compacted_sales_id = 0, compacted_items_id = 0, compacted_payments_id = 0, compacted_last_sales_id = 0, prefix_through = NULL;
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

SELECT report_item_prefix_add(0, coalesce((SELECT compacted_items_id FROM report_rollup_state), 0));
