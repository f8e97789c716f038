// Decimal parsing and formatting for money and quantities. Values arrive as
// strings (or JSON numbers) and never go through float arithmetic: Decimal
// does the sums, and the wire format is a fixed-point string ("160.00", "1.500").
import { Prisma } from "../generated/prisma/client.ts";
import { ValidationError, type FieldError } from "./errors.ts";

export const Decimal = Prisma.Decimal;
export type Decimal = Prisma.Decimal;
export type DecimalInput = string | number | Decimal;

const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export interface DecimalRule {
  places: number;
  /** Largest absolute value the column holds. */
  max: string;
  min?: "positive" | "nonNegative" | "nonZero";
}

export const PRICE: DecimalRule = { places: 2, max: "9999999999.99", min: "nonNegative" };
export const QUANTITY: DecimalRule = { places: 3, max: "999999999.999", min: "positive" };
export const STOCK: DecimalRule = { places: 3, max: "999999999.999", min: "nonNegative" };
export const STOCK_DELTA: DecimalRule = { places: 3, max: "999999999.999", min: "nonZero" };

/** Parses one decimal value by a rule; throws ValidationError naming the field. */
export function parseDecimal(value: unknown, path: FieldError["path"], rule: DecimalRule): Decimal {
  const fail = (message: string, code = "INVALID_NUMBER"): never => {
    throw ValidationError.one(path, message, code);
  };
  let text: string;
  if (value instanceof Decimal) text = value.toString();
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("must be a finite number");
    text = String(value); // shortest round-trip text: 1.5 -> "1.5", never 1.4999...
  } else if (typeof value === "string") text = value.trim();
  else return fail(value === null || value === undefined ? "is required" : "must be a number or a decimal string", value == null ? "REQUIRED" : "INVALID_NUMBER");

  if (!DECIMAL_TEXT.test(text)) {
    fail(`must be a plain decimal number like 12 or 12.50 (got ${JSON.stringify(String(value).slice(0, 40))})`);
  }
  const d = new Decimal(text);
  if (d.decimalPlaces() > rule.places) {
    fail(`must have at most ${rule.places} decimal places`, "TOO_MANY_DECIMALS");
  }
  if (d.abs().greaterThan(rule.max)) fail(`must be at most ${rule.max}`, "TOO_LARGE");
  if (rule.min === "positive" && !d.greaterThan(0)) fail("must be greater than 0", "NOT_POSITIVE");
  if (rule.min === "nonNegative" && d.isNegative() && !d.isZero()) fail("must not be negative", "NEGATIVE");
  if (rule.min === "nonZero" && d.isZero()) fail("must not be 0", "ZERO");
  return d.isZero() ? new Decimal(0) : d; // no "-0"
}

/** Price × quantity, rounded half-up to cents. */
export function lineTotal(unitPrice: Decimal, quantity: Decimal): Decimal {
  return unitPrice.mul(quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export const formatMoney = (d: Decimal) => d.toFixed(2);
export const formatQuantity = (d: Decimal) => d.toFixed(3);
