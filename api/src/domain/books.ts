// The invariants that make the books trustworthy, checked in SQL against the
// database itself (after a load test, after a restore): returns a list of
// violations (empty = exact).
import type pg from "pg";

export async function bookViolations(db: Pick<pg.ClientBase, "query">): Promise<string[]> {
  const checks: [string, string][] = [
    ["negative stock", `SELECT id::text AS v FROM items WHERE stock_qty < 0`],
    [
      "ledger does not sum to stock",
      `SELECT i.id || ': stock ' || i.stock_qty || ' vs ledger ' || coalesce(sum(m.quantity), 0) AS v
         FROM items i LEFT JOIN stock_movements m ON m.item_id = i.id
        GROUP BY i.id HAVING i.stock_qty <> coalesce(sum(m.quantity), 0)`,
    ],
    ["bill without lines", `SELECT b.id::text AS v FROM bills b WHERE NOT EXISTS (SELECT 1 FROM bill_items l WHERE l.bill_id = b.id)`],
    [
      // subtotal = Σ price × qty; total = Σ what the lines charge (after discounts, with tax) + cash rounding.
      "bill totals are not the sums of its lines",
      `SELECT b.id || ': ' || b.total_amount || ' vs ' || sum(l.charged_total) || ' + ' || b.cash_rounding AS v
         FROM bills b JOIN bill_items l ON l.bill_id = b.id
        GROUP BY b.id
       HAVING b.subtotal <> sum(l.line_total) OR b.total_amount <> sum(l.charged_total) + b.cash_rounding
           OR b.discount_total <> sum(l.line_discount + l.bill_discount_share) OR b.tax_total <> sum(l.tax_amount)
           OR b.bill_discount_amount <> sum(l.bill_discount_share)`,
    ],
    [
      "line does not add up",
      `SELECT l.id::text AS v FROM bill_items l JOIN bills b ON b.id = l.bill_id
        WHERE l.charged_total <> l.taxable_amount + l.tax_amount
           OR l.charged_total <> l.line_total - l.line_discount - l.bill_discount_share + CASE WHEN b.prices_include_tax THEN 0 ELSE l.tax_amount END`,
    ],
    [
      "payments do not pay the bill exactly",
      `SELECT b.id || ': paid ' || sum(p.amount) || ' of ' || b.total_amount AS v
         FROM bills b JOIN bill_payments p ON p.bill_id = b.id
        GROUP BY b.id HAVING sum(p.amount) <> b.total_amount OR sum(p.change) <> b.change_due`,
    ],
    [
      "line total is not price × quantity rounded",
      `SELECT id::text AS v FROM bill_items WHERE line_total <> round(unit_price * quantity, 2)`,
    ],
    [
      "sale without its ledger row",
      `SELECT l.id::text AS v FROM bill_items l
        WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.bill_id = l.bill_id AND m.item_id = l.item_id
                                                       AND m.reason = 'sale' AND m.quantity = -l.quantity)`,
    ],
    [
      "ledger sale without a bill line",
      `SELECT m.id::text AS v FROM stock_movements m WHERE m.reason = 'sale'
          AND NOT EXISTS (SELECT 1 FROM bill_items l WHERE l.bill_id = m.bill_id AND l.item_id = m.item_id AND l.quantity = -m.quantity)`,
    ],
    [
      "restocked return line without its ledger row (or a damaged one with one)",
      `SELECT rl.id::text AS v FROM bill_return_lines rl
        WHERE (SELECT count(*) FROM stock_movements m WHERE m.return_line_id = rl.id AND m.reason = 'return' AND m.quantity = rl.quantity AND m.item_id = rl.item_id)
              <> CASE WHEN rl.restock THEN 1 ELSE 0 END`,
    ],
    [
      "returned quantity or refund of a line is not the sum of its returns",
      `SELECT l.id::text AS v FROM bill_items l
        LEFT JOIN (SELECT bill_item_id, sum(quantity) AS q, sum(refund_amount) AS r FROM bill_return_lines GROUP BY bill_item_id) rl ON rl.bill_item_id = l.id
        WHERE l.returned_qty <> coalesce(rl.q, 0) OR l.refunded_total <> coalesce(rl.r, 0)`,
    ],
    [
      "refunded total of a bill is not the sum of its returns",
      `SELECT b.id::text AS v FROM bills b WHERE b.refunded_total <> coalesce((SELECT sum(refund_total) FROM bill_returns r WHERE r.bill_id = b.id), 0)`,
    ],
    [
      "refund payments do not pay the return exactly",
      `SELECT r.id::text AS v FROM bill_returns r WHERE r.refund_total <> coalesce((SELECT sum(amount) FROM bill_return_payments p WHERE p.return_id = r.id), 0)`,
    ],
    [
      "voided bill without its stock back (or a void ledger row of a bill not voided)",
      `SELECT b.id::text AS v FROM bills b
        WHERE coalesce((SELECT sum(m.quantity) FROM stock_movements m WHERE m.bill_id = b.id AND m.reason = 'void'), 0)
              <> CASE WHEN b.voided_at IS NULL THEN 0 ELSE (SELECT sum(quantity) FROM bill_items l WHERE l.bill_id = b.id) END`,
    ],
  ];
  const violations: string[] = [];
  for (const [name, sql] of checks) {
    const { rows } = await db.query<{ v: string }>(sql);
    for (const r of rows.slice(0, 5)) violations.push(`${name}: ${r.v}`);
  }
  return violations;
}

