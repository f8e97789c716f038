// Sales summary by day, week or month, from the values stored on the bills.
// Columns that later work fills (discounts, tax, returns) are part of the
// query's shape already; each comes from one place in SALES_SUMMARY_SQL.
import type { ServiceContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { Decimal } from "../money.ts";
import { authorize } from "../access.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export const GROUPINGS = ["DAY", "WEEK", "MONTH"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface SalesFigures {
  bills: number;
  /** Sum of line totals before any discount. */
  gross: Decimal;
  discounts: Decimal;
  /** Refunds given on returns made in the period, without the tax they hand back. */
  returns: Decimal;
  /** What the shop keeps: gross − discounts − returns − tax. */
  net: Decimal;
  tax: Decimal;
  /** Cost of the lines sold, at the unit cost recorded on each line at the sale. */
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
export const SALES_SUMMARY_SQL = `
WITH b AS (
  SELECT b.id, b.created_at,
         b.subtotal AS gross,
         0::numeric AS discounts,   -- the bill's discount total, once discounts exist
         0::numeric AS tax,         -- the bill's tax total, once tax exists
         b.total_amount AS total
  FROM bills b
  WHERE b.created_at >= $1 AND b.created_at < $2 AND b.voided_at IS NULL   -- a void reverses the whole bill
), r AS (
  -- Refunds by the time they were given, without the tax they hand back (tax stays as charged on the bills).
  SELECT r.created_at AS at, r.refund_total - r.tax_total AS amount FROM bill_returns r WHERE r.created_at >= $1 AND r.created_at < $2
), c AS (
  SELECT bi.bill_id,
         sum(bi.unit_cost * bi.quantity) AS cost,
         sum(bi.line_total) FILTER (WHERE bi.unit_cost IS NOT NULL) AS costed_revenue,
         count(*) FILTER (WHERE bi.unit_cost IS NULL) AS uncosted
  FROM bill_items bi JOIN b ON b.id = bi.bill_id
  GROUP BY bi.bill_id
), per AS (
  SELECT date_trunc($3, b.created_at AT TIME ZONE $4) AS period,
         count(*) AS bills, sum(b.gross) AS gross, sum(b.discounts) AS discounts, sum(b.tax) AS tax, sum(b.total) AS total,
         coalesce(sum(c.cost), 0) AS cost, coalesce(sum(c.costed_revenue), 0) AS costed_revenue, coalesce(sum(c.uncosted), 0) AS uncosted
  FROM b LEFT JOIN c ON c.bill_id = b.id
  GROUP BY 1
), ret AS (
  SELECT date_trunc($3, r.at AT TIME ZONE $4) AS period, sum(r.amount) AS returns FROM r GROUP BY 1
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
       coalesce(per.total, 0) - coalesce(per.tax, 0) - coalesce(ret.returns, 0) AS net,
       coalesce(per.tax, 0) AS tax,
       round(coalesce(per.cost, 0), 2) AS cost,
       round(coalesce(per.costed_revenue, 0) - coalesce(per.cost, 0), 2) AS margin,
       coalesce(per.uncosted, 0)::int AS lines_without_cost
FROM buckets k LEFT JOIN per USING (period) LEFT JOIN ret USING (period)
ORDER BY k.period`;

type Row = Record<"period" | "gross" | "discounts" | "returns" | "net" | "tax" | "cost" | "margin", string> & { bills: number; lines_without_cost: number };

const MONEY = ["gross", "discounts", "returns", "net", "tax", "cost", "margin"] as const;

export async function salesSummary(ctx: ServiceContext, input: RangeInput & { groupBy?: unknown }): Promise<SalesSummary> {
  authorize(ctx, "VIEW_REPORTS");
  const groupBy = (input.groupBy ?? "DAY") as Grouping;
  if (!GROUPINGS.includes(groupBy)) throw ValidationError.one(["groupBy"], `must be one of ${GROUPINGS.join(", ")}`, "INVALID_VALUE");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<Row>(SALES_SUMMARY_SQL, [range.from, range.to, groupBy.toLowerCase(), range.timeZone]);
  const out: SalesSummaryRow[] = rows.map((r) => ({
    period: r.period,
    bills: r.bills,
    linesWithoutCost: r.lines_without_cost,
    ...(Object.fromEntries(MONEY.map((k) => [k, new Decimal(r[k])])) as Record<(typeof MONEY)[number], Decimal>),
  }));
  const totals: SalesFigures = {
    bills: out.reduce((n, r) => n + r.bills, 0),
    linesWithoutCost: out.reduce((n, r) => n + r.linesWithoutCost, 0),
    ...(Object.fromEntries(MONEY.map((k) => [k, out.reduce((s, r) => s.add(r[k]), new Decimal(0))])) as Record<(typeof MONEY)[number], Decimal>),
  };
  return { range, groupBy, rows: out, totals };
}
