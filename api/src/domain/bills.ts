// Selling: one bill is one transaction that claims its idempotency key, locks
// its items in ascending id order, checks and decrements stock, snapshots names
// and prices, and writes the bill, its lines and the ledger — or nothing at all.
import crypto from "node:crypto";
import { inTransaction } from "../db/database.ts";
import type { Bill, BillItem } from "../generated/prisma/client.ts";
import type { ServiceContext } from "./context.ts";
import {
  IdempotencyKeyReusedError,
  InsufficientStockError,
  ItemInactiveError,
  NotFoundError,
  Problems,
  ValidationError,
  type Shortage,
} from "./errors.ts";
import { Decimal, PRICE, QUANTITY, lineTotal, parseDecimal } from "./money.ts";
import { resolveRange } from "./reports/range.ts";
import { decodeCursor, parseFirst, toPage, type Page } from "./pagination.ts";
import { IDEMPOTENCY_KEY, PERSON_OR_STORE, parseId, parseText } from "./text.ts";

export type BillWithLines = Bill & { lines: BillItem[] };

export interface CreateBillInput {
  customerName?: unknown;
  storeName?: unknown;
  lines: unknown;
  idempotencyKey?: unknown;
}

export interface CreateBillResult {
  bill: BillWithLines;
  /** True when an earlier bill with the same idempotency key and request was returned. */
  replayed: boolean;
}

export const MAX_LINES = 500;

interface SaleLine {
  itemId: number;
  quantity: Decimal;
  /** Position of the item's first line in the request: lines print in cart order. */
  position: number;
}

/** Validates every line (all problems at once) and merges repeated items. */
function parseLines(raw: unknown, p: Problems): SaleLine[] {
  if (!Array.isArray(raw)) {
    p.add(["lines"], "must be a list of {itemId, quantity}", "INVALID_TYPE");
    return [];
  }
  if (raw.length === 0) p.add(["lines"], "must contain at least one item", "EMPTY_BILL");
  if (raw.length > MAX_LINES) {
    p.add(["lines"], `must contain at most ${MAX_LINES} lines`, "TOO_MANY_LINES");
    return [];
  }
  const merged = new Map<number, SaleLine>();
  raw.forEach((line: unknown, i) => {
    if (typeof line !== "object" || line === null) {
      p.add(["lines", i], "must be an object with itemId and quantity", "INVALID_TYPE");
      return;
    }
    const { itemId, quantity } = line as { itemId?: unknown; quantity?: unknown };
    const id = p.take(() => parseId(itemId, ["lines", i, "itemId"]));
    const qty = p.take(() => parseDecimal(quantity, ["lines", i, "quantity"], QUANTITY));
    if (id === undefined || qty === undefined) return;
    const seen = merged.get(id);
    if (seen) seen.quantity = seen.quantity.add(qty);
    else merged.set(id, { itemId: id, quantity: qty, position: i });
  });
  for (const line of merged.values()) {
    if (line.quantity.greaterThan(QUANTITY.max)) {
      p.add(["lines", line.position, "quantity"], `the total for item ${line.itemId} must be at most ${QUANTITY.max}`, "TOO_LARGE");
    }
  }
  return [...merged.values()].sort((a, b) => a.itemId - b.itemId);
}

/** What makes two requests "the same" for an idempotency key. */
function requestHash(customerName: string | null, storeName: string | null, lines: SaleLine[]): string {
  const canonical = JSON.stringify([customerName, storeName, lines.map((l) => [l.itemId, l.quantity.toFixed(3)])]);
  return crypto.createHash("sha256").update(canonical).digest("hex");
}

interface LockedItem {
  id: number;
  name: string;
  unit: string;
  unit_price: string;
  stock_qty: string;
  is_active: boolean;
  category: string;
  unit_cost: string | null;
}

export async function createBill(ctx: ServiceContext, input: CreateBillInput): Promise<CreateBillResult> {
  const p = new Problems();
  const customerName = p.take(() => parseText(input.customerName, ["customerName"], PERSON_OR_STORE)) ?? null;
  const storeName = p.take(() => parseText(input.storeName, ["storeName"], PERSON_OR_STORE)) ?? null;
  const key = p.take(() => parseText(input.idempotencyKey, ["idempotencyKey"], IDEMPOTENCY_KEY)) ?? null;
  const lines = parseLines(input.lines, p);
  p.throwIfAny();
  const hash = key ? requestHash(customerName, storeName, lines) : null;

  let replayOf: number | undefined;
  const created = await inTransaction(ctx.db.pool, async (client) => {
    // Claim the key first: a concurrent request with the same key waits here
    // until this transaction ends, then finds the committed bill.
    // Named statements: parsed and planned once per connection, not per bill
    // (bench:bills measured PostgreSQL CPU per bill dropping; see bench/RESULTS.md).
    const inserted = await client.query<{ id: number; created_at: Date }>({
      name: "bills.claim",
      text: `INSERT INTO bills (customer_name, store_name, subtotal, total_amount, idempotency_key, request_hash)
       VALUES ($1, $2, 0, 0, $3, $4) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, created_at`,
      values: [customerName, storeName, key, hash],
    });
    const billRow = inserted.rows[0];
    if (!billRow) {
      const { rows } = await client.query<{ id: number; request_hash: string }>(
        "SELECT id, request_hash FROM bills WHERE idempotency_key = $1",
        [key],
      );
      const original = rows[0]!;
      if (original.request_hash !== hash) throw new IdempotencyKeyReusedError(key!, original.id);
      replayOf = original.id;
      return undefined;
    }

    const { rows: locked } = await client.query<LockedItem>({
      name: "bills.lock",
      text: "SELECT id, name, unit, unit_price, stock_qty, is_active, category, unit_cost FROM items WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE",
      values: [lines.map((l) => l.itemId)],
    });
    const byId = new Map(locked.map((r) => [r.id, r]));
    const shortages: Shortage[] = [];
    const priced = lines.map((line) => {
      const item = byId.get(line.itemId);
      if (!item) throw new NotFoundError("Item", line.itemId);
      if (!item.is_active) throw new ItemInactiveError(item.id, item.name);
      const available = new Decimal(item.stock_qty);
      if (available.lessThan(line.quantity)) {
        shortages.push({ itemId: item.id, itemName: item.name, unit: item.unit, requested: line.quantity, available });
      }
      const price = new Decimal(item.unit_price);
      return { ...line, item, price, total: lineTotal(price, line.quantity) };
    });
    if (shortages.length) throw new InsufficientStockError(shortages as [Shortage, ...Shortage[]]);

    const subtotal = priced.reduce((sum, l) => sum.add(l.total), new Decimal(0));
    for (const l of priced) {
      if (l.total.greaterThan(PRICE.max)) {
        throw ValidationError.one(["lines", l.position, "quantity"], `makes a line total above ${PRICE.max}`, "TOO_LARGE");
      }
    }
    if (subtotal.greaterThan(PRICE.max)) throw ValidationError.one(["lines"], `bill total would exceed ${PRICE.max}`, "TOO_LARGE");

    // One statement decrements stock (still conditional: the CHECK and the
    // WHERE guard against any path that skipped the lock), writes the lines
    // with name/unit/price snapshots, the ledger rows and the bill's totals.
    const { rows: written } = await client.query<{ id: number; item_id: number }>({
      name: "bills.write",
      text: `WITH sold AS (
         SELECT * FROM unnest($2::int[], $3::numeric[], $4::numeric[], $5::int[]) AS s(item_id, quantity, line_total, position)
       ), upd AS (
         UPDATE items i SET stock_qty = i.stock_qty - s.quantity, updated_at = now()
         FROM sold s WHERE i.id = s.item_id AND i.stock_qty >= s.quantity
         RETURNING i.id, i.name, i.unit, i.unit_price, i.stock_qty, i.category, i.unit_cost, s.quantity, s.line_total, s.position
       ), moves AS (
         INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id)
         SELECT id, -quantity, stock_qty, 'sale', $1 FROM upd
       ), totals AS (
         UPDATE bills SET subtotal = $6, total_amount = $6 WHERE id = $1
       )
       INSERT INTO bill_items (bill_id, item_id, item_name, unit, unit_price, quantity, line_total, category, unit_cost)
       SELECT $1, id, name, unit, unit_price, quantity, line_total, category, unit_cost FROM upd ORDER BY position
       RETURNING id, item_id`,
      values: [
        billRow.id,
        priced.map((l) => l.itemId),
        priced.map((l) => l.quantity.toFixed(3)),
        priced.map((l) => l.total.toFixed(2)),
        priced.map((l) => l.position),
        subtotal.toFixed(2),
      ],
    });
    if (written.length !== priced.length) throw new Error("stock changed under a held lock"); // a bug, not a user error

    const lineIds = new Map(written.map((r) => [r.item_id, r.id]));
    const billLines: BillItem[] = [...priced]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        id: lineIds.get(l.itemId)!,
        billId: billRow.id,
        itemId: l.itemId,
        itemName: l.item.name,
        unit: l.item.unit,
        unitPrice: l.price,
        quantity: l.quantity,
        lineTotal: l.total,
        category: l.item.category,
        unitCost: l.item.unit_cost === null ? null : new Decimal(l.item.unit_cost),
      }));
    return {
      id: billRow.id,
      customerName,
      storeName,
      subtotal,
      totalAmount: subtotal,
      idempotencyKey: key,
      requestHash: hash,
      createdAt: billRow.created_at,
      lines: billLines,
    } satisfies BillWithLines;
  });

  if (created) return { bill: created, replayed: false };
  return { bill: await getBill(ctx, replayOf), replayed: true };
}

export async function getBill(ctx: ServiceContext, id: unknown): Promise<BillWithLines> {
  const billId = parseId(id, ["id"]);
  const bill = await ctx.db.prisma.bill.findUnique({ where: { id: billId }, include: { lines: { orderBy: { id: "asc" } } } });
  if (!bill) throw new NotFoundError("Bill", billId);
  return bill;
}

export interface ListBillsInput {
  /** Inclusive. A date without a time means the start of that day. */
  from?: unknown;
  /** A date without a time includes that whole day; a timestamp is exclusive. */
  to?: unknown;
  first?: unknown;
  after?: unknown;
  /** A preset range on the shop's calendar (YESTERDAY, THIS_WEEK...), instead of from/to. */
  period?: unknown;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a date-range bound; date-only strings are days in the server's time zone. */
export function parseBound(value: unknown, path: string, endOfDay: boolean): Date | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === "string" && DATE_ONLY.test(value.trim())) {
    const [y, m, d] = value.trim().split("-").map(Number) as [number, number, number];
    const day = new Date(y, m - 1, d);
    const real = day.getFullYear() === y && day.getMonth() === m - 1 && day.getDate() === d; // no 2026-02-31
    date = !real ? new Date(NaN) : endOfDay ? new Date(y, m - 1, d + 1) : day;
  } else if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value.trim())) date = new Date(value.trim());
  else date = new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw ValidationError.one([path], "must be a date (2026-11-25) or an ISO date-time (2026-11-25T09:30:00Z)", "INVALID_DATE");
  }
  return date;
}

type BillCursor = [number];
const isBillCursor = (k: unknown[]): k is BillCursor => k.length === 1 && Number.isInteger(k[0]);

/** Bills newest first within an optional date range. */
export async function listBills(ctx: ServiceContext, input: ListBillsInput = {}): Promise<Page<Bill>> {
  const p = new Problems();
  const first = p.take(() => parseFirst(input.first))!;
  const after = p.take(() => decodeCursor(input.after, isBillCursor));
  let from = p.take(() => parseBound(input.from, "from", false));
  let to = p.take(() => parseBound(input.to, "to", true));
  if (from && to && from >= to) p.add(["to"], "must be after from", "INVALID_RANGE");
  p.throwIfAny();
  if (input.period != null) ({ from, to } = await resolveRange(ctx, { period: input.period, from: input.from, to: input.to }));

  const rows = await ctx.db.prisma.bill.findMany({
    where: { createdAt: { gte: from, lt: to } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: first + 1,
    ...(after ? { cursor: { id: after[0] }, skip: 1 } : {}),
  });
  return toPage(rows, first, (b) => [b.id]);
}
