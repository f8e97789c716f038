// Revenue by category, by the category each line was sold under.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface CategoryRevenue {
  category: string;
  revenue: Decimal;
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

export const REVENUE_BY_CATEGORY_SQL = `
SELECT bi.category,
       sum(bi.line_total) AS revenue,
       count(DISTINCT bi.bill_id)::int AS bills,
       count(*)::int AS lines,
       round(coalesce(sum(bi.unit_cost * bi.quantity), 0), 2) AS cost,
       round(coalesce(sum(bi.line_total - bi.unit_cost * bi.quantity), 0), 2) AS margin,
       count(*) FILTER (WHERE bi.unit_cost IS NULL)::int AS lines_without_cost
FROM bills b JOIN bill_items bi ON bi.bill_id = b.id
WHERE b.created_at >= $1 AND b.created_at < $2 AND b.voided_at IS NULL
GROUP BY bi.category
ORDER BY revenue DESC, lower(bi.category)`;

export async function revenueByCategory(ctx: ServiceContext, input: RangeInput): Promise<RevenueByCategory> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ category: string; revenue: string; bills: number; lines: number; cost: string; margin: string; lines_without_cost: number }>(
    REVENUE_BY_CATEGORY_SQL,
    [range.from, range.to],
  );
  const total = rows.reduce((s, r) => s.add(r.revenue), new Decimal(0));
  return {
    range,
    total,
    rows: rows.map((r) => ({
      category: r.category,
      revenue: new Decimal(r.revenue),
      share: total.isZero() ? new Decimal(0) : new Decimal(r.revenue).mul(100).div(total).toDecimalPlaces(1, Decimal.ROUND_HALF_UP),
      bills: r.bills,
      lines: r.lines,
      cost: new Decimal(r.cost),
      margin: new Decimal(r.margin),
      linesWithoutCost: r.lines_without_cost,
    })),
  };
}
