// Payments by method: how the bills of a range were paid (cash, card, mobile,
// other), from the payments stored on each bill (voided bills left out), and
// the refunds paid out on returns made in the range. Every method has a row.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import type { PaymentMethod } from "../totals.ts";
import { SOLD_BILLS } from "./documents.ts";
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
  /** Refunds paid out this way on returns made in the range. */
  refunds: number;
  refunded: Decimal;
  /** amount − refunded. */
  net: Decimal;
}

export interface PaymentsByMethod {
  range: ReportRange;
  rows: MethodPayments[];
  amount: Decimal;
  refunded: Decimal;
  net: Decimal;
  /** Bills with no payment recorded (made before payments were stored). */
  billsWithoutPayments: number;
}

export const PAYMENTS_BY_METHOD_SQL = `
WITH b AS (
  SELECT b.id FROM bills b WHERE ${SOLD_BILLS}
), p AS (
  SELECT p.method, count(*) AS payments, count(DISTINCT p.bill_id) AS bills, sum(p.amount) AS amount,
         coalesce(sum(p.tendered), 0) AS tendered, sum(p.change) AS change
  FROM b JOIN bill_payments p ON p.bill_id = b.id
  GROUP BY p.method
), refunds AS (
  SELECT rp.method, count(*) AS refunds, sum(rp.amount) AS refunded
  FROM bill_returns r JOIN bill_return_payments rp ON rp.return_id = r.id
  WHERE r.created_at >= $1 AND r.created_at < $2
  GROUP BY rp.method
)
SELECT m.method::text AS method, coalesce(p.payments, 0)::int AS payments, coalesce(p.bills, 0)::int AS bills,
       coalesce(p.amount, 0) AS amount, coalesce(p.tendered, 0) AS tendered, coalesce(p.change, 0) AS change,
       coalesce(refunds.refunds, 0)::int AS refunds, coalesce(refunds.refunded, 0) AS refunded,
       (SELECT count(*) FROM b WHERE NOT EXISTS (SELECT 1 FROM bill_payments x WHERE x.bill_id = b.id))::int AS bills_without_payments
FROM unnest(enum_range(NULL::payment_method)) AS m(method)
LEFT JOIN p USING (method) LEFT JOIN refunds USING (method)
ORDER BY m.method`;

// The same from the rollups: $1, $2 shop days.
export const PAYMENTS_BY_METHOD_ROLLUP_SQL = `
SELECT m.method::text AS method, coalesce(p.payments, 0)::int AS payments, coalesce(p.bills, 0)::int AS bills,
       coalesce(p.amount, 0) AS amount, coalesce(p.tendered, 0) AS tendered, coalesce(p.change, 0) AS change,
       coalesce(p.refunds, 0)::int AS refunds, coalesce(p.refunded, 0) AS refunded,
       (SELECT coalesce(sum(unpaid_bills), 0) FROM report_sales WHERE day >= $1::date AND day < $2::date AND hour = -1)::int AS bills_without_payments
FROM unnest(enum_range(NULL::payment_method)) AS m(method)
LEFT JOIN (
  SELECT method, sum(payments) AS payments, sum(bills) AS bills, sum(amount) AS amount, sum(tendered) AS tendered, sum(change) AS change,
         sum(refunds) AS refunds, sum(refunded) AS refunded
  FROM report_payments WHERE day >= $1::date AND day < $2::date
  GROUP BY method
) p USING (method)
ORDER BY m.method`;

export async function paymentsByMethod(ctx: ServiceContext, input: RangeInput): Promise<PaymentsByMethod> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const { rows } = await ctx.db.pool.query<{ method: PaymentMethod; payments: number; bills: number; amount: string; tendered: string; change: string; refunds: number; refunded: string; bills_without_payments: number }>(
    ...((range.rollupDays ? [PAYMENTS_BY_METHOD_ROLLUP_SQL, [range.rollupDays.from, range.rollupDays.to]] : [PAYMENTS_BY_METHOD_SQL, [range.from, range.to]]) as [string, unknown[]]),
  );
  const out = rows.map((r) => ({
    method: r.method,
    payments: r.payments,
    bills: r.bills,
    amount: new Decimal(r.amount),
    tendered: new Decimal(r.tendered),
    change: new Decimal(r.change),
    refunds: r.refunds,
    refunded: new Decimal(r.refunded),
    net: new Decimal(r.amount).sub(r.refunded),
  }));
  const total = (k: "amount" | "refunded" | "net") => out.reduce((s, r) => s.add(r[k]), new Decimal(0));
  return { range, rows: out, amount: total("amount"), refunded: total("refunded"), net: total("net"), billsWithoutPayments: rows[0]?.bills_without_payments ?? 0 };
}
