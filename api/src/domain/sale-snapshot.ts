// What a sale is priced from before it reaches the database (issue 16, "a sale
// in one round trip"): the shop settings and the items as last seen, kept per
// database pool. Nothing here has to be current: bill_sell_priced() compares
// every input of the price with the locked rows and refuses a sale priced from
// anything that moved, and createBill then takes the full transaction, which
// refreshes the items from its own locked rows. Stock is never taken from here.
import type pg from "pg";
import { PRICED_ITEM_SQL, type PricedItem } from "./sale.ts";
import { shopSettingsSnapshot, type ShopSettings } from "./settings.ts";

/** An item as a sale reads or locks it (PRICED_ITEM_SQL). */
export interface SaleItemRow extends PricedItem {
  stock_qty: string;
  is_active: boolean;
}

/** Enough for the items a busy counter sells; the oldest entries go first. */
const MAX_ITEMS = 50_000;

const byPool = new WeakMap<pg.Pool, Map<number, SaleItemRow>>();

function cachedItems(pool: pg.Pool): Map<number, SaleItemRow> {
  let items = byPool.get(pool);
  if (!items) byPool.set(pool, (items = new Map()));
  return items;
}

export interface SaleSnapshot {
  settings: ShopSettings;
  /** store_settings_version() of the row the settings came from. */
  settingsVersion: string;
  items: Map<number, SaleItemRow>;
}

/**
 * The settings and the items a sale of `itemIds` would be priced from. Items
 * not seen yet (and the settings, the first time) are read in one parallel
 * round trip without locks; an item that does not exist is simply absent.
 */
export async function saleSnapshot(pool: pg.Pool, itemIds: number[]): Promise<SaleSnapshot> {
  const cached = cachedItems(pool);
  const missing = itemIds.filter((id) => !cached.has(id));
  const [{ settings, version }] = await Promise.all([
    shopSettingsSnapshot(pool),
    missing.length ? pool.query<SaleItemRow>({ name: "bills.snapshot", text: PRICED_ITEM_SQL, values: [missing] }).then(({ rows }) => rememberItems(pool, rows)) : null,
  ]);
  const items = new Map<number, SaleItemRow>();
  for (const id of itemIds) {
    const item = cached.get(id);
    if (item) items.set(id, item);
  }
  return { settings, settingsVersion: version, items };
}

/** Items as just read or locked: the next sale of them is priced from these rows. */
export function rememberItems(pool: pg.Pool, rows: SaleItemRow[]): void {
  const items = cachedItems(pool);
  for (const row of rows) {
    items.delete(row.id); // re-inserted last: the Map's order is the eviction order
    items.set(row.id, row);
  }
  for (const id of items.keys()) {
    if (items.size <= MAX_ITEMS) break;
    items.delete(id);
  }
}

export function forgetItems(pool: pg.Pool, itemIds: number[]): void {
  const items = cachedItems(pool);
  for (const id of itemIds) items.delete(id);
}
