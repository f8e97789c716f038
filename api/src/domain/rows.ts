// Row shapes of the hand-written SQL and their mapping onto the Prisma model
// types, so SQL paths and Prisma paths hand the same objects to the front doors.
import type { Item as ItemModel } from "../generated/prisma/client.ts";
import { Decimal } from "./money.ts";

/** An item with its effective thresholds (its own, else its category's default; see item_reorder_point in SQL). */
export type Item = ItemModel & { lowStockAt?: Decimal; orderQty?: Decimal | null };

export const ITEM_COLUMNS =
  "id, name, sku, category, unit, unit_price, stock_qty, is_active, tax_rate_id, created_at, updated_at, reorder_point, reorder_qty, unit_cost, " +
  "item_reorder_point(reorder_point, category) AS low_stock_at, item_reorder_qty(reorder_qty, category) AS order_qty";

export interface ItemRow {
  id: number;
  name: string;
  sku: string | null;
  category: string;
  unit: string;
  unit_price: string;
  stock_qty: string;
  is_active: boolean;
  tax_rate_id: number | null;
  created_at: Date;
  updated_at: Date;
  reorder_point: string | null;
  reorder_qty: string | null;
  unit_cost: string | null;
  low_stock_at: string;
  order_qty: string | null;
}

const decimalOrNull = (v: string | null) => (v === null ? null : new Decimal(v));

export function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    name: row.name,
    sku: row.sku,
    category: row.category,
    unit: row.unit,
    unitPrice: new Decimal(row.unit_price),
    stockQty: new Decimal(row.stock_qty),
    isActive: row.is_active,
    taxRateId: row.tax_rate_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    reorderPoint: decimalOrNull(row.reorder_point),
    reorderQty: decimalOrNull(row.reorder_qty),
    unitCost: decimalOrNull(row.unit_cost),
    lowStockAt: new Decimal(row.low_stock_at),
    orderQty: decimalOrNull(row.order_qty),
  };
}

