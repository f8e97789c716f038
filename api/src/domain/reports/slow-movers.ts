// Slow movers: active items with stock that sold nothing in the last N days.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Problems } from "../errors.ts";
import { ITEM_COLUMNS, toItem, type Item, type ItemRow } from "../rows.ts";

export interface SlowMover {
  item: Item;
  /** The last sale ever, null when never sold. */
  lastSoldAt: Date | null;
}

// The items sold in the window come from the recent bills (bills_created_at_idx),
// so the cost follows the window, not the whole history; the last sale is
// looked up only for the slow items.
export const SLOW_MOVERS_SQL = `
WITH recent AS MATERIALIZED (
  SELECT DISTINCT bi.item_id FROM bills b JOIN bill_items bi ON bi.bill_id = b.id
  WHERE b.created_at >= now() - make_interval(days => $1) AND b.voided_at IS NULL
), slow AS (
  SELECT ${ITEM_COLUMNS} FROM items
  WHERE is_active AND stock_qty > 0 AND id NOT IN (SELECT item_id FROM recent)
)
SELECT slow.*, (SELECT max(b.created_at) FROM bill_items bi JOIN bills b ON b.id = bi.bill_id WHERE bi.item_id = slow.id AND b.voided_at IS NULL) AS last_sold_at
FROM slow
ORDER BY last_sold_at NULLS FIRST, lower(name), id
LIMIT $2`;

export async function slowMovers(ctx: ServiceContext, input: { days?: unknown; first?: unknown } = {}): Promise<{ days: number; rows: SlowMover[] }> {
  authorize(ctx, "VIEW_REPORTS");
  const p = new Problems();
  const days = input.days ?? 30;
  const first = input.first ?? 50;
  if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 3650) p.add(["days"], "must be a whole number of days from 1 to 3650", "INVALID_VALUE");
  if (!Number.isInteger(first) || (first as number) < 1 || (first as number) > 200) p.add(["first"], "must be a whole number from 1 to 200", "INVALID_VALUE");
  p.throwIfAny();
  const { rows } = await ctx.db.pool.query<ItemRow & { last_sold_at: Date | null }>(SLOW_MOVERS_SQL, [days, first]);
  return { days: days as number, rows: rows.map((r) => ({ item: toItem(r), lastSoldAt: r.last_sold_at })) };
}
