// Stock changes outside sales: restocks, corrections and physical counts.
// Stock never goes below zero, and every change writes one ledger row in the
// same transaction, so the ledger always sums to the stock on hand.
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import type { StockMovement } from "../generated/prisma/client.ts";
import { actorStaffId, authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { InsufficientStockError, NotFoundError, Problems, ValidationError } from "./errors.ts";
import type { Item } from "./items.ts";
import { ITEM_COLUMNS, toItem, type ItemRow } from "./rows.ts";
import { Decimal, STOCK, STOCK_DELTA, parseDecimal } from "./money.ts";
import { NOTE, parseId, parseText } from "./text.ts";

export type StockReason = "sale" | "restock" | "adjustment" | "count" | "return" | "void";
/** Reasons a person may give for a manual change (sales come only from bills). */
export const MANUAL_REASONS = ["restock", "adjustment", "return"] as const;
export type ManualReason = (typeof MANUAL_REASONS)[number];

export interface Movement {
  itemId: number;
  quantity: Decimal;
  stockAfter: Decimal;
  reason: StockReason;
  billId?: number | null;
  note?: string | null;
  /** The staff member who made the change (null: the machine's own work). */
  actorId?: number | null;
  /** The return line whose goods came back on the shelf. */
  returnLineId?: number | null;
}

export async function recordMovement(client: pg.PoolClient, m: Movement): Promise<void> {
  await client.query(
    `INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id, note, actor_id, return_line_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [m.itemId, m.quantity.toFixed(3), m.stockAfter.toFixed(3), m.reason, m.billId ?? null, m.note ?? null, m.actorId ?? null, m.returnLineId ?? null],
  );
}

export interface StockChange {
  item: Item;
  /** The signed change applied. */
  delta: Decimal;
}

async function lockItem(client: pg.PoolClient, itemId: number): Promise<ItemRow> {
  const { rows } = await client.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1 FOR UPDATE`, [itemId]);
  if (!rows[0]) throw new NotFoundError("Item", itemId);
  return rows[0];
}

async function applyStock(client: pg.PoolClient, itemId: number, stockAfter: Decimal): Promise<Item> {
  const { rows } = await client.query<ItemRow>(
    `UPDATE items SET stock_qty = $2, updated_at = now() WHERE id = $1 RETURNING ${ITEM_COLUMNS}`,
    [itemId, stockAfter.toFixed(3)],
  );
  return toItem(rows[0]!);
}

/** Adds (or, with a negative delta, removes) stock with a reason. */
export async function adjustStock(
  ctx: ServiceContext,
  input: { itemId: unknown; delta: unknown; reason?: unknown; note?: unknown },
): Promise<StockChange> {
  authorize(ctx, "ADJUST_STOCK");
  const p = new Problems();
  const itemId = p.take(() => parseId(input.itemId, ["itemId"]));
  const delta = p.take(() => parseDecimal(input.delta, ["delta"], STOCK_DELTA));
  const reason = input.reason ?? (delta?.isNegative() ? "adjustment" : "restock");
  if (!MANUAL_REASONS.includes(reason as ManualReason)) {
    p.add(["reason"], `must be one of ${MANUAL_REASONS.join(", ")}`, "INVALID_REASON");
  }
  const note = p.take(() => parseText(input.note, ["note"], NOTE));
  p.throwIfAny();

  return inTransaction(ctx.db.pool, async (client) => {
    const row = await lockItem(client, itemId!);
    const before = new Decimal(row.stock_qty);
    const after = before.add(delta!);
    if (after.isNegative()) {
      throw new InsufficientStockError([{ itemId: row.id, itemName: row.name, unit: row.unit, requested: delta!.neg(), available: before }]);
    }
    if (after.greaterThan(STOCK.max)) {
      throw ValidationError.one(["delta"], `would raise stock above the maximum of ${STOCK.max}`, "TOO_LARGE");
    }
    const item = await applyStock(client, row.id, after);
    await recordMovement(client, { itemId: row.id, quantity: delta!, stockAfter: after, reason: reason as ManualReason, note, actorId: actorStaffId(ctx.actor) });
    return { item, delta: delta! };
  });
}

/**
 * Inside a transaction: goods coming back on the shelf (a return's restocked
 * line, a voided bill's lines). Locks the item, raises its stock (the items
 * trigger clears a low-stock alert the rise resolves) and writes the ledger row.
 */
export async function receiveStock(client: pg.PoolClient, m: Omit<Movement, "stockAfter">): Promise<Item> {
  const row = await lockItem(client, m.itemId);
  const after = new Decimal(row.stock_qty).add(m.quantity);
  if (after.greaterThan(STOCK.max)) throw ValidationError.one(["quantity"], `would raise the stock of ${row.name} above the maximum of ${STOCK.max}`, "TOO_LARGE");
  const item = await applyStock(client, row.id, after);
  await recordMovement(client, { ...m, stockAfter: after });
  return item;
}

/** Sets stock to a physically counted quantity; the ledger records the difference. */
export async function countStock(
  ctx: ServiceContext,
  input: { itemId: unknown; countedQty: unknown; note?: unknown },
): Promise<StockChange> {
  authorize(ctx, "ADJUST_STOCK");
  const p = new Problems();
  const itemId = p.take(() => parseId(input.itemId, ["itemId"]));
  const counted = p.take(() => parseDecimal(input.countedQty, ["countedQty"], STOCK));
  const note = p.take(() => parseText(input.note, ["note"], NOTE));
  p.throwIfAny();

  return inTransaction(ctx.db.pool, (client) => applyCount(client, itemId!, counted!, note, actorStaffId(ctx.actor)));
}

/** Inside a transaction: sets stock to a validated count and writes the ledger row. */
export async function applyCount(client: pg.PoolClient, itemId: number, counted: Decimal, note: string | null | undefined, actorId: number | null): Promise<StockChange> {
  const row = await lockItem(client, itemId);
  const delta = counted.sub(row.stock_qty);
  const item = await applyStock(client, row.id, counted);
  await recordMovement(client, { itemId: row.id, quantity: delta, stockAfter: counted, reason: "count", note, actorId });
  return { item, delta };
}

/** The item's ledger, newest first. */
export async function listMovements(ctx: ServiceContext, itemId: number, limit = 20): Promise<StockMovement[]> {
  authorize(ctx, "VIEW_CATALOG");
  return ctx.db.prisma.stockMovement.findMany({ where: { itemId }, orderBy: { id: "desc" }, take: Math.min(Math.max(limit, 1), 200) });
}
