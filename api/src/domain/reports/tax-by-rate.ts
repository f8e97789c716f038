// Tax by rate: the taxable amounts and the tax charged per rate, by the rate
// each line was sold at (its name and percent as stored on the line, so a rate
// changed since shows as its own row). Lines without tax are one row (rate
// null). Returns take their tax back on the day they are made.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { ITEM_BUCKETS, ITEM_ROWS_COUNT, RETURNED_LINES, SOLD_BILLS } from "./documents.ts";
import { bucketParams, resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface TaxRateRow {
  /** null: lines sold without a tax rate. */
  rateId: number | null;
  name: string;
  /** As on the lines, e.g. 17.000. */
  percent: Decimal;
  bills: number;
  lines: number;
  /** What the tax was computed on (after discounts, without tax), less returns made in the range. */
  taxable: Decimal;
  /** Tax charged less tax refunded on returns made in the range. */
  tax: Decimal;
  /** Returned in the range (already taken off taxable and tax). */
  returnedTaxable: Decimal;
  returnedTax: Decimal;
}

export interface TaxByRate {
  range: ReportRange;
  rows: TaxRateRow[];
  taxable: Decimal;
  tax: Decimal;
}

// Sold lines positive, lines returned in the range negative, by the rate of the sold line.
export const TAX_BY_RATE_SQL = `
WITH moves AS (
  SELECT bi.tax_rate_id, bi.tax_rate_name, bi.tax_rate_percent, bi.bill_id, bi.taxable_amount AS taxable, bi.tax_amount AS tax,
         0::numeric AS returned_taxable, 0::numeric AS returned_tax
  FROM bills b JOIN bill_items bi ON bi.bill_id = b.id WHERE ${SOLD_BILLS}
  UNION ALL
  SELECT bi.tax_rate_id, bi.tax_rate_name, bi.tax_rate_percent, NULL, -(rl.refund_amount - rl.tax_amount), -rl.tax_amount,
         rl.refund_amount - rl.tax_amount, rl.tax_amount
  FROM ${RETURNED_LINES}
)
SELECT tax_rate_id AS rate_id, coalesce(tax_rate_name, 'No tax') AS name, tax_rate_percent AS percent,
       count(DISTINCT bill_id)::int AS bills, count(bill_id)::int AS lines,
       sum(taxable) AS taxable, sum(tax) AS tax, sum(returned_taxable) AS returned_taxable, sum(returned_tax) AS returned_tax
FROM moves
GROUP BY tax_rate_id, tax_rate_name, tax_rate_percent
ORDER BY tax_rate_percent DESC, name, rate_id`;

// The same from the rollups ($1–$4 as in ITEM_BUCKETS).
export const TAX_BY_RATE_ROLLUP_SQL = `
SELECT ri.tax_rate_id AS rate_id, coalesce(ri.tax_rate_name, 'No tax') AS name, ri.tax_rate_percent AS percent,
       sum(ri.rate_bills)::int AS bills, sum(ri.lines)::int AS lines,
       sum(ri.revenue) - sum(ri.return_value) AS taxable, sum(ri.tax) - sum(ri.return_tax) AS tax,
       sum(ri.return_value) AS returned_taxable, sum(ri.return_tax) AS returned_tax
FROM report_items ri
WHERE ${ITEM_BUCKETS}
GROUP BY ri.tax_rate_id, ri.tax_rate_name, ri.tax_rate_percent
HAVING ${ITEM_ROWS_COUNT}
ORDER BY ri.tax_rate_percent DESC, name, rate_id`;

export async function taxByRate(ctx: ServiceContext, input: RangeInput): Promise<TaxByRate> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ rate_id: number | null; name: string; percent: string; bills: number; lines: number; taxable: string; tax: string; returned_taxable: string; returned_tax: string }>(
    ...((range.rollupDays ? [TAX_BY_RATE_ROLLUP_SQL, bucketParams(range.rollupDays)] : [TAX_BY_RATE_SQL, [range.from, range.to]]) as [string, unknown[]]),
  );
  const out = rows.map((r) => ({
    rateId: r.rate_id,
    name: r.name,
    percent: new Decimal(r.percent),
    bills: r.bills,
    lines: r.lines,
    taxable: new Decimal(r.taxable),
    tax: new Decimal(r.tax),
    returnedTaxable: new Decimal(r.returned_taxable),
    returnedTax: new Decimal(r.returned_tax),
  }));
  return { range, rows: out, taxable: out.reduce((s, r) => s.add(r.taxable), new Decimal(0)), tax: out.reduce((s, r) => s.add(r.tax), new Decimal(0)) };
}
