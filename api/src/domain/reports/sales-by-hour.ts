// Sales by hour of the day (shop time): when the counter is busy.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { RETURNED_LINES, SOLD_BILLS } from "./documents.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface HourSales {
  /** 0–23, shop time. */
  hour: number;
  bills: number;
  /** After discounts, without tax or cash rounding (the lines' taxable amounts), less returns made in that hour. */
  revenue: Decimal;
  /** Returns made in that hour, without tax (already taken off revenue). */
  returns: Decimal;
}

export const SALES_BY_HOUR_SQL = `
SELECT h.hour, coalesce(s.bills, 0)::int AS bills, coalesce(s.revenue, 0) - coalesce(r.returns, 0) AS revenue, coalesce(r.returns, 0) AS returns
FROM generate_series(0, 23) AS h(hour)
LEFT JOIN (
  SELECT extract(hour FROM b.created_at AT TIME ZONE $3)::int AS hour, count(*) AS bills, sum(b.total_amount - b.tax_total - b.cash_rounding) AS revenue
  FROM bills b WHERE ${SOLD_BILLS}
  GROUP BY 1
) s USING (hour)
LEFT JOIN (
  SELECT extract(hour FROM r.created_at AT TIME ZONE $3)::int AS hour, sum(rl.refund_amount - rl.tax_amount) AS returns
  FROM ${RETURNED_LINES}
  GROUP BY 1
) r USING (hour)
ORDER BY h.hour`;

// The same from the rollups: $1, $2 shop days.
export const SALES_BY_HOUR_ROLLUP_SQL = `
SELECT h.hour, coalesce(s.bills, 0)::int AS bills, coalesce(s.revenue, 0) - coalesce(s.returns, 0) AS revenue, coalesce(s.returns, 0) AS returns
FROM generate_series(0, 23) AS h(hour)
LEFT JOIN (
  SELECT hour, sum(bills) AS bills, sum(revenue) AS revenue, sum(return_value) AS returns
  FROM report_sales WHERE day >= $1::date AND day < $2::date AND hour >= 0
  GROUP BY hour
) s USING (hour)
ORDER BY h.hour`;

export async function salesByHour(ctx: ServiceContext, input: RangeInput): Promise<{ range: ReportRange; rows: HourSales[] }> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ hour: number; bills: number; revenue: string; returns: string }>(
    ...((range.rollupDays ? [SALES_BY_HOUR_ROLLUP_SQL, [range.rollupDays.from, range.rollupDays.to]] : [SALES_BY_HOUR_SQL, [range.from, range.to, range.timeZone]]) as [string, unknown[]]),
  );
  return { range, rows: rows.map((r) => ({ hour: r.hour, bills: r.bills, revenue: new Decimal(r.revenue), returns: new Decimal(r.returns) })) };
}
