// Domain objects → the wire's snake_case JSON, typed by the response schemas
// so the documented shapes and the sent ones cannot drift apart.
import type { Bill } from "../generated/prisma/client.ts";
import type { BillWithLines } from "../domain/bills.ts";
import type { Item } from "../domain/items.ts";
import { formatMoney, formatQuantity } from "../domain/money.ts";
import type { BillJson, BillSummaryJson, ItemJson } from "./schemas.ts";

export const itemJson = (i: Item): ItemJson => ({
  id: i.id,
  name: i.name,
  sku: i.sku,
  category: i.category,
  unit: i.unit,
  unit_price: formatMoney(i.unitPrice),
  stock_qty: formatQuantity(i.stockQty),
  is_active: i.isActive,
  created_at: i.createdAt.toISOString(),
  updated_at: i.updatedAt.toISOString(),
  reorder_point: i.reorderPoint === null ? null : formatQuantity(i.reorderPoint),
  reorder_qty: i.reorderQty === null ? null : formatQuantity(i.reorderQty),
  unit_cost: i.unitCost === null ? null : formatMoney(i.unitCost),
  low_stock_at: formatQuantity(i.lowStockAt!),
});

export const billSummaryJson = (b: Bill): BillSummaryJson => ({
  id: b.id,
  customer_name: b.customerName,
  store_name: b.storeName,
  subtotal: formatMoney(b.subtotal),
  total_amount: formatMoney(b.totalAmount),
  idempotency_key: b.idempotencyKey,
  created_at: b.createdAt.toISOString(),
});

export const billJson = (b: BillWithLines): BillJson => ({
  ...billSummaryJson(b),
  items: b.lines.map((l) => ({
    id: l.id,
    item_id: l.itemId,
    item_name: l.itemName,
    unit: l.unit,
    unit_price: formatMoney(l.unitPrice),
    quantity: formatQuantity(l.quantity),
    line_total: formatMoney(l.lineTotal),
  })),
});

/** The Link header for the next page of a list, or nothing on the last page. */
export function nextLink(url: URL, page: { hasNextPage: boolean; endCursor: string | null }): Record<string, string> {
  if (!page.hasNextPage || !page.endCursor) return {};
  const next = new URLSearchParams(url.searchParams);
  next.set("after", page.endCursor);
  return { link: `<${url.pathname}?${next}>; rel="next"` };
}
