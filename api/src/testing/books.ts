// Books checks for tests: the invariants live in the domain (restore checks them too).
import type pg from "pg";

export { bookViolations } from "../domain/books.ts";

/** Quantity sold per item, from bill lines. */
export async function soldPerItem(pool: pg.Pool): Promise<Map<number, string>> {
  const { rows } = await pool.query<{ item_id: number; sold: string }>(`SELECT item_id, sum(quantity)::text AS sold FROM bill_items GROUP BY item_id`);
  return new Map(rows.map((r) => [r.item_id, r.sold]));
}
