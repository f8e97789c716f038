// Reorder thresholds: the low-stock list, the suggested purchase list, the
// per-category defaults and the low-stock alerts the items trigger raises.
// An item's effective reorder point is its own, else its category's default,
// else 5 — one SQL function (reorder_point_of) decides, everywhere.
import { authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { Problems } from "./errors.ts";
import { Decimal, QUANTITY, STOCK, lineTotal, parseDecimal } from "./money.ts";
import { ITEM_COLUMNS, toItem, type Item, type ItemRow } from "./rows.ts";
import { CATEGORY, parseText } from "./text.ts";

/** The reorder point when neither the item nor its category sets one (also in reorder_point_of()). */
export const DEFAULT_REORDER_POINT = "5";

/**
 * The active items at or below their reorder point, as a table named items:
 * the category defaults joined once (a hash join), not looked up per item.
 */
export const LOW_STOCK_ITEMS = `(SELECT i.* FROM items i LEFT JOIN category_defaults d ON lower(d.category) = lower(i.category)
  WHERE i.is_active AND i.stock_qty <= reorder_point_of(i.reorder_point, d.reorder_point)) items`;

/** Active items at or below their reorder point, by category then name. */
export async function listLowStock(ctx: ServiceContext, input: { category?: unknown } = {}): Promise<Item[]> {
  authorize(ctx, "VIEW_CATALOG");
  const category = input.category == null ? null : parseText(input.category, ["category"], CATEGORY);
  const { rows } = await ctx.db.pool.query<ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM ${LOW_STOCK_ITEMS} WHERE $1::text IS NULL OR lower(category) = lower($1)
     ORDER BY lower(category), lower(name), id`,
    [category],
  );
  return rows.map(toItem);
}

export interface ReorderLine {
  item: Item;
  /** How much to order: the reorder quantity, else enough to reach twice the reorder point (at least 1). */
  quantity: Decimal;
  /** quantity × unit cost, when the cost is known. */
  estimatedCost: Decimal | null;
}

export interface ReorderGroup {
  category: string;
  lines: ReorderLine[];
  /** Sum of the known estimated costs. */
  estimatedCost: Decimal;
  /** Lines whose item has no unit cost recorded (not in estimatedCost). */
  linesWithoutCost: number;
}

export function suggestedQuantity(item: Item): Decimal {
  if (item.orderQty) return item.orderQty;
  const upTo = item.lowStockAt!.mul(2).sub(item.stockQty);
  return upTo.greaterThan(0) ? upTo.toDecimalPlaces(3, Decimal.ROUND_UP) : new Decimal(1);
}

/** The suggested purchase list: every low item, how much to order, grouped by category. */
export async function reorderSuggestions(ctx: ServiceContext, input: { category?: unknown } = {}): Promise<ReorderGroup[]> {
  authorize(ctx, "VIEW_CATALOG");
  const groups = new Map<string, ReorderGroup>();
  for (const item of await listLowStock(ctx, input)) {
    const quantity = suggestedQuantity(item);
    const estimatedCost = item.unitCost ? lineTotal(item.unitCost, quantity) : null;
    let g = groups.get(item.category);
    if (!g) groups.set(item.category, (g = { category: item.category, lines: [], estimatedCost: new Decimal(0), linesWithoutCost: 0 }));
    g.lines.push({ item, quantity, estimatedCost });
    if (estimatedCost) g.estimatedCost = g.estimatedCost.add(estimatedCost);
    else g.linesWithoutCost += 1;
  }
  return [...groups.values()];
}

export interface CategoryDefault {
  category: string;
  reorderPoint: Decimal;
  reorderQty: Decimal | null;
}

export async function listCategoryDefaults(ctx: ServiceContext): Promise<CategoryDefault[]> {
  authorize(ctx, "VIEW_CATALOG");
  const { rows } = await ctx.db.pool.query<{ category: string; reorder_point: string; reorder_qty: string | null }>(
    "SELECT category, reorder_point, reorder_qty FROM category_defaults ORDER BY lower(category)",
  );
  return rows.map((r) => ({ category: r.category, reorderPoint: new Decimal(r.reorder_point), reorderQty: r.reorder_qty === null ? null : new Decimal(r.reorder_qty) }));
}

/** Sets (or, with reorderPoint null, removes) a category's defaults. */
export async function setCategoryDefault(
  ctx: ServiceContext,
  input: { category: unknown; reorderPoint: unknown; reorderQty?: unknown },
): Promise<CategoryDefault | null> {
  authorize(ctx, "EDIT_CATALOG");
  const p = new Problems();
  const category = p.take(() => parseText(input.category, ["category"], CATEGORY));
  const point = input.reorderPoint === null ? null : p.take(() => parseDecimal(input.reorderPoint, ["reorderPoint"], STOCK));
  const qty = input.reorderQty == null ? null : p.take(() => parseDecimal(input.reorderQty, ["reorderQty"], QUANTITY));
  p.throwIfAny();
  if (point === null) {
    await ctx.db.pool.query("DELETE FROM category_defaults WHERE lower(category) = lower($1)", [category]);
    return null;
  }
  await ctx.db.pool.query(
    `WITH gone AS (DELETE FROM category_defaults WHERE lower(category) = lower($1) AND category <> $1)
     INSERT INTO category_defaults (category, reorder_point, reorder_qty) VALUES ($1, $2, $3)
     ON CONFLICT (category) DO UPDATE SET reorder_point = EXCLUDED.reorder_point, reorder_qty = EXCLUDED.reorder_qty, updated_at = now()`,
    [category, point!.toFixed(3), qty?.toFixed(3) ?? null],
  );
  return { category: category!, reorderPoint: point!, reorderQty: qty ?? null };
}

export interface StockAlert {
  id: number;
  itemId: number;
  itemName: string;
  unit: string;
  /** Stock when the alert was raised. */
  stockQty: Decimal;
  reorderPoint: Decimal;
  raisedAt: Date;
  clearedAt: Date | null;
}

interface AlertRow {
  id: number;
  item_id: number;
  item_name: string;
  unit: string;
  stock_qty: string;
  reorder_point: string;
  raised_at: Date;
  cleared_at: Date | null;
}

export const toAlert = (r: AlertRow): StockAlert => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  unit: r.unit,
  stockQty: new Decimal(r.stock_qty),
  reorderPoint: new Decimal(r.reorder_point),
  raisedAt: r.raised_at,
  clearedAt: r.cleared_at,
});

/** Alerts newest first: the open ones only unless includeCleared. */
export async function listStockAlerts(ctx: ServiceContext, input: { includeCleared?: boolean | null; first?: number | null } = {}): Promise<StockAlert[]> {
  authorize(ctx, "VIEW_CATALOG");
  const limit = Math.min(Math.max(input.first ?? 50, 1), 200);
  const { rows } = await ctx.db.pool.query<AlertRow>(
    `SELECT id, item_id, item_name, unit, stock_qty, reorder_point, raised_at, cleared_at FROM stock_alerts
     WHERE $1 OR cleared_at IS NULL ORDER BY id DESC LIMIT $2`,
    [Boolean(input.includeCleared), limit],
  );
  return rows.map(toAlert);
}
