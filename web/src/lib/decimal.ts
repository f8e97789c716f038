// Fixed-point decimals for money and quantities, on strings and BigInt: the
// browser never does float arithmetic on a price or a quantity. Rounding
// matches the server (api/src/domain/money.ts): lineTotal = round_half_up(price × qty, 2),
// half-up meaning ties go away from zero, like Decimal.ROUND_HALF_UP.

export const MONEY_PLACES = 2;
export const QUANTITY_PLACES = 3;

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Parses "12", "1.5", ".5", "-2.250" into an integer count of 10^-places units.
 * Returns null for anything else, including more significant decimals than
 * `places` ("1.2345" at 3 places) — the server refuses those too, so we never round input.
 */
export function parseFixed(text: string, places: number): bigint | null {
  const m = PLAIN.exec(text.trim());
  if (!m) return null;
  const [, sign = "", int = "", rawFrac = ""] = m;
  if (int === "" && rawFrac === "") return null;
  const frac = rawFrac.replace(/0+$/, "");
  if (frac.length > places) return null;
  const units = BigInt((int || "0") + frac.padEnd(places, "0"));
  return sign === "-" ? -units : units;
}

/** Formats units of 10^-places as a fixed-point string: (1500n, 3) → "1.500". */
export function formatFixed(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, "0");
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${negative ? "-" : ""}${int}${places > 0 ? `.${frac}` : ""}`;
}

/** Divides by 10^shift, rounding half away from zero. */
function shiftRoundHalfUp(value: bigint, shift: number): bigint {
  if (shift <= 0) return value * 10n ** BigInt(-shift);
  const divisor = 10n ** BigInt(shift);
  const magnitude = value < 0n ? -value : value;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return value < 0n ? -q : q;
}

const must = (text: string, places: number): bigint => {
  const v = parseFixed(text, places);
  if (v === null) throw new RangeError(`not a decimal with at most ${places} places: ${JSON.stringify(text)}`);
  return v;
};

/** unitPrice × quantity rounded half-up to cents: ("12.50", "1.5") → "18.75". */
export function lineTotal(unitPrice: string, quantity: string): string {
  const product = must(unitPrice, MONEY_PLACES) * must(quantity, QUANTITY_PLACES);
  return formatFixed(shiftRoundHalfUp(product, QUANTITY_PLACES), MONEY_PLACES);
}

/** Exact sum of money strings, 2 places. */
export function sumMoney(amounts: readonly string[]): string {
  return formatFixed(amounts.reduce((acc, a) => acc + must(a, MONEY_PLACES), 0n), MONEY_PLACES);
}

/** a + b for quantities, 3 places. */
export function addQuantity(a: string, b: string): string {
  return formatFixed(must(a, QUANTITY_PLACES) + must(b, QUANTITY_PLACES), QUANTITY_PLACES);
}

/** a − b for quantities, 3 places (may be negative). */
export function subtractQuantity(a: string, b: string): string {
  return formatFixed(must(a, QUANTITY_PLACES) - must(b, QUANTITY_PLACES), QUANTITY_PLACES);
}

/** Compares two decimals numerically: -1, 0 or 1. */
export function compareDecimal(a: string, b: string, places = QUANTITY_PLACES): -1 | 0 | 1 {
  const x = must(a, places);
  const y = must(b, places);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A quantity as people read it: "1.500" → "1.5", "2.000" → "2". */
export function displayQuantity(quantity: string): string {
  const v = parseFixed(quantity, QUANTITY_PLACES);
  if (v === null) return quantity;
  return formatFixed(v, QUANTITY_PLACES).replace(/\.?0+$/, "");
}

/** A valid sale quantity: > 0 with at most 3 decimals (what createBill accepts). */
export function parseSaleQuantity(text: string): string | null {
  const v = parseFixed(text, QUANTITY_PLACES);
  return v !== null && v > 0n ? formatFixed(v, QUANTITY_PLACES) : null;
}
