// Row shapes of the hand-written SQL and their mapping onto the Prisma model
// types, so SQL paths and Prisma paths hand the same objects to the front doors.
import type { Item } from "../generated/prisma/client.ts";
import { Decimal } from "./money.ts";

export const ITEM_COLUMNS = "id, name, sku, category, unit, unit_price, stock_qty, is_active, tax_rate_id, created_at, updated_at";

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
}

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
  };
}

