// Tax by rate: the taxable amounts and the tax charged per rate, by the rate
// each line was sold at (its name and percent as stored on the line, so a rate
// changed since shows as its own row). Lines without tax are one row (rate null).
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface TaxRateRow {
  /** null: lines sold without a tax rate. */
  rateId: number | null;
  name: string;
  /** As on the lines, e.g. 17.000. */
  percent: Decimal;
  bills: number;
  lines: number;
  /** What the tax was computed on: after discounts, without tax. */
  taxable: Decimal;
  tax: Decimal;
}

export interface TaxByRate {
  range: ReportRange;
  rows: TaxRateRow[];
  taxable: Decimal;
  tax: Decimal;
}

export const TAX_BY_RATE_SQL = `
SELECT bi.tax_rate_id AS rate_id, coalesce(bi.tax_rate_name, 'No tax') AS name, bi.tax_rate_percent AS percent,
       count(DISTINCT bi.bill_id)::int AS bills, count(*)::int AS lines,
       sum(bi.taxable_amount) AS taxable, sum(bi.tax_amount) AS tax
FROM bills b JOIN bill_items bi ON bi.bill_id = b.id
WHERE b.created_at >= $1 AND b.created_at < $2
GROUP BY bi.tax_rate_id, bi.tax_rate_name, bi.tax_rate_percent
ORDER BY bi.tax_rate_percent DESC, name, rate_id`;

export async function taxByRate(ctx: ServiceContext, input: RangeInput): Promise<TaxByRate> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ rate_id: number | null; name: string; percent: string; bills: number; lines: number; taxable: string; tax: string }>(
    TAX_BY_RATE_SQL,
    [range.from, range.to],
  );
  const out = rows.map((r) => ({
    rateId: r.rate_id,
    name: r.name,
    percent: new Decimal(r.percent),
    bills: r.bills,
    lines: r.lines,
    taxable: new Decimal(r.taxable),
    tax: new Decimal(r.tax),
  }));
  return { range, rows: out, taxable: out.reduce((s, r) => s.add(r.taxable), new Decimal(0)), tax: out.reduce((s, r) => s.add(r.tax), new Decimal(0)) };
}
