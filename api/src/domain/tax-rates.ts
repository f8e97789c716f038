// Tax rates (name, percent with up to 3 decimals, active), the default rate of
// a category and an item's own override. A sale applies the item's active
// rate, else its category's active rate, else none; the bill snapshots the
// rate's name and percent so a later change never alters an old bill.
import { authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { NotFoundError, Problems, ValidationError } from "./errors.ts";
import { Decimal, parseDecimal, type DecimalRule } from "./money.ts";
import { CATEGORY, parseId, parseText, type TextRule } from "./text.ts";

export interface TaxRate {
  id: number;
  name: string;
  percent: Decimal;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CategoryTaxRate {
  category: string;
  taxRate: TaxRate;
}

export const TAX_PERCENT: DecimalRule = { places: 3, max: "100", min: "nonNegative" };
const RATE_NAME: TextRule = { max: 60, required: true };

interface RateRow {
  id: number;
  name: string;
  percent: string;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}
const RATE_COLUMNS = "id, name, percent, is_active, created_at, updated_at";
const toRate = (r: RateRow): TaxRate => ({
  id: r.id,
  name: r.name,
  percent: new Decimal(r.percent),
  isActive: r.is_active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A unique-name violation as the field error it is. */
function nameTaken(err: unknown, name: string): never {
  if ((err as { code?: string }).code === "23505") throw ValidationError.one(["name"], `a tax rate named "${name}" already exists`, "DUPLICATE_NAME");
  throw err;
}

export async function listTaxRates(ctx: ServiceContext, input: { includeInactive?: unknown } = {}): Promise<TaxRate[]> {
  authorize(ctx, "VIEW_CATALOG");
  const all = input.includeInactive === true;
  const { rows } = await ctx.db.pool.query<RateRow>(`SELECT ${RATE_COLUMNS} FROM tax_rates ${all ? "" : "WHERE is_active"} ORDER BY percent, name`);
  return rows.map(toRate);
}

export async function getTaxRate(ctx: ServiceContext, id: unknown): Promise<TaxRate> {
  authorize(ctx, "VIEW_CATALOG");
  const rateId = parseId(id, ["id"]);
  const { rows } = await ctx.db.pool.query<RateRow>(`SELECT ${RATE_COLUMNS} FROM tax_rates WHERE id = $1`, [rateId]);
  if (!rows[0]) throw new NotFoundError("TaxRate", rateId);
  return toRate(rows[0]);
}

export async function createTaxRate(ctx: ServiceContext, input: { name: unknown; percent: unknown; isActive?: unknown }): Promise<TaxRate> {
  authorize(ctx, "MANAGE_SETTINGS");
  const p = new Problems();
  const name = p.take(() => parseText(input.name, ["name"], RATE_NAME));
  const percent = p.take(() => parseDecimal(input.percent, ["percent"], TAX_PERCENT));
  if (input.isActive !== undefined && typeof input.isActive !== "boolean") p.add(["isActive"], "must be true or false", "INVALID_TYPE");
  p.throwIfAny();
  const { rows } = await ctx.db.pool
    .query<RateRow>(`INSERT INTO tax_rates (name, percent, is_active) VALUES ($1, $2, $3) RETURNING ${RATE_COLUMNS}`, [
      name,
      percent!.toFixed(3),
      input.isActive ?? true,
    ])
    .catch((err: unknown) => nameTaken(err, name!));
  return toRate(rows[0]!);
}

/**
 * Renames, changes the percent of, or (de)activates a rate. Old bills keep
 * the name and percent they were sold with; a deactivated rate no longer
 * applies to new sales (items fall back to their category's rate, then none).
 */
export async function updateTaxRate(ctx: ServiceContext, id: unknown, input: { name?: unknown; percent?: unknown; isActive?: unknown }): Promise<TaxRate> {
  authorize(ctx, "MANAGE_SETTINGS");
  const p = new Problems();
  const rateId = p.take(() => parseId(id, ["id"]));
  const sets: [string, unknown][] = [];
  if (input.name !== undefined) {
    const name = p.take(() => parseText(input.name, ["name"], RATE_NAME));
    if (name) sets.push(["name", name]);
  }
  if (input.percent !== undefined) {
    const percent = p.take(() => parseDecimal(input.percent, ["percent"], TAX_PERCENT));
    if (percent) sets.push(["percent", percent.toFixed(3)]);
  }
  if (input.isActive !== undefined) {
    if (typeof input.isActive !== "boolean") p.add(["isActive"], "must be true or false", "INVALID_TYPE");
    else sets.push(["is_active", input.isActive]);
  }
  p.throwIfAny();
  if (!sets.length) return getTaxRate(ctx, rateId);
  const { rows } = await ctx.db.pool
    .query<RateRow>(`UPDATE tax_rates SET ${sets.map(([c], i) => `${c} = $${i + 2}`).join(", ")}, updated_at = now() WHERE id = $1 RETURNING ${RATE_COLUMNS}`, [
      rateId,
      ...sets.map(([, v]) => v),
    ])
    .catch((err: unknown) => nameTaken(err, String(input.name)));
  if (!rows[0]) throw new NotFoundError("TaxRate", rateId!);
  return toRate(rows[0]);
}

async function requireRate(ctx: ServiceContext, raw: unknown, path: string[]): Promise<number | null> {
  if (raw === null) return null;
  const id = parseId(raw, path);
  const { rows } = await ctx.db.pool.query<{ is_active: boolean }>("SELECT is_active FROM tax_rates WHERE id = $1", [id]);
  if (!rows[0]) throw ValidationError.one(path, `tax rate ${id} does not exist`, "UNKNOWN_TAX_RATE");
  if (!rows[0].is_active) throw ValidationError.one(path, `tax rate ${id} is inactive`, "INACTIVE_TAX_RATE");
  return id;
}

/** Sets (or with null clears) the default rate of every item in a category, matched in any case. */
export async function setCategoryTaxRate(ctx: ServiceContext, input: { category: unknown; taxRateId?: unknown }): Promise<CategoryTaxRate[]> {
  authorize(ctx, "MANAGE_SETTINGS");
  const category = parseText(input.category, ["category"], CATEGORY)!;
  const rateId = await requireRate(ctx, input.taxRateId ?? null, ["taxRateId"]);
  const key = category.toLowerCase();
  if (rateId === null) await ctx.db.pool.query("DELETE FROM category_tax_rates WHERE category_key = $1", [key]);
  else {
    await ctx.db.pool.query(
      `INSERT INTO category_tax_rates (category_key, category, tax_rate_id) VALUES ($1, $2, $3)
       ON CONFLICT (category_key) DO UPDATE SET category = EXCLUDED.category, tax_rate_id = EXCLUDED.tax_rate_id`,
      [key, category, rateId],
    );
  }
  return listCategoryTaxRates(ctx);
}

export async function listCategoryTaxRates(ctx: ServiceContext): Promise<CategoryTaxRate[]> {
  authorize(ctx, "VIEW_CATALOG");
  const { rows } = await ctx.db.pool.query<RateRow & { category: string }>(
    `SELECT c.category, r.id, r.name, r.percent, r.is_active, r.created_at, r.updated_at
     FROM category_tax_rates c JOIN tax_rates r ON r.id = c.tax_rate_id ORDER BY c.category_key`,
  );
  return rows.map((r) => ({ category: r.category, taxRate: toRate(r) }));
}

/** Gives an item its own rate (overriding its category's), or with null returns it to its category's. */
export async function setItemTaxRate(ctx: ServiceContext, input: { itemId: unknown; taxRateId?: unknown }): Promise<{ itemId: number; taxRateId: number | null }> {
  authorize(ctx, "MANAGE_SETTINGS");
  const itemId = parseId(input.itemId, ["itemId"]);
  const rateId = await requireRate(ctx, input.taxRateId ?? null, ["taxRateId"]);
  const { rowCount } = await ctx.db.pool.query("UPDATE items SET tax_rate_id = $2, updated_at = now() WHERE id = $1", [itemId, rateId]);
  if (!rowCount) throw new NotFoundError("Item", itemId);
  return { itemId, taxRateId: rateId };
}

/**
 * The joins that find the rate a sale applies to an item `i`: the item's own
 * active rate (ir), else its category's active rate (cr). createBill's lock
 * and previewBill read through the same joins (sale.ts).
 */
export const APPLIED_RATE_JOINS = `LEFT JOIN tax_rates ir ON ir.id = i.tax_rate_id AND ir.is_active
  LEFT JOIN category_tax_rates c ON c.category_key = lower(btrim(i.category))
  LEFT JOIN tax_rates cr ON cr.id = c.tax_rate_id AND cr.is_active`;

/** The rate a sale of this item would apply now, or null (no tax). */
export async function appliedTaxRate(ctx: ServiceContext, itemId: number): Promise<TaxRate | null> {
  authorize(ctx, "VIEW_CATALOG");
  const { rows } = await ctx.db.pool.query<RateRow>({
    name: "tax_rates.applied",
    text: `SELECT r.id, r.name, r.percent, r.is_active, r.created_at, r.updated_at
      FROM items i ${APPLIED_RATE_JOINS}
      JOIN tax_rates r ON r.id = COALESCE(ir.id, cr.id) WHERE i.id = $1`,
    values: [itemId],
  });
  return rows[0] ? toRate(rows[0]) : null;
}

