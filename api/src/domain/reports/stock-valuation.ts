// What the stock on hand is worth: at cost (on hand × unit cost) and at
// today's selling price, by category.
import { authorize } from "../access.ts";
import type { ServiceContext } from "../context.ts";
import { Decimal } from "../money.ts";

export interface CategoryValuation {
  category: string;
  items: number;
  /** on hand × unit cost, over the items with a recorded cost. */
  costValue: Decimal;
  /** on hand × unit price. */
  retailValue: Decimal;
  /** Items with stock but no recorded cost (left out of costValue). */
  itemsWithoutCost: number;
}

export const STOCK_VALUATION_SQL = `
SELECT category, count(*)::int AS items,
       round(coalesce(sum(stock_qty * unit_cost), 0), 2) AS cost_value,
       round(sum(stock_qty * unit_price), 2) AS retail_value,
       count(*) FILTER (WHERE unit_cost IS NULL AND stock_qty > 0)::int AS items_without_cost
FROM items WHERE is_active
GROUP BY category ORDER BY lower(category)`;

export async function stockValuation(ctx: ServiceContext): Promise<{ rows: CategoryValuation[]; costValue: Decimal; retailValue: Decimal }> {
  authorize(ctx, "VIEW_REPORTS");
  const { rows } = await ctx.db.pool.query<{ category: string; items: number; cost_value: string; retail_value: string; items_without_cost: number }>(STOCK_VALUATION_SQL);
  const out = rows.map((r) => ({
    category: r.category,
    items: r.items,
    costValue: new Decimal(r.cost_value),
    retailValue: new Decimal(r.retail_value),
    itemsWithoutCost: r.items_without_cost,
  }));
  return {
    rows: out,
    costValue: out.reduce((s, r) => s.add(r.costValue), new Decimal(0)),
    retailValue: out.reduce((s, r) => s.add(r.retailValue), new Decimal(0)),
  };
}
