// Per cashier: what each member of staff sold in a range (bills, gross,
// discounts given, net, tax, what customers paid), how many of their bills
// needed a manager's approval for the discount, and how many approvals they
// gave. Bills with no cashier (made before staff accounts) are one row with
// staffId null.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";
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
  /** Their bills whose discount needed (and got) a manager's approval. */
  approvalsAsked: number;
  /** Discounts over the limit they approved, on anyone's bills. */
  approvalsGiven: number;
}

// $1, $2: the range. Staff id 0 stands for "no cashier" so FULL JOIN matches it.
export const CASHIERS_SQL = `
WITH b AS (
  SELECT b.id, coalesce(b.cashier_id, 0) AS staff_id, b.cashier_name, b.subtotal, b.discount_total, b.tax_total,
         b.total_amount, b.total_amount - b.tax_total - b.cash_rounding AS net, b.discount_approved_by
  FROM bills b
  WHERE b.created_at >= $1 AND b.created_at < $2
), sold AS (
  SELECT staff_id, (array_agg(cashier_name ORDER BY id DESC))[1] AS cashier_name, count(*) AS bills,
         sum(subtotal) AS gross, sum(discount_total) AS discounts, count(*) FILTER (WHERE discount_total > 0) AS discounted_bills,
         sum(net) AS net, sum(tax_total) AS tax, sum(total_amount) AS total,
         count(*) FILTER (WHERE discount_approved_by IS NOT NULL) AS approvals_asked
  FROM b GROUP BY staff_id
), approved AS (
  SELECT discount_approved_by AS staff_id, count(*) AS approvals_given FROM b WHERE discount_approved_by IS NOT NULL GROUP BY 1
)
SELECT nullif(k.staff_id, 0) AS staff_id, coalesce(st.display_name, sold.cashier_name, 'No cashier recorded') AS name, st.role::text AS role,
       coalesce(sold.bills, 0)::int AS bills, coalesce(sold.gross, 0) AS gross, coalesce(sold.discounts, 0) AS discounts,
       coalesce(sold.discounted_bills, 0)::int AS discounted_bills, coalesce(sold.net, 0) AS net, coalesce(sold.tax, 0) AS tax,
       coalesce(sold.total, 0) AS total, coalesce(sold.approvals_asked, 0)::int AS approvals_asked,
       coalesce(approved.approvals_given, 0)::int AS approvals_given
FROM (SELECT staff_id FROM sold UNION SELECT staff_id FROM approved) k
LEFT JOIN sold USING (staff_id) LEFT JOIN approved USING (staff_id)
LEFT JOIN staff st ON st.id = k.staff_id
ORDER BY coalesce(sold.net, 0) DESC, name, k.staff_id`;

type Row = Record<"name" | "gross" | "discounts" | "net" | "tax" | "total", string> & {
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
  const { rows } = await ctx.db.pool.query<Row>(CASHIERS_SQL, [range.from, range.to]);
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
      approvalsAsked: r.approvals_asked,
      approvalsGiven: r.approvals_given,
    })),
  };
}
