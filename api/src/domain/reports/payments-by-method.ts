// Payments by method: how the bills of a range were paid (cash, card, mobile,
// other), from the payments stored on each bill. Every method has a row.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import type { PaymentMethod } from "../totals.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface MethodPayments {
  method: PaymentMethod;
  /** Payments taken (a bill paid part card, part cash counts once in each). */
  payments: number;
  bills: number;
  /** The part of the bills these payments paid. */
  amount: Decimal;
  /** Cash only: what customers handed over, and the change given back. */
  tendered: Decimal;
  change: Decimal;
}

export interface PaymentsByMethod {
  range: ReportRange;
  rows: MethodPayments[];
  amount: Decimal;
  /** Bills with no payment recorded (made before payments were stored). */
  billsWithoutPayments: number;
}

export const PAYMENTS_BY_METHOD_SQL = `
WITH b AS (
  SELECT b.id FROM bills b WHERE b.created_at >= $1 AND b.created_at < $2
), p AS (
  SELECT p.method, count(*) AS payments, count(DISTINCT p.bill_id) AS bills, sum(p.amount) AS amount,
         coalesce(sum(p.tendered), 0) AS tendered, sum(p.change) AS change
  FROM b JOIN bill_payments p ON p.bill_id = b.id
  GROUP BY p.method
)
SELECT m.method::text AS method, coalesce(p.payments, 0)::int AS payments, coalesce(p.bills, 0)::int AS bills,
       coalesce(p.amount, 0) AS amount, coalesce(p.tendered, 0) AS tendered, coalesce(p.change, 0) AS change,
       (SELECT count(*) FROM b WHERE NOT EXISTS (SELECT 1 FROM bill_payments x WHERE x.bill_id = b.id))::int AS bills_without_payments
FROM unnest(enum_range(NULL::payment_method)) AS m(method)
LEFT JOIN p USING (method)
ORDER BY m.method`;

export async function paymentsByMethod(ctx: ServiceContext, input: RangeInput): Promise<PaymentsByMethod> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ method: PaymentMethod; payments: number; bills: number; amount: string; tendered: string; change: string; bills_without_payments: number }>(
    PAYMENTS_BY_METHOD_SQL,
    [range.from, range.to],
  );
  const out = rows.map((r) => ({
    method: r.method,
    payments: r.payments,
    bills: r.bills,
    amount: new Decimal(r.amount),
    tendered: new Decimal(r.tendered),
    change: new Decimal(r.change),
  }));
  return { range, rows: out, amount: out.reduce((s, r) => s.add(r.amount), new Decimal(0)), billsWithoutPayments: rows[0]?.bills_without_payments ?? 0 };
}
