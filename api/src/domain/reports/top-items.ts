// Best sellers in a range, by quantity or by revenue, from the bill lines'
// snapshots (name and category as sold, not as the catalogue says today).
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Problems } from "../errors.ts";
import { Decimal } from "../money.ts";
import { CATEGORY, parseText } from "../text.ts";
import { ITEM_BUCKETS, ITEM_ROWS_COUNT, RETURNED_LINES, SOLD_BILLS } from "./documents.ts";
import { bucketParams, resolveRange, type RangeInput, type ReportRange } from "./range.ts";

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
export const TOP_ITEMS_ROLLUP_SQL = `
WITH r AS MATERIALIZED (
  SELECT ri.* FROM report_items ri
  WHERE ${ITEM_BUCKETS} AND ($5::text IS NULL OR lower(ri.category) = lower($5))
), top AS (
  SELECT ri.item_id,
         sum(ri.quantity) - sum(ri.returned_qty) AS quantity,
         sum(ri.revenue) - sum(ri.return_value) AS revenue,
         sum(ri.returned_qty) AS returned,
         sum(ri.lines)::int AS bills   -- a bill lists an item once (createBill merges repeated items)
  FROM r ri
  GROUP BY ri.item_id
  HAVING ${ITEM_ROWS_COUNT}
  ORDER BY CASE WHEN $6 = 'quantity' THEN sum(ri.quantity) - sum(ri.returned_qty) ELSE sum(ri.revenue) - sum(ri.return_value) END DESC,
           CASE WHEN $6 = 'quantity' THEN sum(ri.revenue) - sum(ri.return_value) ELSE sum(ri.quantity) - sum(ri.returned_qty) END DESC,
           ri.item_id
  LIMIT $7
)
-- The name, category and unit of the latest line, looked up for the few items shown only.
SELECT top.*, latest.item_name, latest.category, latest.unit
FROM top CROSS JOIN LATERAL (SELECT item_name, category, unit FROM r WHERE r.item_id = top.item_id ORDER BY r.last_line_id DESC LIMIT 1) latest
ORDER BY CASE WHEN $6 = 'quantity' THEN top.quantity ELSE top.revenue END DESC, CASE WHEN $6 = 'quantity' THEN top.revenue ELSE top.quantity END DESC, top.item_id`;

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
    ? [TOP_ITEMS_ROLLUP_SQL, [...bucketParams(days), category ?? null, by.toLowerCase(), first]]
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
