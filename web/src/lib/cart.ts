// The POS cart: plain data kept in localStorage so it survives a reload, with
// the idempotency key that makes "Generate Bill" safe to click twice or retry.
import type { ItemFieldsFragment } from "../gql/graphql.ts";
import { addQuantity, lineTotal, parseSaleQuantity, sumMoney } from "./decimal.ts";

export interface CartLine {
  itemId: number;
  name: string;
  unit: string;
  unitPrice: string;
  /** As typed ("1.5"); validated with parseSaleQuantity before sending. */
  quantity: string;
}

export interface Cart {
  lines: CartLine[];
  customerName: string;
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
export function addItem(cart: Cart, item: Pick<ItemFieldsFragment, "id" | "name" | "unit" | "unitPrice">): Cart {
  const existing = cart.lines.find((l) => l.itemId === item.id);
  if (existing) {
    const qty = parseSaleQuantity(existing.quantity);
    return setQuantity(cart, item.id, qty ? trimQty(addQuantity(qty, "1")) : existing.quantity);
  }
  const line: CartLine = { itemId: item.id, name: item.name, unit: item.unit, unitPrice: item.unitPrice, quantity: "1" };
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

/** Sum of the line totals (the server's rule: total = Σ round(price × qty, 2)). */
export function cartTotal(cart: Cart): string {
  return sumMoney(cart.lines.map((l) => cartLineTotal(l) ?? "0"));
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
    return { lines, customerName: typeof r.customerName === "string" ? r.customerName : "", idempotencyKey: key };
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
