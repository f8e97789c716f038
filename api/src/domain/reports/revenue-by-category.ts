// Revenue by category, by the category each line was sold under; revenue is
// what the lines charged after discounts, without tax, less returns.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { ITEM_BUCKETS, ITEM_ROWS_COUNT, RETURNED_LINES, SOLD_BILLS } from "./documents.ts";
import { bucketParams, resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface CategoryRevenue {
  category: string;
  /** After discounts, without tax, less returns made in the range. */
  revenue: Decimal;
  /** Returned in the range, without tax (already taken off revenue). */
  returns: Decimal;
  /** Share of the range's revenue, in percent with one decimal. */
  share: Decimal;
  bills: number;
  lines: number;
  cost: Decimal;
  margin: Decimal;
  linesWithoutCost: number;
}

export interface RevenueByCategory {
  range: ReportRange;
  rows: CategoryRevenue[];
  total: Decimal;
}

// Sold lines positive, lines returned in the range negative (by the category they were sold under).
export const REVENUE_BY_CATEGORY_SQL = `
WITH moves AS (
  SELECT bi.category, bi.bill_id, bi.taxable_amount AS revenue, bi.unit_cost * bi.quantity AS cost, bi.unit_cost IS NULL AS uncosted, 0::numeric AS returned
  FROM bills b JOIN bill_items bi ON bi.bill_id = b.id WHERE ${SOLD_BILLS}
  UNION ALL
  SELECT bi.category, NULL, -(rl.refund_amount - rl.tax_amount), -(bi.unit_cost * rl.quantity), bi.unit_cost IS NULL, rl.refund_amount - rl.tax_amount
  FROM ${RETURNED_LINES}
)
SELECT category,
       sum(revenue) AS revenue,
       sum(returned) AS returns,
       count(DISTINCT bill_id)::int AS bills,
       count(bill_id)::int AS lines,
       round(coalesce(sum(cost), 0), 2) AS cost,
       round(coalesce(sum(revenue - cost) FILTER (WHERE NOT uncosted), 0), 2) AS margin,
       count(*) FILTER (WHERE uncosted AND bill_id IS NOT NULL)::int AS lines_without_cost
FROM moves
GROUP BY category
ORDER BY revenue DESC, lower(category)`;

// The same from the rollups ($1–$4 as in ITEM_BUCKETS).
export const REVENUE_BY_CATEGORY_ROLLUP_SQL = `
SELECT ri.category,
       sum(ri.revenue) - sum(ri.return_value) AS revenue,
       sum(ri.return_value) AS returns,
       sum(ri.category_bills)::int AS bills,
       sum(ri.lines)::int AS lines,
       round(sum(ri.cost) - sum(ri.return_cost), 2) AS cost,
       round(sum(ri.costed_revenue) - sum(ri.cost) - sum(ri.return_costed_value) + sum(ri.return_cost), 2) AS margin,
       sum(ri.uncosted_lines)::int AS lines_without_cost
FROM report_items ri
WHERE ${ITEM_BUCKETS}
GROUP BY ri.category
HAVING ${ITEM_ROWS_COUNT}
ORDER BY revenue DESC, lower(ri.category)`;

export async function revenueByCategory(ctx: ServiceContext, input: RangeInput): Promise<RevenueByCategory> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ category: string; revenue: string; returns: string; bills: number; lines: number; cost: string; margin: string; lines_without_cost: number }>(
    ...((range.rollupDays ? [REVENUE_BY_CATEGORY_ROLLUP_SQL, bucketParams(range.rollupDays)] : [REVENUE_BY_CATEGORY_SQL, [range.from, range.to]]) as [string, unknown[]]),
  );
  const total = rows.reduce((s, r) => s.add(r.revenue), new Decimal(0));
  return {
    range,
    total,
    rows: rows.map((r) => ({
      category: r.category,
      revenue: new Decimal(r.revenue),
      returns: new Decimal(r.returns),
      share: total.isZero() ? new Decimal(0) : new Decimal(r.revenue).mul(100).div(total).toDecimalPlaces(1, Decimal.ROUND_HALF_UP),
      bills: r.bills,
      lines: r.lines,
      cost: new Decimal(r.cost),
      margin: new Decimal(r.margin),
      linesWithoutCost: r.lines_without_cost,
    })),
  };
}
