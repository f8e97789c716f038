// Best sellers in a range, by quantity or by revenue, from the bill lines'
// snapshots (name and category as sold, not as the catalogue says today).
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Problems } from "../errors.ts";
import { Decimal } from "../money.ts";
import { CATEGORY, parseText } from "../text.ts";
import { ITEM_BUCKETS, RETURNED_LINES, SOLD_BILLS } from "./documents.ts";
import { bucketParams, prefixBounds, resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export const TOP_BY = ["QUANTITY", "REVENUE"] as const;
export type TopBy = (typeof TOP_BY)[number];

export interface TopItem {
  itemId: number;
  /** As on the latest bill line in the range. */
  itemName: string;
  category: string;
  unit: string;
  /** Sold less returned in the range. */
  quantity: Decimal;
  /** What the lines charged after discounts, without tax (their taxable amounts), less returns. */
  revenue: Decimal;
  /** Returned in the range (already taken off quantity). */
  returnedQuantity: Decimal;
  /** Bills in the range with the item. */
  bills: number;
}

export interface TopItems {
  range: ReportRange;
  by: TopBy;
  rows: TopItem[];
}

// $1, $2: range; $3: category or null; $4: 'quantity' | 'revenue'; $5: limit.
// Sold lines count positive, lines returned in the range negative.
export const TOP_ITEMS_SQL = `
WITH moves AS (
  SELECT bi.id, bi.item_id, bi.item_name, bi.category, bi.unit, bi.bill_id, bi.quantity, bi.taxable_amount AS revenue, 0::numeric AS returned
  FROM bills b JOIN bill_items bi ON bi.bill_id = b.id WHERE ${SOLD_BILLS}
  UNION ALL
  SELECT bi.id, bi.item_id, bi.item_name, bi.category, bi.unit, NULL, -rl.quantity, -(rl.refund_amount - rl.tax_amount), rl.quantity
  FROM ${RETURNED_LINES}
)
SELECT item_id,
       (array_agg(item_name ORDER BY id DESC))[1] AS item_name,
       (array_agg(category ORDER BY id DESC))[1] AS category,
       (array_agg(unit ORDER BY id DESC))[1] AS unit,
       sum(quantity) AS quantity,
       sum(revenue) AS revenue,
       sum(returned) AS returned,
       count(DISTINCT bill_id)::int AS bills
FROM moves
WHERE $3::text IS NULL OR lower(category) = lower($3)
GROUP BY item_id
ORDER BY CASE WHEN $4 = 'quantity' THEN sum(quantity) ELSE sum(revenue) END DESC,
         CASE WHEN $4 = 'quantity' THEN sum(revenue) ELSE sum(quantity) END DESC,
         item_id
LIMIT $5`;

// The same from the rollups: $1, $2 shop days, $3, $4 the whole months among them; then $5 category, $6 by, $7 limit.
// TOP_ITEMS_PREFIX_SQL adds $8, $9 (the cumulative totals' boundaries) and two signed day ranges ($10–$12, $13–$15).
// Rows enter net of returns and with their sign applied; from the cumulative
// totals in whole thousandths (quantities) and hundredths (money), as
// report_item_prefix keeps them (exact BIGINT sums, turned back into NUMERIC
// for the few items shown), else as NUMERIC.
const topItemsFrom = (rows: string, scaled: boolean) => `
WITH top AS (
  SELECT ri.item_id, sum(ri.q) AS q, sum(ri.r) AS r, sum(ri.rq) AS rq,
         sum(ri.lines)::int AS bills   -- a bill lists an item once (createBill merges repeated items)
  FROM (${rows}) ri
  WHERE $5::text IS NULL OR lower(ri.category) = lower($5)
  GROUP BY ri.item_id
  HAVING sum(ri.lines) <> 0 OR sum(ri.rq) <> 0
  ORDER BY CASE WHEN $6 = 'quantity' THEN sum(ri.q) ELSE sum(ri.r) END DESC, CASE WHEN $6 = 'quantity' THEN sum(ri.r) ELSE sum(ri.q) END DESC, ri.item_id
  LIMIT $7
)
-- Summed before the names are looked up, for the few items shown only: the
-- latest line in the range (a rollup row's name, category and unit are its last line's).
SELECT top.item_id, ${scaled ? "round(top.q / 1000, 3) AS quantity, round(top.r / 100, 2) AS revenue, round(top.rq / 1000, 3)" : "top.q AS quantity, top.r AS revenue, top.rq"} AS returned, top.bills,
       bi.item_name, bi.category, bi.unit
FROM top
CROSS JOIN LATERAL (
  SELECT max(ri.last_line_id) AS line_id FROM report_items ri
  WHERE ri.item_id = top.item_id AND ri.day >= $1::date AND ri.day < $2::date AND ${ITEM_BUCKETS} AND ($5::text IS NULL OR lower(ri.category) = lower($5))
) latest
JOIN bill_items bi ON bi.id = latest.line_id
ORDER BY CASE WHEN $6 = 'quantity' THEN top.q ELSE top.r END DESC, CASE WHEN $6 = 'quantity' THEN top.r ELSE top.q END DESC, top.item_id`;

/** A report_items row's figures (in thousandths and hundredths when scaled): added, or (minus) taken away. */
const figures = (minus = "", scaled = true) =>
  scaled
    ? `item_id, category, ${minus}((quantity - returned_qty) * 1000)::bigint AS q, ${minus}((revenue - return_value) * 100)::bigint AS r, ${minus}(returned_qty * 1000)::bigint AS rq, ${minus}lines AS lines`
    : `item_id, category, quantity - returned_qty AS q, revenue - return_value AS r, returned_qty AS rq, lines`;
const prefixFigures = (minus = "") =>
  `item_id, category, ${minus}net_quantity_thousandths AS q, ${minus}net_revenue_hundredths AS r, ${minus}returned_thousandths AS rq, ${minus}lines AS lines`;

export const TOP_ITEMS_ROLLUP_SQL = topItemsFrom(`SELECT ${figures("", false)} FROM report_items ri WHERE ${ITEM_BUCKETS}`, false);

// The cumulative totals at the two boundaries (past the last one they stay
// as at the last), the day rows not yet in them, and the day rows that
// take each bound from its boundary to the day ($12, $15: whether they are
// added or taken away; the branch that does not apply is planned away).
const days = (from: number, sign: number) => `
    UNION ALL
    SELECT ${figures()} FROM report_items WHERE $${sign}::int = 1 AND kind = 'D' AND day >= $${from}::date AND day < $${from + 1}::date
    UNION ALL
    SELECT ${figures("-")} FROM report_items WHERE $${sign}::int = -1 AND kind = 'D' AND day >= $${from}::date AND day < $${from + 1}::date`;
export const TOP_ITEMS_PREFIX_SQL = topItemsFrom(`
    SELECT ${prefixFigures()} FROM report_item_prefix WHERE boundary = least($9::date, (SELECT prefix_through FROM report_rollup_state))
    UNION ALL
    SELECT ${prefixFigures("-")} FROM report_item_prefix WHERE boundary = least($8::date, (SELECT prefix_through FROM report_rollup_state))
    UNION ALL
    SELECT ${figures()} FROM report_items_pending_days() WHERE day >= $8::date AND day < $9::date${days(10, 12)}${days(13, 15)}`, true);

/** The rollup SQL and parameters of top items over shop days: from the cumulative totals when that reads fewer rows. */
export function topItemsRollupQuery(days: { from: string; to: string }, category: string | null, by: TopBy, first: number): [string, unknown[]] {
  const params = [...bucketParams(days), category, by.toLowerCase(), first];
  const prefix = prefixBounds(days);
  if (!prefix) return [TOP_ITEMS_ROLLUP_SQL, params];
  const { low, high } = prefix;
  return [TOP_ITEMS_PREFIX_SQL, [...params, prefix.boundaryFrom, prefix.boundaryTo, low.from, low.to, low.sign, high.from, high.to, high.sign]];
}

export const MAX_TOP = 100;

export async function topItems(ctx: ServiceContext, input: RangeInput & { by?: unknown; first?: unknown; category?: unknown }): Promise<TopItems> {
  authorize(ctx, "VIEW_REPORTS");
  const p = new Problems();
  const by = (input.by ?? "QUANTITY") as TopBy;
  if (!TOP_BY.includes(by)) p.add(["by"], `must be one of ${TOP_BY.join(", ")}`, "INVALID_VALUE");
  const first = input.first ?? 10;
  if (!Number.isInteger(first) || (first as number) < 1 || (first as number) > MAX_TOP) p.add(["first"], `must be a whole number from 1 to ${MAX_TOP}`, "INVALID_VALUE");
  const category = input.category == null ? null : p.take(() => parseText(input.category, ["category"], CATEGORY));
  p.throwIfAny();
  const range = await resolveRange(ctx, input);
  const days = range.rollupDays;
  const [sql, params] = days
    ? topItemsRollupQuery(days, category ?? null, by, first as number)
    : [TOP_ITEMS_SQL, [range.from, range.to, category ?? null, by.toLowerCase(), first]];
  const { rows } = await ctx.db.pool.query<{ item_id: number; item_name: string; category: string; unit: string; quantity: string; revenue: string; returned: string; bills: number }>(sql, params);
  return {
    range,
    by,
    rows: rows.map((r) => ({
      itemId: r.item_id,
      itemName: r.item_name,
      category: r.category,
      unit: r.unit,
      quantity: new Decimal(r.quantity),
      revenue: new Decimal(r.revenue),
      returnedQuantity: new Decimal(r.returned),
      bills: r.bills,
    })),
  };
}
