// Sales by hour of the day (shop time): when the counter is busy.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface HourSales {
  /** 0–23, shop time. */
  hour: number;
  bills: number;
  revenue: Decimal;
}

export const SALES_BY_HOUR_SQL = `
SELECT h.hour, coalesce(s.bills, 0)::int AS bills, coalesce(s.revenue, 0) AS revenue
FROM generate_series(0, 23) AS h(hour)
LEFT JOIN (
  SELECT extract(hour FROM b.created_at AT TIME ZONE $3)::int AS hour, count(*) AS bills, sum(b.total_amount) AS revenue
  FROM bills b WHERE b.created_at >= $1 AND b.created_at < $2 AND b.voided_at IS NULL
  GROUP BY 1
) s USING (hour)
ORDER BY h.hour`;

export async function salesByHour(ctx: ServiceContext, input: RangeInput): Promise<{ range: ReportRange; rows: HourSales[] }> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ hour: number; bills: number; revenue: string }>(SALES_BY_HOUR_SQL, [range.from, range.to, range.timeZone]);
  return { range, rows: rows.map((r) => ({ hour: r.hour, bills: r.bills, revenue: new Decimal(r.revenue) })) };
}
