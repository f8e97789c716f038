// Per cashier: what each member of staff sold in a range (bills, gross,
// discounts given, net, tax, what customers paid; voided bills left out), the
// returns and voids they made, the approvals (over-limit discounts, returns,
// voids) they needed and gave. Bills with no cashier (made before staff
// accounts) are one row with staffId null.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
import { SOLD_BILLS } from "./documents.ts";
import { resolveRange, type RangeInput, type ReportRange } from "./range.ts";

export interface CashierSales {
  /** null: bills that recorded no cashier. */
  staffId: number | null;
  /** The staff member's name today, else the name printed on their bills. */
  name: string;
  role: string | null;
  bills: number;
  /** Line totals before discounts. */
  gross: Decimal;
  /** Line and bill discounts given on their bills. */
  discounts: Decimal;
  /** Bills with any discount. */
  discountedBills: number;
  /** After discounts, without tax (the lines' taxable amounts). */
  net: Decimal;
  tax: Decimal;
  /** What customers paid: tax and cash rounding included. */
  total: Decimal;
  /** Returns they made in the range, and the money refunded (tax included). */
  returns: number;
  refunded: Decimal;
  /** Bills they voided in the range, and what those bills had charged. */
  voids: number;
  voided: Decimal;
  /** Their over-limit discounts, returns and voids that a manager approved. */
  approvalsAsked: number;
  /** Over-limit discounts, returns and voids they approved, for anyone. */
  approvalsGiven: number;
}

// $1, $2: the range. Staff id 0 stands for "no one recorded" so the joins match it.
// Sales leave voided bills out; returns and voids count by who made them, when they were made.
export const CASHIERS_SQL = `
WITH b AS (
  SELECT b.id, coalesce(b.cashier_id, 0) AS staff_id, b.cashier_name, b.subtotal, b.discount_total, b.tax_total,
         b.total_amount, b.total_amount - b.tax_total - b.cash_rounding AS net, b.discount_approved_by
  FROM bills b
  WHERE ${SOLD_BILLS}
), sold AS (
  SELECT staff_id, (array_agg(cashier_name ORDER BY id DESC))[1] AS cashier_name, count(*) AS bills,
         sum(subtotal) AS gross, sum(discount_total) AS discounts, count(*) FILTER (WHERE discount_total > 0) AS discounted_bills,
         sum(net) AS net, sum(tax_total) AS tax, sum(total_amount) AS total,
         count(*) FILTER (WHERE discount_approved_by IS NOT NULL) AS approvals_asked
  FROM b GROUP BY staff_id
), ret AS (
  SELECT coalesce(r.actor_id, 0) AS staff_id, (array_agg(r.actor_name ORDER BY r.id DESC))[1] AS actor_name, count(*) AS returns, sum(r.refund_total) AS refunded,
         count(*) FILTER (WHERE r.approved_by IS NOT NULL) AS approvals_asked
  FROM bill_returns r WHERE r.created_at >= $1 AND r.created_at < $2
  GROUP BY 1
), voids AS (
  SELECT coalesce(v.voided_by, 0) AS staff_id, (array_agg(v.voided_by_name ORDER BY v.id DESC))[1] AS actor_name, count(*) AS voids, sum(v.total_amount) AS voided,
         count(*) FILTER (WHERE v.void_approved_by IS NOT NULL) AS approvals_asked
  FROM bills v WHERE v.voided_at >= $1 AND v.voided_at < $2
  GROUP BY 1
), approved AS (
  SELECT staff_id, count(*) AS approvals_given FROM (
    SELECT discount_approved_by AS staff_id FROM b WHERE discount_approved_by IS NOT NULL
    UNION ALL SELECT r.approved_by FROM bill_returns r WHERE r.created_at >= $1 AND r.created_at < $2 AND r.approved_by IS NOT NULL
    UNION ALL SELECT v.void_approved_by FROM bills v WHERE v.voided_at >= $1 AND v.voided_at < $2 AND v.void_approved_by IS NOT NULL
  ) a GROUP BY 1
), k AS (
  SELECT staff_id FROM sold UNION SELECT staff_id FROM ret UNION SELECT staff_id FROM voids UNION SELECT staff_id FROM approved
)
SELECT nullif(k.staff_id, 0) AS staff_id,
       CASE WHEN k.staff_id = 0 THEN 'No cashier recorded' ELSE coalesce(st.display_name, sold.cashier_name, ret.actor_name, voids.actor_name, 'Staff ' || k.staff_id) END AS name,
       st.role::text AS role,
       coalesce(sold.bills, 0)::int AS bills, coalesce(sold.gross, 0) AS gross, coalesce(sold.discounts, 0) AS discounts,
       coalesce(sold.discounted_bills, 0)::int AS discounted_bills, coalesce(sold.net, 0) AS net, coalesce(sold.tax, 0) AS tax,
       coalesce(sold.total, 0) AS total,
       coalesce(ret.returns, 0)::int AS returns, coalesce(ret.refunded, 0) AS refunded,
       coalesce(voids.voids, 0)::int AS voids, coalesce(voids.voided, 0) AS voided,
       (coalesce(sold.approvals_asked, 0) + coalesce(ret.approvals_asked, 0) + coalesce(voids.approvals_asked, 0))::int AS approvals_asked,
       coalesce(approved.approvals_given, 0)::int AS approvals_given
FROM k
LEFT JOIN sold USING (staff_id) LEFT JOIN ret USING (staff_id) LEFT JOIN voids USING (staff_id) LEFT JOIN approved USING (staff_id)
LEFT JOIN staff st ON st.id = k.staff_id
ORDER BY coalesce(sold.net, 0) DESC, name, k.staff_id`;

// The same from the rollups: $1, $2 shop days.
export const CASHIERS_ROLLUP_SQL = `
SELECT nullif(s.staff_id, 0) AS staff_id,
       CASE WHEN s.staff_id = 0 THEN 'No cashier recorded' ELSE coalesce(st.display_name, 'Staff ' || s.staff_id) END AS name, st.role::text AS role,
       sum(s.bills)::int AS bills, sum(s.gross) AS gross, sum(s.discounts) AS discounts, sum(s.discounted_bills)::int AS discounted_bills,
       sum(s.revenue) AS net, sum(s.tax) AS tax, sum(s.total) AS total, sum(s.returns)::int AS returns, sum(s.refunded) AS refunded,
       sum(s.voids)::int AS voids, sum(s.voided) AS voided, sum(s.approvals_asked)::int AS approvals_asked, sum(s.approvals_given)::int AS approvals_given
FROM report_sales s LEFT JOIN staff st ON st.id = s.staff_id
WHERE s.day >= $1::date AND s.day < $2::date AND s.hour >= 0
GROUP BY s.staff_id, st.display_name, st.role
HAVING sum(s.bills) <> 0 OR sum(s.returns) <> 0 OR sum(s.voids) <> 0 OR sum(s.approvals_given) <> 0
ORDER BY sum(s.revenue) DESC, name, s.staff_id`;

type Row = Record<"name" | "gross" | "discounts" | "net" | "tax" | "total" | "refunded" | "voided", string> & {
  returns: number;
  voids: number;
  staff_id: number | null;
  role: string | null;
  bills: number;
  discounted_bills: number;
  approvals_asked: number;
  approvals_given: number;
};

export async function salesByCashier(ctx: ServiceContext, input: RangeInput): Promise<{ range: ReportRange; rows: CashierSales[] }> {
  authorize(ctx, "VIEW_REPORTS");
  const range = await resolveRange(ctx, input);
  const days = range.rollupDays;
  const { rows } = await ctx.db.pool.query<Row>(days ? CASHIERS_ROLLUP_SQL : CASHIERS_SQL, days ? [days.from, days.to] : [range.from, range.to]);
  return {
    range,
    rows: rows.map((r) => ({
      staffId: r.staff_id,
      name: r.name,
      role: r.role,
      bills: r.bills,
      gross: new Decimal(r.gross),
      discounts: new Decimal(r.discounts),
      discountedBills: r.discounted_bills,
      net: new Decimal(r.net),
      tax: new Decimal(r.tax),
      total: new Decimal(r.total),
      returns: r.returns,
      refunded: new Decimal(r.refunded),
      voids: r.voids,
      voided: new Decimal(r.voided),
      approvalsAsked: r.approvals_asked,
      approvalsGiven: r.approvals_given,
    })),
  };
}
