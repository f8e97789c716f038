// Best sellers in a range, by quantity or by revenue, from the bill lines'
// snapshots (name and category as sold, not as the catalogue says today).
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Problems } from "../errors.ts";
import { Decimal } from "../money.ts";
import { CATEGORY, parseText } from "../text.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export const TOP_BY = ["QUANTITY", "REVENUE"] as const;
export type TopBy = (typeof TOP_BY)[number];

export interface TopItem {
  itemId: number;
  /** As on the latest bill line in the range. */
  itemName: string;
  category: string;
  unit: string;
  quantity: Decimal;
  revenue: Decimal;
  bills: number;
}

export interface TopItems {
  range: ReportRange;
  by: TopBy;
  rows: TopItem[];
}

// $1, $2: range; $3: category or null; $4: 'quantity' | 'revenue'; $5: limit.
export const TOP_ITEMS_SQL = `
SELECT bi.item_id,
       (array_agg(bi.item_name ORDER BY bi.id DESC))[1] AS item_name,
       (array_agg(bi.category ORDER BY bi.id DESC))[1] AS category,
       (array_agg(bi.unit ORDER BY bi.id DESC))[1] AS unit,
       sum(bi.quantity) AS quantity,
       sum(bi.line_total) AS revenue,   -- the line's net value once discounts exist
       count(DISTINCT bi.bill_id)::int AS bills
FROM bills b JOIN bill_items bi ON bi.bill_id = b.id
WHERE b.created_at >= $1 AND b.created_at < $2 AND b.voided_at IS NULL
  AND ($3::text IS NULL OR lower(bi.category) = lower($3))
GROUP BY bi.item_id
ORDER BY CASE WHEN $4 = 'quantity' THEN sum(bi.quantity) ELSE sum(bi.line_total) END DESC,
         CASE WHEN $4 = 'quantity' THEN sum(bi.line_total) ELSE sum(bi.quantity) END DESC,
         bi.item_id
LIMIT $5`;

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
  const { rows } = await ctx.db.pool.query<{ item_id: number; item_name: string; category: string; unit: string; quantity: string; revenue: string; bills: number }>(
    TOP_ITEMS_SQL,
    [range.from, range.to, category ?? null, by.toLowerCase(), first],
  );
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
      bills: r.bills,
    })),
  };
}
