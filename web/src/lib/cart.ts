// The POS cart: plain data kept in localStorage so it survives a reload, with
// the idempotency key that makes "Complete sale" safe to click twice or retry.
import {
  computeTotals,
  settle,
  type DiscountKind,
  type PaymentMethod,
  type Settlement,
  type Totals,
  type TotalsSettings,
} from "@storelite/api/domain/totals";
import type { ItemFieldsFragment } from "../gql/graphql.ts";
import { addQuantity, lineTotal, parseFixed, parseSaleQuantity } from "./decimal.ts";

/** The tax rate a sale applies to the item (from the server), snapshotted when the item is added. */
export interface CartTaxRate {
  id: number;
  name: string;
  percent: string;
}

export interface CartLine {
  itemId: number;
  name: string;
  unit: string;
  unitPrice: string;
  /** As typed ("1.5"); validated with parseSaleQuantity before sending. */
  quantity: string;
  taxRate?: CartTaxRate | null;
  /** A line discount in percent, as typed ("" = none). */
  discountPercent?: string;
}

export interface CartDiscount {
  kind: DiscountKind;
  /** As typed ("" = none). */
  value: string;
}

export interface Cart {
  lines: CartLine[];
  customerName: string;
  billDiscount?: CartDiscount;
  /**
   * One key per cart: a retry of the same cart returns the bill already made.
   * Replaced only when the server refused the cart with a typed error (no bill
   * was made with it), or when a new cart starts.
   */
  idempotencyKey: string;
}

export const CART_STORAGE_KEY = "storelite.pos.cart";
export const STORE_NAME_KEY = "storelite.pos.storeName";

export function newIdempotencyKey(): string {
  return `pos-${crypto.randomUUID()}`;
}

export function emptyCart(): Cart {
  return { lines: [], customerName: "", idempotencyKey: newIdempotencyKey() };
}

/** Units sold by weight or volume: typed quantities, not scanned pieces. */
export function isMeasuredUnit(unit: string): boolean {
  return /^(kg|kgs|g|gm|gram|grams|kilogram|kilograms|l|ltr|liter|litre|liters|litres|ml|m|meter|metre)$/i.test(unit.trim());
}

/** Adds one unit of an item, or one more of it when it is already in the cart. */
export function addItem(cart: Cart, item: Pick<ItemFieldsFragment, "id" | "name" | "unit" | "unitPrice"> & { taxRate?: CartTaxRate | null }): Cart {
  const existing = cart.lines.find((l) => l.itemId === item.id);
  if (existing) {
    const qty = parseSaleQuantity(existing.quantity);
    return setQuantity(cart, item.id, qty ? trimQty(addQuantity(qty, "1")) : existing.quantity);
  }
  const taxRate = item.taxRate ? { id: item.taxRate.id, name: item.taxRate.name, percent: item.taxRate.percent } : null;
  const line: CartLine = { itemId: item.id, name: item.name, unit: item.unit, unitPrice: item.unitPrice, quantity: "1", taxRate };
  return { ...cart, lines: [...cart.lines, line] };
}

const trimQty = (q: string) => q.replace(/\.?0+$/, "");

export function setQuantity(cart: Cart, itemId: number, quantity: string): Cart {
  return { ...cart, lines: cart.lines.map((l) => (l.itemId === itemId ? { ...l, quantity } : l)) };
}

export function removeLine(cart: Cart, itemId: number): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.itemId !== itemId) };
}

/** The line total, or null while the quantity typed is not a valid one. */
export function cartLineTotal(line: CartLine): string | null {
  const qty = parseSaleQuantity(line.quantity);
  return qty === null ? null : lineTotal(line.unitPrice, qty);
}

export function setLineDiscount(cart: Cart, itemId: number, percent: string): Cart {
  return { ...cart, lines: cart.lines.map((l) => (l.itemId === itemId ? { ...l, discountPercent: percent } : l)) };
}

/** Settings that price like the original design: no tax, no rounding. */
export const PLAIN_SETTINGS: TotalsSettings = { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00" };

/** A typed percent (0 < p ≤ 100, ≤ 3 decimals), or null. */
export function parsePercent(text: string | undefined): string | null {
  const v = parseFixed(text ?? "", 3);
  return v !== null && v > 0n && v <= 100_000n ? (text ?? "").trim() : null;
}

/** A typed discount as createBill takes it, or null (none, or not a valid one yet). */
export function parseDiscount(d: CartDiscount | undefined): { kind: DiscountKind; value: string } | null {
  if (!d || !d.value.trim()) return null;
  if (d.kind === "PERCENT") return parsePercent(d.value) ? { kind: "PERCENT", value: d.value.trim() } : null;
  const v = parseFixed(d.value, 2);
  return v !== null && v > 0n ? { kind: "AMOUNT", value: d.value.trim() } : null;
}

export interface CartTotals {
  totals: Totals;
  /** A discount larger than what it applies to, or another refusal the server would give. */
  problem: string | null;
}

/**
 * The bill's totals by the server's own totals module — the very code
 * createBill runs — so the screen shows what the receipt will say. Lines still
 * being typed count as 0.
 */
export function cartTotals(cart: Cart, settings: TotalsSettings = PLAIN_SETTINGS): CartTotals {
  const lines = cart.lines.flatMap((l) => {
    const quantity = parseSaleQuantity(l.quantity);
    if (!quantity) return [];
    const pct = parsePercent(l.discountPercent);
    return [{ unitPrice: l.unitPrice, quantity, taxRate: l.taxRate ?? null, discount: pct ? { kind: "PERCENT" as const, value: pct } : null }];
  });
  try {
    return { totals: computeTotals({ lines, billDiscount: parseDiscount(cart.billDiscount), settings }), problem: null };
  } catch (err) {
    const plain = computeTotals({ lines: lines.map((l) => ({ ...l, discount: null })), settings });
    return { totals: plain, problem: err instanceof Error ? err.message : String(err) };
  }
}

/** The bill's total (cash paid exactly). */
export function cartTotal(cart: Cart, settings: TotalsSettings = PLAIN_SETTINGS): string {
  const { totals } = cartTotals(cart, settings);
  return settle(totals.total, [], settings.cashRounding).amountDue.toFixed(2);
}

export interface DraftPayment {
  method: PaymentMethod;
  /** As typed. */
  amount: string;
  reference?: string;
}

/** Payments as typed → what the till must show: still due, change, or why they don't settle. */
export function cartSettlement(totals: Totals, payments: DraftPayment[], settings: TotalsSettings): Settlement {
  const typed = payments.filter((p) => parseFixed(p.amount, 2) !== null && (parseFixed(p.amount, 2) ?? 0n) > 0n);
  return settle(totals.total, typed.map((p) => ({ method: p.method, amount: p.amount.trim() })), settings.cashRounding);
}

export function cartIsValid(cart: Cart): boolean {
  return cart.lines.length > 0 && cart.lines.every((l) => parseSaleQuantity(l.quantity) !== null);
}

/** Reads a saved cart; anything unreadable starts a fresh one. */
export function parseCart(text: string | null): Cart {
  if (!text) return emptyCart();
  try {
    const raw: unknown = JSON.parse(text);
    if (!raw || typeof raw !== "object") return emptyCart();
    const r = raw as Record<string, unknown>;
    const lines = Array.isArray(r.lines) ? r.lines.filter(isCartLine) : [];
    const key = typeof r.idempotencyKey === "string" && r.idempotencyKey ? r.idempotencyKey : newIdempotencyKey();
    const bd = r.billDiscount as CartDiscount | undefined;
    const billDiscount = bd && (bd.kind === "PERCENT" || bd.kind === "AMOUNT") && typeof bd.value === "string" ? bd : undefined;
    return { lines, customerName: typeof r.customerName === "string" ? r.customerName : "", idempotencyKey: key, ...(billDiscount ? { billDiscount } : {}) };
  } catch {
    return emptyCart();
  }
}

function isCartLine(v: unknown): v is CartLine {
  if (!v || typeof v !== "object") return false;
  const l = v as Record<string, unknown>;
  return (
    typeof l.itemId === "number" &&
    typeof l.name === "string" &&
    typeof l.unit === "string" &&
    typeof l.unitPrice === "string" &&
    typeof l.quantity === "string"
  );
}

/** Whose cart is saved: a cart is never handed to the next person at the counter. */
export const CART_OWNER_KEY = "storelite.pos.cartOwner";

/** The saved cart if it belongs to this staff member; anyone else's is dropped. */
export function loadCart(staffId: number): Cart {
  if (localStorage.getItem(CART_OWNER_KEY) !== String(staffId)) {
    forgetCart();
    return emptyCart();
  }
  return parseCart(localStorage.getItem(CART_STORAGE_KEY));
}

export function saveCart(staffId: number, cart: Cart) {
  localStorage.setItem(CART_OWNER_KEY, String(staffId));
  localStorage.setItem(CART_STORAGE_KEY, JSON.stringify(cart));
}

export function forgetCart() {
  localStorage.removeItem(CART_STORAGE_KEY);
  localStorage.removeItem(CART_OWNER_KEY);
}
