// Returns: goods coming back against a bill, as their own document. One
// return is one transaction that locks the bill (then its lines, then the
// restocked items in id order), checks what is left to return, prices the
// refund from the bill's STORED line values with the totals module, puts
// restocked goods back through the stock ledger, pays the refund out (cash
// from the current drawer) and writes the return, its lines and payments —
// or nothing at all. The database backs the limits with CHECKs
// (returned_qty ≤ quantity, refunded ≤ charged, refunded ≤ bill total, no
// returns on a voided bill).
import crypto from "node:crypto";
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import type { BillItem, BillReturn, BillReturnLine, BillReturnPayment, PaymentMethod } from "../generated/prisma/client.ts";
import { actorName, actorOwnerKey, actorStaffId, authorize, authorizeAny, can } from "./access.ts";
import { verifyManagerApproval, type Approver, type DiscountApproval } from "./approval.ts";
import type { ServiceContext } from "./context.ts";
import { RegisterRequiredError, ShiftNotOpenError, drawerShift } from "./drawer.ts";
import { DomainError, NotFoundError, Problems } from "./errors.ts";
import { Decimal, QUANTITY, parseDecimal } from "./money.ts";
import { parseApproval, parsePayments, type ParsedPayment } from "./sale.ts";
import { loadShopSettings } from "./settings.ts";
import { receiveStock } from "./stock.ts";
import { IDEMPOTENCY_KEY, parseId, parseText, type TextRule } from "./text.ts";
import { computeRefund, splitRefund } from "./totals.ts";

// ---- refusals ---------------------------------------------------------------

export class BillVoidedError extends DomainError {
  readonly code = "BILL_VOIDED";
  constructor(
    readonly billId: number,
    readonly voidedAt: Date,
  ) {
    super(`Bill ${billId} was voided on ${voidedAt.toISOString()}: nothing on it can be returned or voided again`);
  }
}

export class BillHasReturnsError extends DomainError {
  readonly code = "BILL_HAS_RETURNS";
  constructor(
    readonly billId: number,
    readonly refundedTotal: string,
  ) {
    super(`Bill ${billId} has returns (${refundedTotal} refunded): a bill with returns cannot be voided; return the rest instead`);
  }
}

export class UnknownBillLineError extends DomainError {
  readonly code = "UNKNOWN_BILL_LINE";
  constructor(
    readonly billId: number,
    readonly billItemId: number,
  ) {
    super(`Line ${billItemId} is not a line of bill ${billId}`);
  }
}

export interface ReturnExcess {
  billItemId: number;
  itemName: string;
  unit: string;
  requested: Decimal;
  sold: Decimal;
  alreadyReturned: Decimal;
  /** What can still be returned: sold − already returned. */
  left: Decimal;
}

/** More than is left to return on one or more lines; every such line is named, the first also on the error itself. */
export class ReturnQuantityExceededError extends DomainError {
  readonly code = "RETURN_QUANTITY_EXCEEDED";
  readonly billItemId: number;
  readonly itemName: string;
  readonly requested: Decimal;
  readonly left: Decimal;
  constructor(readonly lines: [ReturnExcess, ...ReturnExcess[]]) {
    const say = (l: ReturnExcess) =>
      `${l.itemName} (line ${l.billItemId}): ${l.requested.toFixed(3)} ${l.unit} asked, ${l.sold.toFixed(3)} sold, ${l.alreadyReturned.toFixed(3)} already returned, ${l.left.toFixed(3)} left`;
    super(`More than is left to return: ${lines.map(say).join("; ")}`);
    const first = lines[0];
    this.billItemId = first.billItemId;
    this.itemName = first.itemName;
    this.requested = first.requested;
    this.left = first.left;
  }
}

/** The refund payments sent do not add up to the refund the server computed. */
export class RefundPaymentsMismatchError extends DomainError {
  readonly code = "REFUND_PAYMENTS_MISMATCH";
  constructor(
    readonly refundTotal: string,
    readonly paymentsTotal: string,
  ) {
    super(`The refund is ${refundTotal} but the refund payments add up to ${paymentsTotal}: they must match (or leave them out to refund to the bill's own payment methods)`);
  }
}

export class ReturnKeyReusedError extends DomainError {
  readonly code = "IDEMPOTENCY_KEY_REUSED";
  constructor(
    readonly idempotencyKey: string,
    readonly returnId: number,
  ) {
    super(`Idempotency key "${idempotencyKey}" was already used for return ${returnId} with a different request`);
  }
}

// ---- input ------------------------------------------------------------------

export interface CreateReturnInput {
  billId: unknown;
  /** [{billItemId, quantity, restock? (default true: back to stock; false: damaged)}] */
  lines: unknown;
  reason: unknown;
  /** [{method, amount, label?, reference?}]; absent: back to the bill's own payment methods. */
  refundPayments?: unknown;
  /** Which register's drawer pays out cash (shifts on, several open). */
  register?: unknown;
  idempotencyKey?: unknown;
  /** A manager's {username, pin} when the person returning lacks REFUND. */
  approval?: unknown;
}

interface ReturnRequestLine {
  billItemId: number;
  quantity: Decimal;
  restock: boolean;
}

interface ParsedReturn {
  billId: number;
  lines: ReturnRequestLine[];
  reason: string;
  refundPayments: ParsedPayment[] | null;
  register: string | null;
  key: string | null;
  approval: DiscountApproval | null;
}

export const REASON: TextRule = { max: 200, required: true };
const REGISTER: TextRule = { max: 60, required: false };
const MAX_RETURN_LINES = 500;

function parseReturn(input: CreateReturnInput): ParsedReturn {
  const p = new Problems();
  const billId = p.take(() => parseId(input.billId, ["billId"]));
  const reason = p.take(() => parseText(input.reason, ["reason"], REASON));
  const register = p.take(() => parseText(input.register, ["register"], REGISTER)) ?? null;
  const key = p.take(() => parseText(input.idempotencyKey, ["idempotencyKey"], IDEMPOTENCY_KEY)) ?? null;
  const approval = parseApproval(input.approval, p);
  const refundPayments = input.refundPayments == null ? null : parsePayments(input.refundPayments, p, "refundPayments");
  if (refundPayments && Array.isArray(input.refundPayments) && input.refundPayments.length === 0) {
    p.add(["refundPayments"], "must list at least one payment, or be left out to refund to the bill's own payment methods", "EMPTY");
  }
  const lines: ReturnRequestLine[] = [];
  const raw = input.lines;
  if (!Array.isArray(raw) || raw.length === 0) p.add(["lines"], "must list at least one {billItemId, quantity}", Array.isArray(raw) ? "EMPTY_RETURN" : "INVALID_TYPE");
  else if (raw.length > MAX_RETURN_LINES) p.add(["lines"], `must contain at most ${MAX_RETURN_LINES} lines`, "TOO_MANY_LINES");
  else {
    const seen = new Set<number>();
    raw.forEach((line: unknown, i) => {
      if (typeof line !== "object" || line === null) return p.add(["lines", i], "must be an object {billItemId, quantity, restock?}", "INVALID_TYPE");
      const l = line as { billItemId?: unknown; quantity?: unknown; restock?: unknown };
      const id = p.take(() => parseId(l.billItemId, ["lines", i, "billItemId"]));
      const quantity = p.take(() => parseDecimal(l.quantity, ["lines", i, "quantity"], QUANTITY));
      if (l.restock !== undefined && l.restock !== null && typeof l.restock !== "boolean") p.add(["lines", i, "restock"], "must be true or false", "INVALID_TYPE");
      if (id !== undefined && seen.has(id)) p.add(["lines", i, "billItemId"], `line ${id} is listed twice: put it once`, "DUPLICATE_LINE");
      if (id !== undefined) seen.add(id);
      if (id === undefined || quantity === undefined) return;
      lines.push({ billItemId: id, quantity, restock: l.restock !== false });
    });
  }
  p.throwIfAny();
  return { billId: billId!, lines, reason: reason!, refundPayments, register, key, approval };
}

/** What makes two return requests "the same" for an idempotency key (an approval's username counts, never its PIN). */
function requestHash(r: ParsedReturn): string {
  const canonical = JSON.stringify([
    r.billId,
    [...r.lines].sort((a, b) => a.billItemId - b.billItemId).map((l) => [l.billItemId, l.quantity.toFixed(3), l.restock]),
    r.reason,
    r.refundPayments?.map((x) => [x.method, x.amount.toFixed(2), x.label, x.reference]) ?? null,
    r.register,
    r.approval?.username ?? null,
  ]);
  return crypto.createHash("sha256").update(canonical).digest("hex");
}

// ---- pricing ----------------------------------------------------------------

interface BillRow {
  id: number;
  store_id: number | null;
  total_amount: string;
  refunded_total: string;
  voided_at: Date | null;
}

interface LineRow {
  id: number;
  item_id: number;
  item_name: string;
  unit: string;
  unit_price: string;
  quantity: string;
  returned_qty: string;
  charged_total: string;
  tax_amount: string;
  line_discount: string;
  bill_discount_share: string;
}

interface PaidRow {
  method: PaymentMethod;
  label: string | null;
  paid: string;
  refunded: string;
}

interface BillState {
  bill: BillRow;
  lines: LineRow[];
  paid: PaidRow[];
}

/** The bill, its lines and its payments per method (with what was already refunded to each). `lock`: for update, in this order. */
async function loadBillState(db: pg.Pool | pg.PoolClient, billId: number, lock: boolean): Promise<BillState> {
  const { rows: bills } = await db.query<BillRow>(
    `SELECT id, store_id, total_amount, refunded_total, voided_at FROM bills WHERE id = $1 ${lock ? "FOR NO KEY UPDATE" : ""}`,
    [billId],
  );
  const bill = bills[0];
  if (!bill) throw new NotFoundError("Bill", billId);
  const { rows: lines } = await db.query<LineRow>(
    `SELECT id, item_id, item_name, unit, unit_price, quantity, returned_qty, charged_total, tax_amount, line_discount, bill_discount_share
       FROM bill_items WHERE bill_id = $1 ORDER BY id ${lock ? "FOR NO KEY UPDATE" : ""}`,
    [billId],
  );
  const { rows: paid } = await db.query<PaidRow>(
    `SELECT p.method, min(p.label) AS label, sum(p.amount) AS paid,
            COALESCE((SELECT sum(rp.amount) FROM bill_return_payments rp JOIN bill_returns r ON r.id = rp.return_id
                       WHERE r.bill_id = $1 AND rp.method = p.method), 0) AS refunded
       FROM bill_payments p WHERE p.bill_id = $1 GROUP BY p.method ORDER BY min(p.position)`,
    [billId],
  );
  return { bill, lines, paid };
}

export interface ReturnDraftLine {
  billItemId: number;
  itemId: number;
  itemName: string;
  unit: string;
  unitPrice: Decimal;
  sold: Decimal;
  alreadyReturned: Decimal;
  quantity: Decimal;
  restock: boolean;
  /** What goes back for this line, tax included; its tax part; the discounts these units had been given. */
  refundAmount: Decimal;
  taxAmount: Decimal;
  discountAmount: Decimal;
}

export interface RefundPayment {
  method: PaymentMethod;
  amount: Decimal;
  label: string | null;
  reference: string | null;
}

/** A return as it will be written (what refundPreview answers). */
export interface ReturnDraft {
  billId: number;
  reason: string;
  lines: ReturnDraftLine[];
  refundTotal: Decimal;
  taxTotal: Decimal;
  discountTotal: Decimal;
  /** The bill's cash rounding handed back by the return that completes the bill (refundTotal − Σ line refunds). */
  rounding: Decimal;
  payments: RefundPayment[];
}

const money = (d: { toFixed(n: number): string }) => new Decimal(d.toFixed(2));

function draftReturn(state: BillState, req: ParsedReturn): ReturnDraft {
  const { bill } = state;
  if (bill.voided_at) throw new BillVoidedError(bill.id, bill.voided_at);
  const byId = new Map(state.lines.map((l) => [l.id, l]));
  const excess: ReturnExcess[] = [];
  const picked = req.lines.map((r) => {
    const line = byId.get(r.billItemId);
    if (!line) throw new UnknownBillLineError(bill.id, r.billItemId);
    const sold = new Decimal(line.quantity);
    const returned = new Decimal(line.returned_qty);
    const left = sold.sub(returned);
    if (r.quantity.greaterThan(left)) excess.push({ billItemId: line.id, itemName: line.item_name, unit: line.unit, requested: r.quantity, sold, alreadyReturned: returned, left });
    return { r, line, sold, returned };
  });
  if (excess.length) throw new ReturnQuantityExceededError(excess as [ReturnExcess, ...ReturnExcess[]]);

  const returning = new Map(req.lines.map((r) => [r.billItemId, r.quantity]));
  const completesBill = state.lines.every((l) => new Decimal(l.returned_qty).add(returning.get(l.id) ?? 0).eq(l.quantity));
  const refund = computeRefund({
    lines: picked.map(({ r, line }) => ({
      quantity: line.quantity,
      chargedTotal: line.charged_total,
      taxAmount: line.tax_amount,
      discount: new Decimal(line.line_discount).add(line.bill_discount_share),
      returnedBefore: line.returned_qty,
      returning: r.quantity,
    })),
    billTotal: bill.total_amount,
    billRefunded: bill.refunded_total,
    completesBill,
  });
  const refundTotal = money(refund.total);
  let payments: RefundPayment[];
  if (req.refundPayments) {
    const sum = req.refundPayments.reduce((a, x) => a.add(x.amount), new Decimal(0));
    if (!sum.eq(refundTotal)) throw new RefundPaymentsMismatchError(refundTotal.toFixed(2), sum.toFixed(2));
    payments = req.refundPayments.map((x) => ({ method: x.method, amount: x.amount, label: x.label, reference: x.reference }));
  } else {
    const labels = new Map(state.paid.map((x) => [x.method, x.label]));
    payments = splitRefund(refundTotal, state.paid).map((x) => ({ method: x.method, amount: money(x.amount), label: labels.get(x.method) ?? null, reference: null }));
  }
  return {
    billId: bill.id,
    reason: req.reason,
    lines: picked.map(({ r, line, sold, returned }, i) => ({
      billItemId: line.id,
      itemId: line.item_id,
      itemName: line.item_name,
      unit: line.unit,
      unitPrice: new Decimal(line.unit_price),
      sold,
      alreadyReturned: returned,
      quantity: r.quantity,
      restock: r.restock,
      refundAmount: money(refund.lines[i]!.refund),
      taxAmount: money(refund.lines[i]!.tax),
      discountAmount: money(refund.lines[i]!.discount),
    })),
    refundTotal,
    taxTotal: money(refund.tax),
    discountTotal: money(refund.discount),
    rounding: money(refund.rounding),
    payments,
  };
}

// ---- services ---------------------------------------------------------------

export interface RefundPreview extends ReturnDraft {
  /** createReturn will need approval {username, pin} of a manager (this person lacks REFUND). */
  approvalRequired: boolean;
}

/** Who may start a return: REFUND, or a seller who brings a manager's approval. */
const mayStartReturn = (ctx: ServiceContext) => authorizeAny(ctx, ["REFUND", "SELL"]);

/**
 * The return createReturn would make now — lines, refund per line, tax and
 * discount shares, how the money goes back — with nothing written, so no one
 * (cashier or assistant) ever states an amount the server did not compute.
 * No PIN is checked; approvalRequired says one will be.
 */
export async function refundPreview(ctx: ServiceContext, input: CreateReturnInput): Promise<RefundPreview> {
  mayStartReturn(ctx);
  const req = parseReturn(input);
  const draft = draftReturn(await loadBillState(ctx.db.pool, req.billId, false), req);
  return { ...draft, approvalRequired: !can(ctx.actor, "REFUND") };
}

export type ReturnWithLines = BillReturn & {
  lines: (BillReturnLine & { billItem: BillItem })[];
  payments: BillReturnPayment[];
  bill: { id: number; createdAt: Date; storeName: string | null; customerName: string | null; shopHeader: unknown; totalAmount: Decimal; refundedTotal: Decimal };
};

export interface CreateReturnResult {
  billReturn: ReturnWithLines;
  /** True when an earlier return with the same idempotency key and request was answered. */
  replayed: boolean;
}

export async function createReturn(ctx: ServiceContext, input: CreateReturnInput): Promise<CreateReturnResult> {
  mayStartReturn(ctx);
  const req = parseReturn(input);
  const hash = req.key ? requestHash(req) : null;
  let approver: Approver | null = null;
  if (!can(ctx.actor, "REFUND")) {
    // What is wrong with the return is said before a manager is asked for a PIN (a retry of a finished one is not wrong).
    if (!(req.key && (await findByKey(ctx.db.pool, req.key)))) draftReturn(await loadBillState(ctx.db.pool, req.billId, false), req);
    // The PIN is checked before any lock is taken (argon2 is slow); failures are counted per requester.
    approver = await verifyManagerApproval(ctx.db, req.approval, "REFUND", "A return", `refund-approval:${actorOwnerKey(ctx.actor)}`);
  }
  const actorId = actorStaffId(ctx.actor);

  const outcome = await inTransaction(ctx.db.pool, async (client): Promise<{ id: number; replayed: boolean }> => {
    // The bill first: every return and void of it queues here, so "what is left" is read once, under the lock.
    const state = await loadBillState(client, req.billId, true);
    if (req.key) {
      const earlier = await findByKey(client, req.key);
      if (earlier) return replayOrRefuse(earlier, req.key, hash!);
    }
    const draft = draftReturn(state, req);
    const settings = await loadShopSettings(client);
    const storeId = state.bill.store_id ?? settings.storeId;
    const paysCash = draft.payments.some((x) => x.method === "CASH");
    // With shifts on, a cash refund needs an open shift (its drawer pays); a card-only
    // return made while one is open still joins it, so the shift's Z report counts it.
    // The settings speak for their own store; a bill of another store reads its own flag.
    const store = { storeId, shiftsEnabled: storeId === settings.storeId ? settings.shiftsEnabled : undefined };
    const shift = paysCash ? await drawerShift(client, store, req.register) : await drawerShift(client, store, req.register).catch(noShift);

    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO bill_returns (bill_id, store_id, shift_id, reason, refund_total, tax_total, discount_total, actor_id, actor_name,
         approved_by, approved_by_name, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        draft.billId,
        storeId,
        shift?.id ?? null,
        draft.reason,
        draft.refundTotal.toFixed(2),
        draft.taxTotal.toFixed(2),
        draft.discountTotal.toFixed(2),
        actorId,
        actorName(ctx.actor),
        approver?.staffId ?? null,
        approver?.name ?? null,
        req.key,
        hash,
      ],
    );
    if (!rows[0]) {
      // The same key, committed meanwhile by a request for another bill.
      return replayOrRefuse((await findByKey(client, req.key!))!, req.key!, hash!);
    }
    const returnId = rows[0].id;

    const { rows: lineIds } = await client.query<{ id: number; bill_item_id: number }>(
      `INSERT INTO bill_return_lines (return_id, bill_item_id, item_id, quantity, restock, refund_amount, tax_amount, discount_amount)
       SELECT $1, * FROM unnest($2::int[], $3::int[], $4::numeric[], $5::bool[], $6::numeric[], $7::numeric[], $8::numeric[])
       RETURNING id, bill_item_id`,
      [
        returnId,
        draft.lines.map((l) => l.billItemId),
        draft.lines.map((l) => l.itemId),
        draft.lines.map((l) => l.quantity.toFixed(3)),
        draft.lines.map((l) => l.restock),
        draft.lines.map((l) => l.refundAmount.toFixed(2)),
        draft.lines.map((l) => l.taxAmount.toFixed(2)),
        draft.lines.map((l) => l.discountAmount.toFixed(2)),
      ],
    );
    const lineId = new Map(lineIds.map((r) => [r.bill_item_id, r.id]));
    if (draft.payments.length) {
      await client.query(
        `INSERT INTO bill_return_payments (return_id, position, method, amount, label, reference)
         SELECT $1, * FROM unnest($2::int[], $3::payment_method[], $4::numeric[], $5::text[], $6::text[])`,
        [returnId, draft.payments.map((_, i) => i + 1), draft.payments.map((x) => x.method), draft.payments.map((x) => x.amount.toFixed(2)), draft.payments.map((x) => x.label), draft.payments.map((x) => x.reference)],
      );
    }
    // The CHECKs on bill_items and bills refuse anything past what was sold or paid, whatever path got here.
    await client.query(
      `UPDATE bill_items bi SET returned_qty = bi.returned_qty + r.quantity, refunded_total = bi.refunded_total + r.refund
         FROM unnest($1::int[], $2::numeric[], $3::numeric[]) AS r(id, quantity, refund) WHERE bi.id = r.id`,
      [draft.lines.map((l) => l.billItemId), draft.lines.map((l) => l.quantity.toFixed(3)), draft.lines.map((l) => l.refundAmount.toFixed(2))],
    );
    await client.query("UPDATE bills SET refunded_total = refunded_total + $2 WHERE id = $1", [draft.billId, draft.refundTotal.toFixed(2)]);
    // Restocked goods go back on the shelf in item id order (the order sales lock items in).
    for (const l of [...draft.lines].filter((x) => x.restock).sort((a, b) => a.itemId - b.itemId || a.billItemId - b.billItemId)) {
      await receiveStock(client, { itemId: l.itemId, quantity: l.quantity, reason: "return", billId: draft.billId, returnLineId: lineId.get(l.billItemId)!, actorId, note: draft.reason });
    }
    return { id: returnId, replayed: false };
  });
  return { billReturn: await loadReturn(ctx, outcome.id), replayed: outcome.replayed };
}

async function findByKey(client: pg.Pool | pg.PoolClient, key: string) {
  const { rows } = await client.query<{ id: number; request_hash: string }>("SELECT id, request_hash FROM bill_returns WHERE idempotency_key = $1", [key]);
  return rows[0];
}

function replayOrRefuse(earlier: { id: number; request_hash: string }, key: string, hash: string) {
  if (earlier.request_hash !== hash) throw new ReturnKeyReusedError(key, earlier.id);
  return { id: earlier.id, replayed: true };
}

const RETURN_INCLUDE = {
  lines: { orderBy: { id: "asc" }, include: { billItem: true } },
  payments: { orderBy: { position: "asc" } },
  bill: { select: { id: true, createdAt: true, storeName: true, customerName: true, shopHeader: true, totalAmount: true, refundedTotal: true } },
} as const;

async function loadReturn(ctx: ServiceContext, id: number): Promise<ReturnWithLines> {
  const found = await ctx.db.prisma.billReturn.findUnique({ where: { id }, include: RETURN_INCLUDE });
  if (!found) throw new NotFoundError("Return", id);
  return found;
}

/** One return (its slip). Whoever sees every bill or may refund; a cashier, the returns they started. */
export async function getReturn(ctx: ServiceContext, id: unknown): Promise<ReturnWithLines> {
  const held = authorizeAny(ctx, ["VIEW_ALL_BILLS", "REFUND", "VIEW_OWN_BILLS"]);
  const found = await loadReturn(ctx, parseId(id, ["id"]));
  if (held === "VIEW_OWN_BILLS" && found.actorId !== actorStaffId(ctx.actor)) authorize(ctx, "VIEW_ALL_BILLS");
  return found;
}

/** A bill's returns, oldest first (the bill's visibility is its caller's check). */
export async function billReturns(ctx: ServiceContext, billId: number): Promise<ReturnWithLines[]> {
  return ctx.db.prisma.billReturn.findMany({ where: { billId }, orderBy: { id: "asc" }, include: RETURN_INCLUDE });
}

export interface ReturnableBill {
  id: number;
  createdAt: Date;
  customerName: string | null;
  totalAmount: Decimal;
  refundedTotal: Decimal;
  voidedAt: Date | null;
  lines: { billItemId: number; itemId: number; itemName: string; unit: string; unitPrice: Decimal; sold: Decimal; returned: Decimal; left: Decimal; chargedTotal: Decimal }[];
}

/**
 * A bill's lines and what is left to return of each, for whoever may start a
 * return (a cashier holding the customer's receipt sees its lines even when
 * the bill is not theirs to list).
 */
export async function returnableBill(ctx: ServiceContext, billId: unknown): Promise<ReturnableBill> {
  mayStartReturn(ctx);
  const id = parseId(billId, ["billId"]);
  const bill = await ctx.db.prisma.bill.findUnique({ where: { id }, include: { lines: { orderBy: { id: "asc" } } } });
  if (!bill) throw new NotFoundError("Bill", id);
  return {
    id: bill.id,
    createdAt: bill.createdAt,
    customerName: bill.customerName,
    totalAmount: bill.totalAmount,
    refundedTotal: bill.refundedTotal,
    voidedAt: bill.voidedAt,
    lines: bill.lines.map((l) => ({
      billItemId: l.id,
      itemId: l.itemId,
      itemName: l.itemName,
      unit: l.unit,
      unitPrice: l.unitPrice,
      sold: l.quantity,
      returned: l.returnedQty,
      left: l.quantity.sub(l.returnedQty),
      chargedTotal: l.chargedTotal,
    })),
  };
}

/** No shift to join (none open, or several and no register named): the return stands alone. */
function noShift(err: unknown): null {
  if (err instanceof ShiftNotOpenError || err instanceof RegisterRequiredError) return null;
  throw err;
}
