// Validation of the free-text fields (names, categories, units, SKUs).
import { ValidationError, type FieldError } from "./errors.ts";

// Control characters (other than none) never belong in a name shown on a receipt.
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface TextRule {
  max: number;
  required: boolean;
  pattern?: { re: RegExp; message: string };
}

export const ITEM_NAME: TextRule = { max: 120, required: true };
export const CATEGORY: TextRule = { max: 60, required: true };
export const UNIT: TextRule = { max: 20, required: true };
export const PERSON_OR_STORE: TextRule = { max: 120, required: false };
export const NOTE: TextRule = { max: 500, required: false };
export const SKU: TextRule = {
  max: 64,
  required: false,
  pattern: { re: /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, message: "may contain only letters, digits, '.', '_', '-' and '/'" },
};
export const IDEMPOTENCY_KEY: TextRule = {
  max: 200,
  required: false,
  pattern: { re: /^[\x21-\x7e]+$/, message: "must be printable ASCII without spaces" },
};

/** Trims and checks a text field; optional blanks become null. */
export function parseText(value: unknown, path: FieldError["path"], rule: TextRule): string | null {
  if (value === undefined || value === null) {
    if (rule.required) throw ValidationError.one(path, "is required", "REQUIRED");
    return null;
  }
  if (typeof value !== "string") throw ValidationError.one(path, "must be text", "INVALID_TYPE");
  const text = value.trim().replace(/\s+/g, " ");
  if (!text) {
    if (rule.required) throw ValidationError.one(path, "must not be blank", "REQUIRED");
    return null;
  }
  if (text.length > rule.max) throw ValidationError.one(path, `must be at most ${rule.max} characters`, "TOO_LONG");
  if (CONTROL.test(text)) throw ValidationError.one(path, "must not contain control characters", "INVALID_TEXT");
  if (rule.pattern && !rule.pattern.re.test(text)) throw ValidationError.one(path, rule.pattern.message, "INVALID_FORMAT");
  return text;
}

/** A database id: a positive 32-bit integer. */
export function parseId(value: unknown, path: FieldError["path"]): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 2147483647) {
    throw ValidationError.one(path, "must be a positive whole-number id", "INVALID_ID");
  }
  return n;
}
