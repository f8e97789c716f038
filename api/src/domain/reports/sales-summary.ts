// Sales summary by day, week or month, from the values stored on the bills
// and their lines at the sale: gross, discounts and tax as the bill recorded
// them, net as what the lines charged after discounts without tax; voided
// bills left out, returns subtracted on the day they were made.
import type { ServiceContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { Decimal } from "../money.ts";
import { authorize } from "../access.ts";
import { RETURNED_LINES, SOLD_BILLS } from "./documents.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export const GROUPINGS = ["DAY", "WEEK", "MONTH"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface SalesFigures {
  bills: number;
  /** Sum of line totals (price × quantity) before any discount; tax included when prices include it. */
  gross: Decimal;
  /** Line discounts and bill discounts given. */
  discounts: Decimal;
  /** Goods returned in the period (on the day of the return, whatever the bill's day), without tax. */
  returns: Decimal;
  /** Returns made in the period. */
  returnCount: number;
  /** What the shop keeps: the lines' taxable amounts (after discounts, without tax) less returns. */
  net: Decimal;
  /** Tax charged, as stored on the bills, less the tax refunded on returns. */
  tax: Decimal;
  /** Cost of the lines sold less the lines returned, at the unit cost recorded on each line at the sale. */
  cost: Decimal;
  /** Revenue − cost, over the lines with a recorded cost. */
  margin: Decimal;
  /** Lines sold without a recorded cost (left out of cost and margin). */
  linesWithoutCost: number;
}

export interface SalesSummaryRow extends SalesFigures {
  /** First shop day of the period, YYYY-MM-DD. */
  period: string;
}

export interface SalesSummary {
  range: ReportRange;
  groupBy: Grouping;
  rows: SalesSummaryRow[];
  totals: SalesFigures;
}

// $1, $2: the range; $3: day|week|month; $4: the shop's time zone.
// Every period in the range has a row (zeros when nothing sold), so charts show gaps.
// Returns are subtracted from net, tax, cost and margin in the period they were made.
export const SALES_SUMMARY_SQL = `
WITH b AS (
  SELECT b.id, b.created_at, b.subtotal AS gross, b.discount_total AS discounts, b.tax_total AS tax
  FROM bills b
  WHERE ${SOLD_BILLS}
), c AS (
  SELECT bi.bill_id,
         sum(bi.taxable_amount) AS revenue,
         sum(bi.unit_cost * bi.quantity) AS cost,
         sum(bi.taxable_amount) FILTER (WHERE bi.unit_cost IS NOT NULL) AS costed_revenue,
         count(*) FILTER (WHERE bi.unit_cost IS NULL) AS uncosted
  FROM bill_items bi JOIN b ON b.id = bi.bill_id
  GROUP BY bi.bill_id
), per AS (
  SELECT date_trunc($3, b.created_at AT TIME ZONE $4) AS period,
         count(*) AS bills, sum(b.gross) AS gross, sum(b.discounts) AS discounts, sum(b.tax) AS tax, coalesce(sum(c.revenue), 0) AS revenue,
         coalesce(sum(c.cost), 0) AS cost, coalesce(sum(c.costed_revenue), 0) AS costed_revenue, coalesce(sum(c.uncosted), 0) AS uncosted
  FROM b LEFT JOIN c ON c.bill_id = b.id
  GROUP BY 1
), ret AS (
  SELECT date_trunc($3, r.created_at AT TIME ZONE $4) AS period, count(DISTINCT r.id) AS returns_count,
         sum(rl.refund_amount - rl.tax_amount) AS returns, sum(rl.tax_amount) AS tax,
         coalesce(sum(bi.unit_cost * rl.quantity), 0) AS cost,
         coalesce(sum(rl.refund_amount - rl.tax_amount) FILTER (WHERE bi.unit_cost IS NOT NULL), 0) AS costed_revenue
  FROM ${RETURNED_LINES}
  GROUP BY 1
), buckets AS (
  SELECT generate_series(date_trunc($3, $1::timestamptz AT TIME ZONE $4),
                         ($2::timestamptz AT TIME ZONE $4) - interval '1 microsecond',
                         ('1 ' || $3)::interval) AS period
)
SELECT to_char(k.period, 'YYYY-MM-DD') AS period,
       coalesce(per.bills, 0)::int AS bills,
       coalesce(per.gross, 0) AS gross,
       coalesce(per.discounts, 0) AS discounts,
       coalesce(ret.returns, 0) AS returns,
       coalesce(ret.returns_count, 0)::int AS return_count,
       coalesce(per.revenue, 0) - coalesce(ret.returns, 0) AS net,
       coalesce(per.tax, 0) - coalesce(ret.tax, 0) AS tax,
       round(coalesce(per.cost, 0) - coalesce(ret.cost, 0), 2) AS cost,
       round(coalesce(per.costed_revenue, 0) - coalesce(per.cost, 0) - coalesce(ret.costed_revenue, 0) + coalesce(ret.cost, 0), 2) AS margin,
       coalesce(per.uncosted, 0)::int AS lines_without_cost
FROM buckets k LEFT JOIN per USING (period) LEFT JOIN ret USING (period)
ORDER BY k.period`;

// The same from the rollups: $1, $2 shop days; $3 day|week|month.
export const SALES_SUMMARY_ROLLUP_SQL = `
WITH per AS (
  SELECT date_trunc($3, s.day::timestamp) AS period,
         sum(s.bills) AS bills, sum(s.gross) AS gross, sum(s.discounts) AS discounts, sum(s.revenue) AS revenue, sum(s.tax) AS tax,
         sum(s.cost) AS cost, sum(s.costed_revenue) AS costed_revenue, sum(s.uncosted_lines) AS uncosted,
         sum(s.returns) AS return_count, sum(s.return_value) AS returns, sum(s.return_tax) AS return_tax,
         sum(s.return_cost) AS return_cost, sum(s.return_costed_value) AS return_costed
  FROM report_sales s WHERE s.day >= $1::date AND s.day < $2::date AND s.hour = -1   -- the day totals
  GROUP BY 1
), buckets AS (
  SELECT generate_series(date_trunc($3, $1::date::timestamp), $2::date::timestamp - interval '1 day', ('1 ' || $3)::interval) AS period
)
SELECT to_char(k.period, 'YYYY-MM-DD') AS period,
       coalesce(per.bills, 0)::int AS bills,
       coalesce(per.gross, 0) AS gross,
       coalesce(per.discounts, 0) AS discounts,
       coalesce(per.returns, 0) AS returns,
       coalesce(per.return_count, 0)::int AS return_count,
       coalesce(per.revenue, 0) - coalesce(per.returns, 0) AS net,
       coalesce(per.tax, 0) - coalesce(per.return_tax, 0) AS tax,
       round(coalesce(per.cost, 0) - coalesce(per.return_cost, 0), 2) AS cost,
       round(coalesce(per.costed_revenue, 0) - coalesce(per.cost, 0) - coalesce(per.return_costed, 0) + coalesce(per.return_cost, 0), 2) AS margin,
       coalesce(per.uncosted, 0)::int AS lines_without_cost
FROM buckets k LEFT JOIN per USING (period)
ORDER BY k.period`;

type Row = Record<"period" | "gross" | "discounts" | "returns" | "net" | "tax" | "cost" | "margin", string> & { bills: number; return_count: number; lines_without_cost: number };

const MONEY = ["gross", "discounts", "returns", "net", "tax", "cost", "margin"] as const;

export async function salesSummary(ctx: ServiceContext, input: RangeInput & { groupBy?: unknown }): Promise<SalesSummary> {
  authorize(ctx, "VIEW_REPORTS");
  const groupBy = (input.groupBy ?? "DAY") as Grouping;
  if (!GROUPINGS.includes(groupBy)) throw ValidationError.one(["groupBy"], `must be one of ${GROUPINGS.join(", ")}`, "INVALID_VALUE");
  const range = await resolveRange(ctx, input);
  const days = range.rollupDays;
  const { rows } = days
    ? await ctx.db.pool.query<Row>(SALES_SUMMARY_ROLLUP_SQL, [days.from, days.to, groupBy.toLowerCase()])
    : await ctx.db.pool.query<Row>(SALES_SUMMARY_SQL, [range.from, range.to, groupBy.toLowerCase(), range.timeZone]);
  const out: SalesSummaryRow[] = rows.map((r) => ({
    period: r.period,
    bills: r.bills,
    returnCount: r.return_count,
    linesWithoutCost: r.lines_without_cost,
    ...(Object.fromEntries(MONEY.map((k) => [k, new Decimal(r[k])])) as Record<(typeof MONEY)[number], Decimal>),
  }));
  const totals: SalesFigures = {
    bills: out.reduce((n, r) => n + r.bills, 0),
    returnCount: out.reduce((n, r) => n + r.returnCount, 0),
    linesWithoutCost: out.reduce((n, r) => n + r.linesWithoutCost, 0),
    ...(Object.fromEntries(MONEY.map((k) => [k, out.reduce((s, r) => s.add(r[k]), new Decimal(0))])) as Record<(typeof MONEY)[number], Decimal>),
  };
  return { range, groupBy, rows: out, totals };
}
