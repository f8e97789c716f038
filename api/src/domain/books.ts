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
      "bill total is not the sum of its lines",
      `SELECT b.id || ': ' || b.total_amount || ' vs ' || sum(l.line_total) AS v
         FROM bills b JOIN bill_items l ON l.bill_id = b.id
        GROUP BY b.id HAVING b.total_amount <> sum(l.line_total) OR b.subtotal <> sum(l.line_total)`,
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
  ];
  const violations: string[] = [];
  for (const [name, sql] of checks) {
    const { rows } = await db.query<{ v: string }>(sql);
    for (const r of rows.slice(0, 5)) violations.push(`${name}: ${r.v}`);
  }
  return violations;
}

