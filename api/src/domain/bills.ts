// Selling: one bill is one transaction that claims its idempotency key, locks
// its items in ascending id order, checks and decrements stock, prices the
// cart with the one totals module (discounts, tax, payments), snapshots names,
// prices, rates and the shop header, and writes the bill, its lines, its
// payments and the ledger — or nothing at all.
import crypto from "node:crypto";
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import type { Bill, BillItem, BillPayment, DiscountKind, PaymentMethod, Prisma } from "../generated/prisma/client.ts";
import { actorName, actorOwnerKey, actorStaffId, authorize, authorizeAny, type Actor } from "./access.ts";
import { verifyDiscountApproval } from "./approval.ts";
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
import { Decimal, QUANTITY, parseDecimal } from "./money.ts";
import { resolveRange } from "./reports/range.ts";
import { decodeCursor, parseFirst, toPage, type Page } from "./pagination.ts";
import {
  PRICED_ITEM_SQL,
  parseDiscount,
  parseSaleOptions,
  priceSale,
  saleOptionsKey,
  type ParsedDiscount,
  type PricedSale,
  type SaleOptions,
  type SaleOptionsInput,
} from "./sale.ts";
import { forgetItems, rememberItems, saleSnapshot, type SaleItemRow } from "./sale-snapshot.ts";
import { forgetShopSettingsSnapshot, loadShopSettings, shopHeader, type ShopSettings } from "./settings.ts";
import { shopTimeZone, shopWallClockInstant, startOfShopDay } from "./shop.ts";
import { REGISTER, drawerShift, registerKey } from "./drawer.ts";
import { IDEMPOTENCY_KEY, PERSON_OR_STORE, parseId, parseText } from "./text.ts";
import { DiscountApprovalRequiredError, TotalChangedError } from "./totals-errors.ts";
import type { D } from "./totals.ts";

export type BillWithLines = Bill & { lines: BillItem[]; payments: BillPayment[] };

export interface CreateBillInput extends SaleOptionsInput {
  customerName?: unknown;
  storeName?: unknown;
  /** [{itemId, quantity, discount?: {kind, value, reason?}}] */
  lines: unknown;
  idempotencyKey?: unknown;
  /** With shifts on: the register whose open shift takes the cash (may be left out when only one is open). */
  register?: unknown;
}

export interface CreateBillResult {
  bill: BillWithLines;
  /** True when an earlier bill with the same idempotency key and request was returned. */
  replayed: boolean;
  /** How the sale reached the database: one statement priced from a snapshot, or the full transaction (see sellInOneStatement). */
  via: "one-statement" | "transaction";
}

export const MAX_LINES = 500;

interface SaleLine {
  itemId: number;
  quantity: Decimal;
  discount: ParsedDiscount | null;
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
    const { itemId, quantity, discount: rawDiscount } = line as { itemId?: unknown; quantity?: unknown; discount?: unknown };
    const id = p.take(() => parseId(itemId, ["lines", i, "itemId"]));
    const qty = p.take(() => parseDecimal(quantity, ["lines", i, "quantity"], QUANTITY));
    const discount = parseDiscount(rawDiscount, ["lines", i, "discount"], p);
    if (id === undefined || qty === undefined) return;
    const seen = merged.get(id);
    if (seen) {
      seen.quantity = seen.quantity.add(qty);
      // Repeated lines merge into one; two discounts on one item would be ambiguous.
      if (seen.discount && discount) p.add(["lines", i, "discount"], `item ${id} already has a discount on an earlier line: put it on one line`, "DUPLICATE_DISCOUNT");
      seen.discount ??= discount;
    } else merged.set(id, { itemId: id, quantity: qty, discount, position: i });
  });
  for (const line of merged.values()) {
    if (line.quantity.greaterThan(QUANTITY.max)) {
      p.add(["lines", line.position, "quantity"], `the total for item ${line.itemId} must be at most ${QUANTITY.max}`, "TOO_LARGE");
    }
  }
  return [...merged.values()].sort((a, b) => a.itemId - b.itemId);
}

/**
 * What makes two requests "the same" for an idempotency key. Discounts,
 * payments, the approver and the expected total count; a request without any
 * of them hashes exactly as before they existed.
 */
function requestHash(customerName: string | null, storeName: string | null, lines: SaleLine[], options: SaleOptions): string {
  const extras = saleOptionsKey(options, lines.map((l) => l.discount));
  const base: unknown[] = [customerName, storeName, lines.map((l) => [l.itemId, l.quantity.toFixed(3)])];
  const canonical = JSON.stringify(extras ? [...base, extras] : base);
  return crypto.createHash("sha256").update(canonical).digest("hex");
}

type LockedItem = SaleItemRow;

function parseSale(input: CreateBillInput) {
  const p = new Problems();
  const customerName = p.take(() => parseText(input.customerName, ["customerName"], PERSON_OR_STORE)) ?? null;
  const storeName = p.take(() => parseText(input.storeName, ["storeName"], PERSON_OR_STORE)) ?? null;
  const key = p.take(() => parseText(input.idempotencyKey, ["idempotencyKey"], IDEMPOTENCY_KEY)) ?? null;
  const lines = parseLines(input.lines, p);
  const options = parseSaleOptions(input, p);
  const register = p.take(() => parseText(input.register, ["register"], { ...REGISTER, required: false })) ?? null;
  p.throwIfAny();
  return { customerName, storeName, key, lines, options, register };
}

/** Every item exists, is active and has the stock; all shortages are named at once. */
function checkItems(lines: SaleLine[], items: LockedItem[]) {
  const byId = new Map(items.map((r) => [r.id, r]));
  const shortages: Shortage[] = [];
  const checked = lines.map((line) => {
    const item = byId.get(line.itemId);
    if (!item) throw new NotFoundError("Item", line.itemId);
    if (!item.is_active) throw new ItemInactiveError(item.id, item.name);
    const available = new Decimal(item.stock_qty);
    if (available.lessThan(line.quantity)) {
      shortages.push({ itemId: item.id, itemName: item.name, unit: item.unit, requested: line.quantity, available });
    }
    return { ...line, item };
  });
  if (shortages.length) throw new InsufficientStockError(shortages as [Shortage, ...Shortage[]]);
  return checked;
}

const money = (d: D) => new Decimal(d.toFixed(2));

/** One entry of bills.tax_breakdown (JSON, amounts as fixed-point strings). */
export interface TaxBreakdownJson {
  rateId: number | null;
  name: string;
  percent: string;
  taxableBase: string;
  tax: string;
}

/** A bill as it will be stored, before it has ids: what previewBill answers and createBill writes. */
export type BillDraft = Omit<Bill, "id" | "idempotencyKey" | "requestHash" | "createdAt"> & {
  lines: Omit<BillItem, "id" | "billId">[];
  payments: Omit<BillPayment, "id" | "billId">[];
};

function draftBill(
  priced: PricedSale,
  options: SaleOptions,
  settings: ShopSettings,
  who: { customerName: string | null; storeName: string | null; cashierId: number | null; cashierName: string | null; requestedBy: number | null; approvedBy: number | null },
): BillDraft {
  const { bill } = priced;
  const s = bill.settlement;
  const discounted = bill.discountTotal.greaterThan(0);
  return {
    customerName: who.customerName,
    storeName: who.storeName ?? settings.name,
    cashierId: who.cashierId,
    cashierName: who.cashierName,
    storeId: settings.storeId,
    subtotal: money(bill.subtotal),
    totalAmount: money(s.amountDue),
    discountTotal: money(bill.discountTotal),
    billDiscountKind: (options.billDiscount?.kind ?? null) as DiscountKind | null,
    billDiscountValue: options.billDiscount?.value ?? null,
    billDiscountAmount: money(bill.billDiscount),
    billDiscountReason: options.billDiscount?.reason ?? null,
    taxTotal: money(bill.taxTotal),
    taxBreakdown: bill.taxBreakdown.map((b): TaxBreakdownJson => ({
      rateId: b.rateId,
      name: b.name,
      percent: b.percent.toString(),
      taxableBase: b.taxableBase.toFixed(2),
      tax: b.tax.toFixed(2),
    })) as unknown as Prisma.JsonArray,
    pricesIncludeTax: settings.pricesIncludeTax,
    taxRounding: settings.taxRounding,
    cashRounding: money(s.cashRounding),
    changeDue: money(s.change),
    shopHeader: shopHeader(settings) as unknown as Prisma.JsonObject,
    discountRequestedBy: discounted ? who.requestedBy : null,
    discountApprovedBy: who.approvedBy,
    // A new bill: no shift yet (the sale's transaction assigns its drawer), not voided, nothing refunded.
    shiftId: null,
    voidedAt: null,
    voidedBy: null,
    voidedByName: null,
    voidReason: null,
    voidApprovedBy: null,
    refundedTotal: new Decimal(0),
    lines: priced.lines.map((l, i) => {
      const t = bill.lines[i]!;
      return {
        itemId: l.item.id,
        itemName: l.item.name,
        sku: l.item.sku,
        unit: l.item.unit,
        unitPrice: new Decimal(l.item.unit_price),
        quantity: l.quantity,
        lineTotal: money(t.amount),
        discountKind: (l.discount?.kind ?? null) as DiscountKind | null,
        discountValue: l.discount?.value ?? null,
        discountReason: l.discount?.reason ?? null,
        lineDiscount: money(t.lineDiscount),
        billDiscountShare: money(t.billDiscountShare),
        category: l.item.category,
        unitCost: l.item.unit_cost === null ? null : new Decimal(l.item.unit_cost),
        taxRateId: l.item.tax_rate_id,
        taxRateName: l.item.tax_rate_name,
        taxRatePercent: new Decimal(l.item.tax_rate_percent ?? 0),
        taxableAmount: money(t.taxableBase),
        taxAmount: money(t.tax),
        chargedTotal: money(t.total),
        returnedQty: new Decimal(0),
        refundedTotal: new Decimal(0),
      };
    }),
    payments: s.payments.map((x, i) => {
      // settle() keeps the request's order, and adds a payment only for an implicit exact cash sale.
      const asked = options.payments[i];
      return {
        position: i + 1,
        method: x.method as PaymentMethod,
        amount: money(x.amount),
        tendered: x.tendered ? money(x.tendered) : null,
        change: money(x.change),
        label: asked?.label ?? null,
        reference: asked?.reference ?? null,
      };
    }),
  };
}

export interface BillPreview extends BillDraft {
  /** The discount is above the actor's limit: createBill will need a manager's approval. */
  discountApprovalRequired: boolean;
  /** The discount as a percent of the subtotal, and the limit that applies (null: no limit for this actor). */
  discountPercent: string;
  discountLimitPercent: string | null;
}

/**
 * Prices a cart exactly as createBill would (same input, same checks, same
 * totals module) and writes nothing. An over-limit discount is reported
 * (discountApprovalRequired), not refused, and no PIN is checked here.
 * expectedTotal is ignored: a preview is how a client learns the total.
 */
export async function previewBill(ctx: ServiceContext, input: CreateBillInput): Promise<BillPreview> {
  authorize(ctx, "SELL");
  const { customerName, storeName, lines, options } = parseSale(input);
  const [settings, { rows }] = await Promise.all([
    loadShopSettings(ctx.db.pool),
    ctx.db.pool.query<LockedItem>({ name: "bills.preview", text: PRICED_ITEM_SQL, values: [lines.map((l) => l.itemId)] }),
  ]);
  rememberItems(ctx.db.pool, rows); // the sale that follows a preview is priced from these rows: one round trip
  const priced = priceSale(checkItems(lines, rows), options, settings, ctx.actor);
  if (priced.bill.settlement.problem) throw priced.bill.settlement.problem;
  const draft = draftBill(priced, options, settings, { customerName, storeName, cashierId: actorStaffId(ctx.actor), cashierName: actorStaffId(ctx.actor) === null ? null : actorName(ctx.actor), requestedBy: actorStaffId(ctx.actor), approvedBy: null });
  const pct = priced.bill.subtotal.isZero() ? "0.00" : priced.bill.discountTotal.mul(100).div(priced.bill.subtotal).toDecimalPlaces(2, 0).toFixed(2);
  return {
    ...draft,
    discountApprovalRequired: priced.approvalNeeded !== null,
    discountPercent: pct,
    discountLimitPercent: ctx.actor.kind !== "anonymous" && ctx.actor.permissions.has("DISCOUNT_OVER_LIMIT") ? null : settings.cashierDiscountLimit.toString(),
  };
}

export async function createBill(ctx: ServiceContext, input: CreateBillInput): Promise<CreateBillResult> {
  authorize(ctx, "SELL");
  const cashierId = actorStaffId(ctx.actor);
  const cashierName = cashierId === null ? null : actorName(ctx.actor);
  const sale = parseSale(input);
  const { customerName, storeName, key, lines, options, register } = sale;
  const hash = key ? requestHash(customerName, storeName, lines, options) : null;
  const who = { customerName, storeName, cashierId, cashierName, requestedBy: cashierId };

  const fast = await sellInOneStatement(ctx, sale, hash, who);
  if (fast) return { bill: fast, replayed: false, via: "one-statement" };

  let replayOf: number | undefined;
  const created = await inTransaction(ctx.db.pool, async (client) => {
    // Claim the key first: a concurrent request with the same key waits here
    // until this transaction ends, then finds the committed bill.
    // Named statements: parsed and planned once per connection, not per bill
    // (bench:bills measured PostgreSQL CPU per bill dropping; see bench/RESULTS.md).
    const inserted = await client.query<{ id: number; created_at: Date }>({
      name: "bills.claim",
      text: `INSERT INTO bills (customer_name, store_name, subtotal, total_amount, idempotency_key, request_hash, cashier_id, cashier_name)
       VALUES ($1, $2, 0, 0, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, created_at`,
      values: [customerName, storeName, key, hash, cashierId, cashierName],
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

    const settings = await loadShopSettings(client);
    // With shifts on, the sale's cash goes into an open shift's drawer (share-locked until commit, so a close waits for it).
    // The settings just read say whether shifts are on: with them off (the default) a sale costs no extra query.
    const shift = await drawerShift(client, settings, register);
    const { rows: locked } = await client.query<LockedItem>({
      name: "bills.lock",
      text: `${PRICED_ITEM_SQL} FOR UPDATE OF i`,
      values: [lines.map((l) => l.itemId)],
    });
    rememberItems(ctx.db.pool, locked); // the next sale of these items is priced from what the lock saw
    const priced = priceSale(checkItems(lines, locked), options, settings, ctx.actor);
    // A total that moved is said first: the client's payments were sized for the old one.
    const due = priced.bill.settlement.amountDue;
    if (options.expectedTotal && !options.expectedTotal.eq(due.toFixed(2))) throw new TotalChangedError(options.expectedTotal.toFixed(2), due.toFixed(2));
    if (priced.bill.settlement.problem) throw priced.bill.settlement.problem;
    const approvedBy = await approve(ctx, priced, options);
    const draft = draftBill(priced, options, settings, { ...who, approvedBy });
    return writeBill(client, billRow, key, hash, { ...draft, shiftId: shift?.id ?? null });
  });

  if (created) return { bill: created, replayed: false, via: "transaction" };
  // The replayed bill is returned to whoever may sell, as the original request's answer.
  return { bill: await loadBill(ctx, replayOf!), replayed: true, via: "transaction" };
}

/** Why bill_sell_priced() refused a sale (nothing written): the snapshot was stale, or the full path must answer. */
const SNAPSHOT_REFUSALS: Record<string, "settings" | "items" | "keep"> = {
  SLS01: "settings", // shop settings changed
  SLS02: "items", // an item's price, tax rate, name... changed, or it is gone or inactive
  SLS03: "keep", // not enough stock: the full path names every shortage
  SLS04: "keep", // shifts on, and not exactly one open shift for this sale: the full path says which error
};

/**
 * A sale in one round trip (one more the first time an item or the settings
 * are seen): priced here by the same priceSale/draftBill as the full path,
 * from a snapshot of the items and settings, then claimed, locked, checked and
 * written by one call of bill_sell_priced() in autocommit. Returns null, with
 * nothing written, whenever the full transaction must decide instead: the
 * snapshot is missing an item, priced inputs moved under the lock, stock is
 * short, the shift is not clear, the key is already taken (a replay or a
 * reuse), the total or the payments do not settle, or the discount needs a
 * manager's approval (PIN checks stay in the full path). That path then gives
 * the exact answer or typed error, as it always has.
 */
async function sellInOneStatement(
  ctx: ServiceContext,
  { key, lines, options, register }: ReturnType<typeof parseSale>,
  hash: string | null,
  who: { customerName: string | null; storeName: string | null; cashierId: number | null; cashierName: string | null; requestedBy: number | null },
): Promise<BillWithLines | null> {
  const pool = ctx.db.pool;
  const snapshot = await saleSnapshot(pool, lines.map((l) => l.itemId));
  const toPrice = [];
  for (const line of lines) {
    const item = snapshot.items.get(line.itemId);
    if (!item?.is_active) return null;
    toPrice.push({ ...line, item });
  }
  let priced: PricedSale;
  try {
    priced = priceSale(toPrice, options, snapshot.settings, ctx.actor);
  } catch {
    return null; // priced again, and refused with the right error, by the full path
  }
  const due = priced.bill.settlement.amountDue;
  if (options.expectedTotal && !options.expectedTotal.eq(due.toFixed(2))) return null;
  if (priced.bill.settlement.problem || priced.approvalNeeded) return null;
  const draft = draftBill(priced, options, snapshot.settings, { ...who, approvedBy: null });
  const named = register?.trim() ? registerKey(register) : null;

  type Sold = { bill_id: number; created_at: Date; shift_id: number | null; line_ids: number[]; line_item_ids: number[]; payment_ids: number[] };
  let row: Sold | undefined;
  try {
    ({
      rows: [row],
    } = await pool.query<Sold>({
      name: "bills.sell_priced",
      text: "SELECT * FROM bill_sell_priced($1, $2, $3, $4, $5)",
      values: [snapshot.settingsVersion, named, JSON.stringify(billColumns(draft, key, hash)), JSON.stringify(draft.lines.map(lineColumns)), JSON.stringify(draft.payments.map(paymentColumns))],
    }));
  } catch (err) {
    const refusal = SNAPSHOT_REFUSALS[(err as { code?: string }).code ?? ""];
    if (!refusal) throw err;
    if (refusal === "settings") forgetShopSettingsSnapshot(pool);
    if (refusal === "items") forgetItems(pool, lines.map((l) => l.itemId));
    return null;
  }
  if (!row) return null; // the key is taken: the full path answers the replay or the reuse
  const lineIds = new Map(row.line_item_ids.map((itemId, i) => [itemId, row.line_ids[i]!]));
  return assembleBill({ ...draft, shiftId: row.shift_id }, { id: row.bill_id, created_at: row.created_at }, key, hash, lineIds, row.payment_ids);
}

const fixed2 = (d: Decimal) => d.toFixed(2);
const fixed3 = (d: Decimal | null) => (d ? d.toFixed(3) : null);

/** A draft's bill row as bill_sell_priced() reads it (jsonb_populate_record of bills: column names, amounts as strings). */
function billColumns(d: BillDraft, key: string | null, hash: string | null) {
  return {
    customer_name: d.customerName,
    store_name: d.storeName,
    subtotal: fixed2(d.subtotal),
    total_amount: fixed2(d.totalAmount),
    idempotency_key: key,
    request_hash: hash,
    cashier_id: d.cashierId,
    cashier_name: d.cashierName,
    store_id: d.storeId,
    discount_total: fixed2(d.discountTotal),
    bill_discount_kind: d.billDiscountKind,
    bill_discount_value: fixed3(d.billDiscountValue),
    bill_discount_amount: fixed2(d.billDiscountAmount),
    bill_discount_reason: d.billDiscountReason,
    tax_total: fixed2(d.taxTotal),
    tax_breakdown: d.taxBreakdown,
    prices_include_tax: d.pricesIncludeTax,
    tax_rounding: d.taxRounding,
    cash_rounding: fixed2(d.cashRounding),
    change_due: fixed2(d.changeDue),
    shop_header: d.shopHeader,
    discount_requested_by: d.discountRequestedBy,
    discount_approved_by: d.discountApprovedBy,
  };
}

/** A line as bill_sell_priced() reads it; the item's name, price, rate, category and cost are what it checks under the lock. */
function lineColumns(l: BillDraft["lines"][number]) {
  return {
    item_id: l.itemId,
    item_name: l.itemName,
    sku: l.sku,
    unit: l.unit,
    unit_price: l.unitPrice.toString(),
    quantity: fixed3(l.quantity),
    line_total: fixed2(l.lineTotal),
    discount_kind: l.discountKind,
    discount_value: fixed3(l.discountValue),
    discount_reason: l.discountReason,
    line_discount: fixed2(l.lineDiscount),
    bill_discount_share: fixed2(l.billDiscountShare),
    tax_rate_id: l.taxRateId,
    tax_rate_name: l.taxRateName,
    tax_rate_percent: fixed3(l.taxRatePercent),
    taxable_amount: fixed2(l.taxableAmount),
    tax_amount: fixed2(l.taxAmount),
    charged_total: fixed2(l.chargedTotal),
    category: l.category,
    unit_cost: l.unitCost === null ? null : l.unitCost.toString(),
  };
}

function paymentColumns(p: BillDraft["payments"][number]) {
  return {
    position: p.position,
    method: p.method,
    amount: fixed2(p.amount),
    tendered: p.tendered ? fixed2(p.tendered) : null,
    change: fixed2(p.change),
    label: p.label,
    reference: p.reference,
  };
}

/** Over the actor's discount limit: a valid manager approval, or a refusal. Returns the approver's staff id. */
async function approve(ctx: ServiceContext, priced: PricedSale, options: SaleOptions): Promise<number | null> {
  const needed = priced.approvalNeeded;
  if (!needed) return null;
  if (!options.approval) throw new DiscountApprovalRequiredError(needed.discountPercent, needed.limitPercent);
  // Failed PINs count per requester (like a terminal's address), so one cashier guessing cannot lock out the shop.
  return (await verifyDiscountApproval(ctx.db, options.approval, needed, `discount-approval:${actorOwnerKey(ctx.actor)}`)).staffId;
}

/**
 * One statement decrements stock (still conditional: the CHECK and the WHERE
 * guard against any path that skipped the lock), writes the lines with their
 * snapshots, the payments, the ledger rows and the bill's totals.
 */
async function writeBill(client: pg.PoolClient, billRow: { id: number; created_at: Date }, key: string | null, hash: string | null, draft: BillDraft): Promise<BillWithLines> {
  const L = draft.lines;
  const P = draft.payments;
  const { rows: ids } = await client.query<{ id: number; item_id: number | null; payment_position: number | null }>({
    name: "bills.write",
    text: `WITH sold AS (
       SELECT * FROM unnest($2::int[], $3::numeric[], $4::numeric[], $5::int[], $6::discount_kind[], $7::numeric[], $8::text[],
         $9::numeric[], $10::numeric[], $11::int[], $12::text[], $13::numeric[], $14::numeric[], $15::numeric[], $16::numeric[])
       AS s(item_id, quantity, line_total, position, discount_kind, discount_value, discount_reason,
         line_discount, bill_discount_share, tax_rate_id, tax_rate_name, tax_rate_percent, taxable_amount, tax_amount, charged_total)
     ), upd AS (
       UPDATE items i SET stock_qty = i.stock_qty - s.quantity, updated_at = now()
       FROM sold s WHERE i.id = s.item_id AND i.stock_qty >= s.quantity
       RETURNING i.id, i.name, i.sku, i.unit, i.unit_price, i.stock_qty, i.category, i.unit_cost, s.quantity, s.line_total, s.position, s.discount_kind, s.discount_value,
         s.discount_reason, s.line_discount, s.bill_discount_share, s.tax_rate_id, s.tax_rate_name, s.tax_rate_percent, s.taxable_amount, s.tax_amount, s.charged_total
     ), moves AS (
       INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id, actor_id)
       SELECT id, -quantity, stock_qty, 'sale', $1, $42::int FROM upd
     ), pays AS (
       INSERT INTO bill_payments (bill_id, position, method, amount, tendered, change, label, reference)
       SELECT $1, * FROM unnest($17::int[], $18::payment_method[], $19::numeric[], $20::numeric[], $21::numeric[], $22::text[], $23::text[])
       RETURNING id, position
     ), totals AS (
       UPDATE bills SET subtotal = $24, total_amount = $25, discount_total = $26, bill_discount_kind = $27, bill_discount_value = $28,
         bill_discount_amount = $29, bill_discount_reason = $30, tax_total = $31, tax_breakdown = $32, prices_include_tax = $33,
         tax_rounding = $34, cash_rounding = $35, change_due = $36, shop_header = $37, store_id = $38, store_name = $39,
         discount_requested_by = $40, discount_approved_by = $41, shift_id = $43
       WHERE id = $1
     ), lines AS (
     INSERT INTO bill_items (bill_id, item_id, item_name, sku, unit, unit_price, quantity, line_total, discount_kind, discount_value, discount_reason,
       line_discount, bill_discount_share, tax_rate_id, tax_rate_name, tax_rate_percent, taxable_amount, tax_amount, charged_total, category, unit_cost)
     SELECT $1, id, name, sku, unit, unit_price, quantity, line_total, discount_kind, discount_value, discount_reason,
       line_discount, bill_discount_share, tax_rate_id, tax_rate_name, tax_rate_percent, taxable_amount, tax_amount, charged_total, category, unit_cost
     FROM upd ORDER BY position
     RETURNING id, item_id
     )
     SELECT id, item_id, NULL::int AS payment_position FROM lines UNION ALL SELECT id, NULL, position FROM pays`,
    values: [
      billRow.id,
      L.map((l) => l.itemId),
      L.map((l) => l.quantity.toFixed(3)),
      L.map((l) => l.lineTotal.toFixed(2)),
      L.map((_, i) => i),
      L.map((l) => l.discountKind),
      L.map((l) => fixed3(l.discountValue)),
      L.map((l) => l.discountReason),
      L.map((l) => l.lineDiscount.toFixed(2)),
      L.map((l) => l.billDiscountShare.toFixed(2)),
      L.map((l) => l.taxRateId),
      L.map((l) => l.taxRateName),
      L.map((l) => l.taxRatePercent.toFixed(3)),
      L.map((l) => l.taxableAmount.toFixed(2)),
      L.map((l) => l.taxAmount.toFixed(2)),
      L.map((l) => l.chargedTotal.toFixed(2)),
      P.map((x) => x.position),
      P.map((x) => x.method),
      P.map((x) => x.amount.toFixed(2)),
      P.map((x) => (x.tendered ? x.tendered.toFixed(2) : null)),
      P.map((x) => x.change.toFixed(2)),
      P.map((x) => x.label),
      P.map((x) => x.reference),
      draft.subtotal.toFixed(2),
      draft.totalAmount.toFixed(2),
      draft.discountTotal.toFixed(2),
      draft.billDiscountKind,
      fixed3(draft.billDiscountValue),
      draft.billDiscountAmount.toFixed(2),
      draft.billDiscountReason,
      draft.taxTotal.toFixed(2),
      JSON.stringify(draft.taxBreakdown),
      draft.pricesIncludeTax,
      draft.taxRounding,
      draft.cashRounding.toFixed(2),
      draft.changeDue.toFixed(2),
      JSON.stringify(draft.shopHeader),
      draft.storeId,
      draft.storeName,
      draft.discountRequestedBy,
      draft.discountApprovedBy,
      draft.cashierId,
      draft.shiftId,
    ],
  });
  const lineIds = new Map(ids.filter((r) => r.item_id !== null).map((r) => [r.item_id!, r.id]));
  const paymentIds = ids.filter((r) => r.payment_position !== null).sort((a, b) => a.payment_position! - b.payment_position!).map((r) => r.id);
  if (lineIds.size !== L.length) throw new Error("stock changed under a held lock"); // a bug, not a user error
  return assembleBill(draft, billRow, key, hash, lineIds, paymentIds);
}

/** The bill as written, without reading it back: the draft with its ids (lines by item, payments in position order). */
function assembleBill(
  draft: BillDraft,
  billRow: { id: number; created_at: Date },
  key: string | null,
  hash: string | null,
  lineIds: Map<number, number>,
  paymentIds: number[],
): BillWithLines {
  return {
    ...draft,
    id: billRow.id,
    idempotencyKey: key,
    requestHash: hash,
    createdAt: billRow.created_at,
    lines: draft.lines.map((l) => ({ ...l, id: lineIds.get(l.itemId)!, billId: billRow.id })),
    payments: draft.payments.map((x, i) => ({ ...x, id: paymentIds[i]!, billId: billRow.id })),
  };
}

/**
 * With VIEW_ALL_BILLS: every bill. With only VIEW_OWN_BILLS: the bills this
 * person made today (the shop's today). Returns the filter to apply (undefined = all).
 */
async function billScope(ctx: ServiceContext): Promise<{ cashierId: number; since: Date } | undefined> {
  const held = authorizeAny(ctx, ["VIEW_ALL_BILLS", "VIEW_OWN_BILLS"]);
  if (held === "VIEW_ALL_BILLS") return undefined;
  return { cashierId: ownStaffId(ctx.actor), since: startOfShopDay(await shopTimeZone(ctx)) };
}

/** Someone with only VIEW_OWN_BILLS and no staff identity (a system actor) owns no bills. */
const ownStaffId = (actor: Actor) => actorStaffId(actor) ?? -1;

export async function loadBill(ctx: ServiceContext, billId: number): Promise<BillWithLines> {
  const bill = await ctx.db.prisma.bill.findUnique({
    where: { id: billId },
    include: { lines: { orderBy: { id: "asc" } }, payments: { orderBy: { position: "asc" } } },
  });
  if (!bill) throw new NotFoundError("Bill", billId);
  return bill;
}

export async function getBill(ctx: ServiceContext, id: unknown): Promise<BillWithLines> {
  const scope = await billScope(ctx);
  const billId = parseId(id, ["id"]);
  const bill = await loadBill(ctx, billId);
  // Someone else's bill, or an older one of their own: refused, naming what it would take.
  if (scope && (bill.cashierId !== scope.cashierId || bill.createdAt < scope.since)) authorize(ctx, "VIEW_ALL_BILLS");
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
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Parses a date-range bound in the shop's time zone: a date is that day's
 * midnight in the shop (with endOfDay, the next midnight), a date-time without
 * an offset is shop wall-clock time, one with Z or an offset is that instant.
 */
export function parseBound(value: unknown, path: string, endOfDay: boolean, timeZone: string): Date | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const text = typeof value === "string" ? value.trim() : "";
  const date =
    value instanceof Date
      ? value
      : WITH_OFFSET.test(text)
        ? new Date(text)
        : (shopWallClockInstant(text, timeZone, endOfDay && DATE_ONLY.test(text) ? 1 : 0) ?? new Date(NaN));
  if (Number.isNaN(date.getTime())) {
    throw ValidationError.one([path], "must be a date (2026-11-25) or an ISO date-time (2026-11-25T09:30:00Z)", "INVALID_DATE");
  }
  return date;
}

type BillCursor = [number];
const isBillCursor = (k: unknown[]): k is BillCursor => k.length === 1 && Number.isInteger(k[0]);

/** Bills newest first within an optional date range. */
export async function listBills(ctx: ServiceContext, input: ListBillsInput = {}): Promise<Page<Bill>> {
  const scope = await billScope(ctx);
  const timeZone = await shopTimeZone(ctx);
  const p = new Problems();
  const first = p.take(() => parseFirst(input.first))!;
  const after = p.take(() => decodeCursor(input.after, isBillCursor));
  let from = p.take(() => parseBound(input.from, "from", false, timeZone));
  let to = p.take(() => parseBound(input.to, "to", true, timeZone));
  if (from && to && from >= to) p.add(["to"], "must be after from", "INVALID_RANGE");
  p.throwIfAny();
  if (input.period != null) ({ from, to } = await resolveRange(ctx, { period: input.period, from: input.from, to: input.to }));

  const since = scope && (!from || from < scope.since) ? scope.since : from;
  const rows = await ctx.db.prisma.bill.findMany({
    where: { createdAt: { gte: since, lt: to }, ...(scope ? { cashierId: scope.cashierId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: first + 1,
    ...(after ? { cursor: { id: after[0] }, skip: 1 } : {}),
  });
  return toPage(rows, first, (b) => [b.id]);
}
