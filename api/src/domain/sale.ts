// What a sale adds to a plain list of lines — discounts, payments, a manager's
// approval, the total the client showed — parsed here, and the pricing of the
// locked (or, for a preview, read) items through the one totals module. Shared
// by createBill and previewBill so both price a cart the same way.
import { can, type Actor } from "./access.ts";
import { Problems, ValidationError } from "./errors.ts";
import { Decimal, PRICE, parseDecimal, type DecimalRule } from "./money.ts";
import type { ShopSettings } from "./settings.ts";
import { totalsSettings } from "./settings.ts";
import { parseText, type TextRule } from "./text.ts";
import { DISCOUNT_KINDS, PAYMENT_METHODS, computeTotals, discountPercent, settle, type Bill, type DiscountKind, type PaymentMethod } from "./totals.ts";
import type { DiscountApproval } from "./approval.ts";
import { APPLIED_RATE_JOINS } from "./tax-rates.ts";

export interface ParsedDiscount {
  kind: DiscountKind;
  value: Decimal;
  reason: string | null;
}

export interface ParsedPayment {
  method: PaymentMethod;
  /** Cash: what was handed over; otherwise the amount charged. */
  amount: Decimal;
  label: string | null;
  reference: string | null;
}

export interface SaleOptions {
  billDiscount: ParsedDiscount | null;
  payments: ParsedPayment[];
  approval: DiscountApproval | null;
  expectedTotal: Decimal | null;
}

export interface SaleOptionsInput {
  billDiscount?: unknown;
  payments?: unknown;
  approval?: unknown;
  expectedTotal?: unknown;
}

export const MAX_PAYMENTS = 10;
export const DISCOUNT_PERCENT: DecimalRule = { places: 3, max: "100", min: "positive" };
export const POSITIVE_AMOUNT: DecimalRule = { ...PRICE, min: "positive" };
const REASON: TextRule = { max: 200, required: false };
const LABEL: TextRule = { max: 40, required: false };
const REFERENCE: TextRule = { max: 80, required: false };
const USERNAME: TextRule = { max: 60, required: true };
const PIN: TextRule = { max: 64, required: true };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A discount {kind: PERCENT|AMOUNT, value, reason?}; null or absent means none. */
export function parseDiscount(raw: unknown, path: (string | number)[], p: Problems): ParsedDiscount | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) {
    p.add(path, "must be an object {kind, value, reason?}", "INVALID_TYPE");
    return null;
  }
  const kind = DISCOUNT_KINDS.find((k) => k === raw.kind);
  if (!kind) p.add([...path, "kind"], `must be one of ${DISCOUNT_KINDS.join(", ")}`, "INVALID_VALUE");
  const value = kind ? p.take(() => parseDecimal(raw.value, [...path, "value"], kind === "PERCENT" ? DISCOUNT_PERCENT : POSITIVE_AMOUNT)) : undefined;
  const reason = p.take(() => parseText(raw.reason, [...path, "reason"], REASON)) ?? null;
  return kind && value ? { kind, value, reason } : null;
}

/** A list of payments {method, amount, label?, reference?} at `field` of the input (a sale's payments, a return's refund payments). */
export function parsePayments(raw: unknown, p: Problems, field = "payments"): ParsedPayment[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    p.add([field], "must be a list of {method, amount}", "INVALID_TYPE");
    return [];
  }
  if (raw.length > MAX_PAYMENTS) {
    p.add([field], `must contain at most ${MAX_PAYMENTS} payments`, "TOO_MANY_PAYMENTS");
    return [];
  }
  return raw.flatMap((pay: unknown, i): ParsedPayment[] => {
    const at = [field, i];
    if (!isObject(pay)) {
      p.add(at, "must be an object {method, amount}", "INVALID_TYPE");
      return [];
    }
    const method = PAYMENT_METHODS.find((m) => m === pay.method);
    if (!method) p.add([...at, "method"], `must be one of ${PAYMENT_METHODS.join(", ")}`, "INVALID_VALUE");
    const amount = p.take(() => parseDecimal(pay.amount, [...at, "amount"], POSITIVE_AMOUNT));
    const label = p.take(() => parseText(pay.label, [...at, "label"], LABEL)); // undefined: already reported
    const reference = p.take(() => parseText(pay.reference, [...at, "reference"], REFERENCE)) ?? null;
    if (method === "OTHER" && label === null) p.add([...at, "label"], "is required for an OTHER payment (e.g. Voucher)", "REQUIRED");
    return method && amount ? [{ method, amount, label: label ?? null, reference }] : [];
  });
}

export function parseApproval(raw: unknown, p: Problems): DiscountApproval | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) {
    p.add(["approval"], "must be an object {username, pin}", "INVALID_TYPE");
    return null;
  }
  const username = p.take(() => parseText(raw.username, ["approval", "username"], USERNAME));
  const pin = typeof raw.pin === "string" ? raw.pin : undefined; // never trimmed or echoed
  if (pin === undefined) p.add(["approval", "pin"], "is required", "REQUIRED");
  else p.take(() => parseText(pin, ["approval", "pin"], PIN));
  return username && pin ? { username, pin } : null;
}

export function parseSaleOptions(input: SaleOptionsInput, p: Problems): SaleOptions {
  return {
    billDiscount: parseDiscount(input.billDiscount, ["billDiscount"], p),
    payments: parsePayments(input.payments, p),
    approval: parseApproval(input.approval, p),
    expectedTotal:
      input.expectedTotal === undefined || input.expectedTotal === null ? null : (p.take(() => parseDecimal(input.expectedTotal, ["expectedTotal"], PRICE)) ?? null),
  };
}

const discountKey = (d: ParsedDiscount | null) => (d ? [d.kind, d.value.toFixed(3), d.reason] : null);

/**
 * The new inputs' part of a request's idempotency hash, or null when the
 * request has none (so a retry of an old-style request hashes as it always did).
 * The approval's username counts, its PIN never does.
 */
export function saleOptionsKey(o: SaleOptions, lineDiscounts: (ParsedDiscount | null)[]): unknown[] | null {
  const none = !o.billDiscount && !o.payments.length && !o.approval && !o.expectedTotal && lineDiscounts.every((d) => !d);
  if (none) return null;
  return [
    discountKey(o.billDiscount),
    lineDiscounts.map(discountKey),
    o.payments.map((x) => [x.method, x.amount.toFixed(2), x.label, x.reference]),
    o.approval?.username ?? null,
    o.expectedTotal?.toFixed(2) ?? null,
  ];
}

/** An item as a sale prices it: price, and the tax rate that applies to it now. */
export interface PricedItem {
  id: number;
  name: string;
  sku: string | null;
  unit: string;
  unit_price: string;
  tax_rate_id: number | null;
  tax_rate_name: string | null;
  tax_rate_percent: string | null;
  /** Snapshotted on the bill line, so reports of the past never read today's catalogue. */
  category: string;
  unit_cost: string | null;
}

/** SQL that reads items with the rate that applies: the item's active rate, else its category's active rate. */
export const PRICED_ITEM_SQL = `SELECT i.id, i.name, i.sku, i.unit, i.unit_price, i.stock_qty, i.is_active, i.category, i.unit_cost,
    COALESCE(ir.id, cr.id) AS tax_rate_id, COALESCE(ir.name, cr.name) AS tax_rate_name, COALESCE(ir.percent, cr.percent) AS tax_rate_percent
  FROM items i ${APPLIED_RATE_JOINS}
  WHERE i.id = ANY($1::int[]) ORDER BY i.id`;

export interface SaleLineToPrice {
  item: PricedItem;
  quantity: Decimal;
  discount: ParsedDiscount | null;
  /** Index of the line in the request (for error paths). */
  position: number;
}

export interface PricedSale {
  bill: Bill;
  /** Lines in cart order, matching bill.lines. */
  lines: SaleLineToPrice[];
  /** Set when the discount is above what the actor may give alone. */
  approvalNeeded: { discountPercent: string; limitPercent: string } | null;
}

/** Prices lines (in cart order) with the shop's settings; checks the amounts fit and the actor's discount limit. */
export function priceSale(lines: SaleLineToPrice[], options: SaleOptions, settings: ShopSettings, actor: Actor): PricedSale {
  const ordered = [...lines].sort((a, b) => a.position - b.position);
  let bill: Bill;
  try {
    const pricing = totalsSettings(settings);
    const totals = computeTotals({
      lines: ordered.map((l) => ({
        unitPrice: l.item.unit_price,
        quantity: l.quantity,
        discount: l.discount,
        taxRate: l.item.tax_rate_id === null ? null : { id: l.item.tax_rate_id, name: l.item.tax_rate_name!, percent: l.item.tax_rate_percent! },
      })),
      billDiscount: options.billDiscount,
      settings: pricing,
    });
    // Payment problems stay on the settlement: a changed total is reported before them (createBill).
    bill = { ...totals, settlement: settle(totals.total, options.payments, pricing.cashRounding) };
  } catch (err) {
    // The totals module numbers lines as it got them; the caller knows them by their place in the request.
    if (err instanceof ValidationError) {
      throw new ValidationError(
        err.fieldErrors.map((f) => (f.path[0] === "lines" && typeof f.path[1] === "number" ? { ...f, path: ["lines", ordered[f.path[1]]!.position, ...f.path.slice(2)] } : f)),
      );
    }
    throw err;
  }
  ordered.forEach((l, i) => {
    if (bill.lines[i]!.amount.greaterThan(PRICE.max)) {
      throw ValidationError.one(["lines", l.position, "quantity"], `makes a line total above ${PRICE.max}`, "TOO_LARGE");
    }
  });
  const s = bill.settlement;
  if (bill.subtotal.greaterThan(PRICE.max) || s.amountDue.greaterThan(PRICE.max) || s.payments.some((x) => (x.tendered ?? x.amount).greaterThan(PRICE.max))) {
    throw ValidationError.one(["lines"], `bill total would exceed ${PRICE.max}`, "TOO_LARGE");
  }
  const pct = discountPercent(bill);
  const limit = settings.cashierDiscountLimit.toString();
  const approvalNeeded =
    pct.greaterThan(limit) && !can(actor, "DISCOUNT_OVER_LIMIT")
      ? { discountPercent: pct.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2), limitPercent: new Decimal(limit).toString() }
      : null;
  return { bill, lines: ordered, approvalNeeded };
}
